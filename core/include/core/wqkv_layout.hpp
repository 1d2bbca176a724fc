#pragma once
// Which head and which of q/k/v each row of Wqkv (and of QKV) belongs to.
// Two drawings of the same rows (DESIGN.md): blocks [Q; K; V], as frameworks
// store it, or per-head triples [q1;k1;v1; q2;k2;v2; …], as the worked example
// draws it. With grouped kv heads a triple is [q heads of the group; k; v].

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/shape.hpp"

namespace abh {

enum class WqkvLayout { blocks, triples };
enum class Part { q, k, v };

std::string_view layout_key(WqkvLayout layout);   // "blocks" | "triples"
std::string_view part_name(Part part);            // "q" | "k" | "v"

// A run of consecutive rows owned by one head's q, k or v (band_rows of them).
struct WqkvBand {
  std::int64_t first_row = 0;
  Part part = Part::q;
  std::int64_t head = 0; // query head for q; kv head for k and v
};

// Rows of a band: dh for q and k, dv for v.
std::int64_t band_rows(const Shape& shape, Part part);

// All bands, top to bottom, in the given layout.
std::vector<WqkvBand> wqkv_bands(const Shape& shape, WqkvLayout layout);

// First row of (part, head) in the given layout.
std::int64_t band_first_row(const Shape& shape, WqkvLayout layout, Part part, std::int64_t head);

// The band that holds row `row` (0 ≤ row < shape.wqkv_rows()).
WqkvBand band_of_row(const Shape& shape, WqkvLayout layout, std::int64_t row);

} // namespace abh
