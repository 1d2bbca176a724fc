#pragma once
// The layouts of the two slicing panels, shared: both place the same
// matrices, and the H-heads grid is chosen for the panels' shape. Laid out
// again only when the snapshot or the panels' aspect changes.

#include "app/session/trace_snapshot.hpp"
#include "app/ui/pipeline_layout.hpp"

namespace abh {

class SlicingLayouts {
public:
  // `canvas`: pixels of one slicing panel's canvas. The heads grid is the one
  // that allows the largest cells there.
  void update(const TraceSnapshot* snapshot, ImVec2 canvas);
  const PipelineLayout& single() const { return single_; }
  const PipelineLayout& multi() const { return multi_; }

private:
  const TraceSnapshot* laid_out_ = nullptr;
  ImVec2 canvas_{0, 0};
  PipelineLayout single_, multi_;
};

} // namespace abh
