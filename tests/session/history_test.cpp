// History (no window): a change is recorded once it settles, so a drag
// through many values is one undo step.

#include <gtest/gtest.h>

#include "app/session/history.hpp"

namespace {

using abh::ComputeKey;
using abh::History;

ComputeKey with_heads(std::int64_t heads) {
  ComputeKey k;
  k.shape.heads = heads;
  k.shape.kv_heads = heads;
  k.shape.head_dim = 36 / heads;
  return k;
}

TEST(History, StartsWithNothingToUndoOrRedo) {
  History h(with_heads(3));
  EXPECT_FALSE(h.can_undo());
  EXPECT_FALSE(h.can_redo());
  EXPECT_EQ(h.undo(with_heads(3)), with_heads(3));
  EXPECT_EQ(h.redo(with_heads(3)), with_heads(3));
}

TEST(History, ObservingTheSameChoiceRecordsNothing) {
  History h(with_heads(3));
  for (int i = 0; i < 10; ++i) h.observe(with_heads(3), false);
  EXPECT_FALSE(h.can_undo());
}

TEST(History, UndoAndRedoWalkSettledChanges) {
  History h(with_heads(3));
  h.observe(with_heads(4), false);
  h.observe(with_heads(6), false);
  ASSERT_TRUE(h.can_undo());
  EXPECT_EQ(h.undo(with_heads(6)), with_heads(4));
  EXPECT_EQ(h.undo(with_heads(4)), with_heads(3));
  EXPECT_FALSE(h.can_undo());
  ASSERT_TRUE(h.can_redo());
  EXPECT_EQ(h.redo(with_heads(3)), with_heads(4));
  EXPECT_EQ(h.redo(with_heads(4)), with_heads(6));
  EXPECT_FALSE(h.can_redo());
}

TEST(History, ADragThroughManyValuesIsOneStep) {
  History h(with_heads(3));
  for (std::int64_t heads : {1, 2, 3, 4, 6, 9, 12, 18, 36, 18, 12}) h.observe(with_heads(heads), true);
  EXPECT_FALSE(h.can_undo()) << "nothing is recorded while the control is held";
  h.observe(with_heads(12), false); // released
  ASSERT_TRUE(h.can_undo());
  EXPECT_EQ(h.undo(with_heads(12)), with_heads(3));
  EXPECT_FALSE(h.can_undo()) << "the intermediate values were not recorded";
  EXPECT_EQ(h.redo(with_heads(3)), with_heads(12));
}

TEST(History, ADragBackToTheStartRecordsNothing) {
  History h(with_heads(3));
  for (std::int64_t heads : {4, 6, 4, 3}) h.observe(with_heads(heads), true);
  h.observe(with_heads(3), false);
  EXPECT_FALSE(h.can_undo());
}

TEST(History, ANewChangeAfterUndoClearsRedo) {
  History h(with_heads(3));
  h.observe(with_heads(4), false);
  EXPECT_EQ(h.undo(with_heads(4)), with_heads(3));
  ASSERT_TRUE(h.can_redo());
  h.observe(with_heads(9), false);
  EXPECT_FALSE(h.can_redo());
  EXPECT_EQ(h.undo(with_heads(9)), with_heads(3));
}

TEST(History, UndoDuringAnUnsettledChangeRecordsItFirst) {
  // The caller passes the current choice; one not yet observed as settled
  // (e.g. Ctrl+Z in the same frame as an edit) is recorded, so redo restores it.
  History h(with_heads(3));
  EXPECT_EQ(h.undo(with_heads(6)), with_heads(3));
  EXPECT_EQ(h.redo(with_heads(3)), with_heads(6));
}

TEST(History, ValuesAndLayoutAreUndoneToo) {
  History h(with_heads(3));
  ComputeKey gaussian = with_heads(3);
  gaussian.trace.values = abh::ValueMode::gaussian;
  h.observe(gaussian, false);
  ComputeKey blocks = gaussian;
  blocks.trace.layout = abh::WqkvLayout::blocks;
  h.observe(blocks, false);
  EXPECT_EQ(h.undo(blocks), gaussian);
  EXPECT_EQ(h.undo(gaussian), with_heads(3));
}

} // namespace
