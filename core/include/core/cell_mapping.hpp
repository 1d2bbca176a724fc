#pragma once
// The same number in the other computation: a cell of the one-head trace and
// the cells of the H-heads trace (or back) that hold the same quantity.
// Wqkv and QKV rows follow the slicing (row r of head h's q is row h·dh + r
// of the one head's q, in either row layout); S and A match by (key, query);
// Z_h rows are rows h·dh… of the one head's Z_1; X, Wo, Z and O match by
// position.

#include <cstdint>
#include <vector>

#include "core/trace.hpp"

namespace abh {

struct MatrixCell {
  const NamedMatrix* matrix = nullptr; // of the target trace
  std::int64_t row = 0, col = 0;
  bool operator==(const MatrixCell&) const = default;
};

// The cells of `to` that correspond to cell (row, col) of `matrix`, a matrix
// of `from`. Both traces are of the same d_model, seq and H·dh (one is
// usually single_head_of the other). S_h or A_h of a one-head trace maps to
// that (key, query) of every head; with fewer kv heads, a k or v row of the
// one head beyond the kv heads' rows has no counterpart (empty result).
std::vector<MatrixCell> corresponding_cells(const AttentionTrace& from, const NamedMatrix& matrix,
                                            std::int64_t row, std::int64_t col,
                                            const AttentionTrace& to);

} // namespace abh
