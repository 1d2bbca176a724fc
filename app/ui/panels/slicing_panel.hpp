#pragma once
// "One head" or "H heads": the same weights drawn as a pipeline of heatmaps.

#include <array>
#include <memory>
#include <optional>

#include "app/ui/matrix_canvas.hpp"
#include "app/ui/panels/panel.hpp"
#include "app/ui/slicing_layouts.hpp"
#include "core/cell_explain.hpp"

namespace abh {

// The cell under the pointer in each slicing panel, read by the other panel
// to outline its counterpart (core/cell_mapping).
struct SlicingHoverLink {
  struct Cell {
    const AttentionTrace* trace = nullptr; // null: no cell hovered
    const NamedMatrix* matrix = nullptr;
    std::int64_t row = 0, col = 0;
  };
  std::array<Cell, 2> hovered{}; // [0] one head, [1] H heads
};

class SlicingPanel : public Panel {
public:
  // `multi`: the H-heads panel; else the one-head comparison. Both panels
  // share `layouts` and `link`.
  SlicingPanel(bool multi, std::shared_ptr<SlicingLayouts> layouts,
               std::shared_ptr<SlicingHoverLink> link)
      : multi_(multi), layouts_(std::move(layouts)), link_(std::move(link)) {}
  const char* name() const override { return multi_ ? "heads" : "one-head"; }
  std::string title(const PanelContext& ctx) const override;
  void draw(PanelContext& ctx) override;
  const MatrixCanvas* canvas() const override { return &canvas_; }

private:
  void draw_step(PanelContext& ctx, const AttentionTrace& trace);
  // The shared view while the panels zoom together, else this panel's own.
  CanvasView& view_of(PanelContext& ctx);
  void record(PanelContext& ctx, const CanvasHover& hover) const;
  // Outlines the cells that correspond to the other panel's hovered cell.
  void mark_linked(PanelContext& ctx, const AttentionTrace& trace);
  // The view this panel draws with: `shown` panned by this panel's offset; a
  // "read values" press zooms it (centred on `centre`), and a new step pans it,
  // when needed, so the step's cells (`step`: output first) are in view.
  CanvasView follow_view(PanelContext& ctx, const CanvasView& shown, const PipelineLayout& layout,
                         ImVec2 size, const std::vector<CanvasMark>& step, const CanvasMark* centre);
  // Writes back what drawing did to the view (wheel, drag, fit) into `shown`.
  void keep_view(CanvasView& shown, const CanvasView& drawn);

  struct Hovered {
    const NamedMatrix* matrix;
    std::int64_t row, col;
    CellDerivation derivation;
  };
  bool multi_;
  std::optional<Hovered> hovered_;              // the cell under the pointer last frame
  const AttentionTrace* hovered_trace_ = nullptr; // the trace it belongs to
  std::shared_ptr<SlicingLayouts> layouts_;
  std::shared_ptr<SlicingHoverLink> link_;
  MatrixCanvas canvas_;
  CanvasView own_view_;      // used while the panels zoom on their own
  CanvasFollow follow_;      // this panel's pan beyond the shared view's
  bool was_together_ = true; // last frame's choice: on parting, each panel starts from the shared view
};

} // namespace abh
