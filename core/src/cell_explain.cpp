#include "core/cell_explain.hpp"

#include <cmath>
#include <cstdio>

namespace abh {

namespace {

std::string number(double v) {
  char buf[32];
  if (v == std::round(v) && std::fabs(v) < 1e7) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.4g", v);
  std::string s = buf;
  if (!s.empty() && s[0] == '-') s = "−" + s.substr(1);
  return s;
}

// "3×(−2) + 1×2 + … (12 terms)" for a dot product of two vectors.
template <typename A, typename B>
std::string terms(const A& a, const B& b) {
  const Eigen::Index n = a.size();
  std::string out;
  const Eigen::Index shown = std::min<Eigen::Index>(n, 6);
  for (Eigen::Index i = 0; i < shown; ++i) {
    if (i) out += " + ";
    const std::string x = number(a(i)), y = number(b(i));
    out += (a(i) < 0 ? "(" + x + ")" : x) + "×" + (b(i) < 0 ? "(" + y + ")" : y);
  }
  if (shown < n) out += " + … (" + std::to_string(n) + " terms)";
  return out;
}

std::string band_name(const Shape& s, WqkvLayout layout, std::int64_t row) {
  const WqkvBand band = band_of_row(s, layout, row);
  return std::string(part_name(band.part)) + "_" + std::to_string(band.head + 1) + " row " +
         std::to_string(row - band.first_row + 1);
}

std::string cell(const std::string& name, std::int64_t r, std::int64_t c) {
  return name + "[" + std::to_string(r + 1) + ", " + std::to_string(c + 1) + "]";
}

} // namespace

std::vector<std::string> explain_cell(const AttentionTrace& t, const NamedMatrix& m,
                                      std::int64_t r, std::int64_t c) {
  std::vector<std::string> lines;
  lines.push_back(cell(m.name, r, c) + " = " + number(m.values(r, c)));
  const Shape& s = t.shape;
  const std::string rs = std::to_string(r + 1), cs = std::to_string(c + 1);
  if (&m == &t.X) {
    lines.push_back("input: feature " + rs + " of token " + cs);
  } else if (&m == &t.Wqkv) {
    lines.push_back("weight: " + band_name(s, t.options.layout, r) + ", input feature " + cs);
  } else if (&m == &t.QKV) {
    lines.push_back(band_name(s, t.options.layout, r) + " of token " + cs);
    lines.push_back("= row " + rs + " of Wqkv · column " + cs + " of X (" +
                    std::to_string(s.d_model) + " multiplies)");
    lines.push_back("= " + terms(t.Wqkv.values.row(r), t.X.values.col(c)));
  } else if (&m == &t.Wo) {
    lines.push_back("weight: output feature " + rs + ", Z row " + cs);
  } else if (&m == &t.Z) {
    lines.push_back("head " + std::to_string(r / s.head_dim + 1) + ", Z_h row " +
                    std::to_string(r % s.head_dim + 1) + ", query " + cs);
  } else if (&m == &t.O) {
    lines.push_back("= row " + rs + " of Wo · column " + cs + " of Z (" +
                    std::to_string(s.attention_width()) + " multiplies)");
    lines.push_back("= " + terms(t.Wo.values.row(r), t.Z.values.col(c)));
  }
  for (const HeadTrace& h : t.heads) {
    const std::string hs = std::to_string(h.head + 1), gs = std::to_string(h.kv_head + 1);
    if (&m == &h.S) {
      if (t.masked(r, c)) {
        lines.push_back("masked: key " + rs + " comes after query " + cs + " (causal)");
        break;
      }
      lines.push_back("key " + rs + " · query " + cs + " of head " + hs);
      lines.push_back("= row " + rs + " of k_" + gs + "ᵀ · column " + cs + " of q_" + hs + " (" +
                      std::to_string(s.head_dim) + " multiplies)");
      lines.push_back("= " + terms(t.k(h.head).col(r), t.q(h.head).col(c)));
      lines.push_back("scaled by 1/√" + std::to_string(s.head_dim) + ": " +
                      number(m.values(r, c) * t.scale));
    } else if (&m == &h.A) {
      if (t.masked(r, c)) {
        lines.push_back("masked: key " + rs + " comes after query " + cs + " (weight 0)");
        break;
      }
      lines.push_back("weight of key " + rs + " for query " + cs + " in head " + hs);
      lines.push_back("= exp(S/√dh) / sum of column " + cs + " of S_" + hs + "/√dh");
    } else if (&m == &h.Z) {
      const Eigen::Index keys = s.causal ? c + 1 : s.seq;
      lines.push_back("= row " + rs + " of v_" + gs + " · column " + cs + " of A_" + hs + " (" +
                      std::to_string(keys) + " multiplies)");
      lines.push_back("= " + terms(t.v(h.head).row(r).head(keys), h.A.values.col(c).head(keys)));
    }
  }
  return lines;
}

} // namespace abh
