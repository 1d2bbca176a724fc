#include <gtest/gtest.h>

#include "core/counts.hpp"

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

} // namespace
} // namespace abh
