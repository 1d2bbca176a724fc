// The colormap tables (no window): endpoints, the white centre of the
// diverging map, the sequential map brightening steadily, and the mapping of
// values to entries.

#include <gtest/gtest.h>

#include "app/session/colormap.hpp"

namespace {

using abh::Colormap;
using abh::colormap_color;
using abh::colormap_position;
using abh::colormap_table;
using abh::Rgba8;

// Rec. 709 luma of the 8-bit values (what the eye reads as brightness).
double luma(Rgba8 c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

TEST(Colormap, EveryEntryIsOpaque) {
  for (Colormap map : {Colormap::diverging, Colormap::sequential})
    for (const Rgba8& c : colormap_table(map)) EXPECT_EQ(c.a, 255);
}

TEST(Colormap, DivergingEndpointsAreDarkBlueAndDarkRed) {
  const auto& t = colormap_table(Colormap::diverging);
  EXPECT_EQ(t.front(), (Rgba8{5, 48, 97, 255}));
  EXPECT_EQ(t.back(), (Rgba8{103, 0, 31, 255}));
  EXPECT_GT(t.front().b, t.front().r) << "negative end is blue";
  EXPECT_GT(t.back().r, t.back().b) << "positive end is red";
}

TEST(Colormap, SequentialEndpointsAreDarkPurpleAndYellow) {
  const auto& t = colormap_table(Colormap::sequential);
  EXPECT_EQ(t.front(), (Rgba8{68, 1, 84, 255}));
  EXPECT_EQ(t.back(), (Rgba8{253, 231, 37, 255}));
}

TEST(Colormap, DivergingCentreIsWhiteAndBrightest) {
  const auto& t = colormap_table(Colormap::diverging);
  for (float range : {1.0f, 3.0f, 9022.4f}) {
    const Rgba8 zero = colormap_color(Colormap::diverging, 0.0f, -range, range);
    EXPECT_GE(zero.r, 240);
    EXPECT_GE(zero.g, 240);
    EXPECT_GE(zero.b, 240);
    EXPECT_LE(std::abs(zero.r - zero.b), 4) << "white, not tinted";
  }
  // Brightness rises from the blue end to the centre and falls to the red end.
  for (std::size_t i = 1; i <= 127; ++i) EXPECT_GE(luma(t[i]) + 0.5, luma(t[i - 1])) << i;
  for (std::size_t i = 129; i < 256; ++i) EXPECT_LE(luma(t[i]), luma(t[i - 1]) + 0.5) << i;
}

TEST(Colormap, SequentialLuminanceIsMonotone) {
  const auto& t = colormap_table(Colormap::sequential);
  for (std::size_t i = 1; i < t.size(); ++i)
    EXPECT_GE(luma(t[i]) + 0.5, luma(t[i - 1])) << "entry " << i << " darker than " << i - 1;
  EXPECT_GT(luma(t.back()) - luma(t.front()), 150.0);
  // Strictly brighter over every 8 entries (no flat stretch a viewer cannot read).
  for (std::size_t i = 8; i < t.size(); ++i) EXPECT_GT(luma(t[i]), luma(t[i - 8])) << i;
}

TEST(Colormap, PositionIsClampedAndDegenerateRangesMapToTheMiddle) {
  EXPECT_FLOAT_EQ(colormap_position(-3, -3, 3), 0.0f);
  EXPECT_FLOAT_EQ(colormap_position(3, -3, 3), 1.0f);
  EXPECT_FLOAT_EQ(colormap_position(0, -3, 3), 0.5f);
  EXPECT_FLOAT_EQ(colormap_position(-100, -3, 3), 0.0f);
  EXPECT_FLOAT_EQ(colormap_position(100, -3, 3), 1.0f);
  EXPECT_FLOAT_EQ(colormap_position(0.25f, 0, 1), 0.25f);
  EXPECT_FLOAT_EQ(colormap_position(5, 1, 1), 0.5f);
  EXPECT_FLOAT_EQ(colormap_position(5, 2, 1), 0.5f);
}

TEST(Colormap, ColourIsTheNearestTableEntry) {
  for (Colormap map : {Colormap::diverging, Colormap::sequential}) {
    const auto& t = colormap_table(map);
    EXPECT_EQ(colormap_color(map, -3, -3, 3), t[0]);
    EXPECT_EQ(colormap_color(map, 3, -3, 3), t[255]);
    EXPECT_EQ(colormap_color(map, -50, -3, 3), t[0]);
    EXPECT_EQ(colormap_color(map, 50, -3, 3), t[255]);
    for (int i = 0; i < 256; ++i) {
      const float value = static_cast<float>(i) / 255.0f;
      EXPECT_EQ(colormap_color(map, value, 0, 1), t[static_cast<std::size_t>(i)]) << i;
    }
  }
}

} // namespace
