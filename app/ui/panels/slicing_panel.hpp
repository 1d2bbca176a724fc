#pragma once
// "One head" or "H heads": the same weights drawn as a pipeline of heatmaps.

#include <memory>
#include <optional>

#include "app/ui/matrix_canvas.hpp"
#include "app/ui/panels/panel.hpp"
#include "app/ui/slicing_layouts.hpp"
#include "core/cell_explain.hpp"

namespace abh {

class SlicingPanel : public Panel {
public:
  // `multi`: the H-heads panel; else the one-head comparison. Both panels
  // share `layouts`.
  SlicingPanel(bool multi, std::shared_ptr<SlicingLayouts> layouts)
      : multi_(multi), layouts_(std::move(layouts)) {}
  const char* name() const override { return multi_ ? "heads" : "one-head"; }
  std::string title(const PanelContext& ctx) const override;
  void draw(PanelContext& ctx) override;
  const MatrixCanvas* canvas() const override { return &canvas_; }

private:
  void draw_step(PanelContext& ctx, const AttentionTrace& trace);
  // The shared view while the panels zoom together, else this panel's own.
  CanvasView& view_of(PanelContext& ctx);
  void record(PanelContext& ctx, const CanvasHover& hover) const;

  struct Hovered {
    const NamedMatrix* matrix;
    std::int64_t row, col;
    CellDerivation derivation;
  };
  bool multi_;
  std::optional<Hovered> hovered_;              // the cell under the pointer last frame
  const AttentionTrace* hovered_trace_ = nullptr; // the trace it belongs to
  std::shared_ptr<SlicingLayouts> layouts_;
  MatrixCanvas canvas_;
  CanvasView own_view_;      // used while the panels zoom on their own
  bool was_together_ = true; // last frame's choice: on parting, each panel starts from the shared view
};

} // namespace abh
