#pragma once
// Exact operation counts of every attention stage, evaluated from the
// program description (program.hpp; DESIGN.md, "Counts"). Never materialises
// a matrix: instant at any size.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/program.hpp"
#include "core/shape.hpp"

namespace abh {

struct StageCounts {
  std::int64_t dot_products = 0;
  std::int64_t multiplies = 0;
  std::int64_t adds = 0;
  std::int64_t exps = 0;
  std::int64_t divides = 0;
  std::int64_t& operator[](Operation op);
  std::int64_t operator[](Operation op) const;
  bool operator==(const StageCounts&) const = default;
};

struct Counts {
  struct Params {
    std::int64_t wqkv = 0; // (H·dh + Hkv·(dh+dv))·d; MLA: Wd, Wuq, Wuk and Wuv
    std::int64_t wo = 0;   // d·da
  } params;
  std::array<StageCounts, stage_count> stages{}; // indexed by Stage (fused: their parts summed);
                                                 // zero for stages the shape's program lacks
  struct Totals {
    std::int64_t multiplies = 0, adds = 0, exps = 0, divides = 0;
    std::int64_t flops = 0; // multiplies + adds
    // Multiplies inside the four matmuls (projection, scores, v·A, output):
    // the same for one head and H heads of the same width (with H kv heads;
    // fewer kv heads shrink the projection).
    std::int64_t matmul_multiplies = 0;
  } totals;
  struct Memory {
    std::int64_t scores_elements = 0;    // B·H·n_q·n (H·n² in a prefill): S held whole
    std::int64_t kv_cache_elements = 0;  // B·n·kv_cache_per_token
    std::int64_t kv_cache_per_token = 0; // Hkv·(dh+dv), MLA dc+dr: one token, one layer
  } memory;

  const StageCounts& operator[](Stage s) const { return stages[static_cast<std::size_t>(s)]; }
  StageCounts& operator[](Stage s) { return stages[static_cast<std::size_t>(s)]; }
};

// The counts one stage spec gives for these symbol values (checked).
StageCounts stage_counts(const StageSpec& stage, const SymbolValues& symbols);

// Throws ShapeError if a count overflows 64 bits. Does not check that the
// shape is otherwise valid: call validate() for that.
Counts count(const Shape& shape);

// One count explained: "H × P × dh" and "3 × 1,600 × 12", equal to value.
struct CountFormula {
  Operation op = Operation::multiplies;
  std::string label;       // "multiplies"
  std::string symbols;     // "H × n² × dh"
  std::string substituted; // "3 × 40² × 12"
  std::int64_t value = 0;
};

// The non-zero counts of one stage with their formulas, in table order.
std::vector<CountFormula> explain(const Shape& shape, Stage stage);

} // namespace abh
