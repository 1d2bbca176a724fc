#include "app/session/step_mode.hpp"

#include <algorithm>
#include <cmath>

namespace abh {

void StepMode::follow(const Shape& shape) {
  if (stepper_ && stepper_->shape(StepPanel::multi_head) == shape) return;
  try {
    stepper_.emplace(shape);
  } catch (const std::exception&) {
    stepper_.reset(); // an invalid shape never reaches here: the controls refuse it
  }
  playing = false;
  owed_steps_ = 0;
}

StepState StepMode::saved() const {
  return {on, granularity, steps_per_second, stepper_ ? stepper_->state() : StepperState{}};
}

bool StepMode::restore(const StepState& saved, const Shape& shape) {
  on = saved.on;
  granularity = saved.granularity;
  steps_per_second = saved.steps_per_second;
  follow(shape);
  return stepper_ && stepper_->set_state(saved.position);
}

void StepMode::play(double seconds) {
  if (!on || !playing || !stepper_) return;
  owed_steps_ += seconds * steps_per_second;
  // A slow frame never queues up more than a second of steps.
  owed_steps_ = std::min(owed_steps_, static_cast<double>(steps_per_second));
  while (owed_steps_ >= 1) {
    owed_steps_ -= 1;
    if (!stepper_->forward(granularity)) {
      playing = false;
      owed_steps_ = 0;
      return;
    }
  }
}

} // namespace abh
