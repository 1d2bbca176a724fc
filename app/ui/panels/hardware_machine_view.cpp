#include "app/ui/panels/hardware_machine_view.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "app/ui/theme.hpp"
#include "core/hardware/tiling.hpp"
#include "core/number_format.hpp"

namespace abh {

ImU32 stage_colour(Stage stage, float alpha) {
  float hue = 0.5f;
  switch (stage) {
  case Stage::projection: hue = 0.58f; break;
  case Stage::scores: hue = 0.08f; break;
  case Stage::scale: hue = 0.15f; break;
  case Stage::softmax: hue = 0.83f; break;
  case Stage::weighted_sum: hue = 0.33f; break;
  case Stage::output: hue = 0.62f; break;
  case Stage::attention: hue = 0.0f; break;
  // MLA: the up- and down-projections share the projection's blue family.
  case Stage::latent_projection: hue = 0.55f; break;
  case Stage::query_up: hue = 0.52f; break;
  case Stage::kv_up: hue = 0.48f; break;
  case Stage::query_absorb: hue = 0.45f; break;
  case Stage::latent_scores: hue = 0.08f; break;
  case Stage::latent_weighted_sum: hue = 0.33f; break;
  case Stage::value_up: hue = 0.40f; break;
  case Stage::latent_attention: hue = 0.0f; break;
  }
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hue, 0.65f, 0.95f, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, alpha));
}

// Units of one chip as a grid; lit while a compute event runs on them. A TPU
// shows each MXU as a systolic grid with the diagonal wave of a fold.
void draw_units(ImDrawList* list, const MachineView& m, ImVec2 min, ImVec2 max) {
  const Schedule& s = m.schedule;
  const int units = std::max(1, s.units);
  const bool systolic = s.kind == ArchKind::tpu;
  const int cols = systolic ? std::min(units, 2)
                            : static_cast<int>(std::ceil(std::sqrt(static_cast<float>(units) * (max.x - min.x) / std::max(1.0f, max.y - min.y))));
  const int rows = (units + cols - 1) / cols;
  const float cw = (max.x - min.x) / static_cast<float>(cols);
  const float ch = (max.y - min.y) / static_cast<float>(rows);
  const float side = std::min(cw, ch);
  std::vector<const ScheduleEvent*> active(static_cast<std::size_t>(units), nullptr);
  for (const ScheduleEvent& e : s.events) {
    if (e.start > m.now) break;
    if (e.kind != EventKind::compute || e.end <= m.now) continue;
    for (int u = e.unit; u < std::min(units, e.unit + e.unit_count); ++u)
      active[static_cast<std::size_t>(u)] = &e;
  }
  for (int u = 0; u < units; ++u) {
    const ImVec2 a(min.x + static_cast<float>(u % cols) * side + 1,
                   min.y + static_cast<float>(u / cols) * side + 1);
    const ImVec2 b(a.x + side - 2, a.y + side - 2);
    const ScheduleEvent* e = active[static_cast<std::size_t>(u)];
    const ImU32 fill = e ? stage_colour(s.stages[static_cast<std::size_t>(e->stage)].stage)
                         : ImGui::GetColorU32(ImGuiCol_FrameBg);
    if (!systolic) {
      list->AddRectFilled(a, b, fill, side > 8 ? 2.0f : 0.0f);
      continue;
    }
    // A systolic array: weights enter from the top, activations from the
    // left; a fold's wave sweeps the anti-diagonals (SCALE-Sim's 2R + C + T − 2).
    const int cells = 12;
    const float cell = (b.x - a.x) / static_cast<float>(cells);
    const float progress = e ? static_cast<float>((m.now - e->start) / std::max(1e-30, e->end - e->start)) : -1.0f;
    for (int i = 0; i < cells; ++i)
      for (int j = 0; j < cells; ++j) {
        const float diagonal = static_cast<float>(i + j) / static_cast<float>(2 * cells - 2);
        const bool lit = e && std::fabs(diagonal - progress) < 0.18f;
        list->AddRectFilled(ImVec2(a.x + static_cast<float>(j) * cell, a.y + static_cast<float>(i) * cell),
                            ImVec2(a.x + static_cast<float>(j + 1) * cell - 1, a.y + static_cast<float>(i + 1) * cell - 1),
                            lit ? fill : ImGui::GetColorU32(ImGuiCol_FrameBg));
      }
  }
  if (systolic) {
    list->AddText(ImVec2(min.x, min.y - ImGui::GetFontSize()), muted_colour(), "weights ↓");
    list->AddText(ImVec2(min.x - ImGui::CalcTextSize("x →").x - 2, min.y + side / 2), muted_colour(), "x →");
  }
}

// The tiles of the stage running now, lit in the order this machine computes them.
void draw_tiles(ImDrawList* list, const MachineView& m, ImVec2 min, float size) {
  const Schedule& s = m.schedule;
  int stage = -1;
  for (const ScheduleEvent& e : s.events)
    if (e.kind == EventKind::compute && e.start <= m.now) stage = e.stage;
  if (stage < 0) stage = 0;
  const StageCost& cost = s.stages[static_cast<std::size_t>(stage)];
  const TileGrid& g = cost.grid;
  const std::int64_t rows = std::max<std::int64_t>(1, g.row_tiles());
  const std::int64_t cols = std::max<std::int64_t>(1, g.col_tiles());
  // Draw at most 24×24 cells; a drawn cell stands for a block of tiles.
  const std::int64_t step_r = (rows + 23) / 24, step_c = (cols + 23) / 24;
  const std::int64_t draw_r = (rows + step_r - 1) / step_r, draw_c = (cols + step_c - 1) / step_c;
  const float cell = size / static_cast<float>(std::max(draw_r, draw_c));
  std::vector<int> state(static_cast<std::size_t>(draw_r * draw_c), 0); // 0 todo, 1 done, 2 now
  auto mark = [&](std::int64_t tile, int value) {
    const TilePosition p = tile_position(g, tile);
    int& cellv = state[static_cast<std::size_t>((p.row / step_r) * draw_c + p.col / step_c)];
    cellv = std::max(cellv, value);
  };
  for (const ScheduleEvent& e : s.events) {
    if (e.start > m.now) break;
    if (e.kind != EventKind::compute || e.stage != stage) continue;
    const int value = e.end <= m.now ? 1 : 2;
    const std::int64_t shown = std::min<std::int64_t>(e.tile_count, 4096);
    for (std::int64_t t = 0; t < shown; ++t) mark(e.tile + t, value);
  }
  for (std::int64_t r = 0; r < draw_r; ++r)
    for (std::int64_t c = 0; c < draw_c; ++c) {
      if (g.triangular && c * step_c > r * step_r + step_r - 1) continue;
      const int v = state[static_cast<std::size_t>(r * draw_c + c)];
      const ImVec2 a(min.x + static_cast<float>(c) * cell, min.y + static_cast<float>(r) * cell);
      list->AddRectFilled(a, ImVec2(a.x + cell - 1, a.y + cell - 1),
                          v == 2   ? stage_colour(cost.stage)
                          : v == 1 ? stage_colour(cost.stage, 0.45f)
                                   : ImGui::GetColorU32(ImGuiCol_FrameBg));
    }
  std::string label = std::to_string(rows) + "×" + std::to_string(cols) + " tiles";
  if (ImGui::CalcTextSize(label.c_str()).x > size + ImGui::GetFontSize()) label.resize(label.size() - 6); // "8×4"
  list->AddText(ImVec2(min.x, min.y + size + 2), muted_colour(), label.c_str());
}

// Memory levels, innermost first; a level glows while bytes cross it.
void draw_memory(ImDrawList* list, const MachineView& m, ImVec2 min, ImVec2 max) {
  const Schedule& s = m.schedule;
  const auto levels = static_cast<int>(s.memory_levels.size());
  if (levels == 0) return;
  const float h = (max.y - min.y) / static_cast<float>(levels);
  list->PushClipRect(min, max, true); // labels stay inside this machine's column
  std::vector<double> moving(static_cast<std::size_t>(levels), 0);
  for (const ScheduleEvent& e : s.events) {
    if (e.start > m.now) break;
    if (e.kind != EventKind::transfer || e.end <= m.now) continue;
    for (int level : {e.from_level, e.to_level})
      if (level >= 0 && level < levels) moving[static_cast<std::size_t>(level)] += e.bytes;
  }
  for (int i = 0; i < levels; ++i) {
    const ImVec2 a(min.x, min.y + static_cast<float>(i) * h + 1);
    const ImVec2 b(max.x, a.y + h - 2);
    const bool busy = moving[static_cast<std::size_t>(i)] > 0;
    list->AddRectFilled(a, b, busy ? IM_COL32(70, 150, 230, 220) : ImGui::GetColorU32(ImGuiCol_FrameBg), 3);
    std::string label = s.memory_levels[static_cast<std::size_t>(i)];
    if (busy) label += "  ⇄ " + bytes_text(moving[static_cast<std::size_t>(i)]);
    list->AddText(ImVec2(a.x + 4, a.y + (h - ImGui::GetFontSize()) / 2 - 1), text_colour(), label.c_str());
  }
  list->PopClipRect();
}

} // namespace abh
