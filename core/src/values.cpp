#include "core/values.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include <cblas.h>

#include "core/example_sentence.hpp"

namespace abh {

namespace {

struct ValueModeNames {
  ValueMode mode;
  std::string_view key, label;
};
constexpr std::array<ValueModeNames, 4> value_mode_names{{
    {ValueMode::by_hand, "by_hand", "by hand"},
    {ValueMode::small_integers, "small_integers", "small integers"},
    {ValueMode::gaussian, "gaussian", "Gaussian"},
    {ValueMode::sentence, "sentence", "example sentence"},
}};

const ValueModeNames& names_of(ValueMode mode) {
  return *std::find_if(value_mode_names.begin(), value_mode_names.end(),
                       [mode](const ValueModeNames& n) { return n.mode == mode; });
}

} // namespace

std::string_view value_mode_key(ValueMode mode) { return names_of(mode).key; }
std::string_view value_mode_label(ValueMode mode) { return names_of(mode).label; }

std::optional<ValueMode> value_mode_from_key(std::string_view key) {
  for (const ValueModeNames& n : value_mode_names)
    if (n.key == key) return n.mode;
  return std::nullopt;
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

// Multiply-shift maps 32 random bits evenly onto lo..lo+count-1.
float uniform_integer(std::uint64_t h, int lo, int count) {
  return static_cast<float>(static_cast<int>(((h >> 32) * static_cast<std::uint64_t>(count)) >> 32) +
                            lo);
}

void fill(Eigen::Ref<Eigen::MatrixXf> m, ValueMode mode, std::uint64_t seed, std::uint64_t stream,
          float gaussian_scale) {
  const Eigen::Index rows = m.rows(), cols = m.cols();
#pragma omp parallel for if (rows * cols > 65536)
  for (Eigen::Index c = 0; c < cols; ++c) {
    if (mode != ValueMode::gaussian) {
      const int lo = mode == ValueMode::by_hand ? -1 : -3;
      for (Eigen::Index r = 0; r < rows; ++r)
        m(r, c) = uniform_integer(element_hash(seed, stream, r, c), lo, 1 - 2 * lo);
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

// By-hand weights: in each row, the `by_hand_row_nonzeros` columns with the
// smallest element hashes are ±1 (the sign is another bit of the same hash),
// the rest 0. So every row reads a few features, and a q or k entry is a sum
// of at most three ±x terms: the scaled scores S/√dh then spread by about
// two units whatever d, H and dh are, which keeps softmax columns soft.
void fill_sparse_signs(Eigen::Ref<Eigen::MatrixXf> m, std::uint64_t seed, std::uint64_t stream,
                       Eigen::Index nonzeros = by_hand_row_nonzeros) {
  const Eigen::Index rows = m.rows(), cols = m.cols();
  const Eigen::Index keep = std::min<Eigen::Index>(nonzeros, cols);
#pragma omp parallel for if (rows * cols > 65536)
  for (Eigen::Index r = 0; r < rows; ++r) {
    std::vector<std::pair<std::uint64_t, Eigen::Index>> hashes(static_cast<std::size_t>(cols));
    for (Eigen::Index c = 0; c < cols; ++c)
      hashes[static_cast<std::size_t>(c)] = {element_hash(seed, stream, r, c), c};
    std::nth_element(hashes.begin(), hashes.begin() + (keep - 1), hashes.end());
    for (Eigen::Index c = 0; c < cols; ++c) m(r, c) = 0.0f;
    for (Eigen::Index i = 0; i < keep; ++i) {
      const auto [hash, c] = hashes[static_cast<std::size_t>(i)];
      m(r, c) = (hash >> 7) & 1 ? 1.0f : -1.0f;
    }
  }
}

enum Stream : std::uint64_t {
  x_stream = 1, q_stream, k_stream, v_stream, wo_stream, wd_stream, wuq_stream, wukv_stream
};

// One weight matrix in the mode's distribution (fan-in = its columns);
// by hand, `nonzeros` ±1 per row.
void fill_weight(Eigen::MatrixXf& m, ValueMode mode, std::uint64_t seed, Stream stream,
                 Eigen::Index nonzeros = by_hand_row_nonzeros) {
  if (mode == ValueMode::by_hand) fill_sparse_signs(m, seed, stream, nonzeros);
  else fill(m, mode, seed, stream, 1.0f / std::sqrt(static_cast<float>(m.cols())));
}

void make_mla_weights(Inputs& in, const Shape& s, ValueMode mode, std::uint64_t seed) {
  const Eigen::Index H = s.heads, dh = s.head_dim, dv = s.value_dim(), dq = s.mla.q_rank,
                     dc = s.mla.kv_rank, dr = s.mla.rope_dim, dn = dh - dr;
  in.Wd.resize((dq > 0 ? dq : H * dh) + dc + dr, s.d_model);
  fill_weight(in.Wd, mode, seed, wd_stream);
  if (dq > 0) {
    in.Wuq.resize(H * dh, dq);
    fill_weight(in.Wuq, mode, seed, wuq_stream, by_hand_up_nonzeros);
  }
  in.Wukv.resize(H * (dn + dv), dc);
  fill_weight(in.Wukv, mode, seed, wukv_stream, by_hand_up_nonzeros);
  in.Wo.resize(s.d_model, H * dv);
  fill_weight(in.Wo, mode, seed, wo_stream);
  in.Wqkv_blocks = mla_equivalent_wqkv(s, in);
}

} // namespace

Inputs make_inputs(const Shape& s, ValueMode mode, std::uint64_t seed) {
  if (mode == ValueMode::sentence) return example_sentence_inputs(s);
  const Eigen::Index n = s.seq, d = s.d_model, da = s.attention_width(),
                     k_rows = s.kv_heads * s.head_dim, v_rows = s.kv_heads * s.value_dim();
  Inputs in;
  in.X.resize(d, n);
  fill(in.X, mode, seed, x_stream, 1.0f);
  if (s.is_mla()) {
    make_mla_weights(in, s, mode, seed);
    return in;
  }
  in.Wqkv_blocks.resize(da + k_rows + v_rows, d);
  in.Wo.resize(d, s.value_width());
  if (mode == ValueMode::by_hand) {
    fill_sparse_signs(in.Wqkv_blocks.topRows(da), seed, q_stream);
    fill_sparse_signs(in.Wqkv_blocks.middleRows(da, k_rows), seed, k_stream);
    fill_sparse_signs(in.Wqkv_blocks.bottomRows(v_rows), seed, v_stream);
    fill_sparse_signs(in.Wo, seed, wo_stream);
    return in;
  }
  const float w_scale = 1.0f / std::sqrt(static_cast<float>(d));
  fill(in.Wqkv_blocks.topRows(da), mode, seed, q_stream, w_scale);
  fill(in.Wqkv_blocks.middleRows(da, k_rows), mode, seed, k_stream, w_scale);
  fill(in.Wqkv_blocks.bottomRows(v_rows), mode, seed, v_stream, w_scale);
  fill(in.Wo, mode, seed, wo_stream, 1.0f / std::sqrt(static_cast<float>(in.Wo.cols())));
  return in;
}

namespace {

// a·b in OpenBLAS (b copied to contiguous storage first).
Eigen::MatrixXf blas_product(const Eigen::MatrixXf& a, const Eigen::MatrixXf& b) {
  Eigen::MatrixXf c(a.rows(), b.cols());
  const auto i = [](Eigen::Index v) { return static_cast<blasint>(v); };
  cblas_sgemm(CblasColMajor, CblasNoTrans, CblasNoTrans, i(a.rows()), i(b.cols()), i(a.cols()), 1.0f,
              a.data(), i(std::max<Eigen::Index>(1, a.rows())), b.data(),
              i(std::max<Eigen::Index>(1, b.rows())), 0.0f, c.data(), i(std::max<Eigen::Index>(1, c.rows())));
  return c;
}

} // namespace

Eigen::MatrixXf mla_equivalent_wqkv(const Shape& s, const Inputs& in) {
  const Eigen::Index H = s.heads, dh = s.head_dim, dv = s.value_dim(), dq = s.mla.q_rank,
                     dc = s.mla.kv_rank, dr = s.mla.rope_dim, dn = dh - dr;
  const Eigen::Index q_in = dq > 0 ? dq : H * dh;
  Eigen::MatrixXf W(H * dh * 2 + H * dv, s.d_model);
  const auto Wdq = in.Wd.topRows(q_in), Wdc = in.Wd.middleRows(q_in, dc),
             Wdr = in.Wd.bottomRows(dr);
  // The two large products (DeepSeek V3, 16 heads: 3072 × 1536 × 7168 and
  // 4096 × 512 × 7168) in OpenBLAS, then their rows put in place.
  if (dq > 0) W.topRows(H * dh) = blas_product(in.Wuq, Wdq);
  else W.topRows(H * dh) = Wdq;
  const Eigen::MatrixXf up = blas_product(in.Wukv, Wdc); // [k_nope of every head; v of every head]
  for (Eigen::Index h = 0; h < H; ++h) {
    const Eigen::Index k0 = H * dh + h * dh, v0 = 2 * H * dh + h * dv;
    W.middleRows(k0, dn) = up.middleRows(h * dn, dn);
    W.middleRows(k0 + dn, dr) = Wdr;
    W.middleRows(v0, dv) = up.middleRows(H * dn + h * dv, dv);
  }
  return W;
}

} // namespace abh
