#include "app/worksheet/cairo_draw.hpp"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include <cmath>
#include <memory>
#include <stdexcept>

namespace abh {

namespace cairo_draw {

namespace {

constexpr const char* font_family = "DejaVu Sans";

struct CairoDeleter {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
using Context = std::unique_ptr<cairo_t, CairoDeleter>;
using Surface = std::unique_ptr<cairo_surface_t, CairoDeleter>;

// The document is drawn into memory, then written in one checked step.
cairo_status_t write_to_sink(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

} // namespace

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

void show(cairo_t* cr, const std::string& text, const TextStyle& style, const Rgb& colour,
          double x, double baseline, double align) {
  const double w = text_width(cr, text, style);
  set_colour(cr, colour);
  cairo_move_to(cr, x - align * w, baseline);
  cairo_show_text(cr, text.c_str());
}

std::string draw_document(SheetFormat format, double width, double height,
                          const std::string& title, int pages,
                          const std::function<void(cairo_t*, int page)>& draw_page,
                          const std::string& name) {
  std::string sink;
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  {
    Surface surface(format == SheetFormat::pdf
                        ? cairo_pdf_surface_create_for_stream(write_to_sink, &sink, width, height)
                        : cairo_svg_surface_create_for_stream(write_to_sink, &sink, width, height));
    if (format == SheetFormat::pdf)
      cairo_pdf_surface_set_metadata(surface.get(), CAIRO_PDF_METADATA_TITLE, title.c_str());
    Context cr(cairo_create(surface.get()));
    for (int page = 0; page < pages; ++page) {
      cairo_set_source_rgb(cr.get(), 1, 1, 1);
      cairo_paint(cr.get());
      draw_page(cr.get(), page);
      cairo_show_page(cr.get());
    }
    if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS) status = cairo_status(cr.get());
    cr.reset();
    cairo_surface_finish(surface.get());
    if (status == CAIRO_STATUS_SUCCESS) status = cairo_surface_status(surface.get());
  }
  if (status != CAIRO_STATUS_SUCCESS)
    throw std::runtime_error("cannot draw " + name + ": " + cairo_status_to_string(status));
  return sink;
}

} // namespace cairo_draw
} // namespace abh
