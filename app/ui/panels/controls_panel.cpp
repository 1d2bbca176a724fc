#include "app/ui/panels/controls_panel.hpp"

#include <algorithm>
#include <cstring>

#include <imgui.h>

#include "app/ui/app.hpp" // panel_names
#include "app/ui/theme.hpp"
#include "core/shape_edit.hpp"

namespace abh {

namespace {

struct Range {
  std::int64_t min, max;
};
constexpr Range seq_range{1, 4096}, d_model_range{1, 8192}, head_dim_range{1, 1024},
    free_heads_range{1, 256};

void record_rect(PanelContext& ctx, const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ctx.control_rects[name] = {a.x, a.y, b.x, b.y};
}

// A slider over an integer that also takes a typed value (Ctrl+click).
// Returns true with `value` set when the user changed it.
bool int_slider(PanelContext& ctx, const char* label, const char* name, std::int64_t& value,
                Range range, const char* help) {
  ImGui::SetNextItemWidth(em(7.5f));
  std::int64_t v = value;
  const bool changed = ImGui::SliderScalar(label, ImGuiDataType_S64, &v, &range.min, &range.max,
                                           "%lld", ImGuiSliderFlags_None);
  record_rect(ctx, name);
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("%s\nCtrl+click to type a value", help);
  if (changed && v != value) {
    if (v < range.min || v > range.max) {
      ctx.refusal = std::string(name) + " must be between " + std::to_string(range.min) + " and " +
                    std::to_string(range.max) + " (typed " + std::to_string(v) + ")";
      return false;
    }
    value = v;
    return true;
  }
  return false;
}

} // namespace

void ControlsPanel::propose(PanelContext& ctx, const Shape& candidate) {
  try {
    validate(candidate);
    ctx.state.shape = candidate;
    ctx.refusal.clear();
  } catch (const ShapeError& e) {
    ctx.refusal = e.what();
  }
}

void ControlsPanel::shape_row(PanelContext& ctx) {
  Shape s = ctx.state.shape;
  const bool lock = ctx.state.view.keep_wqkv_height;
  std::int64_t v = s.seq;
  if (int_slider(ctx, "seq n", "seq", v, seq_range, "Sequence length: tokens, columns of X")) {
    s.seq = v;
    propose(ctx, s);
  }
  ImGui::SameLine();
  v = s.d_model;
  if (int_slider(ctx, "d_model", "d_model", v, d_model_range,
                 "Model width d: columns of Wqkv, rows of X")) {
    s.d_model = v;
    propose(ctx, s);
  }
  ImGui::SameLine();
  v = s.heads;
  const Range heads_range = lock ? Range{1, s.attention_width()} : free_heads_range;
  if (int_slider(ctx, "heads H", "heads", v, heads_range,
                 lock ? "Query heads; H·dh stays fixed, so heads steps through its divisors"
                      : "Query heads")) {
    propose(ctx, with_heads(s, v, lock));
  }
  ImGui::SameLine();
  v = s.head_dim;
  if (int_slider(ctx, "head dim", "head_dim", v, head_dim_range, "Rows of each head's q, k, v")) {
    if (lock) { // keep H·dh: the head count follows
      const std::int64_t width = s.attention_width();
      s.head_dim = nearest_divisor(width, v);
      propose(ctx, with_heads(s, width / s.head_dim, false));
    } else {
      s.head_dim = v;
      propose(ctx, s);
    }
  }
  ImGui::SameLine();
  v = s.kv_heads;
  if (int_slider(ctx, "kv heads", "kv_heads", v, Range{1, s.heads},
                 "Key/value heads: H = multi-head, 1 = multi-query, between = grouped")) {
    s.kv_heads = nearest_divisor(s.heads, v);
    propose(ctx, s);
  }
  ImGui::SameLine();
  bool causal = s.causal;
  if (ImGui::Checkbox("causal", &causal)) {
    s.causal = causal;
    propose(ctx, s);
  }
  record_rect(ctx, "causal");
}

void ControlsPanel::options_row(PanelContext& ctx) {
  ImGui::Checkbox("keep Wqkv height", &ctx.state.view.keep_wqkv_height);
  record_rect(ctx, "keep_wqkv_height");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("Changing heads keeps H·dh: the same Wqkv, sliced into more, thinner heads");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(9));
  if (ImGui::BeginCombo("values", value_mode_label(ctx.state.trace.values).data())) {
    for (ValueMode mode : all_value_modes)
      if (ImGui::Selectable(value_mode_label(mode).data(), mode == ctx.state.trace.values))
        ctx.state.trace.values = mode;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(5));
  const std::uint64_t step = 1;
  ImGui::InputScalar("seed", ImGuiDataType_U64, &ctx.state.trace.seed, &step, &step, "%llu");
  ImGui::SameLine();
  int layout = ctx.state.trace.layout == WqkvLayout::triples ? 0 : 1;
  ImGui::SetNextItemWidth(em(10));
  if (ImGui::Combo("Wqkv rows", &layout, "per-head triples\0[Q; K; V] blocks\0"))
    ctx.state.trace.layout = layout == 0 ? WqkvLayout::triples : WqkvLayout::blocks;
  ImGui::SameLine();
  ImGui::Checkbox("hardware view", &ctx.state.hardware.shown);
  record_rect(ctx, "hardware_view");
  ImGui::SameLine();
  ImGui::BeginDisabled(!ctx.can_undo);
  if (ImGui::Button("Undo")) ctx.requests.undo = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(!ctx.can_redo);
  if (ImGui::Button("Redo")) ctx.requests.redo = true;
  ImGui::EndDisabled();
  ImGui::SameLine();
  if (ImGui::Button("Worked example")) ctx.requests.worked_example = true;
  if (ctx.computing) {
    ImGui::SameLine();
    ImGui::ProgressBar(ctx.progress, ImVec2(em(6), 0), "computing");
  }
  if (!ctx.refusal.empty()) {
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(error_colour()), "Refused: %s",
                       ctx.refusal.c_str());
  }
}

void ControlsPanel::export_row(PanelContext& ctx) {
  ExportOptions& e = ctx.state.export_options;
  if (ImGui::Button("Export PNG (F12)")) ctx.requests.export_now = true;
  record_rect(ctx, "export");
  ImGui::SameLine();
  ImGui::TextUnformatted("at");
  for (int s = 1; s <= 3; ++s) {
    ImGui::SameLine();
    const std::string label = std::to_string(s) + "×";
    if (ImGui::RadioButton(label.c_str(), e.scale == s)) e.scale = s;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(8));
  if (ImGui::BeginCombo("panel", e.panel.empty() ? "whole window" : e.panel.c_str())) {
    if (ImGui::Selectable("whole window", e.panel.empty())) e.panel.clear();
    for (const std::string& name : panel_names())
      if (ImGui::Selectable(name.c_str(), e.panel == name)) e.panel = name;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::Checkbox("caption", &e.caption);
  ImGui::SameLine();
  if (!folder_synced_ || (!ImGui::IsAnyItemActive() && e.folder != folder_)) {
    std::snprintf(folder_, sizeof folder_, "%s", e.folder.c_str());
    folder_synced_ = true;
  }
  ImGui::SetNextItemWidth(em(12));
  if (ImGui::InputTextWithHint("folder", "~/Pictures/attention-by-hand", folder_, sizeof folder_))
    e.folder = folder_;
  ImGui::SameLine();
  int theme = ctx.state.view.theme == Theme::dark ? 0 : 1;
  ImGui::SetNextItemWidth(em(5));
  if (ImGui::Combo("theme", &theme, "dark\0light\0")) {
    ctx.state.view.theme = theme == 0 ? Theme::dark : Theme::light;
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(5));
  // The font atlas is rebuilt once, when the slider is let go.
  if (!ImGui::IsItemActive() && ui_size_ != ctx.state.view.ui_size && !editing_ui_size_)
    ui_size_ = ctx.state.view.ui_size;
  editing_ui_size_ = ImGui::SliderFloat("UI size", &ui_size_, 10, 40, "%.0f px") || ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    ctx.state.view.ui_size = std::clamp(ui_size_, 10.0f, 40.0f);
    editing_ui_size_ = false;
  }
  ImGui::SameLine();
  ImGui::Checkbox("values in cells", &ctx.state.view.show_values);
  if (!ctx.status.empty()) {
    ImGui::SameLine();
    ImGui::TextUnformatted(ctx.status.c_str());
  }
}

void ControlsPanel::draw(PanelContext& ctx) {
  shape_row(ctx);
  options_row(ctx);
  if (!ctx.exporting) export_row(ctx);
}

} // namespace abh
