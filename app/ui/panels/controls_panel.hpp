#pragma once
// The shape and value controls, undo/redo and export settings (top bar).

#include <map>
#include <string>
#include <vector>

#include "app/ui/panels/panel.hpp"

namespace abh {

class ControlsPanel : public Panel {
public:
  struct Range {
    std::int64_t min, max;
  };
  // The panels an export may show alone (the export menu lists them).
  void set_export_panels(std::vector<std::string> names) { export_panels_ = std::move(names); }
  const char* name() const override { return "controls"; }
  std::string title(const PanelContext& ctx) const override;
  void draw(PanelContext& ctx) override;

private:
  void shape_row(PanelContext& ctx);
  // The gallery model (and layer kind) and the prefill / decode switch
  // (model_picker.cpp).
  void model_row(PanelContext& ctx);
  void options_row(PanelContext& ctx);
  void export_row(PanelContext& ctx);
  void slide_buttons(PanelContext& ctx);
  void step_row(PanelContext& ctx);
  // A slider (logarithmic for wide ranges) with a typed-entry box that
  // commits on Enter. Returns true with `value` set when the user changed it.
  bool int_control(PanelContext& ctx, const char* label, const char* name, std::int64_t& value,
                   Range range, bool logarithmic, const char* help);
  void next_in_row(float width);
  void heads_control(PanelContext& ctx, const Shape& shape, bool keep_wqkv_height);
  // Applies a candidate shape, or refuses it with a reason.
  void propose(PanelContext& ctx, const Shape& candidate);
  // The same, noting when the value used differs from the one asked for.
  void propose(PanelContext& ctx, const Shape& candidate, std::int64_t asked, std::int64_t used,
               const char* what);

  struct Draft {
    std::string text;     // what is typed so far
    bool editing = false; // the box has focus
  };
  std::map<std::string, Draft> drafts_; // per typed-entry box

  std::vector<std::string> export_panels_;
  char folder_[512] = {};
  float ui_size_ = 18.0f;        // the UI-size slider while it is dragged
  bool editing_ui_size_ = false;
  bool folder_synced_ = false;
  bool worksheet_answers_ = false; // the "Worksheet PDF" button fills in every result
  bool row_started_ = false; // a control is already on the current row
};

} // namespace abh
