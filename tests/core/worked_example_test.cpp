#include <cctype>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "test_support.hpp"

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

// For any shape: explain() lists each stage's counts in table order, its
// values are count()'s, and its substituted factors multiply to the value.
TEST(WorkedExample, ExplainAgreesWithCountsForRandomShapes) {
  const std::vector<std::string> order{"dot products", "multiplies", "adds", "exps", "divides"};
  for (const Shape& shape : test::random_shapes(60, 123, test::ShapeLimits{50, 64, 8, 16})) {
    SCOPED_TRACE(test::shape_text(shape));
    const Counts c = count(shape);
    for (Stage stage : all_stages) {
      const StageCounts& sc = c[stage];
      StageCounts from_formulas;
      std::size_t last = 0;
      for (const CountFormula& f : explain(shape, stage)) {
        std::size_t position = 0;
        while (position < order.size() && order[position] != f.label) ++position;
        ASSERT_LT(position, order.size()) << "unknown label " << f.label;
        EXPECT_GE(position, last) << "out of table order: " << f.label;
        last = position;
        if (f.label == "dot products") from_formulas.dot_products = f.value;
        if (f.label == "multiplies") from_formulas.multiplies = f.value;
        if (f.label == "adds") from_formulas.adds = f.value;
        if (f.label == "exps") from_formulas.exps = f.value;
        if (f.label == "divides") from_formulas.divides = f.value;
        // Substituted factors, " × "-separated, multiply to the value.
        std::int64_t product = 1;
        std::size_t start = 0, symbols = 1;
        const std::string sep = " × ";
        while (true) {
          const std::size_t end = f.substituted.find(sep, start);
          product *= evaluate_factor(f.substituted.substr(start, end - start));
          if (end == std::string::npos) break;
          start = end + sep.size();
        }
        for (std::size_t p = f.symbols.find(sep); p != std::string::npos;
             p = f.symbols.find(sep, p + 1))
          ++symbols;
        EXPECT_EQ(product, f.value) << f.substituted;
        std::size_t factors = 1;
        for (std::size_t p = f.substituted.find(sep); p != std::string::npos;
             p = f.substituted.find(sep, p + 1))
          ++factors;
        EXPECT_EQ(symbols, factors) << f.symbols << " vs " << f.substituted;
      }
      EXPECT_TRUE(test::stage_counts_equal(from_formulas, sc)) << stage_key(stage);
    }
  }
}

} // namespace
} // namespace abh
