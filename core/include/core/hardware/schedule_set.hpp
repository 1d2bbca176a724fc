#pragma once
// The schedules the hardware panel shows, computed from what they depend on
// and recomputed only when that changes (never once per frame). No GL.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/hardware/schedule.hpp"
#include "core/shape.hpp"

namespace abh {

// What the schedules depend on: not the replay, the axis or the window.
struct ScheduleInputs {
  Shape shape;
  ModelOptions options;
  bool single_head = false;        // run the one-head shape instead of `shape`
  std::vector<std::string> chips;  // choose_chips names
  std::size_t specs_version = 0;   // bumped by whoever edits the specs
  bool operator==(const ScheduleInputs&) const = default;
};

struct ScheduleSet {
  std::vector<Schedule> schedules; // one per chosen chip: CPU, GPU, TPU, NPU, LPU
  std::vector<Schedule> single;    // the one-head shape on the same chips ("vs 1 head")
  std::optional<Schedule> this_cpu; // `shape` on this_cpu, fp32, unfused (what is timed here)
  std::string error;               // one line when a model or a chip choice failed
};

// Every schedule of `inputs` over `specs` plus `this_cpu` (choose_chips);
// never throws: a failure empties the schedules and sets `error`.
ScheduleSet compute_schedules(const ScheduleInputs& inputs, const std::vector<HardwareSpec>& specs,
                              const HardwareSpec& this_cpu);

// compute_schedules behind a cache of its last inputs.
class ScheduleCache {
public:
  // Recomputes when `inputs` differ from the last call's; true when it did.
  bool update(const ScheduleInputs& inputs, const std::vector<HardwareSpec>& specs,
              const HardwareSpec& this_cpu);
  const ScheduleSet& current() const { return set_; }

private:
  std::optional<ScheduleInputs> inputs_;
  ScheduleSet set_;
};

} // namespace abh
