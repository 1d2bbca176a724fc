// The one line that says how the slicing panels' drawing differs from the
// shape counted: heads over the cap, a batch, fewer tokens, MLA; none when
// the drawing is the shape.

#include <functional>
#include <optional>

#include <gtest/gtest.h>

#include "core/drawn_facts.hpp"
#include "core/trace.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using test::make_shape;

TEST(DrawnFacts, NoLineWhenTheDrawingIsTheShape) {
  const Shape s = make_shape(40, 36, 3, 12, 3, true);
  EXPECT_FALSE(drawn_facts(s, drawn_shape(s), 16).differs());
  EXPECT_EQ(drawn_line(drawn_facts(s, drawn_shape(s), 16)), "");
  Shape window = s;
  window.window = 5;
  window.queries = 1;
  EXPECT_EQ(drawn_line(drawn_facts(window, drawn_shape(window), 16)), "")
      << "a window and a decode step are drawn as they are";
}

TEST(DrawnFacts, HeadsBatchAndTokensInOneLine) {
  Shape s = make_shape(131072, 4096, 32, 128, 8, true);
  s.batch = 4;
  Shape traced = drawn_shape(s);
  traced.seq = 4096;
  EXPECT_EQ(drawn_line(drawn_facts(s, traced, 1)),
            "drawn: 1 of 32 heads, sequence 1 of 4, 4,096 of 131,072 tokens; counts are for the "
            "full size");
  EXPECT_EQ(drawn_line(drawn_facts(s, drawn_shape(s), 16)),
            "drawn: 16 of 32 heads, sequence 1 of 4; counts are for the full size");
}

TEST(DrawnFacts, MlaSaysItsLatentCache) {
  Shape s = make_shape(64, 7168, 128, 192, 128, true);
  s.v_head_dim = 128;
  s.mla = {1536, 512, 64, MlaForm::naive};
  const DrawnFacts f = drawn_facts(s, drawn_shape(s), 16);
  EXPECT_TRUE(f.mla);
  EXPECT_EQ(f.latent_per_token, 576);
  EXPECT_EQ(drawn_line(f), "drawn: 16 of 128 heads; MLA caches C_KV and k_R, dc+dr = 512+64 = 576 "
                           "per token; RoPE's rotation is not drawn; counts are for the full size");
  Shape few = s;
  few.heads = few.kv_heads = 2;
  few.mla.form = MlaForm::absorbed;
  EXPECT_EQ(drawn_line(drawn_facts(few, drawn_shape(few), 16)),
            "MLA caches C_KV and k_R, dc+dr = 512+64 = 576 per token; RoPE's rotation is not "
            "drawn; heads drawn in the naive form (the absorbed form counted folds W_UK into the "
            "query and W_UV into the output); counts are for the full size");
}

TEST(DrawnFacts, AnMlaShapeIsReducedAsMlaSoItsLatentIsDrawn) {
  Shape s = make_shape(64, 7168, 128, 192, 128, true);
  s.v_head_dim = 128;
  s.mla = {1536, 512, 64, MlaForm::naive};
  const std::optional<Shape> r =
      reduced_drawing(s, 16, [](const Shape& t) { return t.heads <= 16; });
  ASSERT_TRUE(r);
  EXPECT_EQ(r->heads, 16);
  EXPECT_EQ(r->kv_heads, 16);
  EXPECT_EQ(r->mla, s.mla);
  EXPECT_NO_THROW(validate(*r));
}

TEST(DrawnFacts, TheOneHeadPanelSaysItsHeadIsNarrower) {
  const Shape counted = single_head_of(make_shape(64, 4096, 32, 128, 8, true));
  const Shape traced = single_head_of(make_shape(64, 4096, 16, 128, 4, true));
  EXPECT_EQ(drawn_line(drawn_facts(counted, traced, 16)),
            "drawn: dh 2,048 of 4,096; counts are for the full size");
}

// Bytes of a toy budget: what reduced_drawing must bring a shape under.
std::function<bool(const Shape&)> cells_under(std::int64_t cells) {
  return [cells](const Shape& s) { return s.heads * s.seq * s.seq + s.wqkv_rows() * s.d_model <= cells; };
}

TEST(DrawnFacts, AShapeThatFitsIsDrawnAsItIs) {
  Shape s = make_shape(40, 36, 3, 12, 3, true);
  s.batch = 3;
  EXPECT_EQ(reduced_drawing(s, 16, cells_under(1'000'000)), s);
}

TEST(DrawnFacts, HeadsAreCutInWholeKvGroupsThenTokensHalved) {
  const Shape llama = make_shape(131072, 64, 32, 8, 8, true);
  const std::optional<Shape> r = reduced_drawing(llama, 16, cells_under(16 * 4096 * 4096 + 100'000));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->heads, 16);
  EXPECT_EQ(r->kv_heads, 4) << "groups of 4 query heads kept whole";
  EXPECT_EQ(r->seq, 4096);
  EXPECT_EQ(drawn_line(drawn_facts(llama, *r, 16)),
            "drawn: 16 of 32 heads, 4,096 of 131,072 tokens; counts are for the full size");

  Shape mqa = make_shape(64, 64, 32, 8, 1);
  const std::optional<Shape> m = reduced_drawing(mqa, 16, cells_under(16 * 64 * 64 + 272 * 64));
  ASSERT_TRUE(m);
  EXPECT_EQ(m->heads, 16);
  EXPECT_EQ(m->kv_heads, 1) << "MQA stays MQA";
}

TEST(DrawnFacts, ADecodeStepAndAWindowStayWithinTheTokensDrawn) {
  Shape s = make_shape(1024, 8, 2, 4, 2, true);
  s.queries = 3;
  s.window = 700;
  const std::optional<Shape> r = reduced_drawing(s, 16, cells_under(2 * 256 * 256 + 1000));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->seq, 256);
  EXPECT_EQ(r->queries, 3);
  EXPECT_EQ(r->window, 256);
  EXPECT_NO_THROW(validate(*r));
}

TEST(DrawnFacts, BelowSixtyFourTokensHeadsGoBeforeTokens) {
  const Shape wide = make_shape(128, 64, 16, 8, 4); // groups of 4
  const std::optional<Shape> r = reduced_drawing(wide, 16, cells_under(4 * 64 * 64 + 48 * 64));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->seq, 64);
  EXPECT_EQ(r->heads, 4);
  EXPECT_EQ(r->kv_heads, 1);
  const std::optional<Shape> one = reduced_drawing(wide, 16, cells_under(32 * 32 + 24 * 64));
  ASSERT_TRUE(one);
  EXPECT_EQ(one->heads, 1) << "the group itself is halved once one kv head is left";
  EXPECT_EQ(one->seq, 32);
  EXPECT_NO_THROW(validate(*one));
}

TEST(DrawnFacts, NothingWhenNotEvenOneTokenFits) {
  EXPECT_FALSE(reduced_drawing(make_shape(40, 36, 3, 12, 3), 16, cells_under(10)));
}

} // namespace
} // namespace abh
