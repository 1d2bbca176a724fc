#include "core/hardware/roofline.hpp"

#include <algorithm>

#include "core/number_format.hpp"

namespace abh {

std::string_view bound_key(Bound bound) {
  switch (bound) {
  case Bound::compute: return "compute";
  case Bound::memory: return "memory";
  case Bound::overhead: return "overhead";
  }
  return "?";
}

void finish_stage(StageCost& stage) {
  stage.memory_seconds = 0;
  std::string slowest = "memory";
  for (LevelTraffic& t : stage.traffic) {
    t.seconds = t.bandwidth > 0 ? t.bytes / t.bandwidth : 0;
    if (t.seconds > stage.memory_seconds) {
      stage.memory_seconds = t.seconds;
      slowest = t.level;
    }
  }
  const double body = std::max(stage.compute_seconds, stage.memory_seconds);
  stage.seconds = body + stage.overhead_seconds;
  if (stage.overhead_seconds > body)
    stage.bound = Bound::overhead;
  else
    stage.bound = stage.memory_seconds > stage.compute_seconds ? Bound::memory : Bound::compute;
  stage.formula = "max(compute " + seconds_text(stage.compute_seconds) + ", " + slowest + " " +
                  seconds_text(stage.memory_seconds) + ") + overhead " +
                  seconds_text(stage.overhead_seconds) + " = " + seconds_text(stage.seconds);
}

double stage_joules(const StageCost& st, double power) {
  if (st.seconds <= 0 || power <= 0) return 0;
  const double active =
      std::min(1.0, (st.compute_seconds + memory_power_share * st.memory_seconds) / st.seconds);
  return power * st.seconds * (idle_power_share + (1 - idle_power_share) * active);
}

void finish_schedule(Schedule& s, const HardwareSpec& spec) {
  s.total_seconds = 0;
  s.total_flops = 0;
  for (const StageCost& st : s.stages) {
    s.total_seconds += st.seconds;
    s.total_flops += st.flops;
  }
  const double peak = spec.peak(s.dtype) * s.chips;
  s.utilisation = peak > 0 ? s.achieved_flops() / peak : 0;
  if (spec.power) {
    double joules = 0;
    for (StageCost& st : s.stages) joules += st.joules = stage_joules(st, spec.power->value);
    s.energy_joules = joules * s.chips;
  }
  std::stable_sort(s.events.begin(), s.events.end(),
                   [](const ScheduleEvent& a, const ScheduleEvent& b) { return a.start < b.start; });
}

} // namespace abh
