// one_line: what a message echoes stays on one line, readable.

#include <gtest/gtest.h>

#include "app/io/one_line.hpp"

namespace {

TEST(OneLine, EscapesControlCharactersAndKeepsUtf8) {
  EXPECT_EQ(abh::one_line("plain /path/x.png"), "plain /path/x.png");
  EXPECT_EQ(abh::one_line("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(abh::one_line(std::string("bell\x07" "del\x7f", 9)), "bell\\x07del\\x7f");
  EXPECT_EQ(abh::one_line("n×d · √dh"), "n×d · √dh");
}

} // namespace
