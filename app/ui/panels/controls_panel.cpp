#include "app/ui/panels/controls_panel.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include <imgui.h>

#include "app/io/one_line.hpp"
#include "app/ui/panels/worksheet_export.hpp"
#include "app/ui/theme.hpp"
#include "core/shape_edit.hpp"

namespace abh {

namespace {

using Range = ControlsPanel::Range;
constexpr Range seq_range{1, 4096}, d_model_range{1, 8192}, head_dim_range{1, 1024},
    free_heads_range{1, 256};


// Width of a slider, its typed-entry box and its label.
float control_width(const char* label) {
  return em(7.5f) + em(3.2f) + ImGui::CalcTextSize(label).x + 3 * ImGui::GetStyle().ItemInnerSpacing.x;
}

// A typed value, kept while the box is edited and committed on Enter or when
// the box is left, never keystroke by keystroke. Returns true with `value`.
bool typed_entry(const char* id, std::int64_t& value, std::string& draft, bool& editing) {
  char buf[32];
  if (!editing) draft = std::to_string(value);
  std::snprintf(buf, sizeof buf, "%s", draft.c_str());
  ImGui::SetNextItemWidth(em(3.2f));
  ImGui::InputText(id, buf, sizeof buf, ImGuiInputTextFlags_CharsDecimal | ImGuiInputTextFlags_AutoSelectAll);
  draft = buf;
  editing = ImGui::IsItemActive();
  if (!ImGui::IsItemDeactivatedAfterEdit()) return false;
  editing = false;
  try {
    std::size_t used = 0;
    const long long typed = std::stoll(draft, &used);
    if (used != draft.size()) return false;
    value = typed;
    return true;
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace

// Continues the row when `width` more pixels fit, else starts a new one: the
// control rows wrap instead of running off the window.
void ControlsPanel::next_in_row(float width) {
  if (!row_started_) {
    row_started_ = true;
    return;
  }
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

bool ControlsPanel::int_control(PanelContext& ctx, const char* label, const char* name,
                                std::int64_t& value, Range range, bool logarithmic,
                                const char* help) {
  next_in_row(control_width(label));
  ImGui::PushID(name);
  ImGui::SetNextItemWidth(em(7.5f));
  std::int64_t v = std::clamp(value, range.min, range.max);
  const ImGuiSliderFlags flags =
      ImGuiSliderFlags_NoInput | (logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
  bool changed = ImGui::SliderScalar("##slider", ImGuiDataType_S64, &v, &range.min, &range.max,
                                     "%lld", flags);
  record_item(ctx, name);
  if (ImGui::IsItemHovered() && !ctx.exporting) ImGui::SetTooltip("%s", help);
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  Draft& draft = drafts_[name];
  if (typed_entry("##typed", v, draft.text, draft.editing)) {
    if (v < range.min || v > range.max) {
      ctx.session.refusal = std::string(name) + " must be between " + std::to_string(range.min) +
                            " and " + std::to_string(range.max) + " (typed " + std::to_string(v) + ")";
      changed = false;
    } else {
      changed = true;
    }
  }
  record_item(ctx, (std::string(name) + "_typed").c_str());
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::TextUnformatted(label);
  ImGui::PopID();
  if (!changed || v == value) return false;
  value = v;
  return true;
}

void ControlsPanel::propose(PanelContext& ctx, const Shape& candidate) {
  try {
    validate(candidate);
    ctx.state.shape = candidate;
    ctx.session.refusal.clear();
  } catch (const ShapeError& e) {
    ctx.session.refusal = e.what();
  }
}

void ControlsPanel::propose(PanelContext& ctx, const Shape& candidate, std::int64_t asked,
                            std::int64_t used, const char* what) {
  propose(ctx, candidate);
  if (ctx.session.refusal.empty() && asked != used)
    ctx.session.refusal = std::string(what) + " " + std::to_string(asked) + " snapped to " +
                          std::to_string(used) + " (it must divide " +
                          (std::string(what) == "kv heads" ? "the heads" : "H·dh") + ")";
}

void ControlsPanel::shape_row(PanelContext& ctx) {
  row_started_ = false;
  Shape s = ctx.state.shape;
  const bool lock = ctx.state.view.keep_wqkv_height;
  std::int64_t v = s.seq;
  if (int_control(ctx, "seq n", "seq", v, seq_range, true, "Sequence length: tokens, columns of X")) {
    s.seq = v;
    propose(ctx, s);
  }
  v = s.d_model;
  if (int_control(ctx, "d_model", "d_model", v, d_model_range, true,
                  "Model width d: columns of Wqkv, rows of X")) {
    s.d_model = v;
    propose(ctx, s);
  }
  heads_control(ctx, s, lock);
  v = s.head_dim;
  if (int_control(ctx, "head dim", "head_dim", v, head_dim_range, true, "Rows of each head's q, k, v")) {
    if (lock) { // keep H·dh: the head count follows
      const std::int64_t width = s.attention_width();
      s.head_dim = nearest_divisor(width, v);
      propose(ctx, with_heads(s, width / s.head_dim, false), v, s.head_dim, "head dim");
    } else {
      s.head_dim = v;
      propose(ctx, s);
    }
  }
  v = s.kv_heads;
  if (int_control(ctx, "kv heads", "kv_heads", v, Range{1, s.heads}, false,
                  "Key/value heads: H = multi-head, 1 = multi-query, between = grouped")) {
    Shape t = s;
    t.kv_heads = nearest_divisor(s.heads, v);
    propose(ctx, t, v, t.kv_heads, "kv heads");
  }
  next_in_row(em(5));
  bool causal = s.causal;
  if (ImGui::Checkbox("causal", &causal)) {
    s.causal = causal;
    propose(ctx, s);
  }
  record_item(ctx, "causal");
}

// Heads: with the Wqkv height kept, the slider steps through the divisors of
// H·dh and shows the value that will be used; a typed non-divisor says what
// it snapped to.
void ControlsPanel::heads_control(PanelContext& ctx, const Shape& s, bool lock) {
  if (!lock) {
    std::int64_t v = s.heads;
    if (int_control(ctx, "heads H", "heads", v, free_heads_range, false, "Query heads"))
      propose(ctx, with_heads(s, v, false));
    return;
  }
  const std::vector<std::int64_t> steps = divisors(s.attention_width());
  const auto at = std::find(steps.begin(), steps.end(), s.heads);
  int index = static_cast<int>(at == steps.end() ? 0 : at - steps.begin());
  next_in_row(control_width("heads H"));
  ImGui::PushID("heads");
  ImGui::SetNextItemWidth(em(7.5f));
  const std::string shown = std::to_string(steps[static_cast<std::size_t>(index)]);
  const bool slid = ImGui::SliderInt("##slider", &index, 0, static_cast<int>(steps.size()) - 1,
                                     shown.c_str(), ImGuiSliderFlags_NoInput);
  record_item(ctx, "heads");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("Query heads; H·dh = %lld stays fixed, so heads steps through its divisors",
                      static_cast<long long>(s.attention_width()));
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  Draft& draft = drafts_["heads"];
  std::int64_t typed = s.heads;
  const bool entered = typed_entry("##typed", typed, draft.text, draft.editing);
  record_item(ctx, "heads_typed");
  ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
  ImGui::TextUnformatted("heads H");
  ImGui::PopID();
  if (slid) propose(ctx, with_heads(s, steps[static_cast<std::size_t>(index)], true));
  if (entered) {
    if (typed < 1) {
      ctx.session.refusal = "heads must be at least 1 (typed " + std::to_string(typed) + ")";
      return;
    }
    const Shape snapped = with_heads(s, typed, true);
    propose(ctx, snapped, typed, snapped.heads, "heads");
  }
}

void ControlsPanel::options_row(PanelContext& ctx) {
  ImGui::Checkbox("keep Wqkv height", &ctx.state.view.keep_wqkv_height);
  row_started_ = true;
  record_item(ctx, "keep_wqkv_height");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("Changing heads keeps H·dh: the same Wqkv, sliced into more, thinner heads");
  next_in_row(em(13));
  ImGui::SetNextItemWidth(em(9));
  if (ImGui::BeginCombo("values", value_mode_label(ctx.state.trace.values).data())) {
    for (ValueMode mode : all_value_modes)
      if (ImGui::Selectable(value_mode_label(mode).data(), mode == ctx.state.trace.values))
        ctx.state.trace.values = mode;
    ImGui::EndCombo();
  }
  next_in_row(em(10));
  ImGui::SetNextItemWidth(em(5));
  const std::uint64_t step = 1;
  ImGui::InputScalar("seed", ImGuiDataType_U64, &ctx.state.trace.seed, &step, &step, "%llu");
  next_in_row(em(16));
  int layout = ctx.state.trace.layout == WqkvLayout::triples ? 0 : 1;
  ImGui::SetNextItemWidth(em(10));
  if (ImGui::Combo("Wqkv rows", &layout, "per-head triples\0[Q; K; V] blocks\0"))
    ctx.state.trace.layout = layout == 0 ? WqkvLayout::triples : WqkvLayout::blocks;
  next_in_row(em(12));
  if (ImGui::Checkbox("presenter view (F5)", &ctx.state.view.presenter))
    ctx.view.fit = true; // the matrices fill the panels' new size
  record_item(ctx, "presenter");
  next_in_row(em(9));
  ImGui::Checkbox("hardware view", &ctx.state.hardware.shown);
  record_item(ctx, "hardware_view");
  next_in_row(em(4));
  ImGui::BeginDisabled(!ctx.session.can_undo());
  if (ImGui::Button("Undo")) ctx.session.undo();
  ImGui::EndDisabled();
  next_in_row(em(4));
  ImGui::BeginDisabled(!ctx.session.can_redo());
  if (ImGui::Button("Redo")) ctx.session.redo();
  ImGui::EndDisabled();
  next_in_row(em(9));
  if (ImGui::Button("Worked example")) ctx.session.reset_to_worked_example();
  next_in_row(em(8));
  if (ImGui::Button("Reset view")) {
    CanvasView fitted;
    fitted.resets = ctx.view.resets + 1;
    fitted.reads = ctx.view.reads; // a press already handled stays handled
    ctx.view = fitted;
    ctx.state.view.ui_size = ViewOptions{}.ui_size;
  }
  record_item(ctx, "reset_view");
  if (ImGui::IsItemHovered() && !ctx.exporting) ImGui::SetTooltip("Fit the matrices and restore the UI size");
  next_in_row(em(8));
  if (ImGui::Button("Read values (V)")) read_values(ctx.state.view, ctx.view);
  record_item(ctx, "read_values");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("Zoom in until every value prints, on the hovered cell or the step's; the step "
                      "keeps its cells in view. Reset view fits again");
  next_in_row(em(9));
  ImGui::Checkbox("zoom together", &ctx.state.view.zoom_together);
  record_item(ctx, "zoom_together");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("Wheel, drag and double-click move both slicing panels; off: each panel on its own");
  model_row(ctx); // last of the rows that are always there: the shape controls stay on one line
  if (ctx.session.computing()) {
    next_in_row(em(6));
    ImGui::ProgressBar(ctx.session.progress(), ImVec2(em(6), 0), "computing");
  }
  if (!ctx.session.refusal.empty()) {
    next_in_row(ImGui::CalcTextSize(ctx.session.refusal.c_str()).x + em(5));
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(error_colour()), "Refused: %s",
                       ctx.session.refusal.c_str());
  }
}

void ControlsPanel::export_row(PanelContext& ctx) {
  ExportOptions& e = ctx.state.export_options;
  next_in_row(em(9));
  if (ImGui::Button("Export PNG (F12)")) ctx.requests.export_now = true;
  row_started_ = true;
  record_item(ctx, "export");
  next_in_row(em(9));
  ImGui::TextUnformatted("at");
  for (int s = 1; s <= 3; ++s) {
    ImGui::SameLine();
    const std::string label = std::to_string(s) + "×";
    if (ImGui::RadioButton(label.c_str(), e.scale == s)) e.scale = s;
  }
  next_in_row(em(11));
  ImGui::SetNextItemWidth(em(8));
  if (ImGui::BeginCombo("panel", e.panel.empty() ? "whole window" : e.panel.c_str())) {
    if (ImGui::Selectable("whole window", e.panel.empty())) e.panel.clear();
    for (const std::string& name : export_panels_)
      if (ImGui::Selectable(name.c_str(), e.panel == name)) e.panel = name;
    ImGui::EndCombo();
  }
  next_in_row(em(6));
  ImGui::Checkbox("caption", &e.caption);
  record_item(ctx, "export_caption");
  next_in_row(em(6));
  ImGui::Checkbox("counts", &e.counts);
  record_item(ctx, "export_counts");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("The comparison picture and the slides show the counts beside the matrices");
  slide_buttons(ctx);
  next_in_row(em(9));
  if (ImGui::Button("Worksheet PDF")) {
    try {
      ctx.session.status = "saved " + export_worksheet(ctx.state, worksheet_answers_);
    } catch (const std::exception& error) {
      ctx.session.status = error.what();
    }
  }
  record_item(ctx, "worksheet");
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("The exercise for this shape, values and seed, printed (A4), in the export folder");
  next_in_row(em(8));
  ImGui::Checkbox("with answers", &worksheet_answers_);
  record_item(ctx, "worksheet_answers");
  next_in_row(em(16));
  if (!folder_synced_ || (!ImGui::IsAnyItemActive() && e.folder != folder_)) {
    std::snprintf(folder_, sizeof folder_, "%s", e.folder.c_str());
    folder_synced_ = true;
  }
  ImGui::SetNextItemWidth(em(12));
  if (ImGui::InputTextWithHint("folder", "~/Pictures/attention-by-hand", folder_, sizeof folder_))
    e.folder = folder_;
  next_in_row(em(9));
  int theme = ctx.state.view.theme == Theme::dark ? 0 : 1;
  ImGui::SetNextItemWidth(em(5));
  if (ImGui::Combo("theme", &theme, "dark\0light\0")) {
    ctx.state.view.theme = theme == 0 ? Theme::dark : Theme::light;
  }
  next_in_row(em(9));
  ImGui::SetNextItemWidth(em(5));
  // The font atlas is rebuilt once, when the slider is let go.
  if (!ImGui::IsItemActive() && ui_size_ != ctx.state.view.ui_size && !editing_ui_size_)
    ui_size_ = ctx.state.view.ui_size;
  editing_ui_size_ = ImGui::SliderFloat("UI size", &ui_size_, min_ui_size, max_ui_size, "%.0f px",
                                        ImGuiSliderFlags_AlwaysClamp) ||
                     ImGui::IsItemActive();
  if (ImGui::IsItemDeactivatedAfterEdit()) {
    ctx.state.view.ui_size = std::clamp(ui_size_, min_ui_size, max_ui_size);
    editing_ui_size_ = false;
  }
  next_in_row(em(9));
  ImGui::Checkbox("values in cells", &ctx.state.view.show_values);
  if (!ctx.session.status.empty()) {
    next_in_row(ImGui::CalcTextSize(ctx.session.status.c_str()).x);
    ImGui::TextUnformatted(ctx.session.status.c_str());
  }
}

// The comparison slide as a vector document, beside the PNGs.
void ControlsPanel::slide_buttons(PanelContext& ctx) {
  const struct {
    const char* label;
    const char* name;
    const char* extension;
  } slides[] = {{"Slide PDF", "slide_pdf", ".pdf"}, {"Slide SVG", "slide_svg", ".svg"}};
  for (const auto& slide : slides) {
    next_in_row(em(6));
    if (ImGui::Button(slide.label)) {
      try {
        ctx.session.status = "saved " + export_slide(ctx.state, slide.extension);
      } catch (const std::exception& error) {
        ctx.session.status = one_line(error.what());
      }
    }
    record_item(ctx, slide.name);
    if (ImGui::IsItemHovered() && !ctx.exporting)
      ImGui::SetTooltip("One head vs H heads, 16:9, drawn as vectors (with the caption and counts "
                        "as ticked), in the export folder");
  }
}

std::string ControlsPanel::title(const PanelContext&) const { return "Attention by Hand###controls"; }

// Step mode: attention one stage, cell or multiply at a time, in both panels.
void ControlsPanel::step_row(PanelContext& ctx) {
  StepMode& steps = ctx.session.steps;
  if (ImGui::Checkbox("Step (← → space)", &steps.on) && steps.on) steps.follow(ctx.state.shape);
  record_item(ctx, "step");
  row_started_ = true;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Work through attention by hand: both panels advance together through the "
                      "same Wqkv");
  if (!steps.on) return;
  const auto button = [&](const char* label, const char* name, float width) {
    next_in_row(width);
    const bool pressed = ImGui::Button(label);
    record_item(ctx, name);
    return pressed;
  };
  if (button("|<", "step_start", em(2))) steps.to_start();
  if (button("<", "step_back", em(2))) steps.back();
  if (button(">", "step_forward", em(2))) steps.forward();
  if (button(">|", "step_end", em(2))) steps.to_end();
  if (button(steps.playing ? "pause" : "play", "step_play", em(4))) steps.playing = !steps.playing;
  next_in_row(em(12));
  int g = static_cast<int>(steps.granularity);
  ImGui::SetNextItemWidth(em(7));
  if (ImGui::Combo("one step is", &g, "a stage\0an output cell\0a multiply\0"))
    steps.granularity = static_cast<Granularity>(g);
  record_item(ctx, "step_granularity");
  next_in_row(em(12));
  ImGui::SetNextItemWidth(em(6));
  ImGui::SliderFloat("steps/s", &steps.steps_per_second, 0.5f, 60.0f, "%.1f",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp);
}

void ControlsPanel::draw(PanelContext& ctx) {
  shape_row(ctx);
  options_row(ctx);
  if (ctx.exporting) return;
  row_started_ = false;
  step_row(ctx);
  export_row(ctx);
}

} // namespace abh
