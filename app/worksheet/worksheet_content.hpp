#pragma once
// What a worksheet says, before any layout: headings, lines of text and
// matrix grids, in reading order. The blank sheet and the answer sheet have
// the same blocks and the same cell sizes; only the answer sheet fills the
// result cells and the counts.

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.hpp"

namespace abh {

struct SheetGrid {
  std::string title;                   // "S_1 = k_1ᵀ · q_1"
  std::string note;                    // "rows: keys, columns: queries" (may be "")
  std::int64_t rows = 0, cols = 0;
  std::vector<std::string> row_labels; // one per row
  std::vector<std::string> col_labels; // one per column
  std::vector<int> row_heads;          // query head owning each row (colour), −1 for none
  std::vector<bool> band_starts;       // a row that starts a new q/k/v band (a rule above it)
  std::vector<std::string> cells;      // row-major; "" leaves the cell to fill in
  std::vector<std::string> answers;    // row-major: the values, whether shown or not
  bool given = false;                  // an input: tinted, always filled
  int head = -1;                       // the head this grid belongs to, −1 for none
};

struct SheetBlock {
  enum class Kind { heading, line, grid } kind = Kind::line;
  std::string text; // heading or line text
  SheetGrid grid;   // for Kind::grid
};

struct Worksheet {
  std::string title;    // "Attention by hand: worksheet" (+ " (answers)")
  std::string subtitle; // the shape, the values and the seed
  std::vector<SheetBlock> blocks;
};

// A worksheet for the H-heads computation of `trace` (H = 1: the single-head
// sheet). `one_head` is the single-head comparison shape, whose counts the
// questions ask for beside those of `trace.shape`. Labels, when given (one
// per token, one per feature), name the columns and the rows of X.
struct SheetLabels {
  std::vector<std::string> tokens;   // default "t1" … "tn"
  std::vector<std::string> features; // default "1" … "d"
};
Worksheet make_worksheet(const AttentionTrace& trace, const Shape& one_head, bool answers,
                         const SheetLabels& labels = {});

} // namespace abh
