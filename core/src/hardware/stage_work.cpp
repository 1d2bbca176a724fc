#include "core/hardware/stage_work.hpp"

#include <algorithm>

#include "core/checked_int.hpp"
#include "core/counts.hpp"

namespace abh {

namespace {

double d(std::int64_t v) { return static_cast<double>(v); }

// How many copies of a matrix there are: one per query head, per kv head, or one.
double copies(const MatrixRef& m, const SymbolValues& v) {
  switch (m.scope) {
  case HeadScope::query_head: return d(v[Symbol::H]);
  case HeadScope::kv_head: return d(v[Symbol::Hkv]);
  case HeadScope::none: return 1;
  }
  return 1;
}

double elements(const MatrixRef& m, const SymbolValues& v) { return d(m.elements.value(v)); }

bool stores_scored_pairs(const MatrixRef& m) {
  return m.elements.factors == std::vector<Symbol>{Symbol::P};
}

// Splits a stage's operations over the units that run them: dot products on
// the matrix unit, exps on the special-function unit, the rest on the vector unit.
void add_operations(StageWork& w, const StageSpec& stage, const SymbolValues& v) {
  const StageCounts c = stage_counts(stage, v);
  const double arithmetic = d(c.multiplies) + d(c.adds) + d(c.divides);
  if (stage.kind == StageKind::matmul) w.matrix_flops += arithmetic;
  else w.vector_ops += arithmetic;
  w.special_ops += d(c.exps);
}

// Elements of `m` one sequence reads: a cached matrix (n columns, computed
// earlier) only at the keys the queries see.
double read_elements(const MatrixRef& m, const Shape& s, const SymbolValues& v) {
  if (m.given || m.cols != Symbol::n || m.elements.factors != std::vector<Symbol>{m.rows, m.cols})
    return elements(m, v);
  return d(v[m.rows]) * d(keys_seen(s));
}

bool is_kv_cache(const MatrixRef& m) {
  return m.cols == Symbol::n && !m.given && m.elements.factors == std::vector<Symbol>{m.rows, m.cols};
}

StageWork work_of(const StageSpec& stage, const Shape& s, const SymbolValues& v) {
  StageWork w;
  w.stage = stage.id;
  const StageCounts c = stage_counts(stage, v);
  w.flops = d(c.multiplies) + d(c.adds) + d(c.exps) + d(c.divides);
  if (stage.kind == StageKind::fused) {
    for (Stage part : stage.parts) add_operations(w, stage_spec(part), v);
  } else {
    add_operations(w, stage, v);
  }

  // The output grid: one per query head and sequence for per-head outputs,
  // one per sequence otherwise.
  const double B = d(s.batch);
  const MatrixRef& out = stage.output;
  w.batch = checked_mul(out.scope == HeadScope::query_head ? s.heads : 1, s.batch);
  w.rows = v[out.rows];
  w.cols = v[out.cols];
  w.k = stage.reduction ? v[*stage.reduction] : 0;
  w.triangular = s.causal && s.is_prefill() && stores_scored_pairs(out);
  w.outputs = B * copies(out, v) * elements(out, v);
  w.main_writes = w.outputs;
  // Fused absorbed MLA reads the cached [c; k_rope] once: c is its first dc rows.
  // Query heads sharing each kv head's k and v (GQA: H/Hkv).
  const double sharing = d(s.queries_per_kv_head());
  const bool per_head_output = stage.output.scope == HeadScope::query_head;
  const bool reads_latent_key = std::any_of(stage.operands.begin(), stage.operands.end(),
                                            [](const MatrixRef& m) { return m.rows == Symbol::dcr; });
  for (const MatrixRef& m : stage.operands) {
    if (stage.kind == StageKind::fused && reads_latent_key && m.rows == Symbol::dc) continue;
    const double one = copies(m, v) * read_elements(m, s, v);
    // Weights are read once for the whole batch; activations and the KV cache once per sequence.
    const bool weight = m.given && m.cols != Symbol::nq; // X, the other given matrix, is per sequence
    w.main_reads += weight ? one : B * one;
    if (is_kv_cache(m)) w.kv_reads += B * one;
    // One batch entry's operands; a kv head's k or v is shared by the query
    // heads of its group, which run together.
    w.working_set += read_elements(m, s, v) / (per_head_output && m.scope == HeadScope::kv_head ? sharing : 1);
    if (m.scope == HeadScope::kv_head) w.kv_cache_share += 0.5;
  }

  // What one tile reads from the level above the units.
  if (stage.kind == StageKind::fused) {
    // Z_h = v_h·softmax(k_hᵀq_h/√dh) per block of queries: the block's
    // queries, and every key and value its head sees streams through on
    // chip, once for the query heads sharing them (GQA: H/Hkv; MLA: all H).
    const bool latent = stage.id == Stage::latent_attention;
    w.read_per_col = d(latent ? v[Symbol::dcr] : s.head_dim);
    w.read_per_tile = d(latent ? v[Symbol::dcr] : checked_add(s.head_dim, s.value_dim())) *
                      d(keys_seen(s)) / (latent ? d(s.heads) : sharing);
  } else if (stage.kind == StageKind::matmul) {
    // A row of the left operand and a column of the right, each as long as
    // the dot products are on average (P/n keys for causal v·A).
    // Rows of k_h or v_h are read once for the query heads of their group.
    const double length = d(c.multiplies) / d(c.dot_products);
    const bool shared_rows = per_head_output && stage.operands.front().scope == HeadScope::kv_head;
    w.read_per_row = length / (shared_rows ? sharing : 1);
    w.read_per_col = length;
  } else {
    w.read_per_element = 1;
  }
  return w;
}

} // namespace

std::int64_t keys_seen(const Shape& s) {
  return s.last_key(s.query_count() - 1) - s.first_key(0) + 1;
}

double StageWork::tiled_reads(std::int64_t tile_rows, std::int64_t tile_cols, double tiles) const {
  const double tr = d(tile_rows), tc = d(tile_cols);
  return tiles * (read_per_element * tr * tc + read_per_row * tr + read_per_col * tc + read_per_tile);
}

double weight_elements(const Shape& s) {
  const Counts c = count(s);
  return d(c.params.wqkv) + d(c.params.wo);
}

double kv_cache_elements(const Shape& s) { return d(count(s).memory.kv_cache_elements); }

std::vector<StageWork> stage_work(const Shape& s, bool fused) {
  const AttentionProgram program = attention_program(s, fused);
  std::vector<StageWork> out;
  for (const StageSpec& stage : program.stages) out.push_back(work_of(stage, s, program.symbols));
  return out;
}

} // namespace abh
