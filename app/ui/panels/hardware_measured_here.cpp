#include "app/ui/panels/hardware_measured_here.hpp"

#include <imgui.h>

#include "app/io/host_cpu.hpp"
#include "app/session/trace_snapshot.hpp"
#include "app/ui/theme.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// Traces timed here at most: each timed run holds one more trace in memory.
constexpr std::int64_t max_timed_bytes = std::int64_t{256} << 20;

// One wrapped, muted line; a test driver reads it back.
void show(PanelContext& ctx, const std::string& line) {
  ImGui::PushTextWrapPos(0);
  ImGui::TextDisabled("%s", line.c_str());
  ImGui::PopTextWrapPos();
  if (ctx.probe) ctx.probe->hardware_lines.push_back(line);
}

} // namespace

MeasuredHere::~MeasuredHere() { stop(); }

void MeasuredHere::stop() {
  if (!running_.valid()) return;
  cancel_ = true;
  running_.wait();
  running_ = {};
  cancel_ = false;
}

void MeasuredHere::draw(PanelContext& ctx, const Schedule* model, const std::string& cpu_name) {
  const TraceSnapshot* snapshot = ctx.snapshot;
  if (!snapshot || snapshot->key.shape != ctx.state.shape) return;
  if (!snapshot->multi) {
    show(ctx, "Measured here: this shape is over the memory budget, so core did not run it.");
    return;
  }
  if (!key_ || !(*key_ == snapshot->key)) {
    stop();
    key_ = snapshot->key;
    timing_.reset();
    too_large_ = false;
    try {
      too_large_ = trace_bytes(key_->shape) > max_timed_bytes;
    } catch (const std::exception&) {
      too_large_ = true;
    }
    if (!too_large_) {
      std::function<double()> clock = host_clock_seconds;
      if (ctx.probe && ctx.probe->clock) clock = ctx.probe->clock;
      running_ = std::async(std::launch::async, time_trace_parts, key_->shape, key_->trace, std::move(clock), &cancel_);
    }
  }
  if (running_.valid() && running_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    timing_ = running_.get();
    running_ = {};
  }
  if (too_large_) {
    show(ctx, "Measured here: this shape's trace is over " + bytes_text(static_cast<double>(max_timed_bytes)) +
                  ", too large to time repeatedly.");
    return;
  }
  if (!timing_ || timing_->size() != all_trace_parts.size()) {
    show(ctx, "Measured here: timing core's trace of this shape on " + cpu_name + "…");
    return;
  }
  const std::vector<Timing>& t = *timing_;
  const std::string line = "Measured here on " + cpu_name + ": core's trace (fp32, unfused), medians of " +
                           std::to_string(t.front().runs) + " warm runs after " +
                           std::to_string(t.front().warmups) + " discarded";
  if (!model) {
    show(ctx, line + "; the machines run a what-if, so the CPU model is not set beside it.");
    return;
  }
  show(ctx, line + "; model vs measured, a ratio where both pass " + seconds_text(min_measurable_seconds) + ":");
  // One item per part, side by side where they fit: a part never wraps inside a number.
  const std::array<double, 3> measured = {t[0].median_seconds, t[1].median_seconds, t[2].median_seconds};
  for (const MeasuredPart& p : compare_parts(*model, measured)) {
    if (p.part != TracePart::projection) {
      ImGui::SameLine(0, em(1.5f));
      if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(p.text.c_str()).x) ImGui::NewLine();
    }
    ImGui::TextDisabled("%s", p.text.c_str());
    if (ctx.probe) ctx.probe->hardware_lines.push_back("measured " + p.text);
  }
}

} // namespace abh
