#pragma once
// Timing a run the way a benchmark does: untimed warm-up runs first (page
// faults, caches, thread start-up), then the median of several timed runs,
// so one cold or interrupted run does not decide the figure. No clock here:
// the caller's run times itself (the host's clock in the app, a fixed fake
// one in tests). Then the measured parts of core's trace beside what the CPU
// model predicts for the same stages.

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/hardware/schedule.hpp"

namespace abh {

struct Timing {
  double median_seconds = 0; // of the timed runs
  int runs = 0;              // timed runs taken
  int warmups = 0;           // untimed runs before them
};

// Calls timed_run() `warmups` times, ignoring the result, then up to `runs`
// times, keeping each returned duration in seconds; stops early, after at
// least 3 timed runs, once the timed runs add up to `budget_seconds`.
Timing warm_median(const std::function<double()>& timed_run, int warmups, int runs,
                   double budget_seconds);

// The same for a run of several parts: timed_round() returns each part's
// seconds (always `parts` of them); the result holds each part's median over
// the same rounds, and the budget counts whole rounds.
std::vector<Timing> warm_medians(const std::function<std::vector<double>()>& timed_round, std::size_t parts,
                                 int warmups, int runs, double budget_seconds);

// The parts of core's trace a CPU runs one after another (core/trace.hpp):
// QKV = Wqkv·X; every head's scores, scale, softmax and v·A, block by block
// in cache; then O = Wo·Z.
enum class TracePart { projection, attention, output };
inline constexpr std::array<TracePart, 3> all_trace_parts = {TracePart::projection, TracePart::attention,
                                                            TracePart::output};
std::string_view trace_part_name(TracePart part); // "projection", "scores … weighted sum", "output"

// Below this a time is start-up and clock noise on either side: not divided.
inline constexpr double min_measurable_seconds = 100e-6;

struct MeasuredPart {
  TracePart part = TracePart::projection;
  double model_seconds = 0;    // the model's stages of this part, summed
  double measured_seconds = 0; // warm median
  std::optional<double> ratio; // measured ÷ model, when both are at least min_measurable_seconds
  std::string text;            // "projection: model 1.20 ms, measured 1.52 ms, ×1.27" (— for no ratio)
};

// Each part of `measured` (warm medians, all_trace_parts' order) beside the
// CPU model's time for the same stages (fp32, unfused: what the trace runs).
std::vector<MeasuredPart> compare_parts(const Schedule& cpu_model, const std::array<double, 3>& measured);

} // namespace abh
