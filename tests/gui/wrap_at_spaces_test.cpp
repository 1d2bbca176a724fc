// Wrapping at spaces only: a number with thousands separators stays on one line.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/ui/wrap_at_spaces.hpp"

namespace abh {
namespace {

float characters(const std::string& s) { return static_cast<float>(s.size()); }

TEST(WrapAtSpaces, BreaksAtSpacesAndNeverInsideANumber) {
  const std::vector<std::string> lines =
      lines_at_spaces("computes scores, softmax and v·A: 540,012,512 ops", 20, characters);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "computes scores,");
  EXPECT_EQ(lines[1], "softmax and v·A:");
  EXPECT_EQ(lines[2], "540,012,512 ops");
}

TEST(WrapAtSpaces, AWordWiderThanTheLineHasALineOfItsOwn) {
  const std::vector<std::string> lines = lines_at_spaces("a 123,456,789,012 b", 5, characters);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "123,456,789,012");
}

TEST(WrapAtSpaces, ShortTextIsOneLineAndEmptyTextNone) {
  EXPECT_EQ(lines_at_spaces("fits", 20, characters), std::vector<std::string>{"fits"});
  EXPECT_TRUE(lines_at_spaces("", 20, characters).empty());
}

} // namespace
} // namespace abh
