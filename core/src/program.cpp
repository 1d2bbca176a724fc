#include "core/program.hpp"

#include "core/checked_int.hpp"
#include "core/number_format.hpp"

namespace abh {

// [SECTION] names

std::string_view stage_key(Stage stage) {
  switch (stage) {
  case Stage::projection: return "projection";
  case Stage::scores: return "scores";
  case Stage::scale: return "scale";
  case Stage::softmax: return "softmax";
  case Stage::weighted_sum: return "weighted_sum";
  case Stage::output: return "output";
  case Stage::attention: return "attention";
  }
  return "?";
}

std::string_view stage_title(Stage stage) {
  switch (stage) {
  case Stage::projection: return "Projection Wqkv·X";
  case Stage::scores: return "Scores kᵀq";
  case Stage::scale: return "Scale 1/√dh";
  case Stage::softmax: return "Softmax";
  case Stage::weighted_sum: return "Weighted sum v·A";
  case Stage::output: return "Output Wo·Z";
  case Stage::attention: return "Fused attention";
  }
  return "?";
}

std::string_view operation_key(Operation op) {
  switch (op) {
  case Operation::dot_products: return "dot_products";
  case Operation::multiplies: return "multiplies";
  case Operation::adds: return "adds";
  case Operation::exps: return "exps";
  case Operation::divides: return "divides";
  }
  return "?";
}

std::string_view operation_name(Operation op) {
  switch (op) {
  case Operation::dot_products: return "dot products";
  case Operation::multiplies: return "multiplies";
  case Operation::adds: return "adds";
  case Operation::exps: return "exps";
  case Operation::divides: return "divides";
  }
  return "?";
}

// [SECTION] symbols

SymbolValues symbol_values(const Shape& s) {
  SymbolValues v;
  auto set = [&](Symbol sym, std::int64_t value) { v.values[static_cast<std::size_t>(sym)] = value; };
  set(Symbol::n, s.seq);
  set(Symbol::d, s.d_model);
  set(Symbol::H, s.heads);
  set(Symbol::dh, s.head_dim);
  set(Symbol::Hkv, s.kv_heads);
  set(Symbol::da, s.attention_width());
  set(Symbol::qkv_rows, s.wqkv_rows());
  set(Symbol::P, s.scored_pairs());
  set(Symbol::P_minus_n, checked_sub(s.scored_pairs(), s.seq));
  set(Symbol::d_minus_1, s.d_model - 1);
  set(Symbol::dh_minus_1, s.head_dim - 1);
  set(Symbol::da_minus_1, s.attention_width() - 1);
  return v;
}

std::string symbol_text(Symbol sym, const Shape& shape) {
  switch (sym) {
  case Symbol::n: return "n";
  case Symbol::d: return "d";
  case Symbol::H: return "H";
  case Symbol::dh: return "dh";
  case Symbol::Hkv: return "Hkv";
  case Symbol::da: return "da";
  case Symbol::qkv_rows: return "(da+2·Hkv·dh)";
  case Symbol::P: return shape.causal ? "n(n+1)/2" : "n²";
  case Symbol::P_minus_n: return shape.causal ? "(n(n+1)/2 − n)" : "(n² − n)";
  case Symbol::d_minus_1: return "(d−1)";
  case Symbol::dh_minus_1: return "(dh−1)";
  case Symbol::da_minus_1: return "(da−1)";
  }
  return "?";
}

std::string symbol_value_text(Symbol sym, const Shape& shape) {
  const std::string n = with_separators(shape.seq);
  if (sym == Symbol::P)
    return shape.causal ? n + "·" + with_separators(shape.seq + 1) + "/2" : n + "²";
  return with_separators(symbol_values(shape)[sym]);
}

std::int64_t Product::value(const SymbolValues& v) const {
  std::int64_t r = 1;
  for (Symbol s : factors) r = checked_mul(r, v[s]);
  return r;
}

// [SECTION] the stages

namespace {

using enum Symbol;
using Op = Operation;

MatrixRef matrix(std::string_view name, Symbol rows, Symbol cols, HeadScope scope,
                 std::vector<Symbol> elements, bool transposed = false) {
  return MatrixRef{name, rows, cols, scope, transposed, Product{std::move(elements)}, false};
}

MatrixRef given(std::string_view name, Symbol rows, Symbol cols) {
  return MatrixRef{name, rows, cols, HeadScope::none, false, Product{{rows, cols}}, true};
}

// A matmul of `outputs` dot products of length `length`, each summed with length − 1 adds.
std::vector<CountTerm> dot_counts(std::vector<Symbol> outputs, std::vector<Symbol> multiplies,
                                  std::vector<Symbol> adds) {
  return {{Op::dot_products, {std::move(outputs)}},
          {Op::multiplies, {std::move(multiplies)}},
          {Op::adds, {std::move(adds)}}};
}

const MatrixRef q_h = matrix("q", dh, n, HeadScope::query_head, {dh, n});
const MatrixRef k_h = matrix("k", dh, n, HeadScope::kv_head, {dh, n}, true);
const MatrixRef v_h = matrix("v", dh, n, HeadScope::kv_head, {dh, n});

StageSpec unfused_spec(Stage id) {
  const MatrixRef S = matrix("S", n, n, HeadScope::query_head, {P});
  const MatrixRef A = matrix("A", n, n, HeadScope::query_head, {P});
  switch (id) {
  case Stage::projection:
    return {id, StageKind::matmul,
            {given("Wqkv", qkv_rows, d), given("X", d, n)},
            matrix("QKV", qkv_rows, n, HeadScope::none, {qkv_rows, n}), d, false,
            dot_counts({qkv_rows, n}, {qkv_rows, d, n}, {qkv_rows, d_minus_1, n}), {}};
  case Stage::scores:
    return {id, StageKind::matmul, {k_h, q_h}, S, dh, true,
            dot_counts({H, P}, {H, P, dh}, {H, P, dh_minus_1}), {}};
  case Stage::scale:
    return {id, StageKind::elementwise, {S}, S, std::nullopt, true,
            {{Op::multiplies, {{H, P}}}}, {}};
  case Stage::softmax:
    return {id, StageKind::reduction, {S}, A, std::nullopt, true,
            {{Op::adds, {{H, P_minus_n}}}, {Op::exps, {{H, P}}}, {Op::divides, {{H, P}}}}, {}};
  case Stage::weighted_sum:
    return {id, StageKind::matmul, {v_h, A}, matrix("Z", dh, n, HeadScope::query_head, {dh, n}), n,
            false, dot_counts({H, dh, n}, {H, dh, P}, {H, dh, P_minus_n}), {}};
  case Stage::output:
    return {id, StageKind::matmul,
            {given("Wo", d, da), matrix("Z", da, n, HeadScope::none, {da, n})},
            matrix("O", d, n, HeadScope::none, {d, n}), da, false,
            dot_counts({d, n}, {d, da, n}, {d, da_minus_1, n}), {}};
  case Stage::attention: break;
  }
  return {};
}

// Fused attention: the counts of its parts, summed term by term.
StageSpec fused_spec() {
  StageSpec fused{Stage::attention, StageKind::fused, {q_h, k_h, v_h},
                  matrix("Z", dh, n, HeadScope::query_head, {dh, n}), n, true, {},
                  {Stage::scores, Stage::scale, Stage::softmax, Stage::weighted_sum}};
  for (Stage part : fused.parts)
    for (const CountTerm& t : unfused_spec(part).counts) fused.counts.push_back(t);
  return fused;
}

} // namespace

StageSpec stage_spec(Stage id) {
  return id == Stage::attention ? fused_spec() : unfused_spec(id);
}

const StageSpec* AttentionProgram::find(Stage id) const {
  for (const StageSpec& s : stages)
    if (s.id == id) return &s;
  return nullptr;
}

AttentionProgram attention_program(const Shape& shape, bool fused) {
  AttentionProgram p{shape, symbol_values(shape), {}};
  if (fused) {
    for (Stage id : {Stage::projection, Stage::attention, Stage::output})
      p.stages.push_back(stage_spec(id));
  } else {
    for (Stage id : all_stages) p.stages.push_back(stage_spec(id));
  }
  return p;
}

} // namespace abh
