#pragma once
// The replay of schedules on one time axis: a playhead in [0, 1] maps to
// model seconds, linearly or logarithmically from a twentieth of the fastest
// schedule to the slowest one. Values only; the panel draws them.

#include <vector>

#include "core/hardware/schedule.hpp"

namespace abh {

struct PlaybackAxis {
  double shortest = 0; // fastest schedule's total seconds (> 0), 0 when none
  double longest = 0;  // slowest schedule's total seconds, 0 when none
  bool log = true;

  double time_at(double playhead) const;    // model seconds at the playhead
  double playhead_at(double seconds) const; // inverse of time_at, clamped to [0, 1]
};

PlaybackAxis playback_axis(const std::vector<Schedule>& schedules, bool log);

// The playhead just past the next event start or end after `playhead` in any
// schedule (the Step button); 1 when there is none.
double next_event_playhead(const PlaybackAxis& axis, const std::vector<Schedule>& schedules,
                           double playhead);

// The playhead after `delta_seconds` of wall time when the whole replay
// takes `replay_seconds` (at least half a second); wraps from 1 to 0.
double advance_playhead(double playhead, double delta_seconds, double replay_seconds);

} // namespace abh
