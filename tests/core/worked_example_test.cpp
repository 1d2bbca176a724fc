#include <cctype>
#include <cstdint>
#include <map>
#include <utility>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "core/naive_attention.hpp"
#include "core/values.hpp"
#include "test_support.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

TEST(WorkedExample, ScoreCountsMatchTheHandDrawnExample) {
  const Shape multi = worked_example();
  const Shape single = single_head_of(multi);
  EXPECT_EQ(count(single)[Stage::scores].dot_products, 1600);
  EXPECT_EQ(count(multi)[Stage::scores].dot_products, 4800);
  EXPECT_EQ(count(single)[Stage::scores].multiplies, 57600);
  EXPECT_EQ(count(multi)[Stage::scores].multiplies, 57600);
}

TEST(WorkedExample, IsTheDesignDefault) {
  const Shape s = worked_example();
  EXPECT_EQ(s.seq, 40);
  EXPECT_EQ(s.d_model, 36);
  EXPECT_EQ(s.heads, 3);
  EXPECT_EQ(s.head_dim, 12);
  EXPECT_EQ(s.kv_heads, 3);
  EXPECT_FALSE(s.causal);
  EXPECT_EQ(s.attention_width(), 36);
  EXPECT_EQ(s.wqkv_rows(), 108);
  EXPECT_EQ(s.scored_pairs(), 1600);
  EXPECT_EQ(s, Shape{});
  EXPECT_EQ(describe(s), "n=40 d=36 H=3 dh=12");
  Shape causal = s;
  causal.causal = true;
  EXPECT_EQ(causal.scored_pairs(), 820);
  EXPECT_EQ(describe(causal), "n=40 d=36 H=3 dh=12 causal");
  Shape mqa = s;
  mqa.kv_heads = 1;
  EXPECT_EQ(describe(mqa), "n=40 d=36 H=3 dh=12 Hkv=1");
}

// DESIGN.md: "softmax work, scaling and score memory grow with H, while
// matmul multiplies do not" (for MHA, where Wqkv has the same rows).
TEST(WorkedExample, WhatGrowsWithHeadsAndWhatDoesNot) {
  const Counts multi = count(worked_example());
  const Counts single = count(single_head_of(worked_example()));
  for (Stage stage : {Stage::projection, Stage::scores, Stage::weighted_sum, Stage::output})
    EXPECT_EQ(multi[stage].multiplies, single[stage].multiplies) << stage_key(stage);
  EXPECT_EQ(multi[Stage::projection].multiplies, 108 * 36 * 40);
  EXPECT_EQ(multi[Stage::weighted_sum].multiplies, 36 * 1600);
  EXPECT_EQ(multi[Stage::output].multiplies, 36 * 36 * 40);
  EXPECT_EQ(multi.params.wqkv, single.params.wqkv);
  EXPECT_EQ(multi.params.wo, single.params.wo);
  EXPECT_EQ(multi.params.wqkv, 108 * 36);

  EXPECT_EQ(single[Stage::scale].multiplies, 1600);
  EXPECT_EQ(multi[Stage::scale].multiplies, 4800);
  EXPECT_EQ(single[Stage::softmax].exps, 1600);
  EXPECT_EQ(multi[Stage::softmax].exps, 4800);
  EXPECT_EQ(multi[Stage::softmax].divides, 4800);
  EXPECT_EQ(multi[Stage::softmax].adds, 3 * (1600 - 40));
  EXPECT_EQ(single.memory.scores_elements, 1600);
  EXPECT_EQ(multi.memory.scores_elements, 4800);
  EXPECT_EQ(multi.memory.kv_cache_elements, 2 * 3 * 12 * 40);
  EXPECT_EQ(single.memory.kv_cache_elements, 2 * 1 * 36 * 40);
  EXPECT_GT(multi.totals.flops, single.totals.flops);
  EXPECT_EQ(multi.totals.matmul_multiplies, single.totals.matmul_multiplies);
  EXPECT_EQ(multi.totals.matmul_multiplies, (108 * 36 + 36 * 36) * 40 + 2 * 36 * 1600);
}

// matmul multiplies are the same for one head and H heads of the same width
// when every head has its own k and v (MHA). With shared kv heads (GQA, MQA)
// the multi-head Wqkv has fewer rows than the single head's 3·da, so fewer.
TEST(WorkedExample, MatmulMultipliesSameForMhaFewerForSharedKv) {
  for (std::int64_t kv : {3, 1}) {
    Shape shape = worked_example();
    shape.kv_heads = kv;
    const Counts multi = count(shape), single = count(single_head_of(shape));
    if (kv == 3) {
      EXPECT_EQ(multi.totals.matmul_multiplies, single.totals.matmul_multiplies);
    } else {
      EXPECT_LT(multi.totals.matmul_multiplies, single.totals.matmul_multiplies);
    }
    EXPECT_EQ(multi[Stage::scores].multiplies, single[Stage::scores].multiplies);
    EXPECT_EQ(multi[Stage::weighted_sum].multiplies, single[Stage::weighted_sum].multiplies);
  }
}

const CountFormula* find(const std::vector<CountFormula>& formulas, const std::string& label) {
  for (const CountFormula& f : formulas)
    if (f.label == label) return &f;
  return nullptr;
}

TEST(WorkedExample, ExplainScoresFormulas) {
  const std::vector<CountFormula> multi = explain(worked_example(), Stage::scores);
  const CountFormula* dots = find(multi, "dot products");
  const CountFormula* muls = find(multi, "multiplies");
  const CountFormula* adds = find(multi, "adds");
  ASSERT_NE(dots, nullptr);
  ASSERT_NE(muls, nullptr);
  ASSERT_NE(adds, nullptr);
  EXPECT_EQ(dots->symbols, "H × n²");
  EXPECT_EQ(dots->substituted, "3 × 40²");
  EXPECT_EQ(dots->value, 4800);
  EXPECT_EQ(muls->symbols, "H × n² × dh");
  EXPECT_EQ(muls->substituted, "3 × 40² × 12");
  EXPECT_EQ(muls->value, 57600);
  EXPECT_EQ(adds->substituted, "3 × 40² × 11");
  EXPECT_EQ(adds->value, 52800);

  const std::vector<CountFormula> single = explain(single_head_of(worked_example()), Stage::scores);
  const CountFormula* single_dots = find(single, "dot products");
  const CountFormula* single_muls = find(single, "multiplies");
  ASSERT_NE(single_dots, nullptr);
  ASSERT_NE(single_muls, nullptr);
  EXPECT_EQ(single_dots->substituted, "1 × 40²");
  EXPECT_EQ(single_dots->value, 1600);
  EXPECT_EQ(single_muls->substituted, "1 × 40² × 36");
  EXPECT_EQ(single_muls->value, 57600);

  // Causal: P = n(n+1)/2 = 820 pairs per head.
  Shape causal = worked_example();
  causal.causal = true;
  const std::vector<CountFormula> causal_scores = explain(causal, Stage::scores);
  const CountFormula* causal_muls = find(causal_scores, "multiplies");
  ASSERT_NE(causal_muls, nullptr);
  EXPECT_EQ(causal_muls->symbols, "H × n(n+1)/2 × dh");
  EXPECT_EQ(causal_muls->substituted, "3 × 40·41/2 × 12");
  EXPECT_EQ(causal_muls->value, 3 * 820 * 12);
}

TEST(WorkedExample, ExplainSoftmaxAndProjection) {
  const std::vector<CountFormula> softmax = explain(worked_example(), Stage::softmax);
  ASSERT_EQ(softmax.size(), 3u);
  EXPECT_EQ(softmax[0].label, "adds");
  EXPECT_EQ(softmax[0].substituted, "3 × 1,560");
  EXPECT_EQ(softmax[0].value, 4680);
  EXPECT_EQ(softmax[1].label, "exps");
  EXPECT_EQ(softmax[1].value, 4800);
  EXPECT_EQ(softmax[2].label, "divides");
  EXPECT_EQ(softmax[2].value, 4800);
  const std::vector<CountFormula> projection = explain(worked_example(), Stage::projection);
  const CountFormula* muls = find(projection, "multiplies");
  ASSERT_NE(muls, nullptr);
  EXPECT_EQ(muls->substituted, "108 × 36 × 40");
  EXPECT_EQ(muls->value, 155520);
  const std::vector<CountFormula> scale = explain(worked_example(), Stage::scale);
  ASSERT_EQ(scale.size(), 1u);
  EXPECT_EQ(scale[0].label, "multiplies");
  EXPECT_EQ(scale[0].value, 4800);
}

// The value of one substituted factor: "1,600", "40²" or "40·41/2".
std::int64_t evaluate_factor(const std::string& text) {
  std::size_t i = 0;
  auto number = [&] {
    std::string digits;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == ',' ||
                               (digits.empty() && text[i] == '-'))) {
      if (text[i] != ',') digits += text[i];
      ++i;
    }
    if (digits.empty()) throw std::runtime_error("no number at " + std::to_string(i) + " in " + text);
    return std::stoll(digits);
  };
  std::int64_t value = number();
  const std::string squared = "²", times = "·";
  while (i < text.size()) {
    if (text.compare(i, squared.size(), squared) == 0) {
      i += squared.size();
      value *= value;
    } else if (text.compare(i, times.size(), times) == 0) {
      i += times.size();
      value *= number();
    } else if (text[i] == '/') {
      ++i;
      value /= number();
    } else {
      throw std::runtime_error("unexpected text in factor " + text);
    }
  }
  return value;
}

// The value of a symbolic factor as DESIGN.md defines it, from the shape's
// fields alone: "n", "(da+2·Hkv·dh)", "n(n+1)/2", "(n² − n)", ...
std::int64_t evaluate_symbol(const std::string& text, const Shape& s) {
  const std::int64_t n = s.seq, d = s.d_model, H = s.heads, dh = s.head_dim, Hkv = s.kv_heads;
  const std::int64_t da = H * dh;
  const std::map<std::string, std::int64_t> meaning{
      {"n", n},          {"d", d},
      {"H", H},          {"dh", dh},
      {"Hkv", Hkv},      {"da", da},
      {"(da+2·Hkv·dh)", da + 2 * Hkv * dh},
      {"n²", n * n},     {"n(n+1)/2", n * (n + 1) / 2},
      {"(n² − n)", n * n - n},
      {"(n(n+1)/2 − n)", n * (n + 1) / 2 - n},
      {"(d−1)", d - 1},  {"(dh−1)", dh - 1},
      {"(da−1)", da - 1}};
  const auto it = meaning.find(text);
  if (it == meaning.end()) throw std::runtime_error("unknown symbol " + text);
  return it->second;
}

// "a × b × c" split at " × ", each part mapped by `value`, multiplied.
template <typename Value>
std::int64_t multiply_out(const std::string& text, Value value) {
  const std::string sep = " × ";
  std::int64_t product = 1;
  for (std::size_t start = 0;;) {
    const std::size_t end = text.find(sep, start);
    product *= value(text.substr(start, end == std::string::npos ? end : end - start));
    if (end == std::string::npos) return product;
    start = end + sep.size();
  }
}

// For every case of the table and every stage, explain() has one formula per
// operation the brute-force reference performs, in table order, and both its
// symbolic text (read with DESIGN.md's meaning of each symbol) and its
// substituted numbers, multiplied out here, give the count the reference
// performed.
TEST(WorkedExample, ExplainedFormulasMultiplyOutToTheReferenceCounts) {
  const std::vector<std::string> labels{"dot products", "multiplies", "adds", "exps", "divides"};
  for (const test::ShapeCase& c : test::small_cases()) {
    SCOPED_TRACE(c.name);
    const Shape& shape = c.shape;
    const NaiveAttention naive = naive_attention(shape, make_inputs(shape, ValueMode::gaussian, 3));
    for (Stage stage : all_stages) {
      SCOPED_TRACE(std::string(stage_key(stage)));
      const StageCounts& performed = naive.performed[static_cast<std::size_t>(stage)];
      const std::vector<CountFormula> formulas = explain(shape, stage);
      std::size_t next = 0;
      for (std::size_t k = 0; k < labels.size(); ++k) {
        const std::int64_t expected = performed[all_operations[k]];
        if (next < formulas.size() && formulas[next].label == labels[k]) {
          const CountFormula& f = formulas[next++];
          EXPECT_EQ(multiply_out(f.substituted, evaluate_factor), expected)
              << labels[k] << " = " << f.substituted;
          EXPECT_EQ(multiply_out(f.symbols, [&](const std::string& t) { return evaluate_symbol(t, shape); }),
                    expected)
              << labels[k] << " = " << f.symbols;
          EXPECT_EQ(f.value, expected) << labels[k];
        } else {
          EXPECT_EQ(expected, 0) << "no formula for the " << labels[k] << " the reference performs";
        }
      }
      EXPECT_EQ(next, formulas.size()) << "formulas out of table order or with unknown labels";
    }
  }
}

// The worked example's symbolic formulas read as DESIGN.md's "Counts" table,
// cell by cell (the table writes "·" for "×" and P for the pair count).
TEST(WorkedExample, SymbolicFormulasAreTheDesignTable) {
  struct Row {
    Stage stage;
    std::vector<std::pair<std::string, std::string>> cells; // label, DESIGN.md text
  };
  const std::vector<Row> design{
      {Stage::projection,
       {{"dot products", "(da+2·Hkv·dh)·n"},
        {"multiplies", "(da+2·Hkv·dh)·d·n"},
        {"adds", "(da+2·Hkv·dh)·(d−1)·n"}}},
      {Stage::scores, {{"dot products", "H·P"}, {"multiplies", "H·P·dh"}, {"adds", "H·P·(dh−1)"}}},
      {Stage::scale, {{"multiplies", "H·P"}}},
      {Stage::softmax, {{"adds", "H·(P − n)"}, {"exps", "H·P"}, {"divides", "H·P"}}},
      {Stage::weighted_sum,
       {{"dot products", "H·dh·n"}, {"multiplies", "H·dh·P"}, {"adds", "H·dh·(P − n)"}}},
      {Stage::output, {{"dot products", "d·n"}, {"multiplies", "d·da·n"}, {"adds", "d·(da−1)·n"}}},
  };
  for (bool causal : {false, true}) {
    Shape shape = worked_example();
    shape.causal = causal;
    SCOPED_TRACE(causal ? "causal" : "full");
    const std::string pairs = causal ? "n(n+1)/2" : "n²";
    auto as_design = [&](std::string text) {
      const std::pair<std::string, std::string> rewrites[] = {
          {" × ", "·"}, {"(" + pairs + " − n)", "(P − n)"}, {pairs, "P"}};
      for (const auto& [from, to] : rewrites)
        for (std::size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size()))
          text.replace(p, from.size(), to);
      return text;
    };
    ASSERT_EQ(design.size(), all_stages.size());
    for (const Row& row : design) {
      const std::vector<CountFormula> formulas = explain(shape, row.stage);
      ASSERT_EQ(formulas.size(), row.cells.size()) << stage_key(row.stage);
      for (std::size_t i = 0; i < formulas.size(); ++i) {
        EXPECT_EQ(formulas[i].label, row.cells[i].first) << stage_key(row.stage);
        EXPECT_EQ(as_design(formulas[i].symbols), row.cells[i].second)
            << stage_key(row.stage) << " " << formulas[i].label << ": " << formulas[i].symbols;
      }
    }
  }
}

} // namespace
} // namespace abh
