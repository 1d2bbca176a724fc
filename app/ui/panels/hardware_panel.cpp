#include "app/ui/panels/hardware_panel.hpp"

// [SECTION] specs and schedules
// [SECTION] playback axis
// [SECTION] drawing one machine
// [SECTION] the panel

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <imgui.h>

#include "app/io/data_files.hpp"
#include "app/io/hardware_specs_json.hpp"
#include "app/ui/theme.hpp"
#include "app/io/host_cpu.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

ImVec4 u32(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

// One colour per stage, the same in every machine's bar and tiles.
ImU32 stage_colour(Stage stage, float alpha = 1.0f) {
  float hue = 0.5f;
  switch (stage) {
  case Stage::projection: hue = 0.58f; break;
  case Stage::scores: hue = 0.08f; break;
  case Stage::scale: hue = 0.15f; break;
  case Stage::softmax: hue = 0.83f; break;
  case Stage::weighted_sum: hue = 0.33f; break;
  case Stage::output: hue = 0.62f; break;
  case Stage::attention: hue = 0.0f; break;
  }
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hue, 0.65f, 0.95f, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, alpha));
}

std::string short_number(double v) { // three significant digits
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

Bound dominant_bound(const Schedule& s) {
  const StageCost* longest = nullptr;
  for (const StageCost& c : s.stages)
    if (!longest || c.seconds > longest->seconds) longest = &c;
  return longest ? longest->bound : Bound::compute;
}

} // namespace

// [SECTION] specs and schedules
HardwarePanel::HardwarePanel() { reload_specs(); }

void HardwarePanel::reload_specs() {
  specs_path_ = hardware_specs_path();
  try {
    specs_ = load_hardware_specs(specs_path_);
    specs_status_ = "specs from " + specs_path_;
  } catch (const std::exception& e) {
    specs_status_ = e.what();
  }
  this_cpu_ = host_cpu_spec();
  ++specs_version_;
}

void HardwarePanel::recompute(const PanelContext& ctx) {
  const HardwareOptions& o = ctx.state.hardware;
  const Key key{ctx.state.shape, o.dtype, o.fused, o.single_head, o.chips, specs_version_};
  if (computed_once_ && key == computed_) return;
  computed_ = key;
  computed_once_ = true;
  schedules_.clear();
  single_schedules_.clear();
  model_error_.clear();
  try {
    const ModelOptions options{parse_dtype(key.dtype).value_or(Dtype::fp32),
                               key.fused};
    const Shape single = single_head_of(key.shape);
    std::vector<HardwareSpec> choices = specs_;
    choices.push_back(this_cpu_);
    for (const HardwareSpec& spec : choose_chips(choices, key.chips)) {
      schedules_.push_back(run_model(key.single_head ? single : key.shape, options, spec));
      single_schedules_.push_back(run_model(single, options, spec));
    }
  } catch (const std::exception& e) {
    model_error_ = e.what();
    schedules_.clear();
    single_schedules_.clear();
  }
  this_cpu_schedule_.reset();
  try {
    this_cpu_schedule_ = run_model(key.shape, ModelOptions{Dtype::fp32, false}, this_cpu_);
  } catch (const std::exception&) {
  }
}

// [SECTION] playback axis
double HardwarePanel::time_at(float p) const {
  double longest = 0, shortest = 1e30;
  for (const Schedule& s : schedules_) {
    longest = std::max(longest, s.total_seconds);
    if (s.total_seconds > 0) shortest = std::min(shortest, s.total_seconds);
  }
  if (longest <= 0) return 0;
  if (!log_scale_) return static_cast<double>(p) * longest;
  const double floor = shortest / 20;
  return floor * std::pow(longest / floor, static_cast<double>(p));
}

float HardwarePanel::playhead_at(double seconds) const {
  const double longest = time_at(1.0f);
  if (longest <= 0) return 0;
  if (!log_scale_) return static_cast<float>(seconds / longest);
  const double floor = time_at(0.0f);
  if (seconds <= floor) return 0;
  return static_cast<float>(std::log(seconds / floor) / std::log(longest / floor));
}

// [SECTION] drawing one machine
namespace {

struct MachineView {
  const Schedule& schedule;
  const Schedule& single;
  double now; // model seconds at the playhead
};

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
  const std::int64_t per_batch = std::max<std::int64_t>(1, g.per_batch());
  // Draw at most 24×24 cells; a drawn cell stands for a block of tiles.
  const std::int64_t step_r = (rows + 23) / 24, step_c = (cols + 23) / 24;
  const std::int64_t draw_r = (rows + step_r - 1) / step_r, draw_c = (cols + step_c - 1) / step_c;
  const float cell = size / static_cast<float>(std::max(draw_r, draw_c));
  std::vector<int> state(static_cast<std::size_t>(draw_r * draw_c), 0); // 0 todo, 1 done, 2 now
  auto mark = [&](std::int64_t tile, int value) {
    std::int64_t in_batch = tile % per_batch, r = 0, c = 0;
    if (g.triangular) { // tiles on or below the diagonal, row by row
      while (in_batch > r) {
        in_batch -= r + 1;
        ++r;
      }
      c = in_batch;
    } else {
      r = in_batch / cols;
      c = in_batch % cols;
    }
    int& cellv = state[static_cast<std::size_t>((r / step_r) * draw_c + c / step_c)];
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
  list->AddText(ImVec2(min.x, min.y + size + 2), muted_colour(),
                (std::to_string(rows) + "×" + std::to_string(cols) + " tiles").c_str());
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

} // namespace

// [SECTION] the panel
void HardwarePanel::toolbar(PanelContext& ctx, float delta_seconds) {
  HardwareOptions& o = ctx.state.hardware;
  int dtype = o.dtype == "bf16" ? 1 : o.dtype == "int8" ? 2 : 0;
  ImGui::SetNextItemWidth(em(5));
  if (ImGui::Combo("datatype", &dtype, "fp32\0bf16\0int8\0"))
    o.dtype = dtype == 1 ? "bf16" : dtype == 2 ? "int8" : "fp32";
  ImGui::SameLine();
  ImGui::Checkbox("fused attention", &o.fused);
  ImGui::SameLine();
  ImGui::Checkbox("one head", &o.single_head);
  if (ImGui::IsItemHovered() && !ctx.exporting)
    ImGui::SetTooltip("Run the single-head shape (1 head of width H·dh) to see what changes");
  ImGui::SameLine();
  ImGui::Checkbox("log time", &o.log_scale);
  ImGui::SameLine();
  if (ImGui::Button(playing_ ? "Pause" : "Play")) playing_ = !playing_;
  ImGui::SameLine();
  if (ImGui::Button("Step")) {
    playing_ = false;
    const double now = time_at(playhead_) * (1 + 1e-9);
    double next = time_at(1.0f);
    for (const Schedule& s : schedules_)
      for (const ScheduleEvent& e : s.events) {
        if (e.start > now) next = std::min(next, e.start);
        if (e.end > now) next = std::min(next, e.end);
      }
    playhead_ = std::min(1.0f, playhead_at(next) + 1e-6f);
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(10));
  ImGui::SliderFloat("##scrub", &playhead_, 0.0f, 1.0f, seconds_text(time_at(playhead_)).c_str());
  if (ImGui::IsItemActive()) playing_ = false;
  ImGui::SameLine();
  ImGui::SetNextItemWidth(em(6));
  ImGui::SliderFloat("replay s", &o.replay_seconds, 1.0f, 60.0f, "%.0f s", ImGuiSliderFlags_Logarithmic);
  ImGui::SameLine();
  ImGui::Checkbox("edit specs", &edit_specs_);
  if (playing_ && !ctx.exporting) {
    playhead_ += delta_seconds / std::max(0.5f, o.replay_seconds);
    if (playhead_ > 1.0f) playhead_ = 0.0f;
  }
}

void HardwarePanel::spec_editor() {
  if (ImGui::Button("Reload specs")) reload_specs();
  ImGui::SameLine();
  if (ImGui::Button("Save specs")) {
    try {
      std::error_code ec;
      std::filesystem::create_directories(config_dir(), ec);
      save_hardware_specs(user_hardware_specs_path(), specs_);
      specs_status_ = "saved " + user_hardware_specs_path() + " (the app and --hardware-report now use it)";
    } catch (const std::exception& e) {
      specs_status_ = e.what();
    }
  }
  ImGui::SameLine();
  ImGui::TextDisabled("%s", specs_status_.c_str());
  for (HardwareSpec& s : specs_) {
    ImGui::PushID(s.chip.c_str());
    if (ImGui::TreeNode(s.chip.c_str())) {
      auto edit = [&](const char* label, Figure& f, double unit) {
        double shown = f.value / unit;
        ImGui::SetNextItemWidth(em(8));
        if (ImGui::InputDouble(label, &shown, 0, 0, "%.4g") && shown > 0) {
          f.value = shown * unit;
          f.source = "edited in the app";
          ++specs_version_;
        }
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("source: %s", f.source.c_str());
      };
      edit("fp32 TFLOP/s", s.peak_fp32, 1e12);
      edit("bf16 TFLOP/s", s.peak_bf16, 1e12);
      edit("int8 TOPS", s.peak_int8, 1e12);
      for (MemoryLevel& level : s.memory) edit((level.name + " GB/s").c_str(), level.bandwidth, 1e9);
      if (s.power) edit("power W", *s.power, 1);
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
}

void HardwarePanel::chip_chooser(PanelContext& ctx, const Schedule& s, float width) {
  std::vector<const HardwareSpec*> same_kind;
  for (const HardwareSpec& spec : specs_)
    if (spec.kind == s.kind) same_kind.push_back(&spec);
  if (s.kind == ArchKind::cpu) same_kind.push_back(&this_cpu_);
  const std::string label = s.chip + (s.chips > 1 ? " ×" + std::to_string(s.chips) : "");
  ImGui::SetNextItemWidth(width);
  ImGui::PushID(static_cast<int>(s.kind));
  if (ImGui::BeginCombo("##chip", label.c_str())) {
    for (const HardwareSpec* spec : same_kind)
      if (ImGui::Selectable(spec->chip.c_str(), spec->chip == s.chip)) {
        // One chosen chip per kind: drop the previous choice of this kind.
        std::vector<std::string>& chips = ctx.state.hardware.chips;
        std::erase_if(chips, [&](const std::string& name) {
          const HardwareSpec* known = find_chip(specs_, name);
          return (known && known->kind == s.kind) ||
                 (s.kind == ArchKind::cpu && name == this_cpu_.chip);
        });
        chips.push_back(spec->chip);
      }
    ImGui::EndCombo();
  }
  ImGui::PopID();
}

void HardwarePanel::measured_here(const PanelContext& ctx) {
  if (!ctx.snapshot || ctx.snapshot->key.shape != ctx.state.shape) return;
  if (!ctx.snapshot->multi) {
    ImGui::TextDisabled("Measured here: this shape is over the memory budget, so core did not run it.");
    return;
  }
  if (this_cpu_schedule_) {
    const Schedule& predicted = *this_cpu_schedule_;
    const double measured = ctx.snapshot->multi_trace_ms / 1e3;
    ImGui::TextWrapped("Measured here: core's trace took %s on %s; the CPU model predicts %s (measured/model = %.2f)",
                seconds_text(measured).c_str(), this_cpu_.chip.c_str(),
                seconds_text(predicted.total_seconds).c_str(),
                predicted.total_seconds > 0 ? measured / predicted.total_seconds : 0.0);
  }
}

void HardwarePanel::draw(PanelContext& ctx, float delta_seconds) {
  log_scale_ = ctx.state.hardware.log_scale;
  recompute(ctx);
  toolbar(ctx, delta_seconds);
  if (!model_error_.empty() || schedules_.empty()) {
    ImGui::TextColored(u32(error_colour()), "%s", model_error_.empty() ? specs_status_.c_str() : model_error_.c_str());
    if (edit_specs_) spec_editor();
    return;
  }
  measured_here(ctx);
  // Stage legend: the colours of the time bars, units and tiles.
  for (const StageCost& c : schedules_.front().stages) {
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + em(0.8f), p.y + em(0.8f)), stage_colour(c.stage));
    ImGui::Dummy(ImVec2(em(0.9f), em(0.8f)));
    ImGui::SameLine();
    ImGui::TextUnformatted(std::string(stage_key(c.stage)).c_str());
    ImGui::SameLine();
  }
  ImGui::NewLine();
  if (edit_specs_) {
    ImGui::BeginChild("specs", ImVec2(0, em(10)), true);
    spec_editor();
    ImGui::EndChild();
  }

  const double now = time_at(playhead_);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const auto count = static_cast<float>(schedules_.size());
  const float col_w = avail.x / count;
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImDrawList* list = ImGui::GetWindowDrawList();
  const float font = ImGui::GetFontSize();

  for (std::size_t i = 0; i < schedules_.size(); ++i) {
    const Schedule& s = schedules_[i];
    const MachineView m{s, single_schedules_[i], now};
    const float x0 = origin.x + static_cast<float>(i) * col_w + em(0.4f);
    const float w = col_w - em(0.8f);
    ImGui::SetCursorScreenPos(ImVec2(x0, origin.y));
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(x0 + w);
    ImGui::Text("%s", std::string(kind_key(s.kind)).c_str());
    ImGui::SameLine();
    chip_chooser(ctx, s, w - ImGui::CalcTextSize("CPU ").x);
    const float structure_top = ImGui::GetCursorScreenPos().y + font * 0.3f;
    const float units_h = em(7.5f), memory_h = em(1.6f) * static_cast<float>(std::max<std::size_t>(1, s.memory_levels.size()));
    const float tiles = std::min(w * 0.42f, units_h);
    draw_units(list, m, ImVec2(x0 + (s.kind == ArchKind::tpu ? em(1.6f) : 0), structure_top + (s.kind == ArchKind::tpu ? font : 0)),
               ImVec2(x0 + w - tiles - em(0.6f), structure_top + units_h));
    draw_tiles(list, m, ImVec2(x0 + w - tiles, structure_top), tiles - font * 1.2f);
    draw_memory(list, m, ImVec2(x0, structure_top + units_h + em(0.4f)),
                ImVec2(x0 + w, structure_top + units_h + em(0.4f) + memory_h));
    ImGui::SetCursorScreenPos(ImVec2(x0, structure_top + units_h + memory_h + em(0.8f)));

    // Time bar on the common axis, split by stage; the playhead crosses all.
    const ImVec2 bar = ImGui::GetCursorScreenPos();
    const float bar_h = em(0.9f);
    double t = 0;
    for (const StageCost& c : s.stages) {
      const float a = bar.x + w * playhead_at(t), b = bar.x + w * playhead_at(t + c.seconds);
      list->AddRectFilled(ImVec2(a, bar.y), ImVec2(std::max(a + 1, b), bar.y + bar_h), stage_colour(c.stage));
      t += c.seconds;
    }
    list->AddLine(ImVec2(bar.x + w * playhead_, bar.y - 3), ImVec2(bar.x + w * playhead_, bar.y + bar_h + 3),
                  text_colour(), 2);
    ImGui::Dummy(ImVec2(w, bar_h + em(0.3f)));

    auto number = [&](const char* label, const std::string& value, const std::string& formula) {
      ImGui::TextColored(u32(muted_colour()), "%s", label);
      ImGui::SameLine(x0 - origin.x + em(5.0f) - static_cast<float>(i) * col_w);
      ImGui::TextUnformatted(value.c_str());
      if (ImGui::IsItemHovered() && !ctx.exporting && !formula.empty()) ImGui::SetTooltip("%s", formula.c_str());
    };
    std::string time_formula;
    for (const StageCost& c : s.stages) time_formula += std::string(stage_key(c.stage)) + ": " + c.formula + "\n";
    const double vs_single = m.single.total_seconds > 0 ? s.total_seconds / m.single.total_seconds : 0;
    number("time", seconds_text(s.total_seconds), time_formula);
    number("vs 1 head", "×" + short_number(vs_single), "time of this shape / time of the one-head shape");
    number("ops/s", rate_text(s.achieved_flops(), "op"),
           "(multiplies + adds + exps + divides) / time = " +
               count_text(static_cast<std::int64_t>(s.total_flops)) + " / " + seconds_text(s.total_seconds));
    number("use", std::to_string(static_cast<int>(std::lround(100 * s.utilisation))) + "%", "achieved ops/s ÷ (peak at " + computed_.dtype + " × chips)");
    double bytes = 0;
    for (const StageCost& c : s.stages) bytes += c.bytes;
    number("bytes", bytes_text(bytes), "bytes through main memory, summed over stages");
    number("bound", std::string(bound_key(dominant_bound(s))), "bound of the stage that takes longest");
    number("energy", s.energy_joules ? short_number(*s.energy_joules) + " J" : "n/a",
           s.energy_joules ? "power × time × chips" : "no published power figure");
    for (const HardwareSpec& spec : specs_)
      if (spec.chip == s.chip) ImGui::TextWrapped("%s", spec.tradeoff.c_str());
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
  }
}

} // namespace abh
