#include "core/counts.hpp"

#include "core/checked_int.hpp"

namespace abh {

namespace {

template <typename Counts>
auto& field(Counts& c, Operation op) {
  switch (op) {
  case Operation::dot_products: return c.dot_products;
  case Operation::multiplies: return c.multiplies;
  case Operation::adds: return c.adds;
  case Operation::exps: return c.exps;
  case Operation::divides: return c.divides;
  }
  return c.dot_products;
}

} // namespace

std::int64_t& StageCounts::operator[](Operation op) { return field(*this, op); }
std::int64_t StageCounts::operator[](Operation op) const { return field(*this, op); }

StageCounts stage_counts(const StageSpec& stage, const SymbolValues& symbols) {
  StageCounts c;
  for (const CountTerm& t : stage.counts) c[t.op] = checked_add(c[t.op], t.product.value(symbols));
  return c;
}

std::vector<CountFormula> explain(const Shape& shape, Stage stage) {
  const SymbolValues symbols = symbol_values(shape);
  std::vector<CountFormula> out;
  for (const CountTerm& t : stage_spec(stage).counts) {
    CountFormula f{t.op, std::string(operation_name(t.op)), "", "", t.product.value(symbols)};
    for (Symbol s : t.product.factors) {
      if (s == Symbol::B && shape.batch == 1) continue; // one sequence: B is not written
      if (!f.symbols.empty()) {
        f.symbols += " × ";
        f.substituted += " × ";
      }
      f.symbols += symbol_text(s, shape);
      f.substituted += symbol_value_text(s, shape);
    }
    out.push_back(std::move(f));
  }
  return out;
}

Counts count(const Shape& shape) {
  const AttentionProgram program = attention_program(shape);
  const SymbolValues& v = program.symbols;
  Counts c;
  if (shape.is_mla()) {
    // Wd, Wuq (when queries are compressed), and Wuk with Wuv (H·(dn+dv)·dc).
    c.params.wqkv = checked_add(checked_mul(v[Symbol::down_rows], v[Symbol::d]),
                                checked_mul(v[Symbol::kv_up_rows], v[Symbol::dc]));
    c.params.wqkv = checked_add(c.params.wqkv, checked_mul(v[Symbol::q_rows], v[Symbol::dq]));
  } else {
    c.params.wqkv = checked_mul(v[Symbol::qkv_rows], v[Symbol::d]);
  }
  c.params.wo = checked_mul(v[Symbol::d], v[Symbol::da]);
  for (const StageSpec& stage : program.stages) {
    StageCounts& sc = c[stage.id] = stage_counts(stage, v);
    c.totals.multiplies = checked_add(c.totals.multiplies, sc.multiplies);
    c.totals.adds = checked_add(c.totals.adds, sc.adds);
    c.totals.exps = checked_add(c.totals.exps, sc.exps);
    c.totals.divides = checked_add(c.totals.divides, sc.divides);
    if (stage.kind == StageKind::matmul)
      c.totals.matmul_multiplies = checked_add(c.totals.matmul_multiplies, sc.multiplies);
  }
  for (Stage fused : {Stage::attention, Stage::latent_attention})
    if (attention_program(shape, true).find(fused))
      c[fused] = stage_counts(stage_spec(fused), v);
  c.totals.flops = checked_add(c.totals.multiplies, c.totals.adds);
  c.memory.scores_elements =
      checked_product(v[Symbol::B], v[Symbol::H], v[Symbol::nq], v[Symbol::n]);
  c.memory.kv_cache_per_token = shape.kv_cache_per_token();
  c.memory.kv_cache_elements =
      checked_product(v[Symbol::B], v[Symbol::n], c.memory.kv_cache_per_token);
  return c;
}

} // namespace abh
