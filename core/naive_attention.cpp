#include "core/naive_attention.hpp"

#include <algorithm>
#include <cmath>

namespace abh {

namespace {

using Matrix = NaiveAttention::Matrix;

// Counts every operation on the stage it is working for.
struct Counter {
  StageCounts* stage = nullptr;
  double mul(double a, double b) { ++stage->multiplies; return a * b; }
  double add(double a, double b) { ++stage->adds; return a + b; }
  double exp(double a) { ++stage->exps; return std::exp(a); }
  double div(double a, double b) { ++stage->divides; return a / b; }
  // A dot product of `length` pairs: length multiplies, length − 1 adds.
  template <typename Left, typename Right>
  double dot(std::int64_t length, Left left, Right right) {
    ++stage->dot_products;
    double acc = mul(left(0), right(0));
    for (std::int64_t i = 1; i < length; ++i) acc = add(acc, mul(left(i), right(i)));
    return acc;
  }
};

Matrix zeros(std::int64_t rows, std::int64_t cols) {
  return Matrix(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(cols)));
}

double& at(Matrix& m, std::int64_t r, std::int64_t c) {
  return m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
}

} // namespace

NaiveAttention naive_attention(const Shape& s, const Inputs& in) {
  const std::int64_t n = s.seq, d = s.d_model, H = s.heads, dh = s.head_dim;
  const std::int64_t da = H * dh, rows = s.wqkv_rows(), kv_rows = s.kv_heads * dh;
  NaiveAttention out;
  Counter count;
  auto stage = [&](Stage st) { count.stage = &out.performed[static_cast<std::size_t>(st)]; };

  stage(Stage::projection);
  out.QKV = zeros(rows, n);
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t t = 0; t < n; ++t)
      at(out.QKV, r, t) = count.dot(d, [&](std::int64_t i) { return double{in.Wqkv_blocks(r, i)}; },
                                    [&](std::int64_t i) { return double{in.X(i, t)}; });

  const double scale = 1.0 / std::sqrt(static_cast<double>(dh));
  Matrix Zall = zeros(da, n);
  for (std::int64_t h = 0; h < H; ++h) {
    const std::int64_t q0 = h * dh, g = s.kv_head_of(h);
    const std::int64_t k0 = da + g * dh, v0 = da + kv_rows + g * dh;
    auto visible = [&](std::int64_t key, std::int64_t query) { return !s.causal || key <= query; };

    stage(Stage::scores);
    Matrix S = zeros(n, n);
    for (std::int64_t key = 0; key < n; ++key)
      for (std::int64_t query = 0; query < n; ++query)
        if (visible(key, query))
          at(S, key, query) = count.dot(dh, [&](std::int64_t i) { return at(out.QKV, k0 + i, key); },
                                        [&](std::int64_t i) { return at(out.QKV, q0 + i, query); });

    stage(Stage::scale);
    Matrix scaled = zeros(n, n);
    for (std::int64_t key = 0; key < n; ++key)
      for (std::int64_t query = 0; query < n; ++query)
        if (visible(key, query)) at(scaled, key, query) = count.mul(at(S, key, query), scale);

    stage(Stage::softmax);
    Matrix A = zeros(n, n);
    for (std::int64_t query = 0; query < n; ++query) {
      const std::int64_t valid = s.causal ? query + 1 : n;
      double top = at(scaled, 0, query);
      for (std::int64_t key = 1; key < valid; ++key) top = std::max(top, at(scaled, key, query));
      double sum = 0;
      for (std::int64_t key = 0; key < valid; ++key) {
        ++out.softmax_max_subtracts;
        at(A, key, query) = count.exp(at(scaled, key, query) - top);
        sum = key == 0 ? at(A, key, query) : count.add(sum, at(A, key, query));
      }
      for (std::int64_t key = 0; key < valid; ++key)
        at(A, key, query) = count.div(at(A, key, query), sum);
    }

    stage(Stage::weighted_sum);
    Matrix Z = zeros(dh, n);
    for (std::int64_t r = 0; r < dh; ++r)
      for (std::int64_t query = 0; query < n; ++query) {
        // Only the keys this query sees contribute: masked weights are not multiplied.
        const std::int64_t valid = s.causal ? query + 1 : n;
        at(Z, r, query) = count.dot(valid, [&](std::int64_t key) { return at(out.QKV, v0 + r, key); },
                                    [&](std::int64_t key) { return at(A, key, query); });
        at(Zall, q0 + r, query) = at(Z, r, query);
      }
    out.S.push_back(std::move(S));
    out.A.push_back(std::move(A));
    out.Z.push_back(std::move(Z));
  }

  stage(Stage::output);
  out.O = zeros(d, n);
  for (std::int64_t r = 0; r < d; ++r)
    for (std::int64_t t = 0; t < n; ++t)
      at(out.O, r, t) = count.dot(da, [&](std::int64_t i) { return double{in.Wo(r, i)}; },
                                  [&](std::int64_t i) { return at(Zall, i, t); });
  return out;
}

} // namespace abh
