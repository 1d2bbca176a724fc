#include "app/ui/matrix_canvas.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/ui/theme.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// Black or white, whichever reads on the cell's colour.
ImU32 ink_on(Rgba8 c) {
  const int luminance = (299 * c.r + 587 * c.g + 114 * c.b) / 1000;
  return luminance > 140 ? IM_COL32(0, 0, 0, 255) : IM_COL32(255, 255, 255, 255);
}

} // namespace

void MatrixCanvas::draw_matrix(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, float cell,
                               HeatmapRenderer& renderer, MatrixTextures& textures,
                               int& labels_left) {
  const Eigen::MatrixXf& full = p.display->source->values;
  const auto rows = static_cast<float>(full.rows()), cols = static_cast<float>(full.cols());
  const ImVec2 max(min.x + cols * cell, min.y + rows * cell);
  drawn_.push_back({p.title, min, max, full.rows(), full.cols(), p.display->lo, p.display->hi,
                    static_cast<int>(p.display->map)});
  const ImVec2 clip_min = list->GetClipRectMin(), clip_max = list->GetClipRectMax();
  if (max.x < clip_min.x || max.y < clip_min.y || min.x > clip_max.x || min.y > clip_max.y) return;

  if (const unsigned texture = textures.get(*p.display))
    renderer.draw(list, texture, p.display->map, p.display->lo, p.display->hi, min, max);
  else // uploading over the next frames
    list->AddRectFilled(min, max, muted_colour());
  if (p.causal_mask) // keys after the query: below the diagonal
    list->AddTriangleFilled(ImVec2(min.x, min.y + cell), ImVec2(min.x, max.y),
                            ImVec2(max.x - cell, max.y), IM_COL32(60, 60, 60, 170));

  // The frame sits wholly outside the cells, so edge cells keep their colour;
  // row bands (a coloured strip per head's q/k/v) sit left of the frame.
  const float frame = std::max(1.0f, em(0.12f)), out = frame / 2 + 1;
  const float strip = std::max(3.0f, em(0.35f)), strip_right = min.x - frame - 2;
  for (const RowBand& b : p.bands) {
    const float y0 = min.y + static_cast<float>(b.first) * cell;
    const float y1 = y0 + static_cast<float>(b.count) * cell;
    list->AddRectFilled(ImVec2(strip_right - strip, y0), ImVec2(strip_right, y1), b.colour);
    if (p.label_bands && y1 - y0 >= 0.8f * ImGui::GetFontSize())
      list->AddText(ImVec2(strip_right - strip - 2 - ImGui::CalcTextSize(b.label.c_str()).x,
                           (y0 + y1 - ImGui::GetFontSize()) / 2),
                    b.label_colour ? b.label_colour : b.colour, b.label.c_str());
  }
  list->AddRect(ImVec2(min.x - out, min.y - out), ImVec2(max.x + out, max.y + out), p.frame, 0, 0,
                frame);
  // Title on two short lines ("QKV", "108×40") so narrow neighbours do not collide.
  const float line = ImGui::GetFontSize();
  list->AddText(ImVec2(min.x, min.y - line * 2.2f), text_colour(), p.name.c_str());
  if (ImGui::CalcTextSize(p.dims.c_str()).x < (max.x - min.x) + em(2.6f))
    list->AddText(ImVec2(min.x, min.y - line * 1.15f), muted_colour(), p.dims.c_str());
  if (!p.op_before.empty()) {
    const float left = p.bands.empty() ? min.x - out : strip_right - strip;
    const ImVec2 op = ImGui::CalcTextSize(p.op_before.c_str());
    list->AddText(ImVec2(left - op.x - em(0.5f), min.y + std::min(max.y - min.y, em(4)) / 2 - op.y / 2),
                  text_colour(), p.op_before.c_str());
  }

  // Values, when a cell is wide enough to read and is one value, not a block mean.
  if (!show_values || p.display->reduced() || cell < em(1.7f)) return;
  const auto first_col = static_cast<Eigen::Index>(std::max(0.0f, (clip_min.x - min.x) / cell));
  const auto last_col = static_cast<Eigen::Index>(std::min(cols, (clip_max.x - min.x) / cell + 1));
  const auto first_row = static_cast<Eigen::Index>(std::max(0.0f, (clip_min.y - min.y) / cell));
  const auto last_row = static_cast<Eigen::Index>(std::min(rows, (clip_max.y - min.y) / cell + 1));
  const MatrixNumberFormat format = choose_format({full.data(), static_cast<std::size_t>(full.size())});
  for (Eigen::Index c = first_col; c < last_col; ++c)
    for (Eigen::Index r = first_row; r < last_row && labels_left > 0; ++r, --labels_left) {
      const float v = full(r, c);
      const std::string label = format.text(v);
      const char* buf = label.c_str();
      const ImVec2 text = ImGui::CalcTextSize(buf);
      const float cx = min.x + (static_cast<float>(c) + 0.5f) * cell;
      const float cy = min.y + (static_cast<float>(r) + 0.5f) * cell;
      if (text.x > cell * 0.95f) continue;
      list->AddText(ImVec2(cx - text.x / 2, cy - text.y / 2),
                    ink_on(colormap_color(p.display->map, v, p.display->lo, p.display->hi)), buf);
    }
}

namespace {
// Fixed space around and between matrices, in em: room for band labels,
// operators and two-line titles.
constexpr float margin_em = 1.0f, col_gap_em = 2.4f, row_gap_em = 2.6f;
} // namespace

float MatrixCanvas::fit_cell(const PipelineLayout& layout, ImVec2 size) {
  const float grid_w = static_cast<float>(layout.grid_cols) * em(col_gap_em);
  const float grid_h = static_cast<float>(layout.grid_rows) * em(row_gap_em);
  return std::max(1e-3f, std::min((size.x - 2 * em(margin_em) - grid_w) / std::max(layout.width, 1.0f),
                                  (size.y - 2 * em(margin_em) - grid_h) / std::max(layout.height, 1.0f)));
}

CanvasHover MatrixCanvas::draw(const char* id, const PipelineLayout& layout, CanvasView& view,
                               ImVec2 fit_extent, ImVec2 size, HeatmapRenderer& renderer,
                               MatrixTextures& textures) {
  drawn_.clear();
  CanvasHover hover;
  size.x = std::max(size.x, 50.0f);
  size.y = std::max(size.y, 50.0f);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size, ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonMiddle);
  const bool hovered = ImGui::IsItemHovered();
  const float font = ImGui::GetFontSize();
  const float margin = em(margin_em), col_gap = em(col_gap_em), row_gap = em(row_gap_em);
  if (view.fit || view.cells_per_em <= 0) {
    PipelineLayout extent;
    extent.width = fit_extent.x;
    extent.height = fit_extent.y;
    extent.grid_cols = layout.grid_cols;
    extent.grid_rows = layout.grid_rows;
    view.cells_per_em = font / fit_cell(extent, size);
    view.pan = ImVec2(0, 0);
  }
  float cell = font / view.cells_per_em;
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    const ImVec2 mouse_cells((io.MousePos.x - origin.x - margin) / cell + view.pan.x,
                             (io.MousePos.y - origin.y - margin) / cell + view.pan.y);
    view.cells_per_em = std::clamp(view.cells_per_em * std::pow(1.2f, -io.MouseWheel), 0.02f, 1e5f);
    cell = font / view.cells_per_em;
    view.pan = ImVec2(mouse_cells.x - (io.MousePos.x - origin.x - margin) / cell,
                      mouse_cells.y - (io.MousePos.y - origin.y - margin) / cell);
    view.fit = false;
  }
  if (ImGui::IsItemActive() && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
    view.pan.x -= io.MouseDelta.x / cell;
    view.pan.y -= io.MouseDelta.y / cell;
    view.fit = false;
  }
  if (hovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) view.fit = true;

  ImDrawList* list = ImGui::GetWindowDrawList();
  list->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  int labels_left = max_value_labels;
  for (const PlacedMatrix& p : layout.matrices) {
    if (!p.display) continue;
    const ImVec2 min(origin.x + margin + static_cast<float>(p.grid_col + 1) * col_gap +
                         (p.x - view.pan.x) * cell,
                     origin.y + margin + static_cast<float>(p.grid_row + 1) * row_gap +
                         (p.y - view.pan.y) * cell);
    draw_matrix(list, p, min, cell, renderer, textures, labels_left);
    if (!hovered) continue;
    const float r = (io.MousePos.y - min.y) / cell, c = (io.MousePos.x - min.x) / cell;
    const Eigen::MatrixXf& values = p.display->source->values;
    if (r >= 0 && c >= 0 && r < static_cast<float>(values.rows()) && c < static_cast<float>(values.cols())) {
      hover = {&p, static_cast<std::int64_t>(r), static_cast<std::int64_t>(c)};
      const ImVec2 cell_min(min.x + std::floor(c) * cell, min.y + std::floor(r) * cell);
      list->AddRect(cell_min, ImVec2(cell_min.x + cell, cell_min.y + cell), text_colour(), 0, 0, 2);
    }
  }
  if (layout.heads_hidden > 0) {
    char note[96];
    std::snprintf(note, sizeof note, "+%lld more heads not drawn (counts include them)",
                  static_cast<long long>(layout.heads_hidden));
    list->AddText(ImVec2(origin.x + em(0.5f), origin.y + size.y - em(1.3f)), muted_colour(), note);
  }
  list->PopClipRect();
  return hover;
}

} // namespace abh
