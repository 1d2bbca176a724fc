#pragma once
// The desktop app: a GLFW window, Dear ImGui, the panels, export and the
// benchmark mode. main.cpp and the GUI tests drive it.

#include <memory>
#include <string>

#include "app/io/app_state.hpp"

namespace abh {

class Session;
struct UiProbe;

struct AppConfig {
  bool visible = true;      // = true // false for --export, --bench-frames and tests
  int width = 1600;         // = 1600 // window size in screen pixels
  int height = 900;         // = 900
  bool persist = true;      // = true // read and write settings in the config folder
  bool background_trace = false; // = false // traces run below the UI's priority (the window, --bench-frames)
  std::string models_path;  // = "" // the model picker's gallery; "" = assets/models.json
};

struct ExportResult {
  std::string png_path, json_path; // where the files went
  std::string error;               // "" on success, else one line
  int width = 0, height = 0;
};

class App {
public:
  // Opens the window. On failure returns null and sets `error` to one line
  // (no display, no OpenGL 3.3, missing shaders).
  static std::unique_ptr<App> create(const AppConfig& config, const AppState& initial,
                                     std::string& error);
  ~App();
  App(const App&) = delete;
  App& operator=(const App&) = delete;

  // Runs until the window closes.
  void run();
  // One frame on screen (events, UI, render, swap).
  void frame();
  // Seconds run() would now sleep before the next frame, waiting for an
  // event or a new snapshot; 0 while anything moves (App::Impl::idle_wait_seconds).
  double idle_wait_seconds() const;

  // Renders off-screen at `scale` and writes PNG + JSON. `path` "" picks a
  // timestamped name in the export folder. Waits for the current trace.
  ExportResult export_png(const std::string& path, int scale, const std::string& panel,
                          bool caption);

  // --bench-frames: renders `frames` frames while sweeping the controls and
  // returns JSON with frame-time and change-to-view latency percentiles.
  std::string bench_frames(int frames);

  Session& session();
  AppState& state();
  // Blocks until the trace of the current state is ready (tests, export).
  void wait_for_trace();

  // A test driver's input and observations (null detaches).
  void attach_probe(UiProbe* probe);

  struct Impl;

private:
  explicit App(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

} // namespace abh
