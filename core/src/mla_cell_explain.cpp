// Where a cell of MLA's latent path comes from (mla_trace.hpp): every output
// is one dot product of a weight row and an input column.

#include <string>

#include "core/mla_trace.hpp"
#include "core/wqkv_layout.hpp"

namespace abh {

namespace {

struct LatentProduct {
  const NamedMatrix* weight;
  const NamedMatrix* input;
  std::string meaning; // of the output cell
};

std::string head_row(const char* part, std::int64_t row, std::int64_t rows_per_head) {
  return std::string(part) + "_" + std::to_string(row / rows_per_head + 1) + " row " +
         std::to_string(row % rows_per_head + 1);
}

struct LatentCell {
  const NamedMatrix* matrix;
  std::int64_t row;
  std::string band; // "k_2 row 5"
};

// Row `row` of the trace's QKV (in its layout) is a row of Q, K, k_R or V.
LatentCell latent_cell_of_qkv_row(const AttentionTrace& t, std::int64_t row) {
  const MlaTrace& l = *t.mla;
  const WqkvBand band = band_of_row(t.shape, t.options.layout, row);
  const std::int64_t i = row - band.first_row, h = band.head;
  std::string name = std::string(part_name(band.part)) + "_" + std::to_string(h + 1) + " row " +
                     std::to_string(i + 1);
  if (band.part == Part::q) return {&l.Q, h * l.head_dim + i, std::move(name)};
  if (band.part == Part::v) return {&l.V, h * l.value_dim + i, std::move(name)};
  if (i < l.nope_dim()) return {&l.K, h * l.nope_dim() + i, std::move(name)};
  return {&l.k_R, i - l.nope_dim(), std::move(name)};
}

} // namespace

bool derive_mla_cell(const AttentionTrace& t, const NamedMatrix& m, std::int64_t r,
                     std::int64_t c, CellDerivation& d) {
  if (!t.mla) return false;
  const MlaTrace& l = *t.mla;
  const std::string rs = std::to_string(r + 1), cs = std::to_string(c + 1);
  const std::string token = " of token " + cs;
  if (&m == &t.QKV) { // a row of q_h, k_h or v_h: the latent path's cell it copies
    const LatentCell from = latent_cell_of_qkv_row(t, r);
    CellDerivation source;
    derive_mla_cell(t, *from.matrix, from.row, c, source);
    d.kind = source.kind;
    d.meaning = from.band + token + ", computed as " + from.matrix->name + " row " +
                std::to_string(from.row + 1);
    d.sources = std::move(source.sources);
    d.terms = std::move(source.terms);
    return true;
  }
  for (const NamedMatrix* w : {&l.W_DKV, &l.W_KR, &l.W_DQ, &l.W_UQ, &l.W_UK, &l.W_UV})
    if (&m == w) {
      d.kind = CellKind::input;
      d.meaning = "weight: " + m.name + " row " + rs + ", column " + cs;
      return true;
    }
  const std::int64_t dh = l.head_dim, dn = l.nope_dim();
  LatentProduct p{nullptr, nullptr, ""};
  if (&m == &l.C_KV) {
    p = {&l.W_DKV, &t.X, "latent feature " + rs + token + ", cached (dc per token)"};
  } else if (&m == &l.k_R) {
    p = {&l.W_KR, &t.X,
         "RoPE key feature " + rs + token + ", shared by every head (rotation omitted)"};
  } else if (&m == &l.c_Q) {
    p = {&l.W_DQ, &t.X, "query latent feature " + rs + token};
  } else if (&m == &l.Q) {
    const bool rope = r % dh >= dn;
    p = {l.compressed_queries() ? &l.W_UQ : &l.W_DQ, l.compressed_queries() ? &l.c_Q : &t.X,
         head_row("q", r, dh) + (rope ? " (RoPE part)" : "") + token};
  } else if (&m == &l.K) {
    p = {&l.W_UK, &l.C_KV, head_row("k", r, dn) + token + " (k_R completes k_" +
                               std::to_string(r / dn + 1) + ")"};
  } else if (&m == &l.V) {
    p = {&l.W_UV, &l.C_KV, head_row("v", r, l.value_dim) + token};
  } else {
    return false;
  }
  const std::int64_t length = p.weight->values.cols();
  d.kind = CellKind::dot_product;
  d.meaning = p.meaning;
  d.sources = {{p.weight, true, r, 0, length, "row " + rs + " of " + p.weight->name},
               {p.input, false, c, 0, length, "column " + cs + " of " + p.input->name}};
  d.terms.resize(static_cast<std::size_t>(length));
  for (std::int64_t i = 0; i < length; ++i)
    d.terms[static_cast<std::size_t>(i)] = {static_cast<double>(p.weight->values(r, i)),
                                            static_cast<double>(p.input->values(i, c))};
  return true;
}

} // namespace abh
