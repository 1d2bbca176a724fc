#include "core/hardware/measurement.hpp"

#include <algorithm>
#include <vector>

namespace abh {

Timing warm_median(const std::function<double()>& timed_run, int warmups, int runs,
                   double budget_seconds) {
  Timing t;
  for (; t.warmups < warmups; ++t.warmups) timed_run();
  std::vector<double> seconds;
  double spent = 0;
  while (static_cast<int>(seconds.size()) < runs) {
    seconds.push_back(timed_run());
    spent += seconds.back();
    if (seconds.size() >= 3 && spent >= budget_seconds) break;
  }
  t.runs = static_cast<int>(seconds.size());
  if (seconds.empty()) return t;
  std::sort(seconds.begin(), seconds.end());
  const std::size_t mid = seconds.size() / 2;
  t.median_seconds = seconds.size() % 2 == 1 ? seconds[mid] : (seconds[mid - 1] + seconds[mid]) / 2;
  return t;
}

} // namespace abh
