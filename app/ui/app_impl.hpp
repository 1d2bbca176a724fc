#pragma once
// What the App owns, shared by its files: app.cpp (window and frames),
// export_image.cpp (--export, F12), bench_frames.cpp (--bench-frames).

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/io/models_json.hpp"
#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "app/ui/heatmap_renderer.hpp"
#include "app/ui/matrix_canvas.hpp"
#include "app/ui/matrix_textures.hpp"
#include "app/ui/panel_registry.hpp"
#include "app/ui/ui_probe.hpp"

struct GLFWwindow;

namespace abh {

// The comparison slide's size at 1×, whatever the window's.
inline constexpr int slide_width = 1600, slide_height = 900;

struct App::Impl {
  AppConfig config;
  GLFWwindow* window = nullptr;
  std::unique_ptr<Session> session;
  LoadedGallery gallery; // read once at start; the model picker lists it
  std::unique_ptr<HeatmapRenderer> renderer;
  MatrixTextures textures;
  CanvasView view;
  PanelRegistry panels;
  PanelRequests requests;
  UiProbe* probe = nullptr;
  bool export_pending = false; // asked for in a frame; done by run() once the trace is ready

  // Where each panel was drawn in the last frame (screen pixels).
  std::map<std::string, std::array<float, 4>> panel_rects;
  std::vector<std::string> placed_panels; // names, in the last frame
  std::map<std::string, float> content_heights; // each panel's content, last frame

  // Set while rendering an export: one panel alone or the comparison slide,
  // a caption, a scale.
  struct Export {
    bool active = false;
    std::string solo_panel;
    bool caption = false;
    bool comparison = false; // one-head and heads side by side, no controls
  } exporting;
  std::array<float, 4> caption_rect{}; // where the caption was drawn, last frame
  float built_scale = 0; // scale the fonts and style were last built for
  float built_size = 0;
  Theme built_theme = Theme::dark;
  double last_ui_ms = 0; // building the last frame's UI (before GL draws it)
  int quiet_frames = 0;  // frames drawn since the last input
  ImVec2 last_display{0, 0};

  // Frames drawn after an input before the loop may sleep: ImGui settles
  // hover and focus in them.
  static constexpr int settle_frames = 3;
  // How long the event loop may sleep before the next frame, `quiet` frames
  // after the last input: 0 while anything moves (a drag, the stepper or a
  // panel playing, textures still uploading, an export waiting). Otherwise
  // until the next event or a new snapshot, at most 0.1 s while a trace is
  // computed (its progress bar) and 0.5 s when nothing is. A sleeping window
  // leaves both cores to the trace worker instead of drawing the same frame.
  double idle_wait_seconds(int quiet) const;

  AppState& state() { return session->state(); }
  void ensure_style(float scale);
  void handle_shortcuts();
  void draw_panels(ImVec2 display);
  std::string caption_text() const;
  // F5 and the View checkbox: the presenter view on or off, matrices refitted.
  void toggle_presenter();
  void draw_presenter_hint(ImVec2 display);
  // One frame into `framebuffer` (0: the window), at `scale` for exports.
  void draw_frame(unsigned framebuffer, int width, int height, bool on_screen, float scale);
};

} // namespace abh
