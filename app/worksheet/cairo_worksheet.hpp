#pragma once
// Prints a worksheet through cairo: a PDF (one or more pages of the paper)
// or an SVG (one page as wide as the paper and as tall as the content).
// Light theme: black on white, inputs tinted grey, heads in their colours.

#include <string>

#include "app/worksheet/cairo_draw.hpp"
#include "app/worksheet/page_layout.hpp"
#include "app/worksheet/worksheet_content.hpp"

namespace abh {

// Cairo's text widths, for lay_out.
MeasureText cairo_text_measure();

// Lays out and writes the sheet to PATH.part, then renames it to PATH, so
// a failure leaves no partial file and any old PATH intact. Throws
// WorksheetTooLarge or std::runtime_error ("cannot write PATH: reason").
void write_worksheet(const Worksheet& sheet, const std::string& path, const Paper& paper);

} // namespace abh
