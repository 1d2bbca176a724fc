#include "app/ui/panels/hardware_measured_here.hpp"

#include <imgui.h>

#include "app/io/host_cpu.hpp"
#include "app/session/trace_snapshot.hpp"
#include "core/hardware/bound_reason.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// Traces timed here at most: each timed run holds one more trace in memory.
constexpr std::int64_t max_timed_bytes = std::int64_t{256} << 20;

} // namespace

MeasuredHere::~MeasuredHere() { stop(); }

void MeasuredHere::stop() {
  if (!running_.valid()) return;
  cancel_ = true;
  running_.wait();
  running_ = {};
  cancel_ = false;
}

void MeasuredHere::draw(const AppState& state, const TraceSnapshot* snapshot, const Schedule* model,
                        const std::string& cpu_name) {
  if (!snapshot || snapshot->key.shape != state.shape) return;
  if (!snapshot->multi) {
    ImGui::TextDisabled("Measured here: this shape is over the memory budget, so core did not run it.");
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
    if (!too_large_)
      running_ = std::async(std::launch::async, time_compute_trace, key_->shape, key_->trace, &cancel_);
  }
  if (running_.valid() && running_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    timing_ = running_.get();
    running_ = {};
  }
  if (too_large_) {
    ImGui::TextDisabled("Measured here: this shape's trace is over %s, too large to time repeatedly.",
                        bytes_text(static_cast<double>(max_timed_bytes)).c_str());
    return;
  }
  if (!timing_) {
    ImGui::TextDisabled("Measured here: timing core's trace of this shape on %s…", cpu_name.c_str());
    return;
  }
  const double measured = timing_->median_seconds;
  std::string line = "Measured here on " + cpu_name + ": core's trace of this shape (every stage, fp32, unfused) takes " +
                     seconds_text(measured) + ", the median of " + std::to_string(timing_->runs) + " warm runs after " +
                     std::to_string(timing_->warmups) + " warm-up";
  if (model) {
    line += "; the CPU model says " + seconds_text(model->total_seconds);
    if (const std::optional<double> r = comparable_ratio(measured, *model))
      line += " (measured ÷ model " + value_text(*r) + ")";
    else
      line += dominant_bound(*model) == Bound::overhead
                  ? " of start-up costs, so the two are not divided"
                  : ", but a run this short is mostly thread start-up, so the two are not divided";
  }
  ImGui::TextWrapped("%s.", line.c_str());
}

} // namespace abh
