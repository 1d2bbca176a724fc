// Wqkv row layouts: blocks [Q; K; V] and triples [q1;k1;v1; …] are the same
// rows permuted, so every per-head result is identical.

#include <cstdint>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "core/trace.hpp"
#include "core/wqkv_layout.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

using test::make_shape;

void expect_bands_consistent(const Shape& shape, WqkvLayout layout) {
  SCOPED_TRACE(test::shape_text(shape) + " " + std::string(layout_key(layout)));
  const std::vector<WqkvBand> bands = wqkv_bands(shape, layout);
  ASSERT_EQ(static_cast<std::int64_t>(bands.size()), shape.heads + 2 * shape.kv_heads);
  std::set<std::tuple<int, std::int64_t>> owners;
  std::vector<int> row_hits(static_cast<std::size_t>(shape.wqkv_rows()), 0);
  for (std::size_t i = 0; i < bands.size(); ++i) {
    const WqkvBand& band = bands[i];
    // Top to bottom, each head_dim rows, no gaps.
    EXPECT_EQ(band.first_row, static_cast<std::int64_t>(i) * shape.head_dim);
    EXPECT_TRUE(owners.insert({static_cast<int>(band.part), band.head}).second)
        << "band owned twice: " << part_name(band.part) << band.head;
    const std::int64_t head_limit = band.part == Part::q ? shape.heads : shape.kv_heads;
    EXPECT_GE(band.head, 0);
    EXPECT_LT(band.head, head_limit);
    EXPECT_EQ(band_first_row(shape, layout, band.part, band.head), band.first_row);
    for (std::int64_t r = band.first_row; r < band.first_row + shape.head_dim; ++r) {
      ASSERT_LT(r, shape.wqkv_rows());
      ++row_hits[static_cast<std::size_t>(r)];
      const WqkvBand of_row = band_of_row(shape, layout, r);
      EXPECT_EQ(of_row.first_row, band.first_row) << "row " << r;
      EXPECT_EQ(of_row.part, band.part) << "row " << r;
      EXPECT_EQ(of_row.head, band.head) << "row " << r;
    }
  }
  for (std::size_t r = 0; r < row_hits.size(); ++r) EXPECT_EQ(row_hits[r], 1) << "row " << r;
  // And the other direction: band_first_row of every (part, head) lands on a
  // row whose band_of_row is that (part, head).
  for (Part part : {Part::q, Part::k, Part::v}) {
    const std::int64_t count = part == Part::q ? shape.heads : shape.kv_heads;
    for (std::int64_t h = 0; h < count; ++h) {
      const std::int64_t first = band_first_row(shape, layout, part, h);
      for (std::int64_t i = 0; i < shape.head_dim; ++i) {
        const WqkvBand b = band_of_row(shape, layout, first + i);
        EXPECT_EQ(b.part, part);
        EXPECT_EQ(b.head, h);
        EXPECT_EQ(b.first_row, first);
      }
    }
  }
}

TEST(WqkvLayout, BandsCoverEveryRowExactlyOnceAndInvertBandOfRow) {
  for (const test::ShapeCase& c : test::small_cases())
    for (WqkvLayout layout : {WqkvLayout::blocks, WqkvLayout::triples})
      expect_bands_consistent(c.shape, layout);
}

std::vector<std::string> band_names(const Shape& shape, WqkvLayout layout) {
  std::vector<std::string> names;
  for (const WqkvBand& b : wqkv_bands(shape, layout))
    names.push_back(std::string(part_name(b.part)) + std::to_string(b.head + 1));
  return names;
}

TEST(WqkvLayout, ExplicitOrders) {
  using V = std::vector<std::string>;
  const Shape mha = make_shape(4, 6, 3, 2, 3);
  EXPECT_EQ(band_names(mha, WqkvLayout::blocks), (V{"q1", "q2", "q3", "k1", "k2", "k3", "v1", "v2", "v3"}));
  EXPECT_EQ(band_names(mha, WqkvLayout::triples), (V{"q1", "k1", "v1", "q2", "k2", "v2", "q3", "k3", "v3"}));
  const Shape gqa = make_shape(4, 6, 4, 2, 2);
  EXPECT_EQ(band_names(gqa, WqkvLayout::blocks), (V{"q1", "q2", "q3", "q4", "k1", "k2", "v1", "v2"}));
  EXPECT_EQ(band_names(gqa, WqkvLayout::triples), (V{"q1", "q2", "k1", "v1", "q3", "q4", "k2", "v2"}));
  // MQA: one group, so the "triple" is [q1 … qH; k; v], the block order.
  const Shape mqa = make_shape(4, 6, 3, 2, 1);
  EXPECT_EQ(band_names(mqa, WqkvLayout::triples), (V{"q1", "q2", "q3", "k1", "v1"}));
  EXPECT_EQ(band_names(mqa, WqkvLayout::blocks), band_names(mqa, WqkvLayout::triples));
  EXPECT_EQ(layout_key(WqkvLayout::blocks), "blocks");
  EXPECT_EQ(layout_key(WqkvLayout::triples), "triples");
  EXPECT_EQ(part_name(Part::q), "q");
  EXPECT_EQ(part_name(Part::k), "k");
  EXPECT_EQ(part_name(Part::v), "v");
}

AttentionTrace trace_of(const Shape& shape, WqkvLayout layout, ValueMode values) {
  TraceOptions options;
  options.layout = layout;
  options.values = values;
  options.seed = 9;
  return compute_trace(shape, options);
}

void expect_same_per_head_results(const Shape& shape, ValueMode values) {
  SCOPED_TRACE(test::shape_text(shape) + " " + std::string(value_mode_key(values)));
  const AttentionTrace b = trace_of(shape, WqkvLayout::blocks, values);
  const AttentionTrace t = trace_of(shape, WqkvLayout::triples, values);
  // Small integers are exact in float; Gaussian products may be summed in a
  // different order by the GEMM kernels (different row panels), so allow an ulp.
  const bool exact = values == ValueMode::small_integers;
  auto same = [&](const char* what, const Eigen::MatrixXf& x, const Eigen::MatrixXf& y) {
    if (exact) {
      EXPECT_TRUE(test::bitwise_equal(x, y)) << what;
    } else {
      EXPECT_TRUE(test::elementwise_close(what, x, y.cast<double>(), 1e-5, true));
    }
  };

  // Rows of Wqkv and QKV are the same rows, permuted.
  for (const WqkvBand& band : wqkv_bands(shape, WqkvLayout::triples)) {
    const std::int64_t in_blocks = band_first_row(shape, WqkvLayout::blocks, band.part, band.head);
    EXPECT_TRUE(test::bitwise_equal(t.Wqkv.values.middleRows(band.first_row, shape.head_dim),
                                    b.Wqkv.values.middleRows(in_blocks, shape.head_dim)));
    same("QKV band", t.QKV.values.middleRows(band.first_row, shape.head_dim),
         b.QKV.values.middleRows(in_blocks, shape.head_dim));
  }
  // With one kv head the single triple [q1 … qH; k; v] is the block order.
  EXPECT_EQ(test::bitwise_equal(t.Wqkv.values, b.Wqkv.values), shape.kv_heads == 1);

  for (std::int64_t h = 0; h < shape.heads; ++h) {
    SCOPED_TRACE("head " + std::to_string(h));
    const auto i = static_cast<std::size_t>(h);
    for (const AttentionTrace* tr : {&b, &t}) {
      const HeadTrace& ht = tr->heads[i];
      EXPECT_EQ(ht.head, h);
      EXPECT_EQ(ht.kv_head, shape.kv_head_of(h));
      EXPECT_EQ(ht.q_row, band_first_row(shape, tr->options.layout, Part::q, h));
      EXPECT_EQ(ht.k_row, band_first_row(shape, tr->options.layout, Part::k, ht.kv_head));
      EXPECT_EQ(ht.v_row, band_first_row(shape, tr->options.layout, Part::v, ht.kv_head));
    }
    same("q", t.q(h), b.q(h));
    same("k", t.k(h), b.k(h));
    same("v", t.v(h), b.v(h));
    same("S", t.heads[i].S.values, b.heads[i].S.values);
    same("A", t.heads[i].A.values, b.heads[i].A.values);
    same("Z_h", t.heads[i].Z.values, b.heads[i].Z.values);
  }
  same("Z", t.Z.values, b.Z.values);
  same("O", t.O.values, b.O.values);
}

TEST(WqkvLayout, BothLayoutsGiveIdenticalPerHeadResults) {
  for (const test::ShapeCase& c : test::small_cases())
    for (ValueMode mode : {ValueMode::small_integers, ValueMode::gaussian})
      expect_same_per_head_results(c.shape, mode);
}

TEST(WqkvLayout, RowOrdersDifferWhenThereAreSeveralGroups) {
  for (const Shape& shape :
       {worked_example(), make_shape(6, 4, 4, 2, 2), make_shape(6, 4, 2, 3, 2)}) {
    SCOPED_TRACE(test::shape_text(shape));
    const AttentionTrace b = trace_of(shape, WqkvLayout::blocks, ValueMode::small_integers);
    const AttentionTrace t = trace_of(shape, WqkvLayout::triples, ValueMode::small_integers);
    EXPECT_FALSE(test::bitwise_equal(b.Wqkv.values, t.Wqkv.values));
    EXPECT_FALSE(test::bitwise_equal(b.QKV.values, t.QKV.values));
    // Same multiset of rows: the sorted row sums agree.
    std::multiset<float> rb, rt;
    for (Eigen::Index r = 0; r < b.Wqkv.values.rows(); ++r) {
      rb.insert(b.Wqkv.values.row(r).sum());
      rt.insert(t.Wqkv.values.row(r).sum());
    }
    EXPECT_EQ(rb, rt);
  }
}

} // namespace
} // namespace abh
