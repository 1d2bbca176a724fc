#include "core/counts.hpp"

#include "core/checked_int.hpp"
#include "core/number_format.hpp"

namespace abh {

std::string_view stage_key(Stage stage) {
  switch (stage) {
  case Stage::projection: return "projection";
  case Stage::scores: return "scores";
  case Stage::scale: return "scale";
  case Stage::softmax: return "softmax";
  case Stage::weighted_sum: return "weighted_sum";
  case Stage::output: return "output";
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
  }
  return "?";
}

namespace {

// The symbols of DESIGN.md with this shape's values: the single source of
// every formula, so the counts and their explanations cannot disagree.
struct Symbols {
  std::int64_t n, d, H, dh, Hkv, da, rows, P;
  explicit Symbols(const Shape& s)
      : n(s.seq), d(s.d_model), H(s.heads), dh(s.head_dim), Hkv(s.kv_heads),
        da(checked_mul(s.heads, s.head_dim)),
        rows(checked_add(da, checked_product(2, s.kv_heads, s.head_dim))),
        P(s.scored_pairs()) {}
};

struct Term {
  std::string name;
  std::int64_t value;
  std::string text = ""; // how the value is written, when not just its digits
};

// A product of terms, with its symbolic and substituted spelling.
CountFormula product(const char* label, std::initializer_list<Term> terms) {
  CountFormula f{label, "", "", 1};
  for (const Term& t : terms) {
    if (!f.symbols.empty()) {
      f.symbols += " × ";
      f.substituted += " × ";
    }
    f.symbols += t.name;
    f.substituted += t.text.empty() ? with_separators(t.value) : t.text;
    f.value = checked_mul(f.value, t.value);
  }
  return f;
}

std::vector<CountFormula> formulas(const Shape& shape, Stage stage) {
  const Symbols s(shape);
  const std::int64_t d_minus_1 = s.d - 1, dh_minus_1 = s.dh - 1, da_minus_1 = s.da - 1;
  const std::int64_t P_minus_n = checked_sub(s.P, s.n);
  // P, the pairs each head scores, written as the teacher would: n² or n(n+1)/2.
  const std::string n_text = with_separators(s.n);
  const Term P = shape.causal ? Term{"n(n+1)/2", s.P, n_text + "·" + with_separators(s.n + 1) + "/2"}
                              : Term{"n²", s.P, n_text + "²"};
  const Term P_n = shape.causal ? Term{"(n(n+1)/2 − n)", P_minus_n}
                                : Term{"(n² − n)", P_minus_n};
  switch (stage) {
  case Stage::projection:
    return {product("dot products", {{"(da+2·Hkv·dh)", s.rows}, {"n", s.n}}),
            product("multiplies", {{"(da+2·Hkv·dh)", s.rows}, {"d", s.d}, {"n", s.n}}),
            product("adds", {{"(da+2·Hkv·dh)", s.rows}, {"(d−1)", d_minus_1}, {"n", s.n}})};
  case Stage::scores:
    return {product("dot products", {{"H", s.H}, P}),
            product("multiplies", {{"H", s.H}, P, {"dh", s.dh}}),
            product("adds", {{"H", s.H}, P, {"(dh−1)", dh_minus_1}})};
  case Stage::scale:
    return {product("multiplies", {{"H", s.H}, P})};
  case Stage::softmax:
    return {product("adds", {{"H", s.H}, P_n}),
            product("exps", {{"H", s.H}, P}),
            product("divides", {{"H", s.H}, P})};
  case Stage::weighted_sum:
    return {product("dot products", {{"H", s.H}, {"dh", s.dh}, {"n", s.n}}),
            product("multiplies", {{"H", s.H}, {"dh", s.dh}, P}),
            product("adds", {{"H", s.H}, {"dh", s.dh}, P_n})};
  case Stage::output:
    return {product("dot products", {{"d", s.d}, {"n", s.n}}),
            product("multiplies", {{"d", s.d}, {"da", s.da}, {"n", s.n}}),
            product("adds", {{"d", s.d}, {"(da−1)", da_minus_1}, {"n", s.n}})};
  }
  return {};
}

void assign(StageCounts& c, const CountFormula& f) {
  const std::string_view label = f.label;
  if (label == "dot products") c.dot_products = f.value;
  else if (label == "multiplies") c.multiplies = f.value;
  else if (label == "adds") c.adds = f.value;
  else if (label == "exps") c.exps = f.value;
  else if (label == "divides") c.divides = f.value;
}

} // namespace

std::vector<CountFormula> explain(const Shape& shape, Stage stage) {
  return formulas(shape, stage);
}

Counts count(const Shape& shape) {
  const Symbols s(shape);
  Counts c;
  c.params.wqkv = checked_mul(s.rows, s.d);
  c.params.wo = checked_mul(s.d, s.da);
  for (Stage stage : all_stages) {
    StageCounts& sc = c[stage];
    for (const CountFormula& f : formulas(shape, stage)) assign(sc, f);
    c.totals.multiplies = checked_add(c.totals.multiplies, sc.multiplies);
    c.totals.adds = checked_add(c.totals.adds, sc.adds);
    c.totals.exps = checked_add(c.totals.exps, sc.exps);
    c.totals.divides = checked_add(c.totals.divides, sc.divides);
  }
  c.totals.flops = checked_add(c.totals.multiplies, c.totals.adds);
  c.totals.matmul_multiplies = checked_sub(c.totals.multiplies, c[Stage::scale].multiplies);
  c.memory.scores_elements = checked_product(s.H, s.n, s.n);
  c.memory.kv_cache_elements = checked_product(2, s.Hkv, s.dh, s.n);
  return c;
}

} // namespace abh
