#include "core/wqkv_layout.hpp"

#include <algorithm>

namespace abh {

std::string_view layout_key(WqkvLayout layout) {
  return layout == WqkvLayout::blocks ? "blocks" : "triples";
}

std::string_view part_name(Part part) {
  switch (part) {
  case Part::q: return "q";
  case Part::k: return "k";
  case Part::v: return "v";
  }
  return "?";
}

std::int64_t band_rows(const Shape& s, Part part) {
  return part == Part::v ? s.value_dim() : s.head_dim;
}

std::int64_t band_first_row(const Shape& s, WqkvLayout layout, Part part, std::int64_t head) {
  const std::int64_t dh = s.head_dim, dv = s.value_dim();
  if (layout == WqkvLayout::blocks) {
    switch (part) {
    case Part::q: return head * dh;
    case Part::k: return (s.heads + head) * dh;
    case Part::v: return (s.heads + s.kv_heads) * dh + head * dv;
    }
  }
  // Triples: group g holds its r query heads, then k_g, then v_g.
  const std::int64_t r = s.queries_per_kv_head();
  const std::int64_t group_rows = (r + 1) * dh + dv;
  switch (part) {
  case Part::q: return (head / r) * group_rows + (head % r) * dh;
  case Part::k: return head * group_rows + r * dh;
  case Part::v: return head * group_rows + (r + 1) * dh;
  }
  return 0;
}

std::vector<WqkvBand> wqkv_bands(const Shape& s, WqkvLayout layout) {
  std::vector<WqkvBand> bands;
  bands.reserve(static_cast<std::size_t>(s.heads + 2 * s.kv_heads));
  for (std::int64_t h = 0; h < s.heads; ++h)
    bands.push_back({band_first_row(s, layout, Part::q, h), Part::q, h});
  for (std::int64_t g = 0; g < s.kv_heads; ++g) {
    bands.push_back({band_first_row(s, layout, Part::k, g), Part::k, g});
    bands.push_back({band_first_row(s, layout, Part::v, g), Part::v, g});
  }
  std::sort(bands.begin(), bands.end(),
            [](const WqkvBand& a, const WqkvBand& b) { return a.first_row < b.first_row; });
  return bands;
}

WqkvBand band_of_row(const Shape& s, WqkvLayout layout, std::int64_t row) {
  const std::int64_t dh = s.head_dim, dv = s.value_dim();
  if (layout == WqkvLayout::blocks) {
    const std::int64_t qk_rows = (s.heads + s.kv_heads) * dh;
    if (row >= qk_rows) {
      const std::int64_t head = (row - qk_rows) / dv;
      return {qk_rows + head * dv, Part::v, head};
    }
    const std::int64_t band = row / dh;
    if (band < s.heads) return {band * dh, Part::q, band};
    return {band * dh, Part::k, band - s.heads};
  }
  const std::int64_t r = s.queries_per_kv_head();
  const std::int64_t group_rows = (r + 1) * dh + dv;
  const std::int64_t group = row / group_rows, offset = row % group_rows;
  const std::int64_t slot = std::min(offset / dh, r + 1);
  const std::int64_t first = group * group_rows + slot * dh;
  if (slot < r) return {first, Part::q, group * r + slot};
  return {first, slot == r ? Part::k : Part::v, group};
}

} // namespace abh
