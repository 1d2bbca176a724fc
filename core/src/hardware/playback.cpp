#include "core/hardware/playback.hpp"

#include <algorithm>
#include <cmath>

namespace abh {

namespace {

constexpr double log_floor_fraction = 1.0 / 20; // the log axis starts at shortest / 20

} // namespace

PlaybackAxis playback_axis(const std::vector<Schedule>& schedules, bool log) {
  PlaybackAxis a;
  a.log = log;
  for (const Schedule& s : schedules) {
    if (!(s.total_seconds > 0) || !std::isfinite(s.total_seconds)) continue;
    a.longest = std::max(a.longest, s.total_seconds);
    a.shortest = a.shortest > 0 ? std::min(a.shortest, s.total_seconds) : s.total_seconds;
  }
  return a;
}

double PlaybackAxis::time_at(double p) const {
  if (longest <= 0) return 0;
  if (!log) return p * longest;
  const double floor = shortest * log_floor_fraction;
  return floor * std::pow(longest / floor, p);
}

double PlaybackAxis::playhead_at(double seconds) const {
  if (longest <= 0) return 0;
  double p = 0;
  if (!log) {
    p = seconds / longest;
  } else {
    const double floor = shortest * log_floor_fraction;
    if (seconds <= floor) return 0;
    p = std::log(seconds / floor) / std::log(longest / floor);
  }
  return std::clamp(p, 0.0, 1.0);
}

double next_event_playhead(const PlaybackAxis& axis, const std::vector<Schedule>& schedules,
                           double playhead) {
  const double now = axis.time_at(playhead) * (1 + 1e-9);
  double next = axis.time_at(1.0);
  for (const Schedule& s : schedules)
    for (const ScheduleEvent& e : s.events) {
      if (e.start > now) next = std::min(next, e.start);
      if (e.end > now) next = std::min(next, e.end);
    }
  return std::min(1.0, axis.playhead_at(next) + 1e-6);
}

double advance_playhead(double playhead, double delta_seconds, double replay_seconds) {
  const double p = playhead + delta_seconds / std::max(0.5, replay_seconds);
  return p > 1.0 ? 0.0 : p;
}

} // namespace abh
