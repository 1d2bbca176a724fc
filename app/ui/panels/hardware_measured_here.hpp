#pragma once
// "Measured here": how long each part of core's trace of the current shape
// takes on this machine (warm medians, timed off the UI thread) next to what
// the CPU model predicts for the same stages, with a ratio only where both
// are measurable (core/hardware/measurement.hpp compare_parts).

#include <atomic>
#include <functional>
#include <future>
#include <optional>
#include <vector>

#include "app/io/app_state.hpp"
#include "app/ui/panels/panel_context.hpp"
#include "core/hardware/measurement.hpp"
#include "core/hardware/schedule.hpp"

namespace abh {

struct TraceSnapshot;

// Times the parts of core's trace of a shape (all_trace_parts' order); the
// app's times the host (host_cpu.hpp time_trace_parts), a test's is fixed.
using TracePartTimer =
    std::function<std::vector<Timing>(const Shape&, const TraceOptions&, const std::atomic<bool>*)>;

// The host's: time_trace_parts on the host's steady clock.
TracePartTimer host_trace_part_timer();

class MeasuredHere {
public:
  explicit MeasuredHere(TracePartTimer timer = host_trace_part_timer()) : timer_(std::move(timer)) {}
  MeasuredHere(const MeasuredHere&) = delete;
  MeasuredHere& operator=(const MeasuredHere&) = delete;
  ~MeasuredHere();

  // One wrapped line under the toolbar; starts timing when the shown shape
  // has a fresh snapshot that differs from the one timed last. `model` is
  // the CPU model of the main shape (fp32, unfused), or null when the panel
  // runs a what-if.
  void draw(PanelContext& ctx, const Schedule* model, const std::string& cpu_name);

private:
  void stop();

  TracePartTimer timer_;
  std::optional<ComputeKey> key_;      // what is timed (or was)
  bool too_large_ = false;             // over the size timed here
  std::atomic<bool> cancel_{false};
  std::future<std::vector<Timing>> running_;
  std::optional<std::vector<Timing>> timing_;
};

} // namespace abh
