#pragma once
// The shape and value controls, undo/redo and export settings (top bar).

#include <string>
#include <vector>

#include "app/ui/panels/panel.hpp"

namespace abh {

class ControlsPanel : public Panel {
public:
  // The panels an export may show alone (the export menu lists them).
  void set_export_panels(std::vector<std::string> names) { export_panels_ = std::move(names); }
  const char* name() const override { return "controls"; }
  std::string title(const PanelContext& ctx) const override;
  void draw(PanelContext& ctx) override;

private:
  void shape_row(PanelContext& ctx);
  void options_row(PanelContext& ctx);
  void export_row(PanelContext& ctx);
  // Applies a candidate shape, or refuses it with a reason.
  void propose(PanelContext& ctx, const Shape& candidate);

  std::vector<std::string> export_panels_;
  char folder_[512] = {};
  float ui_size_ = 18.0f;        // the UI-size slider while it is dragged
  bool editing_ui_size_ = false;
  bool folder_synced_ = false;
};

} // namespace abh
