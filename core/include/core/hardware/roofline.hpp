#pragma once
// The one roofline every model shares: a stage takes the slower of its
// compute and its slowest memory level, plus fixed overheads.

#include "core/hardware/schedule.hpp"

namespace abh {

// Fills traffic[i].seconds, memory_seconds, seconds, bound and formula of a
// stage whose flops, traffic (bytes, bandwidth), compute_seconds and
// overhead_seconds are set. Overhead-bound when the overhead exceeds both.
void finish_stage(StageCost& stage);

// Power follows what bounds a stage: a chip draws its idle share of `power`
// throughout, and the rest while its units compute (all of it) or stream
// memory (memory_power_share of it). Both shares are assumed, not published.
inline constexpr double idle_power_share = 0.25;
inline constexpr double memory_power_share = 0.5;
double stage_joules(const StageCost& stage, double power);

// Ends a schedule: totals, utilisation against peak × chips, each stage's
// joules and the total energy (× chips) when the spec gives power.
void finish_schedule(Schedule& schedule, const HardwareSpec& spec);

} // namespace abh
