// Cells of a streamed display trace, recomputed on demand from QKV and each
// query's softmax statistics.

#include <cmath>

#include "core/display_trace.hpp"

namespace abh {

namespace {

std::string cell_name(const std::string& name, std::int64_t r, std::int64_t c) {
  return name + "[" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + "]";
}

template <typename Left, typename Right>
std::vector<DerivationTerm> terms_of(const Left& a, const Right& b) {
  std::vector<DerivationTerm> out(static_cast<std::size_t>(a.size()));
  for (Eigen::Index i = 0; i < a.size(); ++i)
    out[static_cast<std::size_t>(i)] = {static_cast<double>(a(i)), static_cast<double>(b(i))};
  return out;
}

std::int64_t visible_keys(const Shape& s, std::int64_t query) { return s.causal ? query + 1 : s.seq; }

} // namespace

float score_value(const DisplayTrace& t, std::int64_t head, std::int64_t key, std::int64_t query) {
  if (t.linear.masked(key, query)) return 0;
  return t.linear.k(head).col(key).dot(t.linear.q(head).col(query));
}

float attention_value(const DisplayTrace& t, std::int64_t head, std::int64_t key,
                      std::int64_t query) {
  if (t.linear.masked(key, query)) return 0;
  const DisplayHead& h = t.heads[static_cast<std::size_t>(head)];
  const float scaled = score_value(t, head, key, query) * t.linear.scale;
  return std::exp(scaled - h.score_max(query)) / h.exp_sum(query);
}

Eigen::VectorXf attention_column(const DisplayTrace& t, std::int64_t head, std::int64_t query) {
  const DisplayHead& h = t.heads[static_cast<std::size_t>(head)];
  const Eigen::Index keys = visible_keys(t.linear.shape, query);
  Eigen::VectorXf scores = t.linear.k(head).leftCols(keys).transpose() * t.linear.q(head).col(query);
  return ((scores.array() * t.linear.scale - h.score_max(query)).exp() / h.exp_sum(query)).matrix();
}

CellDerivation derive_display_cell(const DisplayTrace& t, const NamedMatrix& m, std::int64_t r,
                                   std::int64_t c) {
  const AttentionTrace& lin = t.linear;
  const HeadTrace* head = nullptr;
  for (const HeadTrace& h : lin.heads)
    if (&m == &h.S || &m == &h.A || &m == &h.Z) head = &h;
  if (!head) return derive_cell(lin, m, r, c); // every cell of it is held
  const HeadTrace& h = *head;
  const std::int64_t dh = lin.shape.head_dim, keys = visible_keys(lin.shape, c);
  const std::string rs = std::to_string(r + 1), cs = std::to_string(c + 1);
  const std::string hs = std::to_string(h.head + 1), gs = std::to_string(h.kv_head + 1);
  CellDerivation d;
  d.cell = cell_name(m.name, r, c);
  if (&m == &h.Z) {
    const Eigen::VectorXf a = attention_column(t, h.head, c);
    d.value = m.values(r, c);
    d.kind = CellKind::dot_product;
    d.meaning = "row " + rs + " of head " + hs + "'s output for query " + cs;
    d.sources = {{&lin.QKV, true, h.v_row + r, 0, keys, "row " + rs + " of v_" + gs},
                 {&h.A, false, c, 0, keys, "column " + cs + " of A_" + hs}};
    d.terms = terms_of(lin.v(h.head).row(r).head(keys), a);
    return d;
  }
  if (lin.masked(r, c)) {
    d.kind = CellKind::masked;
    d.meaning = "masked: key " + rs + " comes after query " + cs +
                (&m == &h.A ? " (weight 0)" : " (not computed)");
    return d;
  }
  if (&m == &h.S) {
    d.value = score_value(t, h.head, r, c);
    d.kind = CellKind::dot_product;
    d.meaning = "key " + rs + " · query " + cs + " of head " + hs;
    d.sources = {{&lin.QKV, false, r, h.k_row, dh, "column " + rs + " of k_" + gs + " (row of k_" + gs + "ᵀ)"},
                 {&lin.QKV, false, c, h.q_row, dh, "column " + cs + " of q_" + hs}};
    d.terms = terms_of(lin.k(h.head).col(r), lin.q(h.head).col(c));
    d.scaled = static_cast<double>(d.value) * static_cast<double>(lin.scale);
    return d;
  }
  // A: as derive_cell, from the recomputed S column.
  d.value = attention_value(t, h.head, r, c);
  d.kind = CellKind::softmax;
  d.meaning = "weight of key " + rs + " for query " + cs + " in head " + hs;
  d.sources = {{&h.S, false, c, 0, keys, "column " + cs + " of S_" + hs}};
  const Eigen::VectorXf scores = lin.k(h.head).leftCols(keys).transpose() * lin.q(h.head).col(c);
  const auto column = scores.cast<double>() * static_cast<double>(lin.scale);
  const double top = column.maxCoeff();
  for (Eigen::Index i = 0; i < keys; ++i) d.exps.push_back(std::exp(column(i) - top));
  for (double e : d.exps) d.exp_sum += e;
  d.exp_index = r;
  return d;
}

} // namespace abh
