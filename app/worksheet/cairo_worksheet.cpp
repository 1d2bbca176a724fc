#include "app/worksheet/cairo_worksheet.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>

#include "app/io/atomic_file.hpp"

namespace abh {

SheetFormat sheet_format_of(const std::string& path) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto ends_with = [&](const char* ext) {
    const std::string e = ext;
    return lower.size() > e.size() && lower.compare(lower.size() - e.size(), e.size(), e) == 0;
  };
  if (ends_with(".pdf")) return SheetFormat::pdf;
  if (ends_with(".svg")) return SheetFormat::svg;
  throw std::runtime_error("--worksheet: " + path + " must end in .pdf or .svg");
}

namespace {

using namespace sheet_style;
constexpr const char* font_family = "DejaVu Sans";

struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Context = std::unique_ptr<cairo_t, CairoDeleter>;
using Surface = std::unique_ptr<cairo_surface_t, CairoDeleter>;

// Unhinted metrics: widths in points that do not depend on a device.
void set_style(cairo_t* cr, const TextStyle& style) {
  cairo_select_font_face(cr, font_family, CAIRO_FONT_SLANT_NORMAL,
                         style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, style.size);
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
}

double text_width(cairo_t* cr, const std::string& text, const TextStyle& style) {
  set_style(cr, style);
  cairo_text_extents_t extents;
  cairo_text_extents(cr, text.c_str(), &extents);
  return extents.x_advance;
}

struct Rgb {
  double r, g, b;
};
constexpr Rgb black{0, 0, 0}, grey{0.42, 0.42, 0.42}, rule{0.62, 0.62, 0.62},
    tint{0.93, 0.93, 0.93};

// The window's head hues (golden-angle steps from 0.58), dark enough to
// read on paper.
Rgb head_colour(int head) {
  const double hue = std::fmod(0.58 + 0.381966 * head, 1.0) * 6.0, s = 0.85, v = 0.62;
  const int sector = static_cast<int>(hue) % 6;
  const double f = hue - std::floor(hue), p = v * (1 - s), q = v * (1 - s * f),
               t = v * (1 - s * (1 - f));
  switch (sector) {
  case 0: return {v, t, p};
  case 1: return {q, v, p};
  case 2: return {p, v, t};
  case 3: return {p, q, v};
  case 4: return {t, p, v};
  default: return {v, p, q};
  }
}

void set_colour(cairo_t* cr, const Rgb& c) { cairo_set_source_rgb(cr, c.r, c.g, c.b); }

// Text with its left end at x (align 0), centred on x (0.5) or ending at x (1).
void show(cairo_t* cr, const std::string& text, const TextStyle& style, const Rgb& colour,
          double x, double baseline, double align = 0) {
  const double w = text_width(cr, text, style);
  set_colour(cr, colour);
  cairo_move_to(cr, x - align * w, baseline);
  cairo_show_text(cr, text.c_str());
}

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

// The document is drawn into memory, then written in one checked step.
cairo_status_t write_to_sink(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
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

  std::string sink;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  {
    Surface surface(format == SheetFormat::pdf
                        ? cairo_pdf_surface_create_for_stream(write_to_sink, &sink, paper.width,
                                                              height)
                        : cairo_svg_surface_create_for_stream(write_to_sink, &sink, paper.width,
                                                              height));
    if (format == SheetFormat::pdf)
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, sheet.title.c_str());
    Context cr(cairo_create(surface.get()));
    for (int page = 0; page < layout.pages; ++page) {
      cairo_set_source_rgb(cr.get(), 1, 1, 1);
      cairo_paint(cr.get());
      draw_page(cr.get(), sheet, layout, page, height);
      cairo_show_page(cr.get());
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    status = cairo_surface_status(surface.get());
  }
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot draw " + path + ": " + cairo_status_to_string(status));
  if (const std::string error = write_file_atomically(path, sink); !error.empty())
    throw std::runtime_error(error);
}

} // namespace abh
