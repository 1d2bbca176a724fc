#pragma once
// The one roofline every model shares: a stage takes the slower of its
// compute and its slowest memory level, plus fixed overheads.

#include "core/hardware/schedule.hpp"

namespace abh {

// Fills traffic[i].seconds, memory_seconds, seconds, bound and formula of a
// stage whose flops, traffic (bytes, bandwidth), compute_seconds and
// overhead_seconds are set. Overhead-bound when the overhead exceeds both.
void finish_stage(StageCost& stage);

// Ends a schedule: totals, utilisation against peak × chips, energy when the
// spec gives power.
void finish_schedule(Schedule& schedule, const HardwareSpec& spec);

} // namespace abh
