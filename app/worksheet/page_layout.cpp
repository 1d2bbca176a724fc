#include "app/worksheet/page_layout.hpp"

#include <algorithm>
#include <limits>

#include <fmt/format.h>

namespace abh {

Paper paper_named(std::string_view name) {
  if (name == "a4") return {"a4", "A4", 595.276, 841.89};
  if (name == "letter") return {"letter", "US Letter", 612, 792};
  throw std::invalid_argument("paper must be a4 or letter");
}

namespace {

using namespace sheet_style;

GridMetrics measure_grid(const SheetGrid& g, const MeasureText& measure) {
  GridMetrics m;
  for (const std::string& text : g.row_labels)
    m.label_width = std::max(m.label_width, measure(text, label));
  m.label_width += cell_padding;
  double widest = 0;
  for (const std::string& text : g.answers) widest = std::max(widest, measure(text, cell));
  for (const std::string& text : g.col_labels) widest = std::max(widest, measure(text, label));
  m.cell_width = std::max(min_cell_width, widest + cell_padding);
  const double title_width =
      measure(g.title, grid_title) + (g.note.empty() ? 0 : 8 + measure(g.note, note));
  m.width = std::max(m.label_width + static_cast<double>(g.cols) * m.cell_width, title_width);
  m.height = grid_title_height + col_label_height + static_cast<double>(g.rows) * cell_height;
  return m;
}

// Greedy word wrap to `width`.
std::vector<std::string> wrap(const std::string& text, const TextStyle& style, double width,
                              const MeasureText& measure) {
  std::vector<std::string> lines;
  std::string current;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string word = text.substr(start, end - start);
    const std::string candidate = current.empty() ? word : current + " " + word;
    if (!current.empty() && measure(candidate, style) > width) {
      lines.push_back(current);
      current = word;
    } else {
      current = candidate;
    }
    start = end + 1;
  }
  if (!current.empty()) lines.push_back(current);
  return lines;
}

} // namespace

void check_sheet_dimensions(const Shape& shape, const Paper& paper) {
  const double width = paper.width - 2 * margin, height = paper.height - 2 * margin;
  struct Dims {
    const char* name;
    std::int64_t rows, cols;
  };
  for (const Dims& m : {Dims{"X", shape.d_model, shape.seq}, Dims{"Wqkv", shape.wqkv_rows(), shape.d_model},
                        Dims{"S_1", shape.seq, shape.seq},
                        Dims{"Wo", shape.d_model, shape.attention_width()},
                        Dims{"O", shape.d_model, shape.seq}}) {
    const double w = static_cast<double>(m.cols) * min_cell_width;
    const double h = grid_title_height + col_label_height + static_cast<double>(m.rows) * cell_height;
    if (w > width || h > height)
      throw WorksheetTooLarge(fmt::format(
          "shape too large for a worksheet: {} ({} × {}) needs at least {:.0f} × {:.0f} pt, {} "
          "paper has {:.0f} × {:.0f} pt inside its margins",
          m.name, m.rows, m.cols, w, h, paper.title, width, height));
  }
}

namespace {

// The lowest free y along the page width: a list of spans, each with the
// bottom of what was placed above it (gap included).
class Skyline {
public:
  struct Span {
    double x0, x1, bottom;
  };
  Skyline(double left, double right, double y) { reset(left, right, y); }
  void reset(double left, double right, double y) { spans_ = {{left, right, y}}; }
  double floor_under(double x0, double x1) const {
    double y = 0;
    for (const Span& s : spans_)
      if (s.x0 < x1 && x0 < s.x1) y = std::max(y, s.bottom);
    return y;
  }
  double lowest() const { return floor_under(spans_.front().x0, spans_.back().x1); }
  // Candidate left edges: where each span starts.
  std::vector<double> starts() const {
    std::vector<double> xs;
    for (const Span& s : spans_) xs.push_back(s.x0);
    return xs;
  }
  void raise(double x0, double x1, double bottom) {
    std::vector<Span> next;
    for (const Span& s : spans_) {
      if (s.x1 <= x0 || s.x0 >= x1) {
        next.push_back(s);
        continue;
      }
      if (s.x0 < x0) next.push_back({s.x0, x0, s.bottom});
      next.push_back({std::max(s.x0, x0), std::min(s.x1, x1), std::max(s.bottom, bottom)});
      if (s.x1 > x1) next.push_back({x1, s.x1, s.bottom});
    }
    spans_ = std::move(next);
  }

private:
  std::vector<Span> spans_;
};

} // namespace

SheetLayout lay_out(const Worksheet& sheet, const Paper& paper, const MeasureText& measure,
                    bool one_page) {
  SheetLayout layout;
  layout.paper = paper;
  const double left = margin, right = paper.width - margin, top = margin;
  const double bottom = one_page ? std::numeric_limits<double>::infinity() : paper.height - margin;
  const double width = right - left, height = paper.height - 2 * margin;

  // Grids fill the page like a skyline: each goes to the highest free place
  // (then the leftmost) no higher than the grid before it, so the sheet still
  // reads top to bottom. Headings and text lines span the width below
  // everything placed so far.
  int page = 0;
  Skyline sky(left, right, top + title_height + subtitle_height);
  double previous_top = 0;
  auto new_page = [&] {
    ++page;
    sky.reset(left, right, top);
    previous_top = top;
  };
  auto grid_height = [&](const SheetBlock& b) { return measure_grid(b.grid, measure).height; };

  for (std::size_t i = 0; i < sheet.blocks.size(); ++i) {
    const SheetBlock& b = sheet.blocks[i];
    PlacedBlock p;
    p.block = i;
    if (b.kind == SheetBlock::Kind::grid) {
      p.grid = measure_grid(b.grid, measure);
      p.width = p.grid.width;
      p.height = p.grid.height;
      if (p.width > width || p.height > height)
        throw WorksheetTooLarge(fmt::format(
            "shape too large for a worksheet: {} ({} × {}) needs {:.0f} × {:.0f} pt, {} paper "
            "has {:.0f} × {:.0f} pt inside its margins",
            b.grid.title.substr(0, b.grid.title.find(' ')), b.grid.rows, b.grid.cols, p.width,
            p.height, paper.title, width, height));
      auto best_place = [&](double& best_x, double& best_y) {
        best_y = std::numeric_limits<double>::infinity();
        for (double x : sky.starts()) {
          if (x + p.width > right + 1e-9) continue;
          const double y = std::max(sky.floor_under(x, x + p.width), previous_top);
          if (y < best_y - 1e-9) {
            best_y = y;
            best_x = x;
          }
        }
      };
      double x = left, y = 0;
      best_place(x, y);
      if (y + p.height > bottom) {
        new_page();
        best_place(x, y);
      }
      p.x = x;
      p.y = y;
      previous_top = y;
      sky.raise(x, std::min(right, x + p.width + gap_x), y + p.height + gap_y);
    } else {
      const bool is_heading = b.kind == SheetBlock::Kind::heading;
      const TextStyle& style = is_heading ? heading : line;
      p.lines = is_heading ? std::vector<std::string>{b.text} : wrap(b.text, style, width, measure);
      for (const std::string& l : p.lines) p.width = std::max(p.width, measure(l, style));
      p.height = is_heading ? heading_height : line_height * static_cast<double>(p.lines.size());
      // A heading stays on the page of what follows it: the next grid, or
      // all the lines up to the next heading (when that fits a page).
      double keep = p.height;
      if (is_heading) {
        double follow = 0;
        for (std::size_t j = i + 1; j < sheet.blocks.size(); ++j) {
          const SheetBlock& next = sheet.blocks[j];
          if (next.kind == SheetBlock::Kind::grid) {
            follow += grid_height(next);
            break;
          }
          if (next.kind == SheetBlock::Kind::heading) break;
          follow += line_height * static_cast<double>(wrap(next.text, line, width, measure).size());
        }
        if (p.height + follow <= height) keep += follow;
      }
      double y = sky.lowest();
      if (y + keep > bottom) {
        new_page();
        y = top;
      }
      p.x = left;
      p.y = y;
      previous_top = y + p.height;
      sky.reset(left, right, y + p.height + (is_heading ? 0 : 2));
    }
    p.page = page;
    layout.placed.push_back(std::move(p));
  }
  layout.pages = page + 1;
  layout.used_height = sky.lowest();
  return layout;
}

} // namespace abh
