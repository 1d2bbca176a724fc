// The variants (n_q < n, windows, batches, dv ≠ dh, H·dh ≠ d, MLA naive and
// absorbed) against the plain-loop reference: every stage's counts equal the
// operations it performs, the closed form of P equals enumeration, the
// stages a program lacks count zero, and the two MLA forms and the per-head
// trace compute the same attention.

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "core/naive_attention.hpp"
#include "core/program.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

std::vector<test::ShapeCase> cases_and_random() {
  std::vector<test::ShapeCase> cases = test::variant_cases();
  test::Rng rng(8080);
  for (int i = 0; i < 150; ++i) cases.push_back({"random variant", test::random_variant(rng)});
  return cases;
}

bool in_program(const Shape& shape, Stage stage) {
  for (Stage s : program_stages(shape))
    if (s == stage) return true;
  return false;
}

TEST(VariantsVsNaive, CaseTableCoversEveryVariant) {
  int decode = 0, partial = 0, windowed_causal = 0, windowed_centred = 0, batch = 0, wide_v = 0,
      narrow_v = 0, unequal_width = 0, naive = 0, absorbed = 0, compressed_q = 0;
  for (const test::ShapeCase& c : test::variant_cases()) {
    SCOPED_TRACE(c.name);
    const Shape& s = c.shape;
    ASSERT_NO_THROW(validate(s));
    decode += s.query_count() == 1 && s.seq > 1;
    partial += s.query_count() > 1 && !s.is_prefill();
    windowed_causal += s.window > 0 && s.causal;
    windowed_centred += s.window > 0 && !s.causal;
    batch += s.batch > 1;
    wide_v += s.value_dim() > s.head_dim;
    narrow_v += s.value_dim() < s.head_dim;
    unequal_width += s.heads * s.head_dim != s.d_model;
    naive += s.is_mla() && s.mla.form == MlaForm::naive;
    absorbed += s.is_mla() && s.mla.form == MlaForm::absorbed;
    compressed_q += s.mla.q_rank > 0;
  }
  for (int n : {decode, partial, windowed_causal, windowed_centred, batch, wide_v, narrow_v,
                unequal_width, naive, absorbed, compressed_q})
    EXPECT_GE(n, 2);
}

TEST(VariantsVsNaive, EveryStageMatchesTheOperationsPerformed) {
  for (const test::ShapeCase& c : cases_and_random()) {
    SCOPED_TRACE(c.name + std::string(": ") + test::shape_text(c.shape));
    const Shape& shape = c.shape;
    ASSERT_NO_THROW(validate(shape));
    const NaiveAttention naive = naive_attention(shape, make_inputs(shape, ValueMode::gaussian, 7));
    const Counts counted = count(shape);
    for (std::size_t i = 0; i < stage_count; ++i) {
      const auto stage = static_cast<Stage>(i);
      if (stage == Stage::attention || stage == Stage::latent_attention) continue;
      EXPECT_TRUE(test::stage_counts_equal(naive.performed[i], counted[stage])) << stage_key(stage);
      if (!in_program(shape, stage)) {
        EXPECT_EQ(counted[stage], StageCounts{}) << stage_key(stage);
      }
    }
    EXPECT_EQ(naive.softmax_max_subtracts, shape.batch * shape.heads * shape.scored_pairs());
    std::int64_t multiplies = 0, adds = 0;
    for (const StageCounts& performed : naive.performed) {
      multiplies += performed.multiplies;
      adds += performed.adds;
    }
    EXPECT_EQ(counted.totals.multiplies, multiplies);
    EXPECT_EQ(counted.totals.flops, multiplies + adds);
    // The fused stage is its parts summed.
    const Stage fused = in_program(shape, Stage::latent_scores) ? Stage::latent_attention : Stage::attention;
    StageCounts parts;
    for (Stage part : stage_spec(fused).parts)
      for (Operation op : all_operations) parts[op] += counted[part][op];
    EXPECT_EQ(counted[fused], parts);
  }
}

// P in closed form against counting the visible cells one by one.
TEST(VariantsVsNaive, ScoredPairsEqualTheVisibleCells) {
  test::Rng rng(99);
  for (int i = 0; i < 3000; ++i) {
    Shape s;
    s.seq = rng.between(1, 40);
    s.queries = rng.between(0, s.seq);
    s.window = rng.coin() ? 0 : rng.between(1, 45);
    s.causal = rng.coin();
    SCOPED_TRACE(describe(s));
    std::int64_t visible = 0;
    for (std::int64_t c = 0; c < s.query_count(); ++c) {
      std::int64_t seen = 0;
      for (std::int64_t key = 0; key < s.seq; ++key) seen += s.visible(key, c);
      ASSERT_GE(seen, 1); // every query sees at least itself
      if (s.window > 0) {
        ASSERT_LE(seen, s.window);
      }
      const std::int64_t position = s.seq - s.query_count() + c;
      ASSERT_TRUE(s.visible(position, c));
      if (s.causal) {
        ASSERT_FALSE(position + 1 < s.seq && s.visible(position + 1, c));
      }
      visible += seen;
    }
    ASSERT_EQ(s.scored_pairs(), visible);
  }
}

// The closed forms of DESIGN.md's variant section, at sizes no reference runs.
TEST(VariantsVsNaive, ClosedFormsAtLargeSizes) {
  Shape decode = test::make_shape(32768, 4096, 32, 128, 8, true);
  decode.queries = 1;
  EXPECT_EQ(decode.scored_pairs(), 32768);
  const Counts c = count(decode);
  EXPECT_EQ(c[Stage::scores].dot_products, 32 * 32768);
  EXPECT_EQ(c[Stage::scores].multiplies, std::int64_t{32} * 32768 * 128);
  EXPECT_EQ(c[Stage::projection].multiplies, std::int64_t{32 * 128 + 2 * 8 * 128} * 4096);
  EXPECT_EQ(c[Stage::softmax].adds, std::int64_t{32} * (32768 - 1));
  EXPECT_EQ(c[Stage::weighted_sum].dot_products, 32 * 128);
  EXPECT_EQ(c.memory.kv_cache_per_token, 2 * 8 * 128);
  EXPECT_EQ(c.memory.kv_cache_elements, std::int64_t{2} * 8 * 128 * 32768);

  Shape window = test::make_shape(8192, 4096, 32, 128, 8, true);
  window.window = 4096;
  EXPECT_EQ(window.scored_pairs(), std::int64_t{4096} * 4097 / 2 + std::int64_t{8192 - 4096} * 4096);

  Shape mla = test::make_shape(4096, 7168, 128, 192, 128, true);
  mla.v_head_dim = 128;
  mla.mla = {1536, 512, 64, MlaForm::absorbed};
  EXPECT_EQ(count(mla).memory.kv_cache_per_token, 576);
  EXPECT_EQ(count(mla)[Stage::latent_scores].multiplies,
            std::int64_t{128} * (std::int64_t{4096} * 4097 / 2) * 576);
}

// Both MLA forms, and the per-head attention with MLA's weights multiplied
// out, compute the same output.
TEST(VariantsVsNaive, MlaFormsAndTheirPerHeadEquivalentAgree) {
  for (const test::ShapeCase& c : cases_and_random()) {
    if (!c.shape.is_mla()) continue;
    SCOPED_TRACE(test::shape_text(c.shape));
    Shape naive_shape = c.shape, absorbed_shape = c.shape;
    naive_shape.mla.form = MlaForm::naive;
    absorbed_shape.mla.form = MlaForm::absorbed;
    const Inputs inputs = make_inputs(c.shape, ValueMode::gaussian, 3);
    const NaiveAttention naive = naive_attention(naive_shape, inputs);
    const NaiveAttention absorbed = naive_attention(absorbed_shape, inputs);
    Inputs per_head = inputs;
    per_head.Wqkv_blocks = mla_equivalent_wqkv(c.shape, inputs);
    const NaiveAttention plain = naive_attention(drawn_shape(c.shape), per_head);
    const Eigen::MatrixXd O = test::to_eigen(naive.O);
    EXPECT_LT((test::to_eigen(absorbed.O) - O).norm(), 1e-9 * (1 + O.norm()));
    EXPECT_LT((test::to_eigen(plain.O) - O).norm(), 1e-4 * (1 + O.norm())); // float weights multiplied
    EXPECT_LT((test::to_eigen(plain.QKV) - test::to_eigen(naive.QKV)).norm(),
              1e-4 * (1 + O.norm()));
    // Absorbing moves work; it never changes the scores each head scores.
    EXPECT_EQ(count(naive_shape)[Stage::scores].dot_products,
              count(absorbed_shape)[Stage::latent_scores].dot_products);
  }
}

// The Eigen trace of every variant (MLA drawn per head, batch as its first
// sequence) against the reference's values.
TEST(VariantsVsNaive, TraceMatchesTheReference) {
  std::uint64_t seed = 500;
  for (const test::ShapeCase& c : cases_and_random()) {
    SCOPED_TRACE(c.name + std::string(": ") + test::shape_text(c.shape));
    TraceOptions options;
    options.values = ValueMode::gaussian;
    options.seed = seed++;
    options.layout = seed % 2 ? WqkvLayout::blocks : WqkvLayout::triples;
    const NaiveAttention naive =
        naive_attention(c.shape, make_inputs(c.shape, options.values, options.seed));
    const AttentionTrace trace = compute_trace(c.shape, options);
    ASSERT_FALSE(trace.shape.is_mla());
    EXPECT_TRUE(test::nmse_below("QKV", trace.QKV.values,
                                 test::naive_qkv_in_layout(trace.shape, options.layout, naive), 1e-6));
    for (std::size_t h = 0; h < trace.heads.size(); ++h) {
      EXPECT_TRUE(test::nmse_below("S", trace.heads[h].S.values, test::to_eigen(naive.S[h]), 1e-5));
      EXPECT_TRUE(test::nmse_below("A", trace.heads[h].A.values, test::to_eigen(naive.A[h]), 1e-5));
      EXPECT_TRUE(test::nmse_below("Z_h", trace.heads[h].Z.values, test::to_eigen(naive.Z[h]), 1e-5));
      for (std::int64_t key = 0; key < c.shape.seq; ++key)
        for (std::int64_t q = 0; q < c.shape.query_count(); ++q)
          if (trace.masked(key, q)) {
            ASSERT_EQ(trace.heads[h].A.values(key, q), 0.0f);
          }
    }
    EXPECT_TRUE(test::nmse_below("O", trace.O.values, test::to_eigen(naive.O), 1e-5));
    EXPECT_EQ(trace_bytes(c.shape) > 0, true);
  }
}

// Parameters are the sizes of the weights the reference multiplies with; the
// KV cache is what one token adds per layer.
TEST(VariantsVsNaive, ParametersAndKvCacheAreTheWeightsAndCacheUsed) {
  for (const test::ShapeCase& c : cases_and_random()) {
    SCOPED_TRACE(test::shape_text(c.shape));
    const Shape& s = c.shape;
    const Inputs in = make_inputs(s, ValueMode::gaussian, 1);
    const Counts counted = count(s);
    EXPECT_EQ(counted.params.wo, in.Wo.size());
    if (s.is_mla()) {
      EXPECT_EQ(counted.params.wqkv, in.Wd.size() + in.Wuq.size() + in.Wukv.size());
      EXPECT_EQ(counted.memory.kv_cache_per_token, s.mla.kv_rank + s.mla.rope_dim);
    } else {
      EXPECT_EQ(counted.params.wqkv, in.Wqkv_blocks.size());
      EXPECT_EQ(counted.memory.kv_cache_per_token, in.Wqkv_blocks.rows() - s.heads * s.head_dim);
    }
    EXPECT_EQ(counted.memory.kv_cache_elements,
              s.batch * s.seq * counted.memory.kv_cache_per_token);
    EXPECT_EQ(counted.memory.scores_elements, s.batch * s.heads * s.query_count() * s.seq);
  }
}

TEST(VariantsVsNaive, DefaultsLeaveTheProgramUnchanged) {
  const Shape s = worked_example();
  EXPECT_EQ(s.query_count(), s.seq);
  EXPECT_EQ(s.value_dim(), s.head_dim);
  EXPECT_FALSE(s.is_mla());
  EXPECT_EQ(program_stages(s),
            (std::vector<Stage>{Stage::projection, Stage::scores, Stage::scale, Stage::softmax,
                                Stage::weighted_sum, Stage::output}));
  const Counts c = count(s);
  EXPECT_EQ(c[Stage::scores].dot_products, 4800);
  EXPECT_EQ(c[Stage::scores].multiplies, 57600);
  EXPECT_EQ(c.memory.kv_cache_elements, 2 * 3 * 12 * 40);
  EXPECT_EQ(c.memory.scores_elements, 3 * 40 * 40);
  EXPECT_EQ(describe(s), "n=40 d=36 H=3 dh=12");
  EXPECT_EQ(explain(s, Stage::scores)[1].symbols, "H × n² × dh");
}

TEST(VariantsVsNaive, FormulasNameTheVariantSymbols) {
  Shape decode = test::make_shape(100, 8, 2, 4, 1, true);
  decode.queries = 1;
  decode.batch = 4;
  EXPECT_EQ(explain(decode, Stage::projection)[1].symbols, "B × (da+2·Hkv·dh) × d × n_q");
  EXPECT_EQ(explain(decode, Stage::scores)[0].symbols, "B × H × P");
  EXPECT_EQ(explain(decode, Stage::scores)[0].value, 4 * 2 * 100);
}

TEST(VariantsVsNaive, InvalidVariantsAreRefusedWithTheirField) {
  struct Bad {
    const char* name;
    Shape shape;
    ShapeField field;
  };
  Shape base = test::make_shape(8, 6, 4, 4, 2, true);
  auto with = [&](auto change) {
    Shape s = base;
    change(s);
    return s;
  };
  const std::vector<Bad> bad{
      {"more queries than keys", with([](Shape& s) { s.queries = 9; }), ShapeField::queries},
      {"negative queries", with([](Shape& s) { s.queries = -1; }), ShapeField::queries},
      {"batch 0", with([](Shape& s) { s.batch = 0; }), ShapeField::batch},
      {"negative window", with([](Shape& s) { s.window = -2; }), ShapeField::window},
      {"negative dv", with([](Shape& s) { s.v_head_dim = -1; }), ShapeField::v_head_dim},
      {"MLA with grouped kv heads", with([](Shape& s) { s.mla = {0, 4, 1, MlaForm::naive}; }),
       ShapeField::kv_heads},
      {"MLA rope as wide as dh",
       with([](Shape& s) { s.kv_heads = 4; s.mla = {0, 4, 4, MlaForm::naive}; }),
       ShapeField::mla_rope_dim},
      {"rope without a latent", with([](Shape& s) { s.mla.rope_dim = 2; }), ShapeField::mla_kv_rank},
      {"negative q rank",
       with([](Shape& s) { s.kv_heads = 4; s.mla = {-1, 4, 1, MlaForm::naive}; }),
       ShapeField::mla_q_rank},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.name);
    try {
      validate(b.shape);
      ADD_FAILURE() << "accepted";
    } catch (const ShapeError& e) {
      EXPECT_EQ(e.field(), b.field) << e.what();
      EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    }
  }
}

} // namespace
} // namespace abh
