#pragma once
// What every panel may read, and the few requests a panel may make. Panels
// draw inside an ImGui window the app has already begun.

#include <string>

#include <imgui.h>

#include "app/io/app_state.hpp"
#include "app/io/models_json.hpp"
#include "app/session/session.hpp"
#include "app/ui/heatmap_renderer.hpp"
#include "app/ui/matrix_canvas.hpp"
#include "app/ui/matrix_textures.hpp"
#include "app/ui/ui_probe.hpp"

namespace abh {

struct PanelRequests {
  bool export_now = false; // the app exports after this frame
  bool animate = false;    // something moves by itself: draw the next frame at once
};

struct PanelContext {
  Session& session;
  AppState& state;                 // = session.state(): what the controls change
  const TraceSnapshot* snapshot;   // newest finished traces (may be older than state, or null)
  bool exporting = false;          // rendering an export: no hover, no editing hints
  float delta_seconds = 0;         // since the last frame (0 while exporting)
  HeatmapRenderer& renderer;
  MatrixTextures& textures;
  CanvasView& view;
  PanelRequests& requests;
  UiProbe* probe = nullptr;        // a test driver's, or null
  const LoadedGallery* gallery = nullptr; // the model picker's models (or why there are none)
};

// Records the last ImGui item's screen rectangle under `name` for a test
// driver's probe (nothing without one).
inline void record_item(PanelContext& ctx, const std::string& name) {
  if (!ctx.probe) return;
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ctx.probe->control_rects[name] = {a.x, a.y, b.x, b.y};
}

} // namespace abh
