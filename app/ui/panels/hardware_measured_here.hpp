#pragma once
// "Measured here": how long core's trace of the current shape takes on this
// machine (warmed up, median of several runs, timed off the UI thread) next
// to what the CPU model predicts for it.

#include <atomic>
#include <future>
#include <optional>

#include "app/io/app_state.hpp"
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

  // One wrapped line under the toolbar; starts timing when the shown shape
  // has a fresh snapshot that differs from the one timed last.
  void draw(const AppState& state, const TraceSnapshot* snapshot, const Schedule* model,
            const std::string& cpu_name);

private:
  void stop();

  std::optional<ComputeKey> key_;      // what is timed (or was)
  bool too_large_ = false;             // over the size timed here
  std::atomic<bool> cancel_{false};
  std::future<Timing> running_;
  std::optional<Timing> timing_;
};

} // namespace abh
