#include "core/mla_trace.hpp"

#include "core/checked_int.hpp"
#include "core/wqkv_layout.hpp"

namespace abh {

std::vector<TraceMatrix> MlaTrace::matrices() const {
  std::vector<TraceMatrix> out;
  const auto add = [&](const NamedMatrix& m, std::optional<Stage> stage) {
    if (m.values.size() > 0) out.push_back({&m, stage, -1});
  };
  add(W_DKV, std::nullopt);
  add(C_KV, Stage::latent_projection);
  add(W_KR, std::nullopt);
  add(k_R, Stage::latent_projection);
  add(W_DQ, std::nullopt);
  if (compressed_queries()) {
    add(c_Q, Stage::latent_projection);
    add(W_UQ, std::nullopt);
    add(Q, Stage::query_up);
  } else {
    add(Q, Stage::latent_projection);
  }
  add(W_UK, std::nullopt);
  add(K, Stage::kv_up);
  add(W_UV, std::nullopt);
  add(V, Stage::kv_up);
  return out;
}

std::int64_t mla_trace_floats(const Shape& s) {
  if (!s.is_mla()) return 0;
  const std::int64_t n = s.seq, d = s.d_model, H = s.heads, dh = s.head_dim, dv = s.value_dim();
  const std::int64_t dq = s.mla.q_rank, dc = s.mla.kv_rank, dr = s.mla.rope_dim, dn = dh - dr;
  const std::int64_t q_in = dq > 0 ? dq : checked_mul(H, dh);
  // Down-projection weights and outputs: (q_in + dc + dr) × (d + n).
  std::int64_t floats = checked_mul(checked_add(q_in, dc + dr), checked_add(d, n));
  if (dq > 0) floats = checked_add(floats, checked_product(H, dh, checked_add(dq, n))); // W_UQ, Q
  const std::int64_t up_rows = checked_mul(H, dn + dv);
  return checked_add(floats, checked_mul(up_rows, checked_add(dc, n))); // W_UK, W_UV, K, V
}

namespace {

void set(NamedMatrix& m, const char* name, Eigen::MatrixXf values) {
  m.name = name;
  m.values = std::move(values);
}

} // namespace

std::shared_ptr<const MlaTrace> trace_mla_latent(AttentionTrace& t, const Shape& s,
                                                 const Inputs& in) {
  auto m = std::make_shared<MlaTrace>();
  m->ranks = s.mla;
  m->heads = s.heads;
  m->head_dim = s.head_dim;
  m->value_dim = s.value_dim();
  const Eigen::Index H = s.heads, dh = s.head_dim, dv = s.value_dim(), dq = s.mla.q_rank,
                     dc = s.mla.kv_rank, dr = s.mla.rope_dim, dn = dh - dr;
  const Eigen::Index q_in = dq > 0 ? dq : H * dh;
  const Eigen::MatrixXf& X = t.X.values;
  // Wd's rows are [c_q or q; c; k_rope] (values.hpp).
  set(m->W_DKV, "W_DKV", in.Wd.middleRows(q_in, dc));
  set(m->W_KR, "W_KR", in.Wd.bottomRows(dr));
  set(m->W_DQ, dq > 0 ? "W_DQ" : "W_Q", in.Wd.topRows(q_in));
  set(m->W_UK, "W_UK", in.Wukv.topRows(H * dn));
  set(m->W_UV, "W_UV", in.Wukv.bottomRows(H * dv));
  set(m->C_KV, "C_KV", m->W_DKV.values * X);
  set(m->k_R, "k_R", m->W_KR.values * X);
  if (dq > 0) {
    set(m->W_UQ, "W_UQ", in.Wuq);
    set(m->c_Q, "c_Q", m->W_DQ.values * X);
    set(m->Q, "Q", m->W_UQ.values * m->c_Q.values);
  } else {
    set(m->Q, "Q", m->W_DQ.values * X);
  }
  set(m->K, "K", m->W_UK.values * m->C_KV.values);
  set(m->V, "V", m->W_UV.values * m->C_KV.values);

  const WqkvLayout layout = t.options.layout;
  for (Eigen::Index h = 0; h < H; ++h) {
    const Eigen::Index q = band_first_row(t.shape, layout, Part::q, h),
                       k = band_first_row(t.shape, layout, Part::k, h),
                       v = band_first_row(t.shape, layout, Part::v, h);
    t.QKV.values.middleRows(q, dh) = m->Q.values.middleRows(h * dh, dh);
    t.QKV.values.middleRows(k, dn) = m->K.values.middleRows(h * dn, dn);
    t.QKV.values.middleRows(k + dn, dr) = m->k_R.values;
    t.QKV.values.middleRows(v, dv) = m->V.values.middleRows(h * dv, dv);
  }
  return m;
}

} // namespace abh
