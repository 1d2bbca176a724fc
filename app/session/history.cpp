#include "app/session/history.hpp"

namespace abh {

void History::observe(const ComputeKey& now, bool editing) {
  if (editing || now == settled_) return;
  past_.push_back(settled_);
  future_.clear();
  settled_ = now;
}

ComputeKey History::undo(const ComputeKey& now) {
  observe(now, false);
  if (past_.empty()) return now;
  future_.push_back(settled_);
  settled_ = past_.back();
  past_.pop_back();
  return settled_;
}

ComputeKey History::redo(const ComputeKey& now) {
  observe(now, false);
  if (future_.empty()) return now;
  past_.push_back(settled_);
  settled_ = future_.back();
  future_.pop_back();
  return settled_;
}

} // namespace abh
