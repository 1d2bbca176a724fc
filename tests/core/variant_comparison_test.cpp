// MHA, GQA, MQA and MLA at one width: every figure is the count of the
// variant's own shape, and the brute-force reference performs exactly those
// multiplies and score dot products and holds that many score elements; the
// variants keep the width; the lessons (MQA caches 1/H of MHA, the score dot
// products never change, MLA caches dc + dr) hold; bad shapes are refused.

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "core/naive_attention.hpp"
#include "core/program.hpp"
#include "core/values.hpp"
#include "core/variant_comparison.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

std::vector<Shape> cases_and_random() {
  std::vector<Shape> shapes;
  for (const test::ShapeCase& c : test::variant_cases()) shapes.push_back(c.shape);
  test::Rng rng(8008);
  for (int i = 0; i < 120; ++i) shapes.push_back(test::random_variant(rng, 8));
  return shapes;
}

const VariantFigures* find(const VariantComparison& c, AttentionVariant v) {
  for (const VariantFigures& f : c.variants)
    if (f.variant == v) return &f;
  return nullptr;
}

std::int64_t performed(const NaiveAttention& naive, Operation op) {
  std::int64_t total = 0;
  for (const StageCounts& s : naive.performed) total += s[op];
  return total;
}

TEST(VariantComparison, EveryFigureIsTheCountOfTheVariantsShape) {
  for (const Shape& shape : cases_and_random()) {
    SCOPED_TRACE(describe(shape));
    const VariantComparison c = compare_variants(shape);
    ASSERT_EQ(c.variants.size(), c.absent.empty() ? 4u : 3u);
    int current = 0;
    for (const VariantFigures& f : c.variants) {
      SCOPED_TRACE(variant_name(f.variant));
      const Shape& v = f.shape;
      ASSERT_NO_THROW(validate(v));
      // The width and the run are the compared shape's.
      EXPECT_EQ(v.seq, shape.seq);
      EXPECT_EQ(v.d_model, shape.d_model);
      EXPECT_EQ(v.heads, shape.heads);
      EXPECT_EQ(v.query_count(), shape.query_count());
      EXPECT_EQ(v.batch, shape.batch);
      EXPECT_EQ(v.window, shape.window);
      EXPECT_EQ(v.causal, shape.causal);
      EXPECT_EQ(v.value_dim(), shape.value_dim());
      EXPECT_EQ(v.is_mla(), f.variant == AttentionVariant::mla);

      const Counts counted = count(v);
      EXPECT_EQ(f.kv_cache_per_token, v.kv_cache_per_token());
      EXPECT_EQ(f.kv_cache_per_token, counted.memory.kv_cache_per_token);
      EXPECT_EQ(f.kv_cache_bytes_per_token, dtype_bytes(counted.memory.kv_cache_per_token));
      EXPECT_EQ(f.multiplies, counted.totals.multiplies);
      EXPECT_EQ(f.tokens, v.query_count() * v.batch);
      EXPECT_DOUBLE_EQ(f.multiplies_per_token,
                       static_cast<double>(counted.totals.multiplies) / static_cast<double>(f.tokens));
      EXPECT_EQ(f.score_memory, counted.memory.scores_elements);
      EXPECT_EQ(f.attention_params, counted.params.wqkv + counted.params.wo);
      EXPECT_EQ(f.score_dot_products,
                counted[Stage::scores].dot_products + counted[Stage::latent_scores].dot_products);
      current += f.current;
      EXPECT_EQ(f.current, v == shape);

      // The brute-force reference: what it performs, holds and multiplies by.
      const Inputs inputs = make_inputs(v, ValueMode::gaussian, 5);
      const NaiveAttention naive = naive_attention(v, inputs);
      EXPECT_EQ(f.multiplies, performed(naive, Operation::multiplies));
      const std::size_t scores = static_cast<std::size_t>(
          v.is_mla() && v.mla.form == MlaForm::absorbed ? Stage::latent_scores : Stage::scores);
      EXPECT_EQ(f.score_dot_products, naive.performed[scores].dot_products);
      std::int64_t held = 0;
      for (const NaiveAttention::Matrix& s : naive.S)
        held += static_cast<std::int64_t>(s.size() * s.front().size());
      EXPECT_EQ(f.score_memory, held * v.batch);
      const Eigen::Index weights = v.is_mla() ? inputs.Wd.size() + inputs.Wuq.size() + inputs.Wukv.size()
                                              : inputs.Wqkv_blocks.size();
      EXPECT_EQ(f.attention_params, weights + inputs.Wo.size());
    }
    EXPECT_LE(current, 2) << "only MHA and MQA coincide (H = 1)";
    if (shape.heads > 1) {
      EXPECT_EQ(current, 1) << "the compared shape is one of its variants";
    }
  }
}

TEST(VariantComparison, MqaCachesOneHthOfMhaAndMlaCachesTheLatent) {
  for (const Shape& shape : cases_and_random()) {
    SCOPED_TRACE(describe(shape));
    const VariantComparison c = compare_variants(shape);
    const VariantFigures& mha = *find(c, AttentionVariant::mha);
    const VariantFigures& mqa = *find(c, AttentionVariant::mqa);
    const VariantFigures& mla = *find(c, AttentionVariant::mla);
    EXPECT_EQ(mqa.kv_cache_per_token * shape.heads, mha.kv_cache_per_token);
    EXPECT_EQ(mla.kv_cache_per_token, mla.shape.mla.kv_rank + mla.shape.mla.rope_dim);
    if (const VariantFigures* gqa = find(c, AttentionVariant::gqa)) {
      EXPECT_EQ(gqa->kv_cache_per_token * shape.heads, mha.kv_cache_per_token * gqa->shape.kv_heads);
    }
  }
}

TEST(VariantComparison, NoVariantChangesTheScoreDotProductsOrTheScoreMemory) {
  for (const Shape& shape : cases_and_random()) {
    SCOPED_TRACE(describe(shape));
    const VariantComparison c = compare_variants(shape);
    const VariantFigures& mha = *find(c, AttentionVariant::mha);
    EXPECT_EQ(mha.score_dot_products, shape.batch * shape.heads * shape.scored_pairs());
    for (const VariantFigures& f : c.variants) {
      EXPECT_EQ(f.score_dot_products, mha.score_dot_products) << variant_name(f.variant);
      EXPECT_EQ(f.score_memory, mha.score_memory) << variant_name(f.variant);
    }
  }
}

TEST(VariantComparison, GqaTakesTheShapesOwnGroupsOrTheDivisorNearestAQuarter) {
  const auto gqa_heads = [](std::int64_t heads, std::int64_t kv_heads) -> std::int64_t {
    const VariantComparison c = compare_variants(test::make_shape(4, 8, heads, 2, kv_heads));
    const VariantFigures* f = find(c, AttentionVariant::gqa);
    return f ? f->shape.kv_heads : 0;
  };
  EXPECT_EQ(gqa_heads(32, 32), 8);
  EXPECT_EQ(gqa_heads(32, 1), 8);
  EXPECT_EQ(gqa_heads(64, 8), 8) << "Llama 3 70B keeps its own 8 kv heads";
  EXPECT_EQ(gqa_heads(64, 64), 16);
  EXPECT_EQ(gqa_heads(6, 6), 2);
  EXPECT_EQ(gqa_heads(18, 18), 6) << "3 and 6 are as near 4.5: the larger";
  EXPECT_EQ(gqa_heads(4, 4), 2);
  for (std::int64_t prime : {1, 2, 3, 5, 7}) {
    const VariantComparison c = compare_variants(test::make_shape(4, 8, prime, 2, 1));
    EXPECT_EQ(find(c, AttentionVariant::gqa), nullptr) << prime;
    EXPECT_NE(c.absent.find("H = " + std::to_string(prime) + " has no divisor"), std::string::npos)
        << c.absent;
  }
  EXPECT_EQ(compare_variants(test::make_shape(4, 8, 4, 2, 4)).absent, "");
}

TEST(VariantComparison, TheCurrentShapesVariantIsMarked) {
  const auto current = [](const Shape& s) {
    std::string names;
    for (const VariantFigures& f : compare_variants(s).variants)
      if (f.current) names += variant_name(f.variant);
    return names;
  };
  EXPECT_EQ(current(worked_example()), "MHA");
  EXPECT_EQ(current(test::make_shape(8, 4096, 32, 128, 8, true)), "GQA");
  EXPECT_EQ(current(test::make_shape(8, 64, 8, 8, 1)), "MQA");
  EXPECT_EQ(current(test::make_shape(8, 64, 1, 8, 1)), "MHAMQA") << "one head: both";
  Shape mla = test::make_shape(8, 7168, 128, 192, 128, true);
  mla.v_head_dim = 128;
  mla.mla = {1536, 512, 64, MlaForm::naive};
  EXPECT_EQ(current(mla), "MLA") << "an MLA shape keeps its ranks and form";
}

// DeepSeek V3's attention, and Llama 3 8B's width given MLA at V3's ratios.
TEST(VariantComparison, RealWidths) {
  Shape v3 = test::make_shape(8, 7168, 128, 192, 128, true);
  v3.v_head_dim = 128;
  v3.mla = {1536, 512, 64, MlaForm::absorbed};
  const VariantComparison c = compare_variants(v3);
  const VariantFigures& mha = *find(c, AttentionVariant::mha);
  EXPECT_EQ(mha.shape.head_dim, 128) << "the RoPE part goes with the latent";
  EXPECT_EQ(mha.kv_cache_per_token, 128 * (128 + 128));
  EXPECT_EQ(find(c, AttentionVariant::gqa)->shape.kv_heads, 32);
  EXPECT_EQ(find(c, AttentionVariant::mla)->kv_cache_per_token, 576);
  EXPECT_EQ(find(c, AttentionVariant::mla)->kv_cache_bytes_per_token.bf16, 1152);

  const Shape llama = test::make_shape(8, 4096, 32, 128, 8, true);
  const VariantComparison l = compare_variants(llama);
  const Shape& m = find(l, AttentionVariant::mla)->shape;
  EXPECT_EQ(m.mla.kv_rank, 512);
  EXPECT_EQ(m.mla.rope_dim, 64);
  EXPECT_EQ(m.mla.q_rank, 1536);
  EXPECT_EQ(m.mla.form, MlaForm::absorbed);
  EXPECT_EQ(m.head_dim, 192);
  EXPECT_EQ(m.value_dim(), 128);
  EXPECT_EQ(find(l, AttentionVariant::mla)->detail, "dc 512 · dr 64 · dq 1536");
  EXPECT_EQ(find(l, AttentionVariant::gqa)->detail, "Hkv 8");
  EXPECT_EQ(find(l, AttentionVariant::gqa)->kv_cache_bytes_per_token.bf16, 4096);
  EXPECT_EQ(find(l, AttentionVariant::mha)->kv_cache_bytes_per_token.bf16, 16384);
  EXPECT_EQ(find(l, AttentionVariant::mqa)->kv_cache_bytes_per_token.bf16, 512);

  // At the worked example's width 12·dh = 144 is wider than d = 36: no query compression.
  const VariantComparison worked = compare_variants(worked_example());
  const Shape& small = find(worked, AttentionVariant::mla)->shape;
  EXPECT_EQ(small.mla.q_rank, 0);
  EXPECT_EQ(small.mla.kv_rank, 48);
  EXPECT_EQ(small.mla.rope_dim, 6);
}

TEST(VariantComparison, RefusesAnInvalidShapeAndAVariantThatCannotBeCounted) {
  EXPECT_THROW(compare_variants(test::make_shape(4, 8, 0, 2, 1)), ShapeError);
  EXPECT_THROW(compare_variants(test::make_shape(4, 8, 6, 2, 4)), ShapeError);
  // One head of 16 over 2²⁸ tokens counts in 64 bits; MLA at V3's ratios
  // scores 72-wide latents and overflows.
  const Shape huge = test::make_shape(std::int64_t{1} << 28, 1000, 1, 16, 1);
  ASSERT_NO_THROW(validate(huge));
  try {
    compare_variants(huge);
    ADD_FAILURE() << "MLA at this width overflows";
  } catch (const ShapeError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("MLA at this width: ", 0), 0u) << e.what();
  }
}

} // namespace
} // namespace abh
