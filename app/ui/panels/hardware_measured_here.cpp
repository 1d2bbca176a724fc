#include "app/ui/panels/hardware_measured_here.hpp"

#include <imgui.h>

#include "app/io/host_cpu.hpp"
#include "app/session/trace_snapshot.hpp"
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
  const double predicted = model ? model->total_seconds : 0;
  ImGui::TextWrapped(
      "Measured here: core's trace of this shape (every stage, fp32, unfused) takes %s on %s, "
      "median of %d runs after %d warm-up; the CPU model predicts %s (measured/model = %.2f)",
      seconds_text(measured).c_str(), cpu_name.c_str(), timing_->runs, timing_->warmups,
      seconds_text(predicted).c_str(), predicted > 0 ? measured / predicted : 0.0);
}

} // namespace abh
