#include "core/cell_explain.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/mla_trace.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

std::string factor(double v) { return v < 0 ? "(" + value_text(v) + ")" : value_text(v); }

std::string cell_name(const std::string& name, std::int64_t r, std::int64_t c) {
  return name + "[" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + "]";
}

std::string band_name(const Shape& s, WqkvLayout layout, std::int64_t row) {
  const WqkvBand band = band_of_row(s, layout, row);
  return std::string(part_name(band.part)) + "_" + std::to_string(band.head + 1) + " row " +
         std::to_string(row - band.first_row + 1);
}

template <typename Left, typename Right>
std::vector<DerivationTerm> terms_of(const Left& a, const Right& b) {
  std::vector<DerivationTerm> out(static_cast<std::size_t>(a.size()));
  for (Eigen::Index i = 0; i < a.size(); ++i)
    out[static_cast<std::size_t>(i)] = {static_cast<double>(a(i)), static_cast<double>(b(i))};
  return out;
}

CellSource source(const NamedMatrix& m, bool is_row, std::int64_t index, std::int64_t first,
                  std::int64_t count, std::string text) {
  return {&m, is_row, index, first, count, std::move(text)};
}

void derive_head_cell(const AttentionTrace& t, const HeadTrace& h, const NamedMatrix& m,
                      std::int64_t r, std::int64_t c, CellDerivation& d) {
  const Shape& s = t.shape;
  const std::int64_t dh = s.head_dim;
  const std::string rs = std::to_string(r + 1), cs = std::to_string(c + 1);
  const std::string hs = std::to_string(h.head + 1), gs = std::to_string(h.kv_head + 1);
  if (&m == &h.Z) {
    const std::int64_t keys = s.causal ? c + 1 : s.seq;
    d.kind = CellKind::dot_product;
    d.meaning = "row " + rs + " of head " + hs + "'s output for query " + cs;
    d.sources = {source(t.QKV, true, h.v_row + r, 0, keys, "row " + rs + " of v_" + gs),
                 source(h.A, false, c, 0, keys, "column " + cs + " of A_" + hs)};
    d.terms = terms_of(t.v(h.head).row(r).head(keys), h.A.values.col(c).head(keys));
    return;
  }
  if (t.masked(r, c)) {
    d.kind = CellKind::masked;
    d.meaning = "masked: key " + rs + " comes after query " + cs +
                (&m == &h.A ? " (weight 0)" : " (not computed)");
    return;
  }
  if (&m == &h.S) {
    d.kind = CellKind::dot_product;
    d.meaning = "key " + rs + " · query " + cs + " of head " + hs;
    d.sources = {source(t.QKV, false, r, h.k_row, dh, "column " + rs + " of k_" + gs + " (row of k_" + gs + "ᵀ)"),
                 source(t.QKV, false, c, h.q_row, dh, "column " + cs + " of q_" + hs)};
    d.terms = terms_of(t.k(h.head).col(r), t.q(h.head).col(c));
    d.scaled = static_cast<double>(m.values(r, c)) * static_cast<double>(t.scale);
    return;
  }
  // A: exp of the scaled score over the column's sum (shifted by the column
  // maximum, which cancels).
  const std::int64_t keys = s.causal ? c + 1 : s.seq;
  d.kind = CellKind::softmax;
  d.meaning = "weight of key " + rs + " for query " + cs + " in head " + hs;
  d.sources = {source(h.S, false, c, 0, keys, "column " + cs + " of S_" + hs)};
  const auto column = h.S.values.col(c).head(keys).cast<double>() * static_cast<double>(t.scale);
  const double top = column.maxCoeff();
  for (Eigen::Index i = 0; i < keys; ++i) d.exps.push_back(std::exp(column(i) - top));
  for (double e : d.exps) d.exp_sum += e;
  d.exp_index = r;
}

} // namespace

CellDerivation derive_cell(const AttentionTrace& t, const NamedMatrix& m, std::int64_t r,
                           std::int64_t c) {
  CellDerivation d;
  d.cell = cell_name(m.name, r, c);
  d.value = m.values(r, c);
  const Shape& s = t.shape;
  const std::string rs = std::to_string(r + 1), cs = std::to_string(c + 1);
  if (derive_mla_cell(t, m, r, c, d)) {
    // MLA's latent path, and QKV's rows it computes
  } else if (&m == &t.X) {
    d.meaning = "input: feature " + rs + " of token " + cs;
  } else if (&m == &t.Wqkv) {
    d.meaning = "weight: " + band_name(s, t.options.layout, r) + ", input feature " + cs;
  } else if (&m == &t.Wo) {
    d.meaning = "weight: output feature " + rs + ", Z row " + cs;
  } else if (&m == &t.QKV) {
    d.kind = CellKind::dot_product;
    d.meaning = band_name(s, t.options.layout, r) + " of token " + cs;
    d.sources = {source(t.Wqkv, true, r, 0, s.d_model, "row " + rs + " of Wqkv"),
                 source(t.X, false, c, 0, s.d_model, "column " + cs + " of X")};
    d.terms = terms_of(t.Wqkv.values.row(r), t.X.values.col(c));
  } else if (&m == &t.Z) {
    const std::int64_t head = r / s.head_dim;
    d.kind = CellKind::copy;
    d.meaning = "head " + std::to_string(head + 1) + ", Z_" + std::to_string(head + 1) + " row " +
                std::to_string(r % s.head_dim + 1) + ", query " + cs;
    d.sources = {source(t.heads[static_cast<std::size_t>(head)].Z, true, r % s.head_dim, c, 1,
                        "Z_" + std::to_string(head + 1) + " row " + std::to_string(r % s.head_dim + 1))};
  } else if (&m == &t.O) {
    d.kind = CellKind::dot_product;
    d.meaning = "output feature " + rs + " of token " + cs;
    d.sources = {source(t.Wo, true, r, 0, s.attention_width(), "row " + rs + " of Wo"),
                 source(t.Z, false, c, 0, s.attention_width(), "column " + cs + " of Z")};
    d.terms = terms_of(t.Wo.values.row(r), t.Z.values.col(c));
  } else {
    for (const HeadTrace& h : t.heads)
      if (&m == &h.S || &m == &h.A || &m == &h.Z) derive_head_cell(t, h, m, r, c, d);
  }
  return d;
}

std::string running_sum_text(const std::vector<DerivationTerm>& terms, std::size_t shown) {
  shown = std::min(shown, terms.size());
  std::string out;
  double sum = 0;
  for (std::size_t i = 0; i < shown; ++i) {
    if (i) out += " + ";
    out += factor(terms[i].left) + "×" + factor(terms[i].right);
    sum += terms[i].left * terms[i].right;
  }
  return out + " = " + value_text(sum);
}

std::vector<std::string> derivation_lines(const CellDerivation& d, std::size_t max_terms) {
  std::vector<std::string> lines{d.cell + " = " + value_text(d.value), d.meaning};
  switch (d.kind) {
  case CellKind::input:
  case CellKind::masked: break;
  case CellKind::copy: lines.push_back("= " + d.sources[0].text + ", stacked into Z"); break;
  case CellKind::dot_product: {
    lines.push_back("= " + d.sources[0].text + " · " + d.sources[1].text + " (" +
                    std::to_string(d.terms.size()) + " multiplies)");
    // Terms in lines of 8, so a long dot product stays readable.
    const std::size_t shown = std::min(d.terms.size(), max_terms);
    for (std::size_t first = 0; first < shown; first += 8) {
      std::string line = first == 0 ? "= " : "  + ";
      for (std::size_t i = first; i < std::min(shown, first + 8); ++i) {
        if (i > first) line += " + ";
        line += factor(d.terms[i].left) + "×" + factor(d.terms[i].right);
      }
      lines.push_back(line);
    }
    if (shown < d.terms.size())
      lines.push_back("  + … (" + std::to_string(d.terms.size() - shown) + " more terms)");
    if (d.scaled) lines.push_back("scaled by 1/√dh: " + value_text(*d.scaled));
    break;
  }
  case CellKind::softmax: {
    lines.push_back("= exp(s/√dh − max) / sum over " + d.sources[0].text);
    std::string exps = "exps:";
    for (std::size_t i = 0; i < d.exps.size() && i < max_terms; ++i)
      exps += (i ? ", " : " ") + value_text(d.exps[i]);
    if (d.exps.size() > max_terms) exps += ", …";
    lines.push_back(exps);
    lines.push_back("column sum " + value_text(d.exp_sum) + ", so " +
                    value_text(d.exps[static_cast<std::size_t>(d.exp_index)]) + " / " +
                    value_text(d.exp_sum) + " = " + value_text(d.value));
    break;
  }
  }
  return lines;
}

std::vector<std::string> explain_cell(const AttentionTrace& t, const NamedMatrix& m,
                                      std::int64_t r, std::int64_t c) {
  return derivation_lines(derive_cell(t, m, r, c));
}

} // namespace abh
