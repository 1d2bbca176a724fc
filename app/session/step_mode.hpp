#pragma once
// The stepper as the window runs it: on or off, its granularity, playback at
// a chosen speed, and a Stepper that follows the shape (a new shape starts
// again from the beginning). GL-free.

#include <optional>

#include "app/io/app_state.hpp"
#include "core/shape.hpp"
#include "core/stepper.hpp"

namespace abh {

class StepMode {
public:
  bool on = false;                            // = false // the panels show the current step
  Granularity granularity = Granularity::cell; // = cell // what one step is
  bool playing = false;                       // = false // steps advance by themselves
  float steps_per_second = 4.0f;              // = 4 // while playing

  // Makes the stepper describe `shape` (restarting it when the shape changed).
  // Returns the one-line reason when the shape cannot be stepped.
  void follow(const Shape& shape);
  // Advances playback by `seconds` of wall time; stops at the end.
  void play(double seconds);

  bool forward() { return stepper_ && stepper_->forward(granularity); }
  bool back() { return stepper_ && stepper_->back(granularity); }
  void to_start() { if (stepper_) stepper_->to_start(); }
  void to_end() { if (stepper_) stepper_->to_end(); }

  const Stepper* stepper() const { return stepper_ ? &*stepper_ : nullptr; }

  // What a state file keeps of it.
  StepState saved() const;
  // Takes `saved` for `shape`. Returns false when its position lies outside
  // the shape's program (the stepper then starts from the beginning).
  bool restore(const StepState& saved, const Shape& shape);

private:
  std::optional<Stepper> stepper_;
  double owed_steps_ = 0; // fractional steps carried between frames
};

} // namespace abh
