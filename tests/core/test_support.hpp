#pragma once
// Helpers shared by the core tests: a deterministic RNG for sampling large
// shapes, conversions from the naive reference's nested vectors, and
// comparisons. Small shapes come from the case table in tests/support/shapes.hpp.

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <gtest/gtest.h>

#include "core/counts.hpp"
#include "core/naive_attention.hpp"
#include "core/shape.hpp"
#include "core/wqkv_layout.hpp"
#include "tests/support/shapes.hpp"

namespace abh::test {

// mt19937_64's output sequence is fixed by the standard, and `between` avoids
// the implementation-defined distributions, so shapes are the same everywhere.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}
  std::int64_t between(std::int64_t lo, std::int64_t hi) { // inclusive
    const auto span = static_cast<std::uint64_t>(hi - lo) + 1;
    return lo + static_cast<std::int64_t>(engine_() % span);
  }
  bool coin() { return (engine_() >> 63) != 0; }
  std::uint64_t bits() { return engine_(); }

private:
  std::mt19937_64 engine_;
};

inline std::vector<std::int64_t> divisors(std::int64_t n) {
  std::vector<std::int64_t> out;
  for (std::int64_t k = 1; k <= n; ++k)
    if (n % k == 0) out.push_back(k);
  return out;
}

// A random small configuration of any variant (H up to `max_heads`): what
// the case table does not think of. Valid by construction.
inline Shape random_variant(Rng& rng, std::int64_t max_heads = 4) {
  Shape s;
  s.seq = rng.between(1, 9);
  s.d_model = rng.between(1, 6);
  s.heads = rng.between(1, max_heads);
  s.head_dim = rng.between(1, 5);
  const std::vector<std::int64_t> kv = divisors(s.heads);
  s.kv_heads = kv[static_cast<std::size_t>(rng.between(0, static_cast<std::int64_t>(kv.size()) - 1))];
  s.causal = rng.coin();
  s.queries = rng.coin() ? 0 : rng.between(1, s.seq);
  s.batch = rng.between(1, 3);
  s.window = rng.coin() ? 0 : rng.between(1, 10);
  s.v_head_dim = rng.coin() ? 0 : rng.between(1, 5);
  if (s.head_dim > 1 && rng.between(0, 2) == 0) {
    s.kv_heads = s.heads;
    s.mla.kv_rank = rng.between(1, 5);
    s.mla.rope_dim = rng.between(0, s.head_dim - 1);
    s.mla.q_rank = rng.coin() ? 0 : rng.between(1, 4);
    s.mla.form = rng.coin() ? MlaForm::naive : MlaForm::absorbed;
  }
  return s;
}

inline Eigen::MatrixXd to_eigen(const NaiveAttention::Matrix& m) {
  const auto rows = static_cast<Eigen::Index>(m.size());
  const auto cols = rows == 0 ? Eigen::Index{0} : static_cast<Eigen::Index>(m.front().size());
  Eigen::MatrixXd out(rows, cols);
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c)
      out(r, c) = m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
  return out;
}

// The naive QKV (rows in [Q; K; V] block order) permuted into `layout` order.
inline Eigen::MatrixXd naive_qkv_in_layout(const Shape& shape, WqkvLayout layout,
                                           const NaiveAttention& naive) {
  const Eigen::MatrixXd blocks = to_eigen(naive.QKV);
  Eigen::MatrixXd out(blocks.rows(), blocks.cols());
  for (Eigen::Index row = 0; row < blocks.rows(); ++row) {
    const WqkvBand band = band_of_row(shape, layout, row);
    const std::int64_t source =
        band_first_row(shape, WqkvLayout::blocks, band.part, band.head) + (row - band.first_row);
    out.row(row) = blocks.row(static_cast<Eigen::Index>(source));
  }
  return out;
}

// sum((a-b)²) / sum(b²); 0 when both are zero, +inf when only b is zero.
inline double nmse(const Eigen::MatrixXf& actual, const Eigen::MatrixXd& expected) {
  const Eigen::MatrixXd a = actual.cast<double>();
  const double num = (a - expected).squaredNorm();
  const double den = expected.squaredNorm();
  if (den == 0) return num == 0 ? 0 : std::numeric_limits<double>::infinity();
  return num / den;
}

inline ::testing::AssertionResult nmse_below(const char* what, const Eigen::MatrixXf& actual,
                                             const Eigen::MatrixXd& expected, double tolerance) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
    return ::testing::AssertionFailure()
           << what << ": size " << actual.rows() << "×" << actual.cols() << " vs expected "
           << expected.rows() << "×" << expected.cols();
  const double e = nmse(actual, expected);
  if (e <= tolerance) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << what << ": nmse " << e << " > " << tolerance;
}

// Every element within tol·(1 + |expected|), or tol·(1 + max|expected|) with
// `relative_to_max`: for near-one-hot softmax, where exp() amplifies rounding.
inline ::testing::AssertionResult elementwise_close(const char* what, const Eigen::MatrixXf& actual,
                                                    const Eigen::MatrixXd& expected, double tol,
                                                    bool relative_to_max = false) {
  if (actual.rows() != expected.rows() || actual.cols() != expected.cols())
    return ::testing::AssertionFailure()
           << what << ": size " << actual.rows() << "×" << actual.cols() << " vs expected "
           << expected.rows() << "×" << expected.cols();
  const double scale = expected.size() == 0 ? 0.0 : expected.cwiseAbs().maxCoeff();
  for (Eigen::Index c = 0; c < expected.cols(); ++c)
    for (Eigen::Index r = 0; r < expected.rows(); ++r) {
      const double a = static_cast<double>(actual(r, c)), b = expected(r, c);
      const double allowed = tol * (1 + (relative_to_max ? scale : std::fabs(b)));
      if (!(std::fabs(a - b) <= allowed))
        return ::testing::AssertionFailure() << what << "(" << r << "," << c << ") = " << a
                                             << ", expected " << b << " ± " << allowed;
    }
  return ::testing::AssertionSuccess();
}

inline bool bitwise_equal(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && (a.array() == b.array()).all();
}

// Field-by-field comparison of stage counts, naming the first field that differs.
inline ::testing::AssertionResult stage_counts_equal(const StageCounts& actual,
                                                     const StageCounts& expected) {
  struct Field {
    const char* name;
    std::int64_t StageCounts::*member;
  };
  static constexpr Field fields[] = {{"dot_products", &StageCounts::dot_products},
                                     {"multiplies", &StageCounts::multiplies},
                                     {"adds", &StageCounts::adds},
                                     {"exps", &StageCounts::exps},
                                     {"divides", &StageCounts::divides}};
  for (const Field& f : fields)
    if (actual.*f.member != expected.*f.member)
      return ::testing::AssertionFailure()
             << f.name << ": " << actual.*f.member << " vs expected " << expected.*f.member;
  return ::testing::AssertionSuccess();
}

} // namespace abh::test
