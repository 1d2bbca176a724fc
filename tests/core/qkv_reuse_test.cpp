// A trace can take its QKV from another trace of the same weights split into
// other heads: the rows reordered equal the product computed again, and every
// later stage follows.

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "core/display_trace.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using test::make_shape;

// Products of different sizes may sum in another order: equal to float rounding.
void expect_close(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b, const std::string& what) {
  ASSERT_EQ(a.rows(), b.rows()) << what;
  ASSERT_EQ(a.cols(), b.cols()) << what;
  EXPECT_LE((a - b).cwiseAbs().maxCoeff(), 1e-4f * (1.0f + b.cwiseAbs().maxCoeff())) << what;
}

TEST(QkvReuse, TheOneHeadTraceFromTheMultiHeadQkvEqualsItsOwnProduct) {
  for (WqkvLayout layout : {WqkvLayout::triples, WqkvLayout::blocks})
    for (const Shape& multi_shape : {make_shape(9, 12, 3, 4, 3), make_shape(7, 8, 4, 2, 4, true),
                                     make_shape(5, 6, 2, 3, 2)}) {
      SCOPED_TRACE(describe(multi_shape) + (layout == WqkvLayout::blocks ? " blocks" : " triples"));
      TraceOptions options;
      options.values = ValueMode::gaussian;
      options.layout = layout;
      const Shape one = single_head_of(multi_shape);
      ASSERT_EQ(one.wqkv_rows(), multi_shape.wqkv_rows());
      const Inputs inputs = make_inputs(multi_shape, options.values, options.seed);
      AttentionTrace multi, reused, fresh;
      compute_trace(multi, multi_shape, options, inputs);
      compute_trace(reused, one, options, inputs, nullptr, nullptr, &multi);
      compute_trace(fresh, one, options, inputs);
      expect_close(reused.QKV.values, fresh.QKV.values, "QKV");
      expect_close(reused.heads[0].S.values, fresh.heads[0].S.values, "S");
      expect_close(reused.heads[0].A.values, fresh.heads[0].A.values, "A");
      expect_close(reused.O.values, fresh.O.values, "O");
      // Exactly the multi-head trace's numbers: q of the one head is every
      // head's q stacked, the same floats.
      for (std::int64_t h = 0; h < multi_shape.heads; ++h)
        EXPECT_EQ(reused.q(0).middleRows(h * multi_shape.head_dim, multi_shape.head_dim), multi.q(h));
    }
}

TEST(QkvReuse, TheStreamedOneHeadTraceReusesTheMultiHeadQkvToo) {
  const Shape multi_shape = make_shape(40, 8, 2, 4, 2);
  TraceOptions options;
  options.values = ValueMode::gaussian;
  const Inputs inputs = make_inputs(multi_shape, options.values, options.seed);
  DisplayTrace multi, reused, fresh;
  compute_display_trace(multi, multi_shape, options, inputs, 16);
  const Shape one = single_head_of(multi_shape);
  compute_display_trace(reused, one, options, inputs, 16, nullptr, nullptr, {}, &multi.linear);
  compute_display_trace(fresh, one, options, inputs, 16);
  expect_close(reused.linear.QKV.values, fresh.linear.QKV.values, "QKV");
  expect_close(reused.heads[0].A.means, fresh.heads[0].A.means, "A block means");
}

TEST(QkvReuse, ATraceOfOtherWeightsIsRefused) {
  const Shape gqa = make_shape(6, 8, 4, 2, 2); // fewer K and V rows than its one head
  const Inputs inputs = make_inputs(gqa, ValueMode::by_hand, 1);
  AttentionTrace multi, reused;
  compute_trace(multi, gqa, {}, inputs);
  const Shape one = single_head_of(gqa);
  ASSERT_NE(one.wqkv_rows(), gqa.wqkv_rows());
  EXPECT_THROW(compute_trace(reused, one, {}, make_inputs(one, ValueMode::by_hand, 1), nullptr, nullptr,
                             &multi),
               ShapeError);
}

} // namespace
} // namespace abh
