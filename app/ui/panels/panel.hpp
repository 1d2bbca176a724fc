#pragma once
// The one shape of a panel: a name (for --panel, exports and the registry),
// a title taken from what it draws, and its content. The app owns the ImGui
// window around it.

#include <string>

#include "app/ui/matrix_canvas.hpp"
#include "app/ui/panels/panel_context.hpp"

namespace abh {

class Panel {
public:
  virtual ~Panel() = default;
  // "heads": stable, lower case, used on the command line.
  virtual const char* name() const = 0;
  // The window title, from the snapshot the panel draws (never from a state
  // still being computed).
  virtual std::string title(const PanelContext& ctx) const = 0;
  virtual void draw(PanelContext& ctx) = 0;
  // The matrices drawn in the last frame (export sidecars), if any.
  virtual const MatrixCanvas* canvas() const { return nullptr; }
};

} // namespace abh
