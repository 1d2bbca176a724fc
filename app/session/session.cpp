#include "app/session/session.hpp"

#include <thread>

namespace abh {

Session::Session(const AppState& initial, bool interactive)
    : state_(initial), history_(compute_key(initial)),
      worker_(std::make_unique<TraceWorker>(interactive)) {
  if (initial.step.on) steps.restore(initial.step, initial.shape);
  state_.step = steps.saved();
}

bool Session::update(bool editing) {
  const ComputeKey key = compute_key(state_);
  if (!(key == requested_) || requested_budget_ != state_.view.memory_budget) {
    requested_ = key;
    requested_budget_ = state_.view.memory_budget;
    change_time_ = Clock::now();
    change_pending_ = true;
    worker_->request(key, state_.view.memory_budget);
  }
  history_.observe(key, editing);
  if (steps.on) steps.follow(state_.shape);
  state_.step = steps.saved();
  auto latest = worker_->latest();
  if (!latest || latest == snapshot_) return false;
  snapshot_ = std::move(latest);
  return true;
}

bool Session::current() const {
  return snapshot_ && !snapshot_->single_pending && snapshot_->key == compute_key(state_);
}

bool Session::panel_current(bool multi_head) const {
  if (!snapshot_) return false;
  if (!multi_head && snapshot_->single_pending) return false;
  return (multi_head ? snapshot_->key : snapshot_->single_key) == compute_key(state_);
}

void Session::wait_for_trace() {
  update(false);
  while (!current()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    update(false);
  }
}

void Session::restore(const ComputeKey& key) {
  state_.shape = key.shape;
  state_.trace = key.trace;
  refusal.clear();
}

void Session::undo() { restore(history_.undo(compute_key(state_))); }
void Session::redo() { restore(history_.redo(compute_key(state_))); }

void Session::reset_to_worked_example() {
  const AppState fresh;
  state_.shape = fresh.shape;
  state_.trace = fresh.trace;
  state_.view.keep_wqkv_height = true;
  refusal.clear();
}

double Session::take_change_latency_ms() {
  if (!change_pending_ || !(snapshot_ && snapshot_->key == requested_)) return -1;
  change_pending_ = false;
  return std::chrono::duration<double, std::milli>(Clock::now() - change_time_).count();
}

} // namespace abh
