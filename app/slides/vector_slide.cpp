#include "app/slides/vector_slide.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "app/io/atomic_file.hpp"
#include "app/session/colormap.hpp"
#include "app/worksheet/cairo_draw.hpp"
#include "app/worksheet/cell_format.hpp"
#include "core/counts.hpp"
#include "core/drawn_facts.hpp"
#include "core/number_format.hpp"
#include "core/trace.hpp"

namespace abh {

namespace {

using namespace cairo_draw;

constexpr double page_w = slide_page_width, page_h = slide_page_height, margin = 28;
constexpr double counts_w = 330, op_gap = 34, row_gap = 12, label_h = 20;
constexpr double max_cell = 56, min_value_font = 6.5, max_value_font = 16;
constexpr std::int64_t max_cells_drawn = 32; // per side; more: block means
constexpr int max_blocks = 96;               // per side of a block-mean image
constexpr std::int64_t max_head_rows = 6;
constexpr TextStyle title_style{30, true}, panel_style{22, true}, label_style{13, true},
    op_style{24, true}, note_style{14, false}, caption_style{18, false},
    count_head_style{20, true}, count_name_style{15, true}, count_style{15, false};

// What the slide draws on, and every text it drew: an SVG from cairo holds
// glyph outlines only, so the same texts go in as a transparent text layer
// (the SVG's equivalent of a PDF's text), for search, copy and screen readers.
struct PlacedText {
  std::string text;
  double x, baseline, size;
  bool bold;
};
struct Canvas {
  cairo_t* cr;
  std::vector<PlacedText> texts;
};

void put(Canvas& cv, const std::string& text, const TextStyle& style, const Rgb& colour, double x,
         double baseline, double align = 0) {
  show(cv.cr, text, style, colour, x, baseline, align);
  cv.texts.push_back({text, x - align * text_width(cv.cr, text, style), baseline, style.size, style.bold});
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// The text layer, placed before the SVG's closing tag.
std::string with_text_layer(std::string svg, const std::vector<PlacedText>& texts) {
  const std::size_t end = svg.rfind("</svg>");
  if (end == std::string::npos) throw std::runtime_error("cairo wrote an SVG without </svg>");
  std::string layer = "<g fill-opacity=\"0\" font-family=\"DejaVu Sans\">\n";
  for (const PlacedText& t : texts)
    layer += fmt::format("<text x=\"{:.2f}\" y=\"{:.2f}\" font-size=\"{:.2f}\"{}>{}</text>\n", t.x,
                         t.baseline, t.size, t.bold ? " font-weight=\"bold\"" : "",
                         xml_escaped(t.text));
  layer += "</g>\n";
  svg.insert(end, layer);
  return svg;
}

// One matrix of a row and the operator drawn after it ("" for none).
struct Item {
  const NamedMatrix* matrix = nullptr;
  int head = -1;
  std::string op;
};
using Row = std::vector<Item>;

std::vector<Row> rows_of(const AttentionTrace& t, std::int64_t heads_shown) {
  std::vector<Row> rows{{{&t.Wqkv, -1, "·"}, {&t.X, -1, "="}, {&t.QKV, -1, ""}}};
  for (std::int64_t h = 0; h < heads_shown; ++h) {
    const HeadTrace& head = t.heads[static_cast<std::size_t>(h)];
    const int hue = static_cast<int>(h);
    rows.push_back({{&head.S, hue, "→"}, {&head.A, hue, "→"}, {&head.Z, hue, ""}});
  }
  rows.push_back({{&t.Wo, -1, "·"}, {&t.Z, -1, "="}, {&t.O, -1, ""}});
  return rows;
}

double cols_of(const Item& i) { return static_cast<double>(i.matrix->values.cols()); }
double rows_of(const Item& i) { return static_cast<double>(i.matrix->values.rows()); }

// A cell's size in points: as tall as the rows allow, and up to twice as
// wide when the width allows (room for decimals).
struct Cell {
  double w, h;
};

// The largest cells at which every row fits width × height, each matrix at
// least as wide as its label.
Cell cell_size(cairo_t* cr, const std::vector<Row>& rows, double width, double height) {
  double total_rows = 0;
  for (const Row& row : rows) {
    double tallest = 0;
    for (const Item& i : row) tallest = std::max(tallest, rows_of(i));
    total_rows += tallest;
  }
  const double fixed_h = static_cast<double>(rows.size()) * (label_h + row_gap);
  const double h = std::min(max_cell, std::max(0.0, height - fixed_h) / total_rows);
  double w = 2 * h;
  for (const Row& row : rows) {
    double cols = 0, gaps = op_gap * static_cast<double>(row.size() - 1);
    for (const Item& i : row) cols += cols_of(i);
    w = std::min(w, (width - gaps) / cols);
    // Shrink further while labels wider than their matrices push the row over.
    for (int tries = 0; tries < 60; ++tries) {
      double used = gaps;
      for (const Item& i : row)
        used += std::max(cols_of(i) * w, text_width(cr, i.matrix->title(), label_style));
      if (used <= width) break;
      w *= 0.95;
    }
  }
  return {w, std::min(h, w)};
}

struct Range {
  Colormap map;
  float lo, hi;
};
Range range_of(const NamedMatrix& m) {
  if (m.name.rfind("A", 0) == 0) return {Colormap::sequential, 0.0f, 1.0f};
  const float extent = m.values.size() ? m.values.cwiseAbs().maxCoeff() : 0.0f;
  return {Colormap::diverging, -std::max(extent, 1e-6f), std::max(extent, 1e-6f)};
}

Rgb colour_of(const Range& r, float value) {
  const Rgba8 c = colormap_color(r.map, value, r.lo, r.hi);
  return {c.r / 255.0, c.g / 255.0, c.b / 255.0};
}

// The largest value font (≥ min_value_font) at which every cell's text fits
// its cell, or 0.
double value_font(cairo_t* cr, const NamedMatrix& m, int decimals, Cell s) {
  if (m.values.rows() > max_cells_drawn || m.values.cols() > max_cells_drawn) return 0;
  for (double size = std::min(max_value_font, s.h * 0.6); size >= min_value_font; size -= 0.5) {
    bool fits = true;
    for (Eigen::Index i = 0; i < m.values.size() && fits; ++i)
      fits = text_width(cr, cell_text(m.values.data()[i], decimals), {size, false}) <= s.w * 0.9;
    if (fits) return size;
  }
  return 0;
}

// Cell by cell, with values when they fit; returns whether they were printed.
bool draw_cells(Canvas& cv, const NamedMatrix& m, double x, double y, Cell s) {
  cairo_t* cr = cv.cr;
  const Range range = range_of(m);
  const int decimals = cell_decimals(m.name, m.values);
  const double font = value_font(cr, m, decimals, s);
  for (Eigen::Index r = 0; r < m.values.rows(); ++r)
    for (Eigen::Index c = 0; c < m.values.cols(); ++c) {
      const float v = m.values(r, c);
      const Rgb fill = colour_of(range, v);
      const double left = x + static_cast<double>(c) * s.w, top = y + static_cast<double>(r) * s.h;
      cairo_rectangle(cr, left, top, s.w, s.h);
      set_colour(cr, fill);
      cairo_fill_preserve(cr);
      set_colour(cr, rule);
      cairo_set_line_width(cr, std::min(0.5, s.h * 0.05));
      cairo_stroke(cr);
      if (font > 0) {
        const double luminance = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b;
        put(cv, cell_text(v, decimals), {font, false}, luminance > 0.5 ? black : white,
             left + s.w / 2, top + s.h / 2 + font * 0.36, 0.5);
      }
    }
  return font > 0;
}

// Block means as one image, scaled without smoothing, coloured over the
// range of the means (the means of a large matrix sit near its centre).
void draw_blocks(cairo_t* cr, const NamedMatrix& m, double x, double y, Cell s) {
  const Eigen::Index rows = m.values.rows(), cols = m.values.cols();
  const int br = static_cast<int>(std::min<Eigen::Index>(rows, max_blocks)),
            bc = static_cast<int>(std::min<Eigen::Index>(cols, max_blocks));
  NamedMatrix means{m.name, Eigen::MatrixXf(br, bc)};
  for (int i = 0; i < br; ++i)
    for (int j = 0; j < bc; ++j) {
      const Eigen::Index r0 = rows * i / br, r1 = rows * (i + 1) / br;
      const Eigen::Index c0 = cols * j / bc, c1 = cols * (j + 1) / bc;
      means.values(i, j) = m.values.block(r0, c0, r1 - r0, c1 - c0).mean();
    }
  Range range = range_of(means);
  if (range.map == Colormap::sequential) range.hi = std::max(means.values.maxCoeff(), 1e-6f);
  std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)> image(
      cairo_image_surface_create(CAIRO_FORMAT_RGB24, bc, br), cairo_surface_destroy);
  cairo_surface_flush(image.get());
  unsigned char* data = cairo_image_surface_get_data(image.get());
  const int stride = cairo_image_surface_get_stride(image.get());
  for (int i = 0; i < br; ++i)
    for (int j = 0; j < bc; ++j) {
      const Rgba8 c = colormap_color(range.map, means.values(i, j), range.lo, range.hi);
      auto* pixel = reinterpret_cast<std::uint32_t*>(data + static_cast<std::ptrdiff_t>(i) * stride) + j;
      *pixel = (std::uint32_t{c.r} << 16) | (std::uint32_t{c.g} << 8) | std::uint32_t{c.b};
    }
  cairo_surface_mark_dirty(image.get());
  cairo_save(cr);
  cairo_translate(cr, x, y);
  cairo_scale(cr, static_cast<double>(cols) * s.w / bc, static_cast<double>(rows) * s.h / br);
  cairo_set_source_surface(cr, image.get(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_NEAREST);
  cairo_rectangle(cr, 0, 0, bc, br);
  cairo_fill(cr);
  cairo_restore(cr);
}

struct PanelText {
  std::string title;
  std::string more; // "+N more heads", or ""
};

// One computation in the box [x, x + width] × [y, y + height]; returns
// whether any matrix went without its values.
bool draw_panel(Canvas& cv, const PanelText& text, const std::vector<Row>& rows, Cell s,
                double x, double y, double width) {
  cairo_t* cr = cv.cr;
  put(cv, text.title, panel_style, black, x + width / 2, y + 22, 0.5);
  double top = y + 40;
  bool hidden = false;
  for (const Row& row : rows) {
    double used = op_gap * static_cast<double>(row.size() - 1), tallest = 0;
    std::vector<double> slots;
    for (const Item& i : row) {
      slots.push_back(std::max(cols_of(i) * s.w, text_width(cr, i.matrix->title(), label_style)));
      used += slots.back();
      tallest = std::max(tallest, rows_of(i) * s.h);
    }
    double left = x + (width - used) / 2;
    for (std::size_t k = 0; k < row.size(); ++k) {
      const Item& i = row[k];
      const NamedMatrix& m = *i.matrix;
      const double w = cols_of(i) * s.w, h = rows_of(i) * s.h, mx = left + (slots[k] - w) / 2;
      put(cv, m.title(), label_style, i.head >= 0 ? head_colour(i.head) : black,
           left + slots[k] / 2, top + 14, 0.5);
      const double my = top + label_h;
      if (m.values.rows() <= max_cells_drawn && m.values.cols() <= max_cells_drawn) {
        hidden |= !draw_cells(cv, m, mx, my, s);
      } else {
        draw_blocks(cr, m, mx, my, s);
        hidden = true;
      }
      cairo_rectangle(cr, mx, my, w, h);
      set_colour(cr, i.head >= 0 ? head_colour(i.head) : grey);
      cairo_set_line_width(cr, 1);
      cairo_stroke(cr);
      left += slots[k];
      if (!i.op.empty())
        put(cv, i.op, op_style, grey, left + op_gap / 2, my + std::min(h, tallest) / 2 + 8, 0.5);
      left += op_gap;
    }
    top += label_h + tallest + row_gap;
    if (&row == &rows[rows.size() - 2] && !text.more.empty()) {
      put(cv, text.more, note_style, grey, x + width / 2, top + 4, 0.5);
      top += 20;
    }
  }
  return hidden;
}

std::int64_t score_dot_products(const Counts& c) {
  return c[Stage::scores].dot_products + c[Stage::attention].dot_products;
}

void draw_counts(Canvas& cv, const Shape& one, const Shape& many, double x, double y) {
  const Counts a = count(one), b = count(many);
  const std::string h1 = "1 head", hh = fmt::format("{} heads", many.heads);
  put(cv, "Counts", count_head_style, black, x, y + 20);
  double top = y + 56;
  auto pair = [&](const std::string& name, std::int64_t first, std::int64_t second) {
    put(cv, name, count_name_style, black, x, top);
    put(cv, h1 + ": " + count_text(first), count_style, head_colour(0), x + 12, top + 22);
    put(cv, hh + ": " + count_text(second), count_style, head_colour(1), x + 12, top + 42);
    top += 78;
  };
  pair("score dot products", score_dot_products(a), score_dot_products(b));
  pair("matmul multiplies", a.totals.matmul_multiplies, b.totals.matmul_multiplies);
  pair("all multiplies", a.totals.multiplies, b.totals.multiplies);
  pair("score memory (elements)", a.memory.scores_elements, b.memory.scores_elements);
}

// The most head rows (≤ H) that keep cells near the size one head row gets.
std::int64_t heads_that_fit(cairo_t* cr, const AttentionTrace& t, double width, double height) {
  const std::int64_t limit = std::min<std::int64_t>(t.shape.heads, max_head_rows);
  const double one = cell_size(cr, rows_of(t, 1), width, height).h;
  std::int64_t shown = 1;
  while (shown < limit &&
         cell_size(cr, rows_of(t, shown + 1), width, height).h >= 0.6 * std::min(one, 14.0))
    ++shown;
  return shown;
}

} // namespace

std::string slide_caption(const AppState& s) {
  if (!s.export_options.caption_text.empty()) return s.export_options.caption_text;
  return "Attention by Hand · " + describe(s.shape) + " · " +
         std::string(value_mode_label(s.trace.values)) + " values, seed " +
         std::to_string(s.trace.seed) + " · Wqkv " +
         (s.trace.layout == WqkvLayout::triples ? "per-head triples" : "[Q;K;V] blocks");
}

void write_vector_slide(const AppState& state, const VectorSlideRequest& request) {
  const SheetFormat format = sheet_format_of(request.path, "--export");
  const Shape one_shape = single_head_of(state.shape);
  check_trace_budget_bytes(trace_bytes(state.shape) + trace_bytes(one_shape), default_trace_budget);
  const AttentionTrace heads = compute_trace(state.shape, state.trace);
  const AttentionTrace one = compute_trace(one_shape, state.trace);
  const std::string caption = request.caption ? slide_caption(state) : "";

  std::vector<PlacedText> texts;
  auto draw = [&](cairo_t* cr, int) {
    Canvas cv{cr, {}};
    const std::string title =
        fmt::format("One head vs {} heads: the same attention, sliced two ways", heads.shape.heads);
    put(cv, title, title_style, black, page_w / 2, margin + 28, 0.5);
    const double body_top = margin + 52;
    const double caption_h = caption.empty() ? 0 : 34;
    const double right = page_w - margin - (request.counts ? counts_w : 0);
    const double panel_w = (right - margin - op_gap) / 2;
    // What the slide draws against what is counted, as the PNG panels say
    // it, on a line of its own below the notes when there is one.
    double body_bottom = 0, matrices_h = 0;
    std::int64_t shown = 0;
    std::string drawn;
    for (const double note_h : {24.0, 46.0}) {
      body_bottom = page_h - margin - caption_h - note_h;
      matrices_h = body_bottom - body_top - 40 - 24; // panel title, "+N more"
      shown = heads_that_fit(cr, heads, panel_w, matrices_h);
      DrawnFacts facts = drawn_facts(state.shape, heads.shape, shown);
      facts.mla_multiplied_out = true; // the slide draws Wqkv · X = QKV
      drawn = drawn_line(facts);
      if (drawn.empty()) break;
    }
    const std::vector<Row> one_rows = rows_of(one, 1), head_rows = rows_of(heads, shown);
    const Cell a = cell_size(cr, one_rows, panel_w, matrices_h),
               b = cell_size(cr, head_rows, panel_w, matrices_h);
    const Cell s{std::min(a.w, b.w), std::min(a.h, b.h)};
    const std::int64_t hd = one.shape.head_dim, hh = heads.shape.head_dim;
    const PanelText one_text{fmt::format("1 head (dh = {})", hd), ""};
    const PanelText heads_text{
        fmt::format("{} heads (dh = {} each)", heads.shape.heads, hh),
        shown < heads.shape.heads ? fmt::format("+{} more heads", heads.shape.heads - shown) : ""};
    bool hidden = draw_panel(cv, one_text, one_rows, s, margin, body_top, panel_w);
    hidden |= draw_panel(cv, heads_text, head_rows, s, margin + panel_w + op_gap, body_top,
                         panel_w);
    set_colour(cr, rule);
    cairo_set_line_width(cr, 1);
    cairo_move_to(cr, margin + panel_w + op_gap / 2, body_top);
    cairo_line_to(cr, margin + panel_w + op_gap / 2, body_bottom);
    cairo_stroke(cr);
    if (hidden)
      put(cv, "values not printed where cells are too small (large matrices: block means)",
           note_style, grey, margin, body_bottom + 18);
    if (!drawn.empty()) {
      double size = note_style.size;
      while (size > 8 && text_width(cr, drawn, {size, false}) > page_w - 2 * margin) size -= 0.5;
      put(cv, drawn, {size, false}, black, margin, body_bottom + 40);
    }
    if (request.counts) draw_counts(cv, one.shape, heads.shape, right + 16, body_top);
    if (!caption.empty()) {
      double size = caption_style.size;
      while (size > 9 && text_width(cr, caption, {size, false}) > page_w - 2 * margin) size -= 0.5;
      put(cv, caption, {size, false}, black, page_w / 2, page_h - margin - 6, 0.5);
    }
    texts = std::move(cv.texts);
  };
  std::string document = draw_document(format, page_w, page_h,
                                       "Attention by Hand: one head vs H heads", 1, draw, request.path);
  if (format == SheetFormat::svg) document = with_text_layer(std::move(document), texts);
  if (const std::string error = write_file_atomically(request.path, document); !error.empty())
    throw std::runtime_error(error);
}

} // namespace abh
