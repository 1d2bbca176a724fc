#include "core/values.hpp"

#include <cmath>

namespace abh {

std::string_view value_mode_key(ValueMode mode) {
  return mode == ValueMode::small_integers ? "small_integers" : "gaussian";
}

namespace {

std::uint64_t mix(std::uint64_t x) { // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t element_hash(std::uint64_t seed, std::uint64_t stream, std::int64_t row,
                           std::int64_t col) {
  return mix(mix(mix(seed ^ (stream << 56)) ^ static_cast<std::uint64_t>(row)) ^
             (static_cast<std::uint64_t>(col) << 1));
}

float unit_interval(std::uint64_t bits) { // (0, 1]
  return static_cast<float>((bits >> 40) + 1) * (1.0f / 16777216.0f);
}

float small_integer(std::uint64_t h) {
  // Multiply-shift maps 32 random bits evenly onto 0..6.
  return static_cast<float>(static_cast<int>(((h >> 32) * 7) >> 32) - 3);
}

void fill(Eigen::Ref<Eigen::MatrixXf> m, ValueMode mode, std::uint64_t seed, std::uint64_t stream,
          float gaussian_scale) {
  const Eigen::Index rows = m.rows(), cols = m.cols();
#pragma omp parallel for if (rows * cols > 65536)
  for (Eigen::Index c = 0; c < cols; ++c) {
    if (mode == ValueMode::small_integers) {
      for (Eigen::Index r = 0; r < rows; ++r)
        m(r, c) = small_integer(element_hash(seed, stream, r, c));
      continue;
    }
    // Box–Muller on two independent 24-bit halves of each hash, a column at
    // a time so Eigen's vectorised log and cos do the work. The length is
    // padded to whole packets so every row takes the same (vector) path and
    // a value never depends on how many rows its matrix has.
    const Eigen::Index padded = (rows + 63) / 64 * 64;
    Eigen::ArrayXf u1 = Eigen::ArrayXf::Constant(padded, 0.5f), u2 = u1;
    for (Eigen::Index r = 0; r < rows; ++r) {
      const std::uint64_t h = element_hash(seed, stream, r, c);
      u1(r) = unit_interval(h);
      u2(r) = unit_interval(h << 24);
    }
    const Eigen::ArrayXf g = (-2.0f * u1.log()).sqrt() * (6.28318530718f * u2).cos();
    m.col(c).array() = gaussian_scale * g.head(rows);
  }
}

enum Stream : std::uint64_t { x_stream = 1, q_stream, k_stream, v_stream, wo_stream };

} // namespace

Inputs make_inputs(const Shape& s, ValueMode mode, std::uint64_t seed) {
  const Eigen::Index n = s.seq, d = s.d_model, da = s.attention_width(),
                     kv = s.kv_heads * s.head_dim;
  Inputs in;
  in.X.resize(d, n);
  in.Wqkv_blocks.resize(da + 2 * kv, d);
  in.Wo.resize(d, da);
  const float w_scale = 1.0f / std::sqrt(static_cast<float>(d));
  fill(in.X, mode, seed, x_stream, 1.0f);
  fill(in.Wqkv_blocks.topRows(da), mode, seed, q_stream, w_scale);
  fill(in.Wqkv_blocks.middleRows(da, kv), mode, seed, k_stream, w_scale);
  fill(in.Wqkv_blocks.bottomRows(kv), mode, seed, v_stream, w_scale);
  fill(in.Wo, mode, seed, wo_stream, 1.0f / std::sqrt(static_cast<float>(da)));
  return in;
}

} // namespace abh
