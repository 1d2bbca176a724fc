#pragma once
// Where each block of a worksheet goes on which page. Pure geometry in
// points: text widths come from a MeasureText function (cairo's text extents
// when printing, a fixed-width stand-in in tests), so the same code decides
// the layout that is drawn and the layout that tests check.
//
// Rule for what fits: every grid must fit one page's printable area with
// cells at least min_cell_width × cell_height (room to write a number by
// hand); a shape with a larger grid is refused. Grids flow left to right and
// top to bottom; a grid that does not fit the rest of a page starts the next.

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/worksheet/worksheet_content.hpp"

namespace abh {

struct Paper {
  std::string name;  // "a4" | "letter"
  std::string title; // "A4" | "US Letter": in messages
  double width = 0, height = 0; // points
};
// Throws std::invalid_argument for another name.
Paper paper_named(std::string_view name);

struct TextStyle {
  double size = 10;
  bool bold = false;
};
namespace sheet_style {
inline constexpr double margin = 40;
inline constexpr TextStyle title{16, true}, subtitle{10, false}, heading{12, true},
    line{9.5, false}, grid_title{9.5, true}, note{8, false}, label{7.5, false}, cell{8, false};
inline constexpr double min_cell_width = 24, cell_padding = 6, cell_height = 16;
inline constexpr double line_height = 13, heading_height = 22, title_height = 24,
                        subtitle_height = 16, grid_title_height = 14, col_label_height = 11;
inline constexpr double gap_x = 18, gap_y = 14;
} // namespace sheet_style

using MeasureText = std::function<double(const std::string& text, const TextStyle& style)>;

struct GridMetrics {
  double label_width = 0, cell_width = 0, width = 0, height = 0;
};

struct PlacedBlock {
  std::size_t block = 0; // index into Worksheet::blocks
  int page = 0;
  double x = 0, y = 0, width = 0, height = 0; // top-left and size, points
  std::vector<std::string> lines;             // text blocks: wrapped lines
  GridMetrics grid;                           // grid blocks
};

struct SheetLayout {
  Paper paper;
  int pages = 1;
  double used_height = 0; // bottom of the lowest block on the last page
  std::vector<PlacedBlock> placed;
};

class WorksheetTooLarge : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The same rule from the shape alone, with the smallest cells and no labels:
// refuses (WorksheetTooLarge) a shape whose X, Wqkv, S, Wo or O cannot fit,
// before anything is computed. lay_out applies the exact rule.
void check_sheet_dimensions(const Shape& shape, const Paper& paper);

// Lays out `sheet` on `paper`. With `one_page` the page grows as tall as
// the content (SVG). Throws WorksheetTooLarge with one line naming the
// first grid that cannot fit.
SheetLayout lay_out(const Worksheet& sheet, const Paper& paper, const MeasureText& measure,
                    bool one_page = false);

} // namespace abh
