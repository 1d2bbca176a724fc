#pragma once
// Drives an App in-process the way a hand would: the mouse is injected each
// frame through a UiProbe, and what the panels drew is read back from it.

#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/ui/app.hpp"
#include "app/ui/ui_probe.hpp"

namespace abh::gui_test {

// An App with a hidden 1600×900 window that neither reads nor writes settings.
inline std::unique_ptr<App> make_hidden_app(std::string& error, const AppState& state = {}) {
  AppConfig config;
  config.visible = false;
  config.width = 1600;
  config.height = 900;
  config.persist = false;
  return App::create(config, state, error);
}

class TestDriver {
public:
  explicit TestDriver(App& app) : app_(app) { app_.attach_probe(&probe_); }
  ~TestDriver() { app_.attach_probe(nullptr); }
  TestDriver(const TestDriver&) = delete;
  TestDriver& operator=(const TestDriver&) = delete;

  App& app() { return app_; }
  void frame() { app_.frame(); }

  // The pointer at (x, y), the left button `down`; `wheel` notches apply to
  // the next frame only.
  void mouse(float x, float y, bool down, float wheel = 0) {
    probe_.mouse = true;
    probe_.mouse_x = x;
    probe_.mouse_y = y;
    probe_.mouse_down = down;
    probe_.wheel = wheel;
  }
  // Presses and releases a key (GLFW_KEY_…) over two frames.
  void press(int key) {
    ImGuiIO& io = ImGui::GetIO();
    io.KeysDown[key] = true;
    frame();
    io.KeysDown[key] = false;
    frame();
  }
  // Hands the mouse back to the (absent) real pointer.
  void release_mouse() { probe_.mouse = false; }

  // Screen rectangle of a named control ("heads", "seq", …) as last drawn.
  bool control_rect(const std::string& name, float rect[4]) const {
    const auto it = probe_.control_rects.find(name);
    if (it == probe_.control_rects.end()) return false;
    for (int i = 0; i < 4; ++i) rect[i] = it->second[static_cast<std::size_t>(i)];
    return true;
  }
  // Moves the pointer to the centre of a named control and draws two frames
  // there (the first finds it). False when no frame drew it.
  bool hover_control(const std::string& name) {
    float r[4] = {};
    for (int i = 0; i < 5 && !control_rect(name, r); ++i) frame();
    if (!control_rect(name, r)) return false;
    mouse((r[0] + r[2]) / 2, (r[1] + r[3]) / 2, false);
    frame();
    frame();
    return true;
  }
  // Presses and releases the left button over a named control, over separate frames.
  bool click_control(const std::string& name) {
    if (!hover_control(name)) return false;
    mouse(probe_.mouse_x, probe_.mouse_y, true);
    frame();
    mouse(probe_.mouse_x, probe_.mouse_y, false);
    frame();
    release_mouse();
    return true;
  }
  // A slicing panel's step lines as last drawn ("one-head", "heads").
  const std::vector<std::string>& step_lines(const std::string& panel) { return probe_.step_lines[panel]; }
  // What the panels recorded in the last frame (matrix rectangles, hovered cells).
  const UiProbe& probe() const { return probe_; }
  // The probe's inputs beyond the pointer (a clock for "measured here").
  UiProbe& inputs() { return probe_; }
  // The counts panel's lines as last drawn.
  const std::vector<std::string>& displayed_counts() const { return probe_.displayed_counts; }
  // The first displayed counts line starting with `prefix`, or "".
  std::string counts_line(const std::string& prefix) const {
    for (const std::string& line : probe_.displayed_counts)
      if (line.rfind(prefix, 0) == 0) return line;
    return "";
  }

private:
  App& app_;
  UiProbe probe_;
};

} // namespace abh::gui_test
