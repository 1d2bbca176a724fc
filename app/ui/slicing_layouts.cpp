#include "app/ui/slicing_layouts.hpp"

#include <algorithm>

#include "app/ui/matrix_canvas.hpp"

namespace abh {

void SlicingLayouts::update(const TraceSnapshot* snapshot, ImVec2 canvas) {
  if (!snapshot || !snapshot->multi) {
    laid_out_ = nullptr;
    single_ = multi_ = PipelineLayout{};
    return;
  }
  if (snapshot == laid_out_ && canvas.x == canvas_.x && canvas.y == canvas_.y) return;
  laid_out_ = snapshot;
  canvas_ = canvas;
  single_ = snapshot->single ? layout_pipeline(*snapshot, *snapshot->single) : PipelineLayout{};
  const std::int64_t drawn = std::min(snapshot->multi->shape.heads, max_heads_drawn);
  float best = -1;
  for (int per_row = 1; per_row <= drawn; ++per_row) {
    PipelineLayout candidate = layout_pipeline(*snapshot, *snapshot->multi, per_row);
    const float cell = MatrixCanvas::fit_cell(candidate, canvas);
    if (cell > best * 1.0001f) {
      best = cell;
      multi_ = std::move(candidate);
    }
  }
}

} // namespace abh
