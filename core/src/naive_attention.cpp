#include "core/naive_attention.hpp"

#include <algorithm>
#include <cmath>

#include "core/program.hpp"

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

Matrix& of_head(std::vector<Matrix>& per_head, std::int64_t h) {
  return per_head[static_cast<std::size_t>(h)];
}

} // namespace

// Runs the program's stages in order, each over every head, with plain loops.
NaiveAttention naive_attention(const Shape& s, const Inputs& in) {
  const std::int64_t n = s.seq, d = s.d_model, H = s.heads, dh = s.head_dim;
  const std::int64_t da = H * dh, rows = s.wqkv_rows(), kv_rows = s.kv_heads * dh;
  const double scale = 1.0 / std::sqrt(static_cast<double>(dh));
  auto visible = [&](std::int64_t key, std::int64_t query) { return !s.causal || key <= query; };
  auto keys_seen = [&](std::int64_t query) { return s.causal ? query + 1 : n; };
  // First rows of q_h, k_h, v_h in QKV ([Q; K; V] block order).
  auto q0 = [&](std::int64_t h) { return h * dh; };
  auto k0 = [&](std::int64_t h) { return da + s.kv_head_of(h) * dh; };
  auto v0 = [&](std::int64_t h) { return da + kv_rows + s.kv_head_of(h) * dh; };

  NaiveAttention out;
  out.S.assign(static_cast<std::size_t>(H), zeros(n, n));
  out.A.assign(static_cast<std::size_t>(H), zeros(n, n));
  out.Z.assign(static_cast<std::size_t>(H), zeros(dh, n));
  std::vector<Matrix> scaled(static_cast<std::size_t>(H), zeros(n, n));
  Counter count;

  for (const StageSpec& stage : attention_program(s).stages) {
    count.stage = &out.performed[static_cast<std::size_t>(stage.id)];
    switch (stage.id) {
    case Stage::projection:
      out.QKV = zeros(rows, n);
      for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t t = 0; t < n; ++t)
          at(out.QKV, r, t) =
              count.dot(d, [&](std::int64_t i) { return double{in.Wqkv_blocks(r, i)}; },
                        [&](std::int64_t i) { return double{in.X(i, t)}; });
      break;
    case Stage::scores:
      for (std::int64_t h = 0; h < H; ++h)
        for (std::int64_t key = 0; key < n; ++key)
          for (std::int64_t query = 0; query < n; ++query)
            if (visible(key, query))
              at(of_head(out.S, h), key, query) =
                  count.dot(dh, [&](std::int64_t i) { return at(out.QKV, k0(h) + i, key); },
                            [&](std::int64_t i) { return at(out.QKV, q0(h) + i, query); });
      break;
    case Stage::scale:
      for (std::int64_t h = 0; h < H; ++h)
        for (std::int64_t key = 0; key < n; ++key)
          for (std::int64_t query = 0; query < n; ++query)
            if (visible(key, query))
              at(of_head(scaled, h), key, query) = count.mul(at(of_head(out.S, h), key, query), scale);
      break;
    case Stage::softmax:
      for (std::int64_t h = 0; h < H; ++h) {
        Matrix& A = of_head(out.A, h);
        Matrix& x = of_head(scaled, h);
        for (std::int64_t query = 0; query < n; ++query) {
          const std::int64_t valid = keys_seen(query);
          double top = at(x, 0, query);
          for (std::int64_t key = 1; key < valid; ++key) top = std::max(top, at(x, key, query));
          double sum = 0;
          for (std::int64_t key = 0; key < valid; ++key) {
            ++out.softmax_max_subtracts;
            at(A, key, query) = count.exp(at(x, key, query) - top);
            sum = key == 0 ? at(A, key, query) : count.add(sum, at(A, key, query));
          }
          for (std::int64_t key = 0; key < valid; ++key)
            at(A, key, query) = count.div(at(A, key, query), sum);
        }
      }
      break;
    case Stage::weighted_sum:
      for (std::int64_t h = 0; h < H; ++h)
        for (std::int64_t r = 0; r < dh; ++r)
          for (std::int64_t query = 0; query < n; ++query)
            // Only the keys this query sees contribute: masked weights are not multiplied.
            at(of_head(out.Z, h), r, query) = count.dot(
                keys_seen(query), [&](std::int64_t key) { return at(out.QKV, v0(h) + r, key); },
                [&](std::int64_t key) { return at(of_head(out.A, h), key, query); });
      break;
    case Stage::output:
      out.O = zeros(d, n);
      for (std::int64_t r = 0; r < d; ++r)
        for (std::int64_t t = 0; t < n; ++t)
          at(out.O, r, t) = count.dot(
              da, [&](std::int64_t i) { return double{in.Wo(r, i)}; },
              [&](std::int64_t i) { return at(of_head(out.Z, i / dh), i % dh, t); });
      break;
    case Stage::attention: break; // the reference runs the unfused program
    }
  }
  return out;
}

} // namespace abh
