#include "core/cell_mapping.hpp"

#include "core/wqkv_layout.hpp"

namespace abh {

namespace {

// Row `row` of Wqkv/QKV as (part, row within the whole part in head order):
// row r of head h's band is row h·dh + r of its part.
struct PartRow {
  Part part = Part::q;
  std::int64_t index = 0;
};

PartRow part_row(const AttentionTrace& t, std::int64_t row) {
  const WqkvBand band = band_of_row(t.shape, t.options.layout, row);
  return {band.part, band.head * t.shape.head_dim + row - band.first_row};
}

// The row of `t` holding (part, index), if `t` has it.
bool row_of(const AttentionTrace& t, PartRow p, std::int64_t& row) {
  const std::int64_t dh = t.shape.head_dim;
  const std::int64_t head = p.index / dh;
  const std::int64_t heads = p.part == Part::q ? t.shape.heads : t.shape.kv_heads;
  if (head >= heads) return false;
  row = band_first_row(t.shape, t.options.layout, p.part, head) + p.index % dh;
  return true;
}

} // namespace

std::vector<MatrixCell> corresponding_cells(const AttentionTrace& from, const NamedMatrix& m,
                                            std::int64_t row, std::int64_t col,
                                            const AttentionTrace& to) {
  std::vector<MatrixCell> out;
  const auto inside = [](const NamedMatrix& target, std::int64_t r, std::int64_t c) {
    return r >= 0 && c >= 0 && r < target.values.rows() && c < target.values.cols();
  };
  const auto add = [&](const NamedMatrix& target, std::int64_t r, std::int64_t c) {
    if (inside(target, r, c)) out.push_back({&target, r, c});
  };
  if (!inside(m, row, col)) return out;
  if (&m == &from.X) add(to.X, row, col);
  else if (&m == &from.Wo) add(to.Wo, row, col);
  else if (&m == &from.Z) add(to.Z, row, col);
  else if (&m == &from.O) add(to.O, row, col);
  else if (&m == &from.Wqkv || &m == &from.QKV) {
    std::int64_t target_row = 0;
    if (row_of(to, part_row(from, row), target_row)) add(&m == &from.Wqkv ? to.Wqkv : to.QKV, target_row, col);
  } else {
    for (const HeadTrace& h : from.heads) {
      if (&m == &h.Z) { // rows h·dh… of the stacked Z
        const std::int64_t stacked = h.head * from.shape.head_dim + row;
        const std::int64_t head = stacked / to.shape.head_dim;
        if (head < static_cast<std::int64_t>(to.heads.size()))
          add(to.heads[static_cast<std::size_t>(head)].Z, stacked % to.shape.head_dim, col);
        break;
      }
      if (&m != &h.S && &m != &h.A) continue;
      // The same head when both traces have as many heads; else every head.
      const bool same_heads = from.shape.heads == to.shape.heads;
      for (const HeadTrace& g : to.heads)
        if (!same_heads || g.head == h.head) add(&m == &h.S ? g.S : g.A, row, col);
      break;
    }
  }
  return out;
}

} // namespace abh
