#pragma once
// What every panel may read, and the few requests a panel may make. Panels
// draw inside an ImGui window the app has already begun.

#include <array>
#include <map>
#include <string>
#include <vector>

#include "app/io/app_state.hpp"
#include "app/ui/heatmap_renderer.hpp"
#include "app/ui/matrix_canvas.hpp"
#include "app/ui/matrix_textures.hpp"
#include "app/session/trace_snapshot.hpp"

namespace abh {

struct PanelRequests {
  bool export_now = false;
  bool undo = false, redo = false, worked_example = false;
};

struct PanelContext {
  AppState& state;
  const TraceSnapshot* snapshot;   // newest finished traces (may be stale or null)
  bool computing = false;          // a newer trace is being computed
  float progress = 0;              // of that computation, 0…1
  bool can_undo = false, can_redo = false;
  bool exporting = false;          // rendering an export: no hover, no editing hints
  HeatmapRenderer& renderer;
  MatrixTextures& textures;
  CanvasView& view;
  std::string& refusal;            // why the last edit was refused ("" = none)
  const std::string& status;       // where the last export went, or why it failed
  PanelRequests& requests;
  std::map<std::string, std::array<float, 4>>& control_rects; // test hooks
  std::vector<std::string>& displayed_counts;                  // test hooks
};

} // namespace abh
