#pragma once
// What each stage of the attention program asks of any machine: the
// operations by kind of unit, the output grid it is tiled over, and the
// elements it must read and write through main memory. Machine-independent;
// derived from the program description (program.hpp), stage by stage.

#include <string>
#include <vector>

#include "core/program.hpp"
#include "core/shape.hpp"

namespace abh {

struct StageWork {
  Stage stage = Stage::projection; // Stage::attention when fused
  double flops = 0;          // multiplies + adds + exps + divides (abh::count)
  double matrix_flops = 0;   // multiplies + adds of matmuls (matrix unit)
  double vector_ops = 0;     // element-wise multiplies, adds, divides (vector unit)
  double special_ops = 0;    // exps (special-function unit)
  // Output grid: batch × rows × cols (batch = B, times H for per-head
  // outputs); reduction length k (0: element-wise).
  std::int64_t batch = 1, rows = 0, cols = 0, k = 0;
  bool triangular = false;   // causal prefill scores: only the lower triangle exists
  double outputs = 0;        // output elements actually computed
  // Elements a tile of tr × tc outputs reads from the level above the units:
  // per_element·tr·tc + per_row·tr + per_col·tc + per_tile.
  double read_per_element = 0, read_per_row = 0, read_per_col = 0, read_per_tile = 0;
  // Main-memory traffic of all B sequences: weights once per batch,
  // activations and the KV cache once per sequence; a cached K, V (or MLA
  // latent) only at the keys the queries see (a window: at most w + n_q − 1).
  double main_reads = 0;     // elements read from main memory at least once
  double main_writes = 0;    // elements written to main memory
  double kv_reads = 0;       // of main_reads: the cached keys and values (MLA: the latent)
  double working_set = 0;    // elements one batch entry needs on chip to avoid re-reads
  double kv_cache_share = 0; // part of the KV cache it reads: k ½, v ½
  bool is_matmul() const { return k > 0; }
  // Elements read by all tiles when tiled tr × tc.
  double tiled_reads(std::int64_t tile_rows, std::int64_t tile_cols, double tiles) const;
};

// Keys the n_q queries of one sequence see at all: n, or fewer with a
// window (decode with a window of w: w).
std::int64_t keys_seen(const Shape& shape);

// One per stage of attention_program(shape, fused).
std::vector<StageWork> stage_work(const Shape& shape, bool fused);

// Parameters (Wqkv + Wo) and KV cache, in elements: what an LPU must hold.
double weight_elements(const Shape& shape);
double kv_cache_elements(const Shape& shape);

} // namespace abh
