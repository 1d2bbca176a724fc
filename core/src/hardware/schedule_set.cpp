#include "core/hardware/schedule_set.hpp"

#include <exception>

#include "core/hardware/models.hpp"

namespace abh {

ScheduleSet compute_schedules(const ScheduleInputs& in, const std::vector<HardwareSpec>& specs,
                              const HardwareSpec& this_cpu) {
  ScheduleSet set;
  try {
    const Shape single = single_head_of(in.shape);
    std::vector<HardwareSpec> choices = specs;
    choices.push_back(this_cpu);
    for (const HardwareSpec& spec : choose_chips(choices, in.chips)) {
      set.schedules.push_back(run_model(in.single_head ? single : in.shape, in.options, spec));
      set.single.push_back(run_model(single, in.options, spec));
    }
  } catch (const std::exception& e) {
    set = {};
    set.error = e.what();
  }
  try {
    set.this_cpu = run_model(in.shape, ModelOptions{Dtype::fp32, false}, this_cpu);
  } catch (const std::exception&) {
    set.this_cpu.reset(); // the same failure is already in `error` when it matters
  }
  return set;
}

bool ScheduleCache::update(const ScheduleInputs& inputs, const std::vector<HardwareSpec>& specs,
                           const HardwareSpec& this_cpu) {
  if (inputs_ && *inputs_ == inputs) return false;
  inputs_ = inputs;
  set_ = compute_schedules(inputs, specs, this_cpu);
  return true;
}

} // namespace abh
