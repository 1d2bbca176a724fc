#pragma once
// "Measured here": how long each part of core's trace of the current shape
// takes on this machine (warm medians, timed off the UI thread) next to what
// the CPU model predicts for the same stages, with a ratio only where both
// are measurable (core/hardware/measurement.hpp compare_parts).

#include <atomic>
#include <future>
#include <optional>
#include <vector>

#include "app/io/app_state.hpp"
#include "app/ui/panels/panel_context.hpp"
#include "core/hardware/measurement.hpp"
#include "core/hardware/schedule.hpp"

namespace abh {

struct TraceSnapshot;

class MeasuredHere {
public:
  MeasuredHere() = default;
  MeasuredHere(const MeasuredHere&) = delete;
  MeasuredHere& operator=(const MeasuredHere&) = delete;
  ~MeasuredHere();

  // Lines under the toolbar; starts timing (host_cpu.hpp time_trace_parts,
  // on the host's clock or a test driver's) when the shown shape has a fresh
  // snapshot that differs from the one timed last. `model` is the CPU model
  // of the main shape (fp32, unfused), or null when the panel runs a what-if.
  void draw(PanelContext& ctx, const Schedule* model, const std::string& cpu_name);

private:
  void stop();

  std::optional<ComputeKey> key_;      // what is timed (or was)
  bool too_large_ = false;             // over the size timed here
  std::atomic<bool> cancel_{false};
  std::future<std::vector<Timing>> running_;
  std::optional<std::vector<Timing>> timing_;
};

} // namespace abh
