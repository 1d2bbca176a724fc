// Every way a shape can be rejected: a ShapeError with one readable line.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/checked_int.hpp"
#include "core/counts.hpp"
#include "core/shape.hpp"
#include "core/trace.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

using test::make_shape;

// validate() throws ShapeError whose message is one non-empty line in
// core's own words (no command-line flag), naming `field` and containing `part`.
::testing::AssertionResult rejected(const Shape& shape, ShapeField field, const std::string& part) {
  try {
    validate(shape);
  } catch (const ShapeError& e) {
    const std::string message = e.what();
    if (message.empty()) return ::testing::AssertionFailure() << "empty message";
    if (message.find('\n') != std::string::npos)
      return ::testing::AssertionFailure() << "message has a newline: " << message;
    if (message.find("--") != std::string::npos)
      return ::testing::AssertionFailure() << "core speaks in flag names: " << message;
    if (e.field() != field)
      return ::testing::AssertionFailure() << "wrong field " << static_cast<int>(e.field())
                                           << " for: " << message;
    if (message.find(part) == std::string::npos)
      return ::testing::AssertionFailure() << "message \"" << message << "\" lacks \"" << part << "\"";
    return ::testing::AssertionSuccess() << message;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "not a ShapeError: " << e.what();
  }
  return ::testing::AssertionFailure() << "accepted " << test::shape_text(shape);
}
::testing::AssertionResult rejected(const Shape& shape, ShapeField field) {
  return rejected(shape, field, "");
}
// Errors about the shape as a whole (its counts overflow): no single field.
::testing::AssertionResult rejected(const Shape& shape, const std::string& part) {
  return rejected(shape, ShapeField::none, part);
}

TEST(Validation, NonPositiveDimensionsNameTheirFlag) {
  for (std::int64_t bad : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{-40},
                           std::numeric_limits<std::int64_t>::min()}) {
    SCOPED_TRACE(bad);
    EXPECT_TRUE(rejected(make_shape(bad, 36, 3, 12, 3), ShapeField::seq));
    EXPECT_TRUE(rejected(make_shape(40, bad, 3, 12, 3), ShapeField::d_model));
    EXPECT_TRUE(rejected(make_shape(40, 36, bad, 12, 3), ShapeField::heads));
    EXPECT_TRUE(rejected(make_shape(40, 36, 3, bad, 3), ShapeField::head_dim));
    EXPECT_TRUE(rejected(make_shape(40, 36, 3, 12, bad), ShapeField::kv_heads));
  }
  EXPECT_TRUE(rejected(make_shape(0, 36, 3, 12, 3), ShapeField::seq, "got 0"));
  EXPECT_TRUE(rejected(make_shape(-7, 36, 3, 12, 3), ShapeField::seq, "got -7"));
}

TEST(Validation, KvHeadsMustDivideHeads) {
  EXPECT_TRUE(rejected(make_shape(40, 36, 4, 12, 3), ShapeField::kv_heads));
  EXPECT_TRUE(rejected(make_shape(40, 36, 6, 12, 4), ShapeField::kv_heads, "divide"));
  EXPECT_TRUE(rejected(make_shape(40, 36, 3, 12, 2), ShapeField::kv_heads));
  // More kv heads than heads.
  EXPECT_TRUE(rejected(make_shape(40, 36, 3, 12, 6), ShapeField::kv_heads));
  EXPECT_TRUE(rejected(make_shape(40, 36, 2, 12, 4), ShapeField::kv_heads));
  EXPECT_TRUE(rejected(make_shape(40, 36, 1, 12, 2), ShapeField::kv_heads));
  // Every divisor is fine.
  for (std::int64_t kv : {1, 2, 3, 4, 6, 12}) EXPECT_NO_THROW(validate(make_shape(40, 36, 12, 12, kv)));
}

TEST(Validation, OverflowingCountsAreRejected) {
  EXPECT_TRUE(rejected(make_shape(4'000'000'000, 4'000'000'000, 3, 12, 3), "too large"));
  EXPECT_THROW(count(make_shape(4'000'000'000, 4'000'000'000, 3, 12, 3)), ShapeError);
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  EXPECT_TRUE(rejected(make_shape(max, 1, 1, 1, 1), "too large"));          // n² overflows
  EXPECT_TRUE(rejected(make_shape(1, 1, max, 2, 1), "too large"));          // H·dh overflows
  EXPECT_TRUE(rejected(make_shape(1, 1, 1, max, 1), "too large"));          // (da + 2·dh) overflows
  EXPECT_TRUE(rejected(make_shape(1, max, 1, 1, 1), "too large"));          // rows·d overflows
  EXPECT_TRUE(rejected(make_shape(3'037'000'500, 1, 1, 1, 1), "too large")); // n² just over
  Shape causal = make_shape(max, 1, 1, 1, 1);
  causal.causal = true;
  EXPECT_TRUE(rejected(causal, "too large"));
  // Counts of this MQA shape fit (flops ≈ 6.0e18), but its single-head
  // comparison's do not: one wide head has 3·da Wqkv rows (flops ≈ 1.2e19).
  Shape wide = make_shape(1, 1'364'242, 1024, std::int64_t{1} << 30, 1);
  EXPECT_NO_THROW(count(wide));
  EXPECT_THROW(count(single_head_of(wide)), ShapeError);
  EXPECT_TRUE(rejected(wide, "too large"));
}

TEST(Validation, LargeButCountableShapesAreValid) {
  Shape big = make_shape(1'000'000, 8192, 64, 128, 64);
  EXPECT_NO_THROW(validate(big));
  Counts c;
  ASSERT_NO_THROW(c = count(big));
  EXPECT_EQ(c[Stage::scores].dot_products, 64 * std::int64_t{1'000'000} * 1'000'000);
  EXPECT_EQ(c[Stage::scores].multiplies, 64 * std::int64_t{1'000'000} * 1'000'000 * 128);
  EXPECT_EQ(c.memory.scores_elements, 64 * std::int64_t{1'000'000} * 1'000'000);
  big.kv_heads = 8;
  big.causal = true;
  EXPECT_NO_THROW(validate(big));
  EXPECT_EQ(count(big)[Stage::scores].dot_products, 64 * std::int64_t{500'000} * 1'000'001);
}

TEST(Validation, TraceBudget) {
  const Shape big = make_shape(1'000'000, 8192, 64, 128, 64);
  try {
    check_trace_budget(big, default_trace_budget);
    ADD_FAILURE() << "a 1M-token trace passed the 2 GiB budget";
  } catch (const ShapeError& e) {
    const std::string message = e.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
    EXPECT_NE(message.find("too large"), std::string::npos) << message;
  }
  EXPECT_NO_THROW(count(big)); // counts are still exact
  EXPECT_NO_THROW(check_trace_budget(worked_example(), default_trace_budget));
  EXPECT_EQ(default_trace_budget, std::int64_t{2} * 1024 * 1024 * 1024);

  // trace_bytes against the list of matrices a trace holds.
  const Shape s = worked_example();
  const std::int64_t n = 40, d = 36, H = 3, da = 36, rows = 108;
  const std::int64_t floats = d * n + rows * d + rows * n + 2 * H * n * n + 2 * da * n + d * da + d * n;
  EXPECT_EQ(trace_bytes(s), 4 * floats);
  // The budget is inclusive.
  EXPECT_NO_THROW(check_trace_budget(s, trace_bytes(s)));
  EXPECT_THROW(check_trace_budget(s, trace_bytes(s) - 1), ShapeError);
  // Overflowing shapes make trace_bytes throw rather than wrap.
  EXPECT_THROW(trace_bytes(make_shape(4'000'000'000, 4'000'000'000, 3, 12, 3)), ShapeError);
  EXPECT_THROW(check_trace_budget(make_shape(4'000'000'000, 4'000'000'000, 3, 12, 3),
                                  default_trace_budget),
               ShapeError);
}

// trace_bytes never wraps: for any shape it is the exact byte count or a
// ShapeError (the matrices are summed in 128 bits here).
TEST(Validation, TraceBytesIsExactOrThrows) {
  __extension__ typedef __int128 Wide;
  test::Rng rng(99);
  int exact = 0, thrown = 0;
  for (int i = 0; i < 3000; ++i) {
    Shape s;
    s.seq = rng.between(1, std::int64_t{1} << rng.between(0, 40));
    s.d_model = rng.between(1, std::int64_t{1} << rng.between(0, 40));
    s.heads = rng.between(1, std::int64_t{1} << rng.between(0, 40));
    s.head_dim = rng.between(1, std::int64_t{1} << rng.between(0, 40));
    s.kv_heads = rng.coin() ? s.heads : 1;
    s.causal = rng.coin();
    SCOPED_TRACE(test::shape_text(s));
    const Wide n = s.seq, d = s.d_model, H = s.heads, dh = s.head_dim, kv = s.kv_heads;
    const Wide da = H * dh, rows = da + 2 * kv * dh;
    const Wide limit = std::numeric_limits<std::int64_t>::max();
    // Partial sums in the order a trace is listed; each must fit as well.
    const Wide parts[] = {d * n, rows * d, rows * n, 2 * H * n * n, 2 * da * n, d * da, d * n};
    bool fits = da <= limit && rows <= limit;
    Wide floats = 0;
    for (Wide p : parts) {
      fits = fits && p <= limit;
      floats += p;
      fits = fits && floats <= limit;
    }
    fits = fits && 4 * floats <= limit;
    if (fits) {
      ++exact;
      std::int64_t bytes = 0;
      ASSERT_NO_THROW(bytes = trace_bytes(s));
      EXPECT_EQ(bytes, static_cast<std::int64_t>(4 * floats));
    } else {
      ++thrown;
      EXPECT_THROW(trace_bytes(s), ShapeError);
      EXPECT_THROW(check_trace_budget(s, std::numeric_limits<std::int64_t>::max()), ShapeError);
    }
  }
  EXPECT_GT(exact, 300);
  EXPECT_GT(thrown, 300);
}

// H·dh fits in 64 bits but the Wqkv row count (H + 2·Hkv)·dh does not: a
// ShapeError, never a wrapped count (the ci-sanitize preset aborts on one).
TEST(Validation, TraceBytesWhenOnlyTheWqkvRowCountOverflows) {
  const Shape s = make_shape(1, 1, 1, 4'000'000'000'000'000'000, 1);
  EXPECT_THROW(trace_bytes(s), ShapeError);
  EXPECT_THROW(check_trace_budget(s, default_trace_budget), ShapeError);
}

TEST(Validation, ComputeTraceValidatesFirst) {
  TraceOptions options;
  EXPECT_THROW(compute_trace(make_shape(40, 36, 4, 12, 3), options), ShapeError);
  EXPECT_THROW(compute_trace(make_shape(0, 36, 3, 12, 3), options), ShapeError);
}

TEST(Validation, CheckedArithmetic) {
  const std::int64_t max = std::numeric_limits<std::int64_t>::max();
  const std::int64_t min = std::numeric_limits<std::int64_t>::min();
  EXPECT_EQ(checked_mul(3'037'000'499, 3'037'000'499), std::int64_t{9'223'372'030'926'249'001});
  EXPECT_THROW(checked_mul(3'037'000'500, 3'037'000'500), ShapeError);
  EXPECT_THROW(checked_mul(min, -1), ShapeError);
  EXPECT_EQ(checked_add(max - 1, 1), max);
  EXPECT_THROW(checked_add(max, 1), ShapeError);
  EXPECT_EQ(checked_sub(min + 1, 1), min);
  EXPECT_THROW(checked_sub(min, 1), ShapeError);
  EXPECT_EQ(checked_product(2, 3, 4, 5), 120);
  EXPECT_THROW(checked_product(std::int64_t{1} << 32, std::int64_t{1} << 16, std::int64_t{1} << 16),
               ShapeError);
  try {
    checked_mul(max, 2);
  } catch (const ShapeError& e) {
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

} // namespace
} // namespace abh
