#include "core/naive_attention.hpp"

#include <algorithm>
#include <cmath>

#include "core/program.hpp"

namespace abh {

namespace {

using Matrix = NaiveAttention::Matrix;
using Index = std::int64_t;

// Counts every operation on the stage it is working for; with no stage
// (work of earlier steps) it computes without counting.
struct Counter {
  StageCounts* stage = nullptr;
  StageCounts ignored;
  StageCounts& target() { return stage ? *stage : ignored; }
  double mul(double a, double b) { ++target().multiplies; return a * b; }
  double add(double a, double b) { ++target().adds; return a + b; }
  double exp(double a) { ++target().exps; return std::exp(a); }
  double div(double a, double b) { ++target().divides; return a / b; }
  // A dot product of `length` pairs: length multiplies, length − 1 adds.
  template <typename Left, typename Right>
  double dot(Index length, Left left, Right right) {
    ++target().dot_products;
    double acc = mul(left(0), right(0));
    for (Index i = 1; i < length; ++i) acc = add(acc, mul(left(i), right(i)));
    return acc;
  }
};

Matrix zeros(Index rows, Index cols) {
  return Matrix(static_cast<std::size_t>(rows), std::vector<double>(static_cast<std::size_t>(cols)));
}

double& at(Matrix& m, Index r, Index c) {
  return m[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
}

Matrix& of_head(std::vector<Matrix>& per_head, Index h) {
  return per_head[static_cast<std::size_t>(h)];
}

// The matrices one sequence's program builds, by name.
struct Work {
  Matrix QKV;               // standard: rows × n; MLA: the per-head q, k, v (block order)
  Matrix C, Q, KV;          // MLA: down-projection (n cols), queries (n_q cols), naive up-projection
  std::vector<Matrix> qc, u; // MLA absorbed, per head
  std::vector<Matrix> S, scaled, A, Z;
  Matrix O;
};

class Reference {
public:
  Reference(const Shape& s, const Inputs& in, NaiveAttention& out)
      : s_(s), in_(in), out_(out), n_(s.seq), nq_(s.query_count()), first_query_(s.seq - nq_),
        H_(s.heads), dh_(s.head_dim), dv_(s.value_dim()), dc_(s.mla.kv_rank),
        dr_(s.mla.rope_dim), dn_(dh_ - dr_), q_in_(s.mla.q_rank > 0 ? s.mla.q_rank : H_ * dh_) {}

  Work run_sequence() {
    Work w;
    const auto per_head = [&](Index rows, Index cols) {
      return std::vector<Matrix>(static_cast<std::size_t>(H_), zeros(rows, cols));
    };
    w.S = per_head(n_, nq_);
    w.scaled = w.S;
    w.A = w.S;
    w.Z = per_head(dv_, nq_);
    for (const StageSpec& stage : attention_program(s_).stages) {
      count_.stage = &out_.performed[static_cast<std::size_t>(stage.id)];
      run(stage.id, w);
    }
    if (s_.is_mla()) w.QKV = mla_qkv(w);
    return w;
  }

private:
  const Shape& s_;
  const Inputs& in_;
  NaiveAttention& out_;
  Counter count_;
  const Index n_, nq_, first_query_, H_, dh_, dv_, dc_, dr_, dn_, q_in_;

  Index kv_rows() const { return s_.kv_heads * dh_; }
  Index query_rows() const { return H_ * dh_; }
  // Standard q, k, v rows in QKV ([Q; K; V] blocks).
  Index q0(Index h) const { return h * dh_; }
  Index k0(Index h) const { return query_rows() + s_.kv_head_of(h) * dh_; }
  Index v0(Index h) const { return query_rows() + kv_rows() + s_.kv_head_of(h) * dv_; }

  // q_h(i, query column), k_h(i, key), v_h(r, key) of the program's form.
  double q(Work& w, Index h, Index i, Index col) {
    if (!s_.is_mla()) return at(w.QKV, q0(h) + i, first_query_ + col);
    return at(w.Q, h * dh_ + i, col);
  }
  double k(Work& w, Index h, Index i, Index key) {
    if (!s_.is_mla()) return at(w.QKV, k0(h) + i, key);
    if (i < dn_) return at(w.KV, h * dn_ + i, key);
    return at(w.C, q_in_ + dc_ + (i - dn_), key); // the shared RoPE key
  }
  double v(Work& w, Index h, Index r, Index key) {
    if (!s_.is_mla()) return at(w.QKV, v0(h) + r, key);
    return at(w.KV, H_ * dn_ + h * dv_ + r, key);
  }

  // rows × n = W·X, counting only the query columns when `queries_only`
  // (earlier columns were projected by earlier steps).
  Matrix project(const Eigen::MatrixXf& W, bool count_all) {
    Matrix m = zeros(W.rows(), n_);
    StageCounts* stage = count_.stage;
    for (Index t = 0; t < n_; ++t) {
      count_.stage = count_all || t >= first_query_ ? stage : nullptr;
      for (Index r = 0; r < W.rows(); ++r)
        at(m, r, t) = count_.dot(W.cols(), [&](Index i) { return double{W(r, i)}; },
                                 [&](Index i) { return double{in_.X(i, t)}; });
    }
    count_.stage = stage;
    return m;
  }

  void run(Stage id, Work& w) {
    switch (id) {
    case Stage::projection: w.QKV = project(in_.Wqkv_blocks, false); break;
    case Stage::latent_projection:
      w.C = project(in_.Wd, false);
      if (s_.mla.q_rank == 0) { // the query rows of C are Q itself
        w.Q = zeros(query_rows(), nq_);
        for (Index r = 0; r < query_rows(); ++r)
          for (Index c = 0; c < nq_; ++c) at(w.Q, r, c) = at(w.C, r, first_query_ + c);
      }
      break;
    case Stage::query_up:
      w.Q = zeros(query_rows(), nq_);
      for (Index r = 0; r < query_rows(); ++r)
        for (Index c = 0; c < nq_; ++c)
          at(w.Q, r, c) = count_.dot(s_.mla.q_rank, [&](Index i) { return double{in_.Wuq(r, i)}; },
                                     [&](Index i) { return at(w.C, i, first_query_ + c); });
      break;
    case Stage::kv_up:
      w.KV = zeros(in_.Wukv.rows(), n_);
      for (Index r = 0; r < in_.Wukv.rows(); ++r)
        for (Index key = 0; key < n_; ++key)
          at(w.KV, r, key) = count_.dot(dc_, [&](Index i) { return double{in_.Wukv(r, i)}; },
                                        [&](Index i) { return at(w.C, q_in_ + i, key); });
      break;
    case Stage::query_absorb:
      w.qc.assign(static_cast<std::size_t>(H_), zeros(dc_, nq_));
      for (Index h = 0; h < H_; ++h)
        for (Index j = 0; j < dc_; ++j)
          for (Index c = 0; c < nq_; ++c)
            at(of_head(w.qc, h), j, c) =
                count_.dot(dn_, [&](Index i) { return double{in_.Wukv(h * dn_ + i, j)}; },
                           [&](Index i) { return q(w, h, i, c); });
      break;
    case Stage::scores:
    case Stage::latent_scores:
      for (Index h = 0; h < H_; ++h)
        for (Index key = 0; key < n_; ++key)
          for (Index c = 0; c < nq_; ++c)
            if (s_.visible(key, c)) at(of_head(w.S, h), key, c) = score(w, id, h, key, c);
      break;
    case Stage::scale: {
      const double scale = 1.0 / std::sqrt(static_cast<double>(dh_));
      for (Index h = 0; h < H_; ++h)
        for (Index key = 0; key < n_; ++key)
          for (Index c = 0; c < nq_; ++c)
            if (s_.visible(key, c))
              at(of_head(w.scaled, h), key, c) = count_.mul(at(of_head(w.S, h), key, c), scale);
      break;
    }
    case Stage::softmax: softmax(w); break;
    case Stage::weighted_sum:
      for (Index h = 0; h < H_; ++h)
        for (Index r = 0; r < dv_; ++r)
          for (Index c = 0; c < nq_; ++c)
            at(of_head(w.Z, h), r, c) = over_seen_keys(
                c, [&](Index key) { return v(w, h, r, key); },
                [&](Index key) { return at(of_head(w.A, h), key, c); });
      break;
    case Stage::latent_weighted_sum:
      w.u.assign(static_cast<std::size_t>(H_), zeros(dc_, nq_));
      for (Index h = 0; h < H_; ++h)
        for (Index j = 0; j < dc_; ++j)
          for (Index c = 0; c < nq_; ++c)
            at(of_head(w.u, h), j, c) = over_seen_keys(
                c, [&](Index key) { return at(w.C, q_in_ + j, key); },
                [&](Index key) { return at(of_head(w.A, h), key, c); });
      break;
    case Stage::value_up:
      for (Index h = 0; h < H_; ++h)
        for (Index r = 0; r < dv_; ++r)
          for (Index c = 0; c < nq_; ++c)
            at(of_head(w.Z, h), r, c) = count_.dot(
                dc_, [&](Index j) { return double{in_.Wukv(H_ * dn_ + h * dv_ + r, j)}; },
                [&](Index j) { return at(of_head(w.u, h), j, c); });
      break;
    case Stage::output:
      w.O = zeros(s_.d_model, nq_);
      for (Index r = 0; r < s_.d_model; ++r)
        for (Index c = 0; c < nq_; ++c)
          at(w.O, r, c) = count_.dot(
              H_ * dv_, [&](Index i) { return double{in_.Wo(r, i)}; },
              [&](Index i) { return at(of_head(w.Z, i / dv_), i % dv_, c); });
      break;
    case Stage::attention:
    case Stage::latent_attention: break; // the reference runs the unfused program
    }
  }

  double score(Work& w, Stage id, Index h, Index key, Index c) {
    if (id == Stage::scores)
      return count_.dot(dh_, [&](Index i) { return k(w, h, i, key); },
                        [&](Index i) { return q(w, h, i, c); });
    // Absorbed: [c; k_rope] of the key against [q̃_h; q_rope_h] of the query.
    return count_.dot(
        dc_ + dr_, [&](Index i) { return at(w.C, q_in_ + i, key); },
        [&](Index i) { return i < dc_ ? at(of_head(w.qc, h), i, c) : q(w, h, dn_ + i - dc_, c); });
  }

  // A dot product over the keys query column c sees (masked weights are not multiplied).
  template <typename Left, typename Right>
  double over_seen_keys(Index c, Left left, Right right) {
    const Index first = s_.first_key(c);
    return count_.dot(s_.last_key(c) - first + 1, [&](Index i) { return left(first + i); },
                      [&](Index i) { return right(first + i); });
  }

  void softmax(Work& w) {
    for (Index h = 0; h < H_; ++h) {
      Matrix& A = of_head(w.A, h);
      Matrix& x = of_head(w.scaled, h);
      for (Index c = 0; c < nq_; ++c) {
        const Index first = s_.first_key(c), last = s_.last_key(c);
        double top = at(x, first, c);
        for (Index key = first + 1; key <= last; ++key) top = std::max(top, at(x, key, c));
        double sum = 0;
        for (Index key = first; key <= last; ++key) {
          ++out_.softmax_max_subtracts;
          at(A, key, c) = count_.exp(at(x, key, c) - top);
          sum = key == first ? at(A, key, c) : count_.add(sum, at(A, key, c));
        }
        for (Index key = first; key <= last; ++key) at(A, key, c) = count_.div(at(A, key, c), sum);
      }
    }
  }

  // Row r of Q for an earlier token t (not a query of this step), uncounted.
  double earlier_query(Work& w, Index r, Index t) {
    if (s_.mla.q_rank == 0) return at(w.C, r, t);
    double sum = 0;
    for (Index i = 0; i < s_.mla.q_rank; ++i) sum += double{in_.Wuq(r, i)} * at(w.C, i, t);
    return sum;
  }

  // MLA's per-head q, k, v in [Q; K; V] block order, n columns: what the
  // equivalent unfactored attention reads.
  Matrix mla_qkv(Work& w) {
    Matrix m = zeros(2 * H_ * dh_ + H_ * dv_, n_);
    Work naive_parts = w;
    if (naive_parts.KV.empty()) { // absorbed: build k_nope and v uncounted, for comparison
      count_.stage = nullptr;
      naive_parts.KV = zeros(in_.Wukv.rows(), n_);
      for (Index r = 0; r < in_.Wukv.rows(); ++r)
        for (Index key = 0; key < n_; ++key)
          at(naive_parts.KV, r, key) = count_.dot(dc_, [&](Index i) { return double{in_.Wukv(r, i)}; },
                                                  [&](Index i) { return at(w.C, q_in_ + i, key); });
    }
    for (Index h = 0; h < H_; ++h)
      for (Index t = 0; t < n_; ++t) {
        for (Index i = 0; i < dh_; ++i) {
          at(m, h * dh_ + i, t) = t >= first_query_ ? q(naive_parts, h, i, t - first_query_)
                                                    : earlier_query(w, h * dh_ + i, t);
          at(m, H_ * dh_ + h * dh_ + i, t) = k(naive_parts, h, i, t);
        }
        for (Index r = 0; r < dv_; ++r) at(m, 2 * H_ * dh_ + h * dv_ + r, t) = v(naive_parts, h, r, t);
      }
    return m;
  }
};

} // namespace

// Runs the program's stages in order, each over every head, with plain loops,
// once per sequence of the batch.
NaiveAttention naive_attention(const Shape& s, const Inputs& in) {
  NaiveAttention out;
  Reference reference(s, in, out);
  for (std::int64_t b = 0; b < s.batch; ++b) {
    Work w = reference.run_sequence();
    if (b > 0) continue;
    out.QKV = std::move(w.QKV);
    out.S = std::move(w.S);
    out.A = std::move(w.A);
    out.Z = std::move(w.Z);
    out.O = std::move(w.O);
  }
  return out;
}

} // namespace abh
