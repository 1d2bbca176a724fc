#pragma once
// Cairo drawing shared by the printed documents (worksheets, slides): the
// font and its unhinted metrics, aligned text, the head colours, and a
// document drawn into memory as PDF or SVG.

#include <cairo.h>

#include <functional>
#include <string>

#include "app/worksheet/document_format.hpp"
#include "app/worksheet/page_layout.hpp"

namespace abh {

namespace cairo_draw {

struct Rgb {
  double r, g, b;
};
inline constexpr Rgb black{0, 0, 0}, white{1, 1, 1}, grey{0.42, 0.42, 0.42},
    rule{0.62, 0.62, 0.62}, tint{0.93, 0.93, 0.93};

// The window's head hues (golden-angle steps from 0.58), dark enough to
// read on paper.
Rgb head_colour(int head);
void set_colour(cairo_t* cr, const Rgb& c);

// DejaVu Sans at the style's size and weight, unhinted: widths in points
// that do not depend on a device.
void set_style(cairo_t* cr, const TextStyle& style);
double text_width(cairo_t* cr, const std::string& text, const TextStyle& style);
// Text with its left end at x (align 0), centred on x (0.5) or ending at x (1).
void show(cairo_t* cr, const std::string& text, const TextStyle& style, const Rgb& colour,
          double x, double baseline, double align = 0);

// Draws `pages` pages of width × height points (each on a white page) into
// a PDF or SVG held in memory and returns its bytes. Throws
// std::runtime_error "cannot draw NAME: reason" if cairo fails.
std::string draw_document(SheetFormat format, double width, double height,
                          const std::string& title, int pages,
                          const std::function<void(cairo_t*, int page)>& draw_page,
                          const std::string& name);

} // namespace cairo_draw
} // namespace abh
