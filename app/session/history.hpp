#pragma once
// Undo/redo of what the user computes (shape, values, layout). A change is
// recorded once it settles (no control held), so one drag is one step.

#include <vector>

#include "app/io/app_state.hpp"

namespace abh {

class History {
public:
  explicit History(const ComputeKey& initial) : settled_(initial) {}

  // Call once per frame with the current choice and whether a control is held.
  void observe(const ComputeKey& now, bool editing);
  bool can_undo() const { return !past_.empty(); }
  bool can_redo() const { return !future_.empty(); }
  // Each returns the choice to restore (the caller applies it).
  ComputeKey undo(const ComputeKey& now);
  ComputeKey redo(const ComputeKey& now);

private:
  ComputeKey settled_;
  std::vector<ComputeKey> past_, future_;
};

} // namespace abh
