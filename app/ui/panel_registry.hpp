#pragma once
// Every panel, in screen order, in one place: the window lays them out, the
// export menu and --panel take their names from here. Adding a panel is its
// own file plus one line in panel_registry.cpp.

#include <memory>
#include <string>
#include <vector>

#include "app/ui/panels/panel.hpp"

namespace abh {

// Not a panel but a layout an export can take: the one-head and H-heads
// panels side by side, 16:9, without the controls.
inline constexpr const char* comparison_panel = "comparison";

class PanelRegistry {
public:
  PanelRegistry();
  const std::vector<std::unique_ptr<Panel>>& panels() const { return panels_; }
  Panel* find(const std::string& name) const; // null when there is none
  std::vector<std::string> names() const;      // "controls", "one-head", …
  // "controls, one-head, heads, counts or hardware": for error messages.
  std::string names_text() const;

private:
  std::vector<std::unique_ptr<Panel>> panels_;
};

} // namespace abh
