#pragma once
// "One head" or "H heads": the same weights drawn as a pipeline of heatmaps.

#include "app/ui/panels/panel_context.hpp"
#include "app/ui/pipeline_layout.hpp"

namespace abh {

class SlicingPanel {
public:
  explicit SlicingPanel(bool multi) : multi_(multi) {}
  // `fit_extent`: the larger content of both panels, so they share one scale.
  void draw(PanelContext& ctx, const PipelineLayout& layout, ImVec2 fit_extent);
  const MatrixCanvas& canvas() const { return canvas_; } // as drawn in the last frame

private:
  bool multi_;
  MatrixCanvas canvas_;
};

} // namespace abh
