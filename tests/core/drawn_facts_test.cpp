// The one line that says how the slicing panels' drawing differs from the
// shape counted: heads over the cap, a batch, fewer tokens, MLA; none when
// the drawing is the shape.

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
  EXPECT_EQ(drawn_line(f), "drawn: 16 of 128 heads; MLA drawn as its per-head equivalent K and V "
                           "(the latent cache is dc+dr = 576 per token); counts are for the full size");
  Shape few = s;
  few.heads = few.kv_heads = 2;
  EXPECT_EQ(drawn_line(drawn_facts(few, drawn_shape(few), 16)),
            "MLA drawn as its per-head equivalent K and V (the latent cache is dc+dr = 576 per "
            "token); counts are for the full size");
}

} // namespace
} // namespace abh
