#pragma once
// The layouts of the two slicing panels, shared: both place the same
// matrices, and the H-heads grid is chosen for the panels' shape. Laid out
// again only when the snapshot or the panels' aspect changes.

#include "app/session/trace_snapshot.hpp"
#include "app/ui/pipeline_layout.hpp"

namespace abh {

class SlicingLayouts {
public:
  // `aspect`: width / height of one slicing panel's canvas.
  void update(const TraceSnapshot* snapshot, float aspect);
  const PipelineLayout& single() const { return single_; }
  const PipelineLayout& multi() const { return multi_; }
  // What "fit" shows in both panels: the larger layout, so they share one scale.
  ImVec2 fit_extent() const;

private:
  const TraceSnapshot* laid_out_ = nullptr;
  int heads_per_row_ = 0;
  PipelineLayout single_, multi_;
};

} // namespace abh
