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
  case Stage::latent_projection: return "latent_projection";
  case Stage::query_up: return "query_up";
  case Stage::kv_up: return "kv_up";
  case Stage::query_absorb: return "query_absorb";
  case Stage::latent_scores: return "latent_scores";
  case Stage::latent_weighted_sum: return "latent_weighted_sum";
  case Stage::value_up: return "value_up";
  case Stage::latent_attention: return "latent_attention";
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
  case Stage::latent_projection: return "Down-projection Wd·X";
  case Stage::query_up: return "Query up-projection Wuq·c_q";
  case Stage::kv_up: return "K, V up-projection Wukv·c";
  case Stage::query_absorb: return "Absorbed query Wukᵀ·q";
  case Stage::latent_scores: return "Latent scores [c; k_r]ᵀq";
  case Stage::latent_weighted_sum: return "Latent weighted sum c·A";
  case Stage::value_up: return "Value up-projection Wuv·u";
  case Stage::latent_attention: return "Fused latent attention";
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

namespace {
std::int64_t minus_one(std::int64_t x) { return x > 0 ? x - 1 : 0; }
} // namespace

SymbolValues symbol_values(const Shape& s) {
  SymbolValues v;
  auto set = [&](Symbol sym, std::int64_t value) { v.values[static_cast<std::size_t>(sym)] = value; };
  const std::int64_t nq = s.query_count(), dv = s.value_dim(), da = s.value_width();
  set(Symbol::n, s.seq);
  set(Symbol::d, s.d_model);
  set(Symbol::H, s.heads);
  set(Symbol::dh, s.head_dim);
  set(Symbol::Hkv, s.kv_heads);
  set(Symbol::da, da);
  set(Symbol::qkv_rows, s.wqkv_rows());
  set(Symbol::P, s.scored_pairs());
  set(Symbol::P_minus_nq, checked_sub(s.scored_pairs(), nq));
  set(Symbol::d_minus_1, s.d_model - 1);
  set(Symbol::dh_minus_1, s.head_dim - 1);
  set(Symbol::da_minus_1, da - 1);
  set(Symbol::nq, nq);
  set(Symbol::B, s.batch);
  set(Symbol::dv, dv);
  const MlaRanks& m = s.mla;
  const std::int64_t dn = s.head_dim - m.rope_dim, dcr = checked_add(m.kv_rank, m.rope_dim);
  set(Symbol::dq, m.q_rank);
  set(Symbol::dc, m.kv_rank);
  set(Symbol::dr, m.rope_dim);
  set(Symbol::dn, dn);
  set(Symbol::dcr, s.is_mla() ? dcr : 0);
  set(Symbol::q_rows, s.attention_width());
  set(Symbol::down_rows,
      s.is_mla() ? checked_add(m.q_rank > 0 ? m.q_rank : s.attention_width(), dcr) : 0);
  set(Symbol::kv_up_rows, checked_mul(s.heads, checked_add(dn, dv)));
  set(Symbol::dq_minus_1, minus_one(m.q_rank));
  set(Symbol::dc_minus_1, minus_one(m.kv_rank));
  set(Symbol::dn_minus_1, minus_one(dn));
  set(Symbol::dcr_minus_1, s.is_mla() ? minus_one(dcr) : 0);
  return v;
}

namespace {

bool plain_pairs(const Shape& s) { return s.window == 0 && s.is_prefill(); }

std::string pairs_text(const Shape& s) {
  if (s.window == 0 && !s.causal) return s.is_prefill() ? "n²" : "n_q·n";
  if (plain_pairs(s)) return "n(n+1)/2";
  return "P";
}

} // namespace

std::string symbol_text(Symbol sym, const Shape& shape) {
  const bool same_v = shape.value_dim() == shape.head_dim;
  switch (sym) {
  case Symbol::n: return "n";
  case Symbol::d: return "d";
  case Symbol::H: return "H";
  case Symbol::dh: return "dh";
  case Symbol::Hkv: return "Hkv";
  case Symbol::da: return "da";
  case Symbol::qkv_rows: return same_v ? "(da+2·Hkv·dh)" : "(H·dh+Hkv·(dh+dv))";
  case Symbol::P: return pairs_text(shape);
  case Symbol::P_minus_nq: {
    const std::string p = pairs_text(shape);
    return "(" + p + " − " + (shape.is_prefill() ? "n" : "n_q") + ")";
  }
  case Symbol::d_minus_1: return "(d−1)";
  case Symbol::dh_minus_1: return "(dh−1)";
  case Symbol::da_minus_1: return "(da−1)";
  case Symbol::nq: return shape.is_prefill() ? "n" : "n_q";
  case Symbol::B: return "B";
  case Symbol::dv: return same_v ? "dh" : "dv";
  case Symbol::dq: return "dq";
  case Symbol::dc: return "dc";
  case Symbol::dr: return "dr";
  case Symbol::dn: return "dn";
  case Symbol::dcr: return "(dc+dr)";
  case Symbol::q_rows: return "H·dh";
  case Symbol::down_rows: return shape.mla.q_rank > 0 ? "(dq+dc+dr)" : "(H·dh+dc+dr)";
  case Symbol::kv_up_rows: return "H·(dn+dv)";
  case Symbol::dq_minus_1: return "(dq−1)";
  case Symbol::dc_minus_1: return "(dc−1)";
  case Symbol::dn_minus_1: return "(dn−1)";
  case Symbol::dcr_minus_1: return "(dc+dr−1)";
  }
  return "?";
}

std::string symbol_value_text(Symbol sym, const Shape& shape) {
  const std::string n = with_separators(shape.seq);
  if (sym == Symbol::P && plain_pairs(shape) && shape.window == 0)
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

// A weight with one block per query head (MLA's Wuk_h, Wuv_h).
MatrixRef given_per_head(std::string_view name, Symbol rows, Symbol cols, bool transposed = false) {
  return MatrixRef{name, rows, cols, HeadScope::query_head, transposed, Product{{rows, cols}}, true};
}

// A matmul of B·`outputs` dot products of length `length`, each summed with
// length − 1 adds: every count is per sequence, times the batch B.
std::vector<CountTerm> dot_counts(std::vector<Symbol> outputs, std::vector<Symbol> multiplies,
                                  std::vector<Symbol> adds) {
  for (auto* factors : {&outputs, &multiplies, &adds}) factors->insert(factors->begin(), B);
  return {{Op::dot_products, {std::move(outputs)}},
          {Op::multiplies, {std::move(multiplies)}},
          {Op::adds, {std::move(adds)}}};
}

const MatrixRef q_h = matrix("q", dh, nq, HeadScope::query_head, {dh, nq});
const MatrixRef k_h = matrix("k", dh, n, HeadScope::kv_head, {dh, n}, true);
const MatrixRef v_h = matrix("v", dv, n, HeadScope::kv_head, {dv, n});
const MatrixRef S = matrix("S", n, nq, HeadScope::query_head, {P});
const MatrixRef A = matrix("A", n, nq, HeadScope::query_head, {P});
const MatrixRef Z_h = matrix("Z", dv, nq, HeadScope::query_head, {dv, nq});
// MLA: the cached latent and the shared RoPE key are one matrix per sequence.
const MatrixRef c_cache = matrix("c", dc, n, HeadScope::none, {dc, n});
const MatrixRef ck_cache = matrix("ck", dcr, n, HeadScope::none, {dcr, n}, true);
const MatrixRef u_h = matrix("u", dc, nq, HeadScope::query_head, {dc, nq});

StageSpec unfused_spec(Stage id) {
  switch (id) {
  case Stage::projection:
    return {id, StageKind::matmul,
            {given("Wqkv", qkv_rows, d), given("X", d, nq)},
            matrix("QKV", qkv_rows, nq, HeadScope::none, {qkv_rows, nq}), d, false,
            dot_counts({qkv_rows, nq}, {qkv_rows, d, nq}, {qkv_rows, d_minus_1, nq}), {}};
  case Stage::scores:
    return {id, StageKind::matmul, {k_h, q_h}, S, dh, true,
            dot_counts({H, P}, {H, P, dh}, {H, P, dh_minus_1}), {}};
  case Stage::scale:
    return {id, StageKind::elementwise, {S}, S, std::nullopt, true,
            {{Op::multiplies, {{B, H, P}}}}, {}};
  case Stage::softmax:
    return {id, StageKind::reduction, {S}, A, std::nullopt, true,
            {{Op::adds, {{B, H, P_minus_nq}}}, {Op::exps, {{B, H, P}}}, {Op::divides, {{B, H, P}}}},
            {}};
  case Stage::weighted_sum:
    return {id, StageKind::matmul, {v_h, A}, Z_h, n, false,
            dot_counts({H, dv, nq}, {H, dv, P}, {H, dv, P_minus_nq}), {}};
  case Stage::output:
    return {id, StageKind::matmul,
            {given("Wo", d, da), matrix("Z", da, nq, HeadScope::none, {da, nq})},
            matrix("O", d, nq, HeadScope::none, {d, nq}), da, false,
            dot_counts({d, nq}, {d, da, nq}, {d, da_minus_1, nq}), {}};
  case Stage::latent_projection:
    return {id, StageKind::matmul,
            {given("Wd", down_rows, d), given("X", d, nq)},
            matrix("C", down_rows, nq, HeadScope::none, {down_rows, nq}), d, false,
            dot_counts({down_rows, nq}, {down_rows, d, nq}, {down_rows, d_minus_1, nq}), {}};
  case Stage::query_up:
    return {id, StageKind::matmul,
            {given("Wuq", q_rows, dq), matrix("cq", dq, nq, HeadScope::none, {dq, nq})},
            matrix("Q", q_rows, nq, HeadScope::none, {q_rows, nq}), dq, false,
            dot_counts({q_rows, nq}, {q_rows, dq, nq}, {q_rows, dq_minus_1, nq}), {}};
  case Stage::kv_up:
    // Every cached key's k_nope and v are rebuilt from the latent, each step.
    return {id, StageKind::matmul, {given("Wukv", kv_up_rows, dc), c_cache},
            matrix("KV", kv_up_rows, n, HeadScope::none, {kv_up_rows, n}), dc, false,
            dot_counts({kv_up_rows, n}, {kv_up_rows, dc, n}, {kv_up_rows, dc_minus_1, n}), {}};
  case Stage::query_absorb:
    return {id, StageKind::matmul,
            {given_per_head("Wuk", dn, dc, true), matrix("q", dn, nq, HeadScope::query_head, {dn, nq})},
            matrix("qc", dc, nq, HeadScope::query_head, {dc, nq}), dn, false,
            dot_counts({H, dc, nq}, {H, dc, dn, nq}, {H, dc, dn_minus_1, nq}), {}};
  case Stage::latent_scores:
    return {id, StageKind::matmul,
            {ck_cache, matrix("qa", dcr, nq, HeadScope::query_head, {dcr, nq})}, S, dcr, true,
            dot_counts({H, P}, {H, P, dcr}, {H, P, dcr_minus_1}), {}};
  case Stage::latent_weighted_sum:
    return {id, StageKind::matmul, {c_cache, A}, u_h, n, false,
            dot_counts({H, dc, nq}, {H, dc, P}, {H, dc, P_minus_nq}), {}};
  case Stage::value_up:
    return {id, StageKind::matmul, {given_per_head("Wuv", dv, dc), u_h}, Z_h, dc, false,
            dot_counts({H, dv, nq}, {H, dv, dc, nq}, {H, dv, dc_minus_1, nq}), {}};
  case Stage::attention:
  case Stage::latent_attention: break;
  }
  return {};
}

// Fused attention: the counts of its parts, summed term by term.
StageSpec fused_spec(Stage id) {
  if (id == Stage::latent_attention) {
    StageSpec fused{id, StageKind::fused,
                    {matrix("qa", dcr, nq, HeadScope::query_head, {dcr, nq}), ck_cache, c_cache},
                    u_h, n, true, {},
                    {Stage::latent_scores, Stage::scale, Stage::softmax, Stage::latent_weighted_sum}};
    for (Stage part : fused.parts)
      for (const CountTerm& t : unfused_spec(part).counts) fused.counts.push_back(t);
    return fused;
  }
  StageSpec fused{Stage::attention, StageKind::fused, {q_h, k_h, v_h}, Z_h, n, true, {},
                  {Stage::scores, Stage::scale, Stage::softmax, Stage::weighted_sum}};
  for (Stage part : fused.parts)
    for (const CountTerm& t : unfused_spec(part).counts) fused.counts.push_back(t);
  return fused;
}

} // namespace

StageSpec stage_spec(Stage id) {
  return id == Stage::attention || id == Stage::latent_attention ? fused_spec(id)
                                                                 : unfused_spec(id);
}

const StageSpec* AttentionProgram::find(Stage id) const {
  for (const StageSpec& s : stages)
    if (s.id == id) return &s;
  return nullptr;
}

std::vector<Stage> program_stages(const Shape& shape, bool fused) {
  using enum Stage;
  const bool mla = shape.is_mla(), absorbed = mla && shape.mla.form == MlaForm::absorbed;
  std::vector<Stage> stages;
  stages.reserve(9);
  stages.push_back(mla ? latent_projection : projection);
  if (mla && shape.mla.q_rank > 0) stages.push_back(query_up);
  if (mla) stages.push_back(absorbed ? query_absorb : kv_up);
  if (fused) {
    stages.push_back(absorbed ? latent_attention : attention);
  } else {
    stages.push_back(absorbed ? latent_scores : scores);
    stages.push_back(scale);
    stages.push_back(softmax);
    stages.push_back(absorbed ? latent_weighted_sum : weighted_sum);
  }
  if (absorbed) stages.push_back(value_up);
  stages.push_back(output);
  return stages;
}

AttentionProgram attention_program(const Shape& shape, bool fused) {
  AttentionProgram p{shape, symbol_values(shape), {}};
  for (Stage id : program_stages(shape, fused)) p.stages.push_back(stage_spec(id));
  return p;
}

} // namespace abh
