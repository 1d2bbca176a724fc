#pragma once
// Timing a run the way a benchmark does: untimed warm-up runs first (page
// faults, caches, thread start-up), then the median of several timed runs,
// so one cold or interrupted run does not decide the figure. No clock here:
// the caller's run times itself.

#include <functional>

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

} // namespace abh
