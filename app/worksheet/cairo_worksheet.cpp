#include "app/worksheet/cairo_worksheet.hpp"

#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "app/io/atomic_file.hpp"

namespace abh {

namespace {

using namespace sheet_style;
using namespace cairo_draw;

void draw_grid(cairo_t* cr, const SheetGrid& g, const PlacedBlock& p) {
  const Rgb title_colour = g.head >= 0 ? head_colour(g.head) : black;
  show(cr, g.title, grid_title, title_colour, p.x, p.y + 10);
  if (!g.note.empty())
    show(cr, g.note, note, grey, p.x + text_width(cr, g.title, grid_title) + 8, p.y + 10);
  const double cells_x = p.x + p.grid.label_width, cw = p.grid.cell_width;
  const double cells_y = p.y + grid_title_height + col_label_height;
  for (std::int64_t c = 0; c < g.cols; ++c)
    show(cr, g.col_labels[static_cast<std::size_t>(c)], label, grey,
         cells_x + (static_cast<double>(c) + 0.5) * cw, cells_y - 3, 0.5);
  for (std::int64_t r = 0; r < g.rows; ++r) {
    const auto row = static_cast<std::size_t>(r);
    const double top = cells_y + static_cast<double>(r) * cell_height;
    const int head = g.row_heads[row];
    show(cr, g.row_labels[row], label, head >= 0 ? head_colour(head) : grey, cells_x - 4,
         top + 11, 1);
    for (std::int64_t c = 0; c < g.cols; ++c) {
      const double left = cells_x + static_cast<double>(c) * cw;
      cairo_rectangle(cr, left, top, cw, cell_height);
      set_colour(cr, g.given ? tint : Rgb{1, 1, 1});
      cairo_fill_preserve(cr);
      set_colour(cr, rule);
      cairo_set_line_width(cr, 0.5);
      cairo_stroke(cr);
      const std::string& text = g.cells[row * static_cast<std::size_t>(g.cols) +
                                        static_cast<std::size_t>(c)];
      if (!text.empty()) show(cr, text, cell, black, left + cw / 2, top + 11, 0.5);
    }
    if (g.band_starts[row]) {
      set_colour(cr, black);
      cairo_set_line_width(cr, 1.2);
      cairo_move_to(cr, cells_x, top);
      cairo_line_to(cr, cells_x + static_cast<double>(g.cols) * cw, top);
      cairo_stroke(cr);
    }
  }
}

void draw_page(cairo_t* cr, const Worksheet& sheet, const SheetLayout& layout, int page,
               double page_height) {
  if (page == 0) {
    show(cr, sheet.title, title, black, margin, margin + 16);
    show(cr, sheet.subtitle, subtitle, grey, margin, margin + title_height + 10);
  }
  for (const PlacedBlock& p : layout.placed) {
    if (p.page != page) continue;
    const SheetBlock& b = sheet.blocks[p.block];
    if (b.kind == SheetBlock::Kind::grid) {
      draw_grid(cr, b.grid, p);
    } else if (b.kind == SheetBlock::Kind::heading) {
      show(cr, p.lines.front(), heading, black, p.x, p.y + 16);
    } else {
      for (std::size_t i = 0; i < p.lines.size(); ++i)
        show(cr, p.lines[i], line, black, p.x,
             p.y + 10 + line_height * static_cast<double>(i));
    }
  }
  if (layout.pages > 1)
    show(cr, fmt::format("page {} of {}", page + 1, layout.pages), note, grey,
         layout.paper.width / 2, page_height - margin / 2, 0.5);
}

} // namespace

MeasureText cairo_text_measure() {
  auto surface = std::shared_ptr<cairo_surface_t>(
      cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1), cairo_surface_destroy);
  auto cr = std::shared_ptr<cairo_t>(cairo_create(surface.get()), cairo_destroy);
  return [surface, cr](const std::string& text, const TextStyle& style) {
    return text_width(cr.get(), text, style);
  };
}

void write_worksheet(const Worksheet& sheet, const std::string& path, const Paper& paper) {
  const SheetFormat format = sheet_format_of(path);
  const SheetLayout layout =
      lay_out(sheet, paper, cairo_text_measure(), format == SheetFormat::svg);
  const double height = format == SheetFormat::svg ? layout.used_height + margin : paper.height;

  const std::string document = draw_document(
      format, paper.width, height, sheet.title, layout.pages,
      [&](cairo_t* cr, int page) { draw_page(cr, sheet, layout, page, height); }, path);
  if (const std::string error = write_file_atomically(path, document); !error.empty())
    throw std::runtime_error(error);
}

} // namespace abh
