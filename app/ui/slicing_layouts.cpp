#include "app/ui/slicing_layouts.hpp"

#include <algorithm>

namespace abh {

void SlicingLayouts::update(const TraceSnapshot* snapshot, float aspect) {
  if (!snapshot || !snapshot->multi) {
    laid_out_ = nullptr;
    single_ = multi_ = PipelineLayout{};
    return;
  }
  const int per_row = heads_per_row_for(*snapshot->multi, aspect);
  if (snapshot == laid_out_ && per_row == heads_per_row_) return;
  laid_out_ = snapshot;
  heads_per_row_ = per_row;
  single_ = layout_pipeline(*snapshot, *snapshot->single);
  multi_ = layout_pipeline(*snapshot, *snapshot->multi, per_row);
}

ImVec2 SlicingLayouts::fit_extent() const {
  return ImVec2(std::max(single_.width, multi_.width), std::max(single_.height, multi_.height));
}

} // namespace abh
