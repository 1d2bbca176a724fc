#pragma once
// Turns a finished stage into timed events for the animation, bounded so a
// huge shape still replays: waves are grouped (and units within a wave) until
// the stage fits its event budget; each event keeps a contiguous tile range.

#include <cstddef>

#include "core/hardware/schedule.hpp"

namespace abh {

// Appends the stage's overhead, compute and transfer events, starting at
// `start`; compute fills [start + overhead, start + seconds) wave by wave.
// Tile t runs on unit t mod units in wave t / units.
void emit_stage_events(Schedule& schedule, int stage_index, double start, std::int64_t units,
                       std::size_t budget);

// emit_stage_events for every stage in order, sharing max_events.
void emit_all_events(Schedule& schedule, std::int64_t units);

} // namespace abh
