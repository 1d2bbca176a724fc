#pragma once
// What the window shows, without the window: the user's choices (AppState),
// their undo history, the trace computation and its newest snapshot. GL-free,
// so tests drive it directly; panels read it, controls change its state.

#include <chrono>
#include <memory>
#include <string>

#include "app/io/app_state.hpp"
#include "app/session/history.hpp"
#include "app/session/step_mode.hpp"
#include "app/session/trace_snapshot.hpp"
#include "app/session/trace_worker.hpp"

namespace abh {

class Session {
public:
  using Clock = std::chrono::steady_clock;

  // `interactive`: a window is drawing frames, so the trace worker runs below
  // the UI thread's priority; exports and benchmarks compute at full priority.
  Session(const AppState& initial, bool interactive);

  AppState& state() { return state_; }
  const AppState& state() const { return state_; }

  // Once a frame: asks for the traces of the current choice (the first time
  // it changes), takes the newest finished snapshot, and records a settled
  // edit in the history. `editing`: a control is held (one drag is one step).
  // Returns true when a new snapshot arrived.
  bool update(bool editing);

  // The newest finished snapshot; it may describe an older choice while a
  // newer one is computed. Null before the first.
  const TraceSnapshot* snapshot() const { return snapshot_.get(); }
  // The snapshot describes the current choice, both traces.
  bool current() const;
  // The multi-head (or the one-head) panel draws the current choice: the
  // multi-head part of a large shape shows before the one-head part.
  bool panel_current(bool multi_head) const;
  bool computing() const { return worker_->busy() || !current(); }
  float progress() const { return worker_->progress(); }
  // Blocks until the snapshot of the current choice is ready.
  void wait_for_trace();

  bool can_undo() const { return history_.can_undo(); }
  bool can_redo() const { return history_.can_redo(); }
  void undo();
  void redo();
  // The worked example's shape and values; view options stay.
  void reset_to_worked_example();

  // Milliseconds from the last change of the choice to the snapshot that
  // answers it, once per change (benchmark mode); negative while none is due.
  double take_change_latency_ms();
  // When the choice last changed (benchmark mode splits the latency with it).
  Clock::time_point change_time() const { return change_time_; }

  StepMode steps;       // the stepper, following the current shape
  std::string refusal; // why the last edit was refused ("" = none)
  std::string status;  // where the last export went, or why it failed

private:
  void restore(const ComputeKey& key);

  AppState state_;
  History history_;
  std::unique_ptr<TraceWorker> worker_;
  std::shared_ptr<const TraceSnapshot> snapshot_;
  ComputeKey requested_;
  std::int64_t requested_budget_ = -1;
  bool change_pending_ = false;
  Clock::time_point change_time_;
};

} // namespace abh
