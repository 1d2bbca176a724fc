// The heads control's rules (core/shape_edit, no window): with the lock,
// H·dh stays fixed so the same Wqkv is re-sliced; MHA stays MHA, MQA stays MQA.

#include <gtest/gtest.h>

#include "core/shape_edit.hpp"

namespace {

using abh::divisors;
using abh::nearest_divisor;
using abh::Shape;
using abh::with_heads;
using V = std::vector<std::int64_t>;

Shape shape(std::int64_t heads, std::int64_t head_dim, std::int64_t kv_heads) {
  Shape s;
  s.heads = heads;
  s.head_dim = head_dim;
  s.kv_heads = kv_heads;
  return s;
}

TEST(ShapeEdit, Divisors) {
  EXPECT_EQ(divisors(1), (V{1}));
  EXPECT_EQ(divisors(7), (V{1, 7}));
  EXPECT_EQ(divisors(16), (V{1, 2, 4, 8, 16}));
  EXPECT_EQ(divisors(36), (V{1, 2, 3, 4, 6, 9, 12, 18, 36}));
  EXPECT_EQ(divisors(768).size(), 18u);
  for (std::int64_t n = 1; n <= 200; ++n) {
    const V d = divisors(n);
    EXPECT_TRUE(std::is_sorted(d.begin(), d.end())) << n;
    std::size_t expected = 0;
    for (std::int64_t k = 1; k <= n; ++k) expected += n % k == 0;
    EXPECT_EQ(d.size(), expected) << n;
    for (std::int64_t k : d) EXPECT_EQ(n % k, 0) << n;
  }
}

TEST(ShapeEdit, NearestDivisorTiesGoToTheLarger) {
  EXPECT_EQ(nearest_divisor(36, 4), 4);
  EXPECT_EQ(nearest_divisor(36, 5), 6) << "4 and 6 are equally near";
  EXPECT_EQ(nearest_divisor(36, 8), 9);
  EXPECT_EQ(nearest_divisor(36, 100), 36);
  EXPECT_EQ(nearest_divisor(36, 0), 1);
  EXPECT_EQ(nearest_divisor(7, 3), 1);
  EXPECT_EQ(nearest_divisor(7, 4), 7) << "1 and 7 are equally near";
}

TEST(ShapeEdit, LockKeepsWqkvHeight) {
  const Shape worked = abh::worked_example();
  for (std::int64_t wanted = 0; wanted <= 50; ++wanted) {
    const Shape s = with_heads(worked, wanted, true);
    EXPECT_EQ(s.heads * s.head_dim, 36) << "wanted " << wanted;
    EXPECT_EQ(s.wqkv_rows(), worked.wqkv_rows()) << "same Wqkv, sliced differently";
    EXPECT_EQ(s.heads, nearest_divisor(36, std::max<std::int64_t>(wanted, 1)));
    EXPECT_EQ(s.seq, worked.seq);
    EXPECT_EQ(s.d_model, worked.d_model);
    EXPECT_EQ(s.causal, worked.causal);
    EXPECT_NO_THROW(abh::validate(s)) << wanted;
  }
  EXPECT_EQ(with_heads(worked, 4, true), shape(4, 9, 4));
  EXPECT_EQ(with_heads(worked, 1, true), shape(1, 36, 1));
  EXPECT_EQ(with_heads(worked, 36, true), shape(36, 1, 36));
}

TEST(ShapeEdit, WithoutTheLockHeadDimStays) {
  const Shape worked = abh::worked_example();
  const Shape s = with_heads(worked, 5, false);
  EXPECT_EQ(s.heads, 5);
  EXPECT_EQ(s.head_dim, 12);
  EXPECT_EQ(s.kv_heads, 5);
  EXPECT_EQ(with_heads(worked, 0, false).heads, 1);
}

TEST(ShapeEdit, MultiHeadStaysMultiHead) {
  for (bool lock : {true, false})
    for (std::int64_t wanted : {1, 2, 4, 6, 9, 12, 36}) {
      const Shape s = with_heads(shape(3, 12, 3), wanted, lock);
      EXPECT_EQ(s.kv_heads, s.heads) << wanted;
    }
}

TEST(ShapeEdit, MultiQueryStaysMultiQuery) {
  for (bool lock : {true, false})
    for (std::int64_t wanted : {1, 2, 4, 6, 9, 12, 36}) {
      const Shape s = with_heads(shape(3, 12, 1), wanted, lock);
      EXPECT_EQ(s.kv_heads, 1) << wanted;
      EXPECT_NO_THROW(abh::validate(s));
    }
}

TEST(ShapeEdit, GroupedKeepsTheLargestDivisorNotAboveTheOldKvHeads) {
  // H=4, Hkv=2 (two query heads per kv head), dh=9.
  const Shape grouped = shape(4, 9, 2);
  EXPECT_EQ(with_heads(grouped, 6, true).kv_heads, 2);
  EXPECT_EQ(with_heads(grouped, 12, true).kv_heads, 2);
  EXPECT_EQ(with_heads(grouped, 9, true).kv_heads, 1) << "no divisor of 9 between 2 and 1";
  EXPECT_EQ(with_heads(grouped, 3, true).kv_heads, 1);
  const Shape wide = shape(12, 3, 4);
  EXPECT_EQ(with_heads(wide, 18, true).kv_heads, 3);
  EXPECT_EQ(with_heads(wide, 36, true).kv_heads, 4);
  for (std::int64_t wanted = 1; wanted <= 40; ++wanted) {
    const Shape s = with_heads(wide, wanted, true);
    EXPECT_EQ(s.heads % s.kv_heads, 0) << wanted;
    EXPECT_LE(s.kv_heads, 4) << wanted;
    EXPECT_NO_THROW(abh::validate(s)) << wanted;
  }
}

} // namespace
