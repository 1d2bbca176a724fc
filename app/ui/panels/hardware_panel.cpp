#include "app/ui/panels/hardware_panel.hpp"

// [SECTION] helpers
// [SECTION] toolbar and chip choice
// [SECTION] one machine's column
// [SECTION] the panel

#include <algorithm>
#include <cmath>

#include <imgui.h>

#include "app/session/model_pick.hpp"
#include "app/ui/panels/hardware_machine_view.hpp"
#include "app/ui/panels/hardware_roofline.hpp"
#include "app/ui/panels/hardware_teaching.hpp"
#include "app/ui/panels/hardware_what_if.hpp"
#include "app/ui/theme.hpp"
#include "app/ui/wrap_at_spaces.hpp"
#include "core/hardware/bound_reason.hpp"
#include "core/number_format.hpp"

namespace abh {

// [SECTION] helpers
namespace {

ImVec4 u32(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// Continues the toolbar's row when `width` more pixels fit, else starts a new
// one: at 1280×720 the toolbar wraps instead of running off the panel.
void next_in_row(float width) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

float checkbox_width(const char* label) {
  return ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label).x;
}

float button_width(const char* label) {
  return ImGui::CalcTextSize(label).x + 2 * ImGui::GetStyle().FramePadding.x;
}

float ratio(double p) { return static_cast<float>(p); }

} // namespace

HardwarePanel::HardwarePanel() { reload_specs(book_); }

// [SECTION] toolbar and chip choice
void HardwarePanel::toolbar(PanelContext& ctx, float delta_seconds, const PlaybackAxis& axis) {
  HardwareOptions& o = ctx.state.hardware;
  int dtype = o.dtype == "bf16" ? 1 : o.dtype == "int8" ? 2 : 0;
  ImGui::SetNextItemWidth(em(5));
  if (ImGui::Combo("datatype", &dtype, "fp32\0bf16\0int8\0"))
    o.dtype = dtype == 1 ? "bf16" : dtype == 2 ? "int8" : "fp32";
  record_item(ctx, "hardware datatype");
  next_in_row(checkbox_width("fused attention"));
  ImGui::Checkbox("fused attention", &o.fused);
  record_item(ctx, "hardware fused");
  next_in_row(checkbox_width("one head"));
  ImGui::Checkbox("one head", &o.single_head);
  record_item(ctx, "hardware one head");
  item_tooltip(ctx, "Run the single-head shape (1 head of width H·dh) to see what changes");
  next_in_row(checkbox_width("log time"));
  ImGui::Checkbox("log time", &o.log_scale);
  record_item(ctx, "hardware log time");
  next_in_row(button_width("Pause"));
  if (ImGui::Button(playing_ ? "Pause" : "Play")) playing_ = !playing_;
  record_item(ctx, "hardware play");
  next_in_row(button_width("Step"));
  if (ImGui::Button("Step")) {
    playing_ = false;
    playhead_ = ratio(next_event_playhead(axis, cache_.current().schedules, playhead_));
  }
  record_item(ctx, "hardware step");
  next_in_row(em(10));
  ImGui::SetNextItemWidth(em(10));
  ImGui::SliderFloat("##scrub", &playhead_, 0.0f, 1.0f, seconds_text(axis.time_at(playhead_)).c_str());
  if (ImGui::IsItemActive()) playing_ = false;
  record_item(ctx, "hardware scrub");
  next_in_row(em(6) + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize("replay s").x);
  ImGui::SetNextItemWidth(em(6));
  ImGui::SliderFloat("replay s", &o.replay_seconds, 1.0f, 60.0f, "%.0f s", ImGuiSliderFlags_Logarithmic);
  record_item(ctx, "hardware replay");
  next_in_row(checkbox_width("edit specs"));
  ImGui::Checkbox("edit specs", &edit_specs_);
  record_item(ctx, "hardware edit specs");
  if (playing_ && !ctx.exporting) {
    playhead_ = ratio(advance_playhead(playhead_, delta_seconds, o.replay_seconds));
    ctx.requests.animate = true; // the replay moves by itself: no idle sleep
  }
}

void HardwarePanel::chip_chooser(PanelContext& ctx, const Schedule& s, float width) {
  std::vector<const HardwareSpec*> same_kind;
  for (const HardwareSpec& spec : book_.specs)
    if (spec.kind == s.kind) same_kind.push_back(&spec);
  if (s.kind == ArchKind::cpu) same_kind.push_back(&book_.this_cpu);
  const std::string label = s.chip + (s.chips > 1 ? " ×" + std::to_string(s.chips) : "");
  ImGui::SetNextItemWidth(width);
  ImGui::PushID(static_cast<int>(s.kind));
  const bool open = ImGui::BeginCombo("##chip", label.c_str());
  record_item(ctx, "hardware chip " + std::string(kind_key(s.kind)));
  if (open) {
    for (const HardwareSpec* spec : same_kind)
      if (ImGui::Selectable(spec->chip.c_str(), spec->chip == s.chip)) {
        // One chosen chip per kind: drop the previous choice of this kind.
        std::vector<std::string>& chips = ctx.state.hardware.chips;
        std::erase_if(chips, [&](const std::string& name) {
          const HardwareSpec* known = find_chip(book_.specs, name);
          return (known && known->kind == s.kind) ||
                 (s.kind == ArchKind::cpu && name == book_.this_cpu.chip);
        });
        chips.push_back(spec->chip);
      }
    ImGui::EndCombo();
  }
  ImGui::PopID();
}

// [SECTION] one machine's column
const HardwareSpec* HardwarePanel::spec_of(const Schedule& s) const {
  if (s.chip == book_.this_cpu.chip) return &book_.this_cpu;
  for (const HardwareSpec& spec : book_.specs)
    if (spec.chip == s.chip) return &spec;
  return nullptr;
}

void HardwarePanel::machine_column(PanelContext& ctx, std::size_t i, const PlaybackAxis& axis,
                                   float x0, float w, float origin_y) {
  const ScheduleSet& set = cache_.current();
  const Schedule& s = set.schedules[i];
  const MachineView m{s, axis.time_at(playhead_)};
  ImDrawList* list = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();
  const std::string kind(kind_key(s.kind));
  ImGui::SetCursorScreenPos(ImVec2(x0, origin_y));
  ImGui::BeginGroup();
  ImGui::PushID(kind.c_str());
  ImGui::PushTextWrapPos(x0 + w);
  ImGui::Text("%s", kind.c_str());
  ImGui::SameLine();
  chip_chooser(ctx, s, w - ImGui::CalcTextSize("CPU ").x);
  const float structure_top = ImGui::GetCursorScreenPos().y + font * 0.3f;
  const float units_h = em(5), memory_h = em(1.45f) * static_cast<float>(std::max<std::size_t>(1, s.memory_levels.size()));
  const float tiles = std::min(w * 0.42f, units_h);
  list->PushClipRect(ImVec2(x0, structure_top - font), ImVec2(x0 + w, structure_top + units_h), true);
  draw_units(list, m, ImVec2(x0 + (s.kind == ArchKind::tpu ? em(1.6f) : 0), structure_top + (s.kind == ArchKind::tpu ? font : 0)),
             ImVec2(x0 + w - tiles - em(0.6f), structure_top + units_h));
  draw_tiles(list, m, ImVec2(x0 + w - tiles, structure_top), tiles - font * 1.2f);
  list->PopClipRect();
  ImGui::SetCursorScreenPos(ImVec2(x0 + w - tiles, structure_top));
  ImGui::Dummy(ImVec2(tiles, units_h)); // the tiles and their count: hover for "tile"
  record_item(ctx, "tiles " + kind);
  item_tooltip(ctx, tile_definition);
  draw_memory(list, m, ImVec2(x0, structure_top + units_h + em(0.4f)),
              ImVec2(x0 + w, structure_top + units_h + em(0.4f) + memory_h));
  ImGui::SetCursorScreenPos(ImVec2(x0, structure_top + units_h + memory_h + em(0.8f)));

  // Time bar on the common axis, split by stage; the playhead crosses all.
  const ImVec2 bar = ImGui::GetCursorScreenPos();
  const float bar_h = em(0.9f);
  double t = 0;
  for (const StageCost& c : s.stages) {
    const float a = bar.x + w * ratio(axis.playhead_at(t)), b = bar.x + w * ratio(axis.playhead_at(t + c.seconds));
    list->AddRectFilled(ImVec2(a, bar.y), ImVec2(std::max(a + 1, b), bar.y + bar_h), stage_colour(c.stage));
    t += c.seconds;
  }
  list->AddLine(ImVec2(bar.x + w * playhead_, bar.y - 3), ImVec2(bar.x + w * playhead_, bar.y + bar_h + 3),
                text_colour(), 2);
  ImGui::Dummy(ImVec2(w, bar_h + em(0.3f)));

  // Why it is bound, in words and as a roofline; then the numbers.
  auto number = [&](const char* label, const std::string& value, const std::string& formula,
                    const char* definition = nullptr) {
    const std::string hover = definition ? std::string(definition) + (formula.empty() ? "" : "\n\n" + formula) : formula;
    ImGui::TextColored(u32(muted_colour()), "%s", label);
    if (definition) record_item(ctx, std::string(label) + " " + kind);
    item_tooltip(ctx, hover);
    ImGui::SameLine(std::min(em(5.4f), w * 0.42f)); // from the column's start (the group offset)
    ImGui::TextUnformatted(value.c_str());
    item_tooltip(ctx, hover);
  };
  const BoundReason why = bound_reason(s, shape_);
  if (ctx.probe) ctx.probe->hardware_lines.push_back("bound " + kind + ": " + std::string(bound_key(why.bound)));
  number("bound", std::string(bound_key(why.bound)), "bound of the stage that takes longest",
         why.bound == Bound::overhead ? overhead_definition : bound_definition);
  ImGui::BeginGroup();
  text_wrapped_at_spaces(why.text, w);
  ImGui::EndGroup();
  record_item(ctx, "why " + kind);
  item_tooltip(ctx, bound_definition);
  if (const HardwareSpec* spec = whole_model_ ? spec_of(s) : nullptr) {
    const MachineFit fit = machine_fit(*whole_model_, *spec);
    std::string line = machine_fit_line(fit);
    if (line.rfind(fit.chip + ": ", 0) == 0) line.erase(0, fit.chip.size() + 2);
    line = "whole " + model_name_ + ": " + line;
    ImGui::BeginGroup();
    text_wrapped_at_spaces(line, w);
    ImGui::EndGroup();
    if (ctx.probe) ctx.probe->hardware_lines.push_back("whole model " + kind + ": " + line);
    item_tooltip(ctx, "every attention layer's weights, KV cache and live activations at this context "
                      "(an LPU lays all layers out at once, the others run them one after another)");
  }
  if (const HardwareSpec* spec = spec_of(s)) {
    const Roof roof = machine_roof(s, *spec);
    const std::vector<RooflinePoint> points = roofline_points(s);
    const std::string tip = draw_roofline({roof, points, !ctx.exporting}, "##roofline", ImVec2(w, em(6.5f)));
    record_item(ctx, "roofline " + kind);
    if (!tip.empty() && ctx.probe) ctx.probe->tooltips.push_back(tip);
  }

  std::string time_formula;
  for (const StageCost& c : s.stages) time_formula += std::string(stage_key(c.stage)) + ": " + c.formula + "\n";
  const Schedule& single = set.single[i];
  const double vs_single = single.total_seconds > 0 ? s.total_seconds / single.total_seconds : 0;
  number("time", seconds_text(s.total_seconds), time_formula);
  number("vs 1 head", "×" + significant_text(vs_single), "time of this shape / time of the one-head shape");
  number("ops/s", rate_text(s.achieved_flops(), "op"),
         "(multiplies + adds + exps + divides) / time = " +
             count_text(static_cast<std::int64_t>(s.total_flops)) + " / " + seconds_text(s.total_seconds));
  number("use", std::to_string(static_cast<int>(std::lround(100 * s.utilisation))) + "%",
         "achieved ops/s ÷ (peak at " + std::string(dtype_key(s.dtype)) + " × chips)", use_definition);
  double bytes = 0;
  for (const StageCost& c : s.stages) bytes += c.bytes;
  number("bytes", bytes_text(bytes), "bytes through main memory, summed over stages");
  number("energy", s.energy_joules ? significant_text(*s.energy_joules) + " J" : "n/a",
         s.energy_joules ? "summed over stages: idle power throughout, more while computing, less while waiting on memory" : "no published power figure");
  ImGui::Spacing();
  if (const HardwareSpec* spec = spec_of(s)) ImGui::TextWrapped("%s", spec->tradeoff.c_str());
  ImGui::PopTextWrapPos();
  ImGui::PopID();
  ImGui::EndGroup();
}

// [SECTION] the panel
void HardwarePanel::update_whole_model(const PanelContext& ctx, Dtype dtype, bool fused) {
  const WholeModelKey key{ctx.state.shape, shape_, ctx.state.model, dtype, fused};
  if (whole_model_key_ == key || !ctx.gallery) return;
  whole_model_key_ = key;
  whole_model_.reset();
  const ModelPick pick = shown_pick(ctx.gallery->models, ctx.state.shape, ctx.state.model);
  const GalleryModel* g = pick.key.empty() ? nullptr : model_by_key(ctx.gallery->models, pick.key);
  if (!g) return;
  try {
    whole_model_ = whole_model_bytes(g->model, shape_, dtype, fused);
    model_name_ = g->model.name;
  } catch (const ShapeError&) { // counted too large: the layer's columns still show
  }
}

void HardwarePanel::draw(PanelContext& ctx, float delta_seconds) {
  if (ctx.probe) {
    ctx.probe->hardware_lines.clear();
    // What the panel shows of its content: inside the title bar and the scroll bars.
    const ImVec2 a = ImGui::GetWindowDrawList()->GetClipRectMin(), b = ImGui::GetWindowDrawList()->GetClipRectMax();
    ctx.probe->control_rects["hardware window"] = {a.x, a.y, b.x, b.y};
  }
  const HardwareOptions& o = ctx.state.hardware;
  const Dtype dtype = parse_dtype(o.dtype).value_or(Dtype::fp32);
  const std::optional<Shape> what_if = what_if_of(ctx.state);
  shape_ = what_if.value_or(ctx.state.shape);
  update_whole_model(ctx, dtype, o.fused);
  cache_.update({shape_, {dtype, o.fused}, o.single_head, o.chips, book_.version}, book_.specs, book_.this_cpu);
  const ScheduleSet& set = cache_.current();
  const PlaybackAxis axis = playback_axis(set.schedules, o.log_scale);
  toolbar(ctx, delta_seconds, axis);
  what_if_row(ctx, what_if, dtype); // a click changes what the next frame runs
  if (!book_.warning.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_colour());
    ImGui::TextWrapped("%s", book_.warning.c_str());
    ImGui::PopStyleColor();
  }
  if (!set.error.empty() || set.schedules.empty()) {
    ImGui::TextColored(u32(error_colour()), "%s", set.error.empty() ? book_.status.c_str() : set.error.c_str());
    if (edit_specs_) editor_.draw(book_);
    return;
  }
  // Measured here times the main shape's trace: its model is the CPU's at the main shape only.
  const bool main_shape = shape_ == ctx.state.shape;
  measured_.draw(ctx, main_shape && set.this_cpu ? &*set.this_cpu : nullptr, book_.this_cpu.chip);
  // Stage legend: the colours of the time bars, units and tiles.
  for (const StageCost& c : set.schedules.front().stages) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + em(0.8f), p.y + em(0.8f)), stage_colour(c.stage));
    ImGui::Dummy(ImVec2(em(0.9f), em(0.8f)));
    ImGui::SameLine();
    ImGui::TextUnformatted(std::string(stage_key(c.stage)).c_str());
    ImGui::SameLine();
  }
  glossary_line(ctx);
  real_layer_hint(ctx, set.schedules);
  if (edit_specs_) {
    ImGui::BeginChild("specs", ImVec2(0, em(10)), true);
    editor_.draw(book_);
    ImGui::EndChild();
    record_item(ctx, "hardware spec editor");
  }

  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float col_w = avail.x / static_cast<float>(set.schedules.size());
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  for (std::size_t i = 0; i < set.schedules.size(); ++i)
    machine_column(ctx, i, axis, origin.x + static_cast<float>(i) * col_w + em(0.4f), col_w - em(0.8f), origin.y);
}

} // namespace abh
