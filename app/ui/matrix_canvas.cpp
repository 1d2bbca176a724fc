#include "app/ui/matrix_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "app/ui/theme.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// Fixed space around and between matrices, in em: room for band labels,
// operators and one-line titles.
constexpr float margin_em = 1.0f, col_gap_em = 2.4f, row_gap_em = 1.6f;
// A value's font: at most this many em, this share of a cell's height, and
// as wide as this share of the cell's width.
constexpr float value_font = 0.85f, value_height = 0.7f, value_width = 0.9f;
// Token labels: at most this many em, and the room under a matrix for them.
constexpr float axis_font = 0.8f, axis_room_em = 1.1f;

// The fixed gap between rows of matrices: titles, and token labels if any.
float row_gap_of(const PipelineLayout& layout) {
  return em(row_gap_em + (layout.axis_labels ? axis_room_em : 0.0f));
}

// Black or white, whichever reads on the cell's colour.
ImU32 ink_on(Rgba8 c) {
  const int luminance = (299 * c.r + 587 * c.g + 114 * c.b) / 1000;
  return luminance > 140 ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

} // namespace

void MatrixCanvas::text_at(ImDrawList* list, const char* kind, ImVec2 at, ImU32 colour,
                           const std::string& text) {
  list->AddText(at, colour, text.c_str());
  const ImVec2 size = ImGui::CalcTextSize(text.c_str());
  drawn_text_.push_back({kind, text, at, ImVec2(at.x + size.x, at.y + size.y)});
}

void MatrixCanvas::draw_matrix(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 cell,
                               HeatmapRenderer& renderer, MatrixTextures& textures,
                               int& labels_left) {
  const Eigen::MatrixXf& full = p.display->source->values; // every cell, unless reduced
  const auto rows = static_cast<float>(p.display->rows), cols = static_cast<float>(p.display->cols);
  const ImVec2 max(min.x + cols * cell.x, min.y + rows * cell.y);
  drawn_.push_back({p.title, min, max, p.display->rows, p.display->cols, p.display->lo, p.display->hi,
                    static_cast<int>(p.display->map), p.name});
  const ImVec2 clip_min = list->GetClipRectMin(), clip_max = list->GetClipRectMax();
  if (max.x < clip_min.x || max.y < clip_min.y || min.x > clip_max.x || min.y > clip_max.y) return;

  if (const unsigned texture = textures.get(*p.display))
    renderer.draw(list, texture, p.display->map, p.display->lo, p.display->hi, min, max);
  else // uploading over the next frames
    list->AddRectFilled(min, max, muted_colour());
  draw_mask(list, p, min, max, cell);

  // The frame sits wholly outside the cells, so edge cells keep their colour;
  // row bands (a coloured strip per head's q/k/v) sit left of the frame.
  const float frame = std::max(1.0f, em(0.12f)), out = frame / 2 + 1;
  const float strip = std::max(3.0f, em(0.35f)), strip_right = min.x - frame - 2;
  for (const RowBand& b : p.bands) {
    const float y0 = min.y + static_cast<float>(b.first) * cell.y;
    const float y1 = y0 + static_cast<float>(b.count) * cell.y;
    list->AddRectFilled(ImVec2(strip_right - strip, y0), ImVec2(strip_right, y1), b.colour);
    if (p.label_bands && y1 - y0 >= ImGui::GetFontSize()) // labels never touch
      text_at(list, "label",
              ImVec2(strip_right - strip - 2 - ImGui::CalcTextSize(b.label.c_str()).x,
                     (y0 + y1 - ImGui::GetFontSize()) / 2),
              b.label_colour ? b.label_colour : b.colour, b.label);
  }
  list->AddRect(ImVec2(min.x - out, min.y - out), ImVec2(max.x + out, max.y + out), p.frame, 0, 0,
                frame);
  // The title ("QKV 108×40") on one line above the matrix, as wide as the
  // matrix and the gap after it; the dimensions go when they do not fit.
  const float line = ImGui::GetFontSize();
  const ImVec2 title_at(min.x, min.y - line * 1.25f);
  text_at(list, "title", title_at, text_colour(), p.name);
  const float name_w = ImGui::CalcTextSize(p.name.c_str()).x + em(0.35f);
  float room = std::max(max.x - min.x, p.title_room * cell.x) + em(col_gap_em) - em(0.6f);
  if (p.title_room > 0) room = std::min(room, clip_max.x - min.x - em(0.3f)); // never past the canvas
  const std::string dims = title_dims(p, room - name_w);
  if (!dims.empty())
    text_at(list, "label", ImVec2(title_at.x + name_w, title_at.y), muted_colour(), dims);
  if (!p.op_before.empty()) {
    const float left = p.bands.empty() ? min.x - out : strip_right - strip;
    const ImVec2 op = ImGui::CalcTextSize(p.op_before.c_str());
    text_at(list, "label",
            ImVec2(left - op.x - em(0.5f),
                   (p.op_row >= 0 ? min.y + p.op_row * cell.y
                                  : min.y + std::min(max.y - min.y, em(4)) / 2) - op.y / 2),
            text_colour(), p.op_before);
  }

  draw_marks(list, p, min, cell);
  draw_axis_labels(list, p, min, max, cell);

  // Values: every cell of a matrix in one format and one font size, the size
  // at which its widest value fits a cell; a matrix whose cells are too small
  // for that prints none (hover still gives each value), so a value never
  // vanishes from among its neighbours.
  if (!show_values || p.display->reduced()) return;
  const auto first_col = static_cast<Eigen::Index>(std::max(0.0f, (clip_min.x - min.x) / cell.x));
  const auto last_col = static_cast<Eigen::Index>(std::min(cols, (clip_max.x - min.x) / cell.x + 1));
  const auto first_row = static_cast<Eigen::Index>(std::max(0.0f, (clip_min.y - min.y) / cell.y));
  const auto last_row = static_cast<Eigen::Index>(std::min(rows, (clip_max.y - min.y) / cell.y + 1));
  if (first_col >= last_col || first_row >= last_row) return;
  // Cells too small for the smallest font, or more than the frame's labels
  // left: nothing to format.
  if (cell.y * value_height < min_value_font_px ||
      (last_col - first_col) * (last_row - first_row) > labels_left)
    return;
  const MatrixNumberFormat format = choose_format({full.data(), static_cast<std::size_t>(full.size())});
  std::vector<std::string> labels;
  float widest = 0; // at the current font size
  for (Eigen::Index c = first_col; c < last_col; ++c)
    for (Eigen::Index r = first_row; r < last_row; ++r) {
      labels.push_back(format.text(full(r, c)));
      widest = std::max(widest, ImGui::CalcTextSize(labels.back().c_str()).x);
    }
  if (static_cast<int>(labels.size()) > labels_left) return;
  const float font = ImGui::GetFontSize();
  const float size = std::min({font * value_font, cell.y * value_height,
                               font * cell.x * value_width / std::max(widest, 1.0f)});
  if (size < min_value_font_px) return;
  labels_left -= static_cast<int>(labels.size());
  std::size_t i = 0;
  for (Eigen::Index c = first_col; c < last_col; ++c)
    for (Eigen::Index r = first_row; r < last_row; ++r, ++i) {
      const char* text = labels[i].c_str();
      const float w = ImGui::CalcTextSize(text).x * size / font;
      const float cx = min.x + (static_cast<float>(c) + 0.5f) * cell.x;
      const float cy = min.y + (static_cast<float>(r) + 0.5f) * cell.y;
      const ImVec2 at(cx - w / 2, cy - size / 2);
      const float v = full(r, c);
      list->AddText(ImGui::GetFont(), size, at,
                    ink_on(colormap_color(p.display->map, v, p.display->lo, p.display->hi)), text);
      drawn_text_.push_back({"value", labels[i], at, ImVec2(at.x + w, at.y + size)});
    }
}

// Token words under the columns and left of the rows, each in the largest
// font up to axis_font em that fits its cell.
void MatrixCanvas::draw_axis_labels(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 max,
                                    ImVec2 cell) {
  const float font = ImGui::GetFontSize(), gap = em(0.25f);
  const auto label = [&](const std::string& text, float room_w, float room_h, auto place) {
    const float w = ImGui::CalcTextSize(text.c_str()).x;
    const float size = std::min({font * axis_font, room_h, font * room_w / std::max(w, 1.0f)});
    if (size < min_value_font_px) return;
    const ImVec2 at = place(w * size / font, size);
    list->AddText(ImGui::GetFont(), size, at, muted_colour(), text.c_str());
    drawn_text_.push_back({"label", text, at, ImVec2(at.x + w * size / font, at.y + size)});
  };
  if (static_cast<Eigen::Index>(p.col_labels.size()) == p.display->source->values.cols())
    for (std::size_t c = 0; c < p.col_labels.size(); ++c)
      label(p.col_labels[c], cell.x * 0.95f, em(axis_room_em) - gap, [&](float w, float) {
        return ImVec2(min.x + (static_cast<float>(c) + 0.5f) * cell.x - w / 2, max.y + gap);
      });
  if (static_cast<Eigen::Index>(p.row_labels.size()) == p.display->source->values.rows())
    for (std::size_t r = 0; r < p.row_labels.size(); ++r)
      label(p.row_labels[r], em(col_gap_em) - 3 * gap, cell.y, [&](float w, float size) {
        return ImVec2(min.x - gap - w, min.y + (static_cast<float>(r) + 0.5f) * cell.y - size / 2);
      });
}

// The keys each query does not see, shaded per drawn column: above and below
// its visible rows. Drawn as rectangles (a causal triangle of a 1×1-block
// matrix is a staircase), and recorded for tests.
void MatrixCanvas::draw_mask(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 max,
                             ImVec2 cell) {
  // Mid grey: reads as "not seen" on white scores and on dark weights alike.
  const ImU32 shade = IM_COL32(115, 115, 115, 205);
  const ImVec2 block(static_cast<float>(p.block_cols) * cell.x, static_cast<float>(p.block_rows) * cell.y);
  const auto shade_rect = [&](ImVec2 a, ImVec2 b) {
    b = ImVec2(std::min(b.x, max.x), std::min(b.y, max.y));
    if (a.x >= b.x || a.y >= b.y) return;
    list->AddRectFilled(a, b, shade);
    drawn_shades_.push_back({p.name, a, b});
  };
  for (std::size_t c = 0; c < p.visible.size(); ++c) {
    const float x0 = min.x + static_cast<float>(c) * block.x, x1 = x0 + block.x;
    const VisibleRows& v = p.visible[c];
    shade_rect(ImVec2(x0, min.y), ImVec2(x1, min.y + static_cast<float>(v.first) * block.y));
    shade_rect(ImVec2(x0, min.y + static_cast<float>(v.last + 1) * block.y), ImVec2(x1, max.y));
  }
}

// The first that fits `room` pixels of: the dims and every note, the dims and
// the first note, every note, the first note, the dims ("8×8 · k,v 1 · window 3").
std::string MatrixCanvas::title_dims(const PlacedMatrix& p, float room) {
  const auto joined = [&](bool dims, std::size_t notes) {
    std::string text = dims ? p.dims : "";
    for (std::size_t i = 0; i < std::min(notes, p.notes.size()); ++i)
      text += (text.empty() ? "" : " · ") + p.notes[i];
    return text;
  };
  const std::size_t all = p.notes.size();
  for (const std::string& text : {joined(true, all), joined(true, 1), joined(false, all),
                                  joined(false, 1), joined(true, 0)})
    if (!text.empty() && ImGui::CalcTextSize(text.c_str()).x < room) return text;
  return "";
}

void MatrixCanvas::draw_marks(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 cell) {
  for (const CanvasMark& m : marks) {
    if (m.matrix != p.display->source) continue;
    const ImVec2 a(min.x + static_cast<float>(m.col) * cell.x, min.y + static_cast<float>(m.row) * cell.y);
    const ImVec2 b(a.x + static_cast<float>(m.cols) * cell.x, a.y + static_cast<float>(m.rows) * cell.y);
    // A dark line inside a bright one: readable on every colour of the maps.
    const float thick = m.output ? std::max(2.5f, em(0.18f)) : std::max(2.0f, em(0.13f));
    list->AddRect(ImVec2(a.x - thick, a.y - thick), ImVec2(b.x + thick, b.y + thick),
                  m.output ? mark_output_colour() : mark_source_colour(), 0, 0, thick);
    list->AddRect(a, b, IM_COL32(0, 0, 0, 255), 0, 0, std::max(1.0f, thick / 2));
  }
}


float MatrixCanvas::fit_cell(const PipelineLayout& layout, ImVec2 size) {
  const float grid_w = static_cast<float>(layout.grid_cols) * em(col_gap_em);
  const float grid_h = static_cast<float>(layout.grid_rows) * row_gap_of(layout) +
                       (layout.axis_labels ? em(axis_room_em) : 0.0f);
  return std::max(1e-3f, std::min((size.x - 2 * em(margin_em) - grid_w) / std::max(layout.width, 1.0f),
                                  (size.y - 2 * em(margin_em) - grid_h) / std::max(layout.height, 1.0f)));
}

float MatrixCanvas::widest_value_em(const PipelineLayout& layout) const {
  if (!show_values) return 0;
  std::int64_t cells = 0;
  for (const PlacedMatrix& p : layout.matrices)
    if (p.display && !p.display->reduced()) cells += p.display->source->values.size();
  if (cells > max_value_labels) return 0; // values print only when zoomed in
  return widest_printable_em(layout, {});
}

float MatrixCanvas::widest_printable_em(const PipelineLayout& layout,
                                        const std::vector<std::string>& kinds) {
  float widest = 0;
  for (const PlacedMatrix& p : layout.matrices) {
    if (!p.display || p.display->reduced()) continue;
    if (!kinds.empty() && std::find(kinds.begin(), kinds.end(), matrix_kind(p.name)) == kinds.end())
      continue;
    const Eigen::MatrixXf& v = p.display->source->values;
    const MatrixNumberFormat format = choose_format({v.data(), static_cast<std::size_t>(v.size())});
    for (Eigen::Index i = 0; i < v.size(); ++i)
      widest = std::max(widest, ImGui::CalcTextSize(format.text(v.data()[i]).c_str()).x);
  }
  return widest / ImGui::GetFontSize();
}

// [SECTION] view: zoom to read values, follow the step

namespace {

// Where a matrix's cell (row, col) starts, in pixels from the canvas's
// top-left corner, under `view` (the fixed gaps of draw(), cells scaled).
ImVec2 cell_at(const PipelineLayout& layout, const PlacedMatrix& p, const CanvasView& view,
               ImVec2 cell, float row, float col) {
  return ImVec2(em(margin_em) + static_cast<float>(p.grid_col + 1) * em(col_gap_em) +
                    (p.x + col - view.pan.x) * cell.x,
                em(margin_em) + static_cast<float>(p.grid_row + 1) * row_gap_of(layout) +
                    (p.y + row - view.pan.y) * cell.y);
}

const PlacedMatrix* placed(const PipelineLayout& layout, const NamedMatrix* m) {
  for (const PlacedMatrix& p : layout.matrices)
    if (p.display && p.display->source == m) return &p;
  return nullptr;
}

struct Span {
  float lo, hi;
};

// The shift (pixels, added to screen positions) that brings spans[0] into
// [v0, v1], then as many of the other spans as fit beside it; of the first
// that does not fit, as much as the room allows.
float shift_into(const std::vector<Span>& spans, float v0, float v1) {
  Span chosen = spans[0];
  const Span* left_out = nullptr;
  for (std::size_t i = 1; i < spans.size(); ++i) {
    const Span u{std::min(chosen.lo, spans[i].lo), std::max(chosen.hi, spans[i].hi)};
    if (u.hi - u.lo <= v1 - v0) chosen = u;
    else if (!left_out) left_out = &spans[i];
  }
  float shift = 0;
  if (chosen.lo < v0 || chosen.hi - chosen.lo > v1 - v0) shift = v0 - chosen.lo;
  else if (chosen.hi > v1) shift = v1 - chosen.hi;
  if (left_out) {
    const Span s{left_out->lo + shift, left_out->hi + shift};
    if (s.lo < v0 && s.hi <= v1) shift += std::max(0.0f, std::min(v0 - s.lo, v1 - (chosen.hi + shift)));
    else if (s.hi > v1 && s.lo >= v0)
      shift -= std::max(0.0f, std::min(s.hi - v1, (chosen.lo + shift) - v0));
  }
  return shift;
}

} // namespace

ImVec2 MatrixCanvas::cell_pixels(const CanvasView& view) {
  const float h = ImGui::GetFontSize() / view.cells_per_em;
  return ImVec2(h * view.aspect, h);
}

std::string matrix_kind(const std::string& name) { return name.substr(0, name.find('_')); }

ImVec2 MatrixCanvas::reading_cell(const std::vector<const PipelineLayout*>& layouts,
                                  const std::vector<std::string>& kinds) const {
  float widest = 0;
  for (const PipelineLayout* layout : layouts)
    widest = std::max(widest, widest_printable_em(*layout, kinds));
  // A hair above the limits draw_matrix checks, so rounding never hides a
  // value; cells no wider than their values need (narrower than tall for
  // one digit), so more of a row fits across.
  const float down = min_value_font_px / value_height * 1.02f;
  return ImVec2(std::max(0.6f * down, min_value_font_px * widest / value_width * 1.02f), down);
}

void MatrixCanvas::zoom_to_read(CanvasView& view, const PipelineLayout& layout, ImVec2 size,
                                ImVec2 cell, const CanvasMark* centre) {
  view.fit = false;
  view.cells_per_em = ImGui::GetFontSize() / cell.y;
  view.aspect = cell.x / cell.y;
  view.pan = ImVec2(0, 0);
  const PlacedMatrix* p = centre ? placed(layout, centre->matrix) : nullptr;
  if (p) {
    const ImVec2 at = cell_at(layout, *p, view, cell, static_cast<float>(centre->row) + 0.5f,
                              static_cast<float>(centre->col) + 0.5f);
    view.pan = ImVec2((at.x - size.x / 2) / cell.x, (at.y - size.y / 2) / cell.y);
  }
  clamp_pan(view, layout, size);
}

bool MatrixCanvas::keep_in_view(CanvasView& view, const PipelineLayout& layout, ImVec2 size,
                                const std::vector<CanvasMark>& marks) {
  if (view.fit || view.cells_per_em <= 0) return false;
  const ImVec2 cell = MatrixCanvas::cell_pixels(view);
  std::vector<Span> across, down;
  for (const CanvasMark& m : marks) {
    const PlacedMatrix* p = placed(layout, m.matrix);
    if (!p) continue;
    const auto row = static_cast<float>(m.row), col = static_cast<float>(m.col);
    const ImVec2 a = cell_at(layout, *p, view, cell, row, col);
    const ImVec2 b = cell_at(layout, *p, view, cell, row + static_cast<float>(m.rows),
                             col + static_cast<float>(m.cols));
    across.push_back({a.x, b.x});
    down.push_back({a.y, b.y});
  }
  if (across.empty()) return false;
  const float inset = em(0.5f);
  const float dx = shift_into(across, inset, size.x - inset);
  const float dy = shift_into(down, inset, size.y - inset);
  if (dx == 0 && dy == 0) return false;
  view.pan.x -= dx / cell.x;
  view.pan.y -= dy / cell.y;
  clamp_pan(view, layout, size);
  return true;
}

void MatrixCanvas::clamp_pan(CanvasView& view, const PipelineLayout& layout, ImVec2 size) {
  if (view.cells_per_em <= 0) return;
  const ImVec2 cell = MatrixCanvas::cell_pixels(view);
  CanvasView origin = view;
  origin.pan = ImVec2(0, 0);
  ImVec2 end(0, 0); // the content's far edges at pan 0, with the margin after them
  for (const PlacedMatrix& p : layout.matrices) {
    if (!p.display) continue;
    const ImVec2 b = cell_at(layout, p, origin, cell, static_cast<float>(p.display->rows),
                             static_cast<float>(p.display->cols));
    end = ImVec2(std::max(end.x, b.x), std::max(end.y, b.y));
  }
  end.x += em(margin_em);
  end.y += em(margin_em) + (layout.axis_labels ? em(axis_room_em) : 0.0f);
  view.pan.x = std::clamp(view.pan.x, 0.0f, std::max(0.0f, (end.x - size.x) / cell.x));
  view.pan.y = std::clamp(view.pan.y, 0.0f, std::max(0.0f, (end.y - size.y) / cell.y));
}

CanvasHover MatrixCanvas::draw(const char* id, const PipelineLayout& layout, CanvasView& view,
                               ImVec2 fit_extent, float fit_value_em, ImVec2 size,
                               HeatmapRenderer& renderer, MatrixTextures& textures) {
  drawn_.clear();
  drawn_text_.clear();
  drawn_shades_.clear();
  CanvasHover hover;
  size.x = std::max(size.x, 50.0f);
  size.y = std::max(size.y, 50.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonMiddle);
  const bool hovered = ImGui::IsItemHovered();
  const float font = ImGui::GetFontSize();
  const float margin = em(margin_em), col_gap = em(col_gap_em), row_gap = row_gap_of(layout);
  if (view.fit || view.cells_per_em <= 0) {
    PipelineLayout extent;
    extent.width = fit_extent.x;
    extent.height = fit_extent.y;
    extent.grid_cols = layout.grid_cols;
    extent.grid_rows = layout.grid_rows;
    extent.axis_labels = layout.axis_labels;
    const float square = fit_cell(extent, size);
    view.cells_per_em = font / square;
    view.pan = ImVec2(0, 0);
    // Cells as wide as their widest value at the font their height allows,
    // within the room across.
    view.aspect = 1;
    const float value_px = std::min(font * value_font, square * value_height);
    if (fit_value_em > 0 && value_px >= min_value_font_px) {
      const float room = (size.x - 2 * margin - static_cast<float>(layout.grid_cols) * col_gap) /
                         std::max(fit_extent.x, 1.0f);
      const float wanted = value_px * fit_value_em / value_width;
      view.aspect = std::max(1.0f, std::min(wanted, room) / square);
    }
  }
  float cell = font / view.cells_per_em;
  const auto cell_size = [&] { return ImVec2(cell * view.aspect, cell); };
  ImGuiIO& io = ImGui::GetIO();
  // Screen position of the cell point (x, y) of a matrix placed after
  // `grid` fixed gaps: the gaps stay fixed in em while the cells scale.
  const auto offset = [&](ImVec2 grid) {
    return ImVec2(origin.x + margin + (grid.x + 1) * col_gap, origin.y + margin + (grid.y + 1) * row_gap);
  };
  if (hovered && io.MouseWheel != 0) {
    // The matrix under (or nearest to) the pointer anchors the zoom: the
    // point of it under the pointer stays there.
    ImVec2 grid(0, 0);
    float nearest = std::numeric_limits<float>::infinity();
    for (const PlacedMatrix& p : layout.matrices) {
      if (!p.display) continue;
      const ImVec2 g(static_cast<float>(p.grid_col), static_cast<float>(p.grid_row));
      const ImVec2 c = cell_size();
      const ImVec2 min(offset(g).x + (p.x - view.pan.x) * c.x, offset(g).y + (p.y - view.pan.y) * c.y);
      const ImVec2 max(min.x + static_cast<float>(p.display->cols) * c.x,
                       min.y + static_cast<float>(p.display->rows) * c.y);
      const float dx = std::max({min.x - io.MousePos.x, 0.0f, io.MousePos.x - max.x});
      const float dy = std::max({min.y - io.MousePos.y, 0.0f, io.MousePos.y - max.y});
      if (dx * dx + dy * dy < nearest) {
        nearest = dx * dx + dy * dy;
        grid = g;
      }
    }
    const ImVec2 anchor = offset(grid);
    const ImVec2 mouse_cells((io.MousePos.x - anchor.x) / cell_size().x + view.pan.x,
                             (io.MousePos.y - anchor.y) / cell_size().y + view.pan.y);
    view.cells_per_em = std::clamp(view.cells_per_em * std::pow(1.2f, -io.MouseWheel), 0.02f, 1e5f);
    cell = font / view.cells_per_em;
    view.pan = ImVec2(mouse_cells.x - (io.MousePos.x - anchor.x) / cell_size().x,
                      mouse_cells.y - (io.MousePos.y - anchor.y) / cell_size().y);
    view.fit = false;
  }
  if (ImGui::IsItemActive() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
    view.pan.x -= io.MouseDelta.x / cell_size().x;
    view.pan.y -= io.MouseDelta.y / cell_size().y;
    view.fit = false;
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) view.fit = true;

  ImDrawList* list = ImGui::GetWindowDrawList();
  list->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  int labels_left = max_value_labels;
  const ImVec2 cs = cell_size();
  for (const PlacedMatrix& p : layout.matrices) {
    if (!p.display) continue;
    const ImVec2 at = offset(ImVec2(static_cast<float>(p.grid_col), static_cast<float>(p.grid_row)));
    const ImVec2 min(at.x + (p.x - view.pan.x) * cs.x, at.y + (p.y - view.pan.y) * cs.y);
    draw_matrix(list, p, min, cs, renderer, textures, labels_left);
    if (!hovered) continue;
    const float r = (io.MousePos.y - min.y) / cs.y, c = (io.MousePos.x - min.x) / cs.x;
    if (r >= 0 && c >= 0 && r < static_cast<float>(p.display->rows) &&
        c < static_cast<float>(p.display->cols)) {
      hover = {&p, static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)};
      const ImVec2 cell_min(min.x + std::floor(c) * cs.x, min.y + std::floor(r) * cs.y);
      list->AddRect(cell_min, ImVec2(cell_min.x + cs.x, cell_min.y + cs.y), text_colour(), 0, 0, 2);
    }
  }
  list->PopClipRect();
  return hover;
}

} // namespace abh
