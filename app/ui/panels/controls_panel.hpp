#pragma once
// The shape and value controls, undo/redo and export settings (top bar).

#include "app/ui/panels/panel_context.hpp"

namespace abh {

class ControlsPanel {
public:
  void draw(PanelContext& ctx);

private:
  void shape_row(PanelContext& ctx);
  void options_row(PanelContext& ctx);
  void export_row(PanelContext& ctx);
  // Applies a candidate shape, or refuses it with a reason.
  void propose(PanelContext& ctx, const Shape& candidate);
  char folder_[512] = {};
  float ui_size_ = 18.0f;        // the UI-size slider while it is dragged
  bool editing_ui_size_ = false;
  bool folder_synced_ = false;
};

} // namespace abh
