#include "app/ui/app.hpp"

// [SECTION] window and ImGui setup
// [SECTION] one frame: input, session, panels, render
// [SECTION] run loop and test hooks
// Export and the benchmark mode live in export_image.cpp and bench_frames.cpp.

#include <algorithm>
#include <cfloat>
#include <cstdlib>
#include <utility>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>

#include "app/io/one_line.hpp"
#include "app/slides/vector_slide.hpp"
#include "app/ui/app_impl.hpp"
#include "app/ui/fonts.hpp"
#include "app/ui/gl.hpp"
#include "app/ui/settings_file.hpp"
#include "app/ui/theme.hpp"

namespace abh {

namespace {

// The pointer moved or wheeled, a button or key is held, text was typed, or
// the window changed size since `last_display`.
bool had_input(const ImGuiIO& io, ImVec2 last_display) {
  if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0 || io.MouseWheel != 0 || io.MouseWheelH != 0 ||
      io.InputQueueCharacters.Size > 0 || io.DisplaySize.x != last_display.x ||
      io.DisplaySize.y != last_display.y)
    return true;
  for (bool down : io.MouseDown)
    if (down) return true;
  for (bool down : io.KeysDown)
    if (down) return true;
  return false;
}

// Why the window system could not start, in one line: GLFW's own reason
// (glfwGetError) and what to do about it.
std::string no_display_message(const char* glfw_reason) {
  const std::string reason = glfw_reason && *glfw_reason ? std::string(" (GLFW: ") + glfw_reason + ")" : "";
  const char* x = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((!x || !*x) && (!wayland || !*wayland))
    return "no display: DISPLAY is not set" + reason + ". The window needs a graphical display; on a "
           "headless machine run it under xvfb-run, or use --report for the counts";
  return std::string("cannot open the display ") + (x && *x ? x : wayland) + reason +
         ": run it under xvfb-run on a headless machine, or use --report for the counts";
}

} // namespace

// [SECTION] window and ImGui setup
std::unique_ptr<App> App::create(const AppConfig& config, const AppState& initial,
                                 std::string& error) {
  glfwSetErrorCallback(nullptr);
  if (!glfwInit()) {
    const char* reason = nullptr;
    glfwGetError(&reason);
    error = one_line(no_display_message(reason));
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, config.visible ? GLFW_TRUE : GLFW_FALSE);
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  // The view and export options came with the initial state (the command
  // line fills what a loaded state file leaves out from settings.json); the
  // window's size is all that is read here.
  if (config.persist) {
    const WindowSize size = saved_window_size({config.width, config.height});
    impl->config.width = size.width;
    impl->config.height = size.height;
  }
  GLFWwindow* window = glfwCreateWindow(impl->config.width, impl->config.height,
                                        "Attention by Hand", nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    error = "cannot create an OpenGL 3.3 core window on this display (is a GL driver such as "
            "Mesa, package libgl1-mesa-dri, installed?)";
    return nullptr;
  }
  glfwMakeContextCurrent(window);
  if (!gladLoadGL(glfwGetProcAddress)) {
    glfwDestroyWindow(window);
    glfwTerminate();
    error = "cannot load OpenGL 3.3 functions";
    return nullptr;
  }
  glfwSwapInterval(config.visible ? 1 : 0);
  impl->window = window;

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr; // the layout is computed; settings.json keeps the rest
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  impl->renderer = std::make_unique<HeatmapRenderer>();
  if (!impl->renderer->ok()) {
    error = impl->renderer->error();
    impl->renderer.reset();
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return nullptr;
  }
  // A window (and the benchmark of one) computes its traces below the UI's priority.
  impl->session = std::make_unique<Session>(initial, config.background_trace);
  impl->session->on_snapshot([] { glfwPostEmptyEvent(); }); // wakes an idle event loop
  impl->gallery =
      load_gallery(config.models_path.empty() ? default_models_path() : config.models_path);
  // The export menu offers every panel and the comparison slide.
  impl->ensure_style(1.0f);
  return std::unique_ptr<App>(new App(std::move(impl)));
}

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

App::~App() {
  Impl& m = *impl_;
  if (m.config.persist) {
    WindowSize size{m.config.width, m.config.height};
    glfwGetWindowSize(m.window, &size.width, &size.height);
    save_settings(m.state(), size);
  }
  m.session.reset();
  m.textures.clear();
  m.renderer.reset();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(m.window);
  glfwTerminate();
}

void App::Impl::ensure_style(float scale) {
  ViewOptions& v = state().view;
  v.ui_size = std::clamp(v.ui_size, min_ui_size, max_ui_size);
  const bool size_changed = built_scale != scale || built_size != v.ui_size;
  if (!size_changed && built_theme == v.theme) return;
  if (size_changed) rebuild_font_atlas(v.ui_size * scale); // only when the size moves
  apply_theme(v.theme, scale * v.ui_size / 13.0f);
  built_scale = scale;
  built_size = v.ui_size;
  built_theme = v.theme;
}

// [SECTION] one frame: input, session, panels, render
void App::Impl::handle_shortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z, false)) {
    if (io.KeyShift) session->redo();
    else session->undo();
  }
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Y, false)) session->redo();
  if (ImGui::IsKeyPressed(GLFW_KEY_F12, false)) requests.export_now = true;
  if (ImGui::IsKeyPressed(GLFW_KEY_F5, false)) toggle_presenter();
  if (ImGui::IsKeyPressed(GLFW_KEY_V, false)) read_values(state().view, view);
  StepMode& steps = session->steps;
  if (steps.on) {
    if (ImGui::IsKeyPressed(GLFW_KEY_RIGHT)) steps.forward();
    if (ImGui::IsKeyPressed(GLFW_KEY_LEFT)) steps.back();
    if (ImGui::IsKeyPressed(GLFW_KEY_SPACE, false)) steps.playing = !steps.playing;
  }
}

void App::Impl::draw_panels(ImVec2 display) {
  // The panels tile the display and glClear paints their background colour,
  // so they draw none: a software rasteriser fills each pixel once less.
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                 ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                 ImGuiWindowFlags_NoBackground;
  // The caption wraps to as many lines as the image is narrow.
  const float caption_h =
      exporting.caption
          ? ImGui::CalcTextSize(caption_text().c_str(), nullptr, false, display.x - em(1.5f)).y + em(1.0f)
          : 0.0f;
  // The slide layout: the comparison export, and the presenter view (unless
  // one panel is exported alone): no controls, the slicing panels fill it.
  const bool slides = exporting.comparison || (state().view.presenter && exporting.solo_panel.empty());
  const bool slide_counts = exporting.comparison ? state().export_options.counts
                                                 : state().view.presenter_counts;
  // The controls take the height their rows took last frame (they wrap).
  const auto measured = content_heights.find("controls");
  const float controls_h =
      measured != content_heights.end()
          ? measured->second
          : ImGui::GetFrameHeightWithSpacing() * 3 + ImGui::GetStyle().WindowPadding.y * 2 + em(1.4f);
  const float counts_w = std::clamp(em(30), display.x * 0.22f, display.x * 0.4f);
  const float body_h = display.y - controls_h - caption_h;
  const float slice_w = (display.x - counts_w) / 2;
  struct Placement {
    std::string name;
    ImVec2 pos, size;
  };
  const Placement controls_at{"controls", {0, 0}, {display.x, controls_h}};
  const Placement counts_at{"counts", {2 * slice_w, controls_h}, {counts_w, body_h}};
  std::vector<Placement> placements =
      state().hardware.shown // one panel across the centre
          ? std::vector<Placement>{controls_at, {"hardware", {0, controls_h}, {2 * slice_w, body_h}}, counts_at}
          : std::vector<Placement>{controls_at,
                                   {"one-head", {0, controls_h}, {slice_w, body_h}},
                                   {"heads", {slice_w, controls_h}, {slice_w, body_h}},
                                   counts_at};
  if (slides) {
    const float body = display.y - caption_h;
    const float counts_wide = slide_counts ? counts_w : 0.0f;
    const float half = (display.x - counts_wide) / 2;
    placements = {{"one-head", {0, 0}, {half, body}}, {"heads", {half, 0}, {half, body}}};
    if (slide_counts) placements.push_back({"counts", {2 * half, 0}, {counts_wide, body}});
  }
  if (!exporting.solo_panel.empty()) // any panel alone, whatever the view shows
    placements = {{exporting.solo_panel, {0, 0}, {display.x, display.y - caption_h}}};
  placed_panels.clear();
  PanelContext ctx{*session,
                   session->state(),
                   session->snapshot(),
                   exporting.active,
                   exporting.active ? 0.0f : ImGui::GetIO().DeltaTime,
                   *renderer,
                   textures,
                   view,
                   requests,
                   probe,
                   &gallery};
  for (const Placement& p : placements) {
    Panel* panel = panels.find(p.name);
    if (!panel) continue;
    placed_panels.push_back(p.name);
    ImGui::SetNextWindowPos(p.pos);
    ImGui::SetNextWindowSize(p.size);
    ImGui::Begin(panel->title(ctx).c_str(), nullptr, flags);
    panel->draw(ctx);
    content_heights[p.name] = ImGui::GetCursorPosY() + ImGui::GetStyle().WindowPadding.y;
    ImGui::End();
    panel_rects[p.name] = {p.pos.x, p.pos.y, p.pos.x + p.size.x, p.pos.y + p.size.y};
    // The panel's edge (the window draws no background, hence no border).
    ImGui::GetBackgroundDrawList()->AddRect(
        p.pos, ImVec2(p.pos.x + p.size.x, p.pos.y + p.size.y), ImGui::GetColorU32(ImGuiCol_Border));
  }
  if (exporting.caption) {
    ImGui::SetNextWindowPos(ImVec2(0, display.y - caption_h));
    ImGui::SetNextWindowSize(ImVec2(display.x, caption_h));
    ImGui::Begin("##caption", nullptr, flags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    ImGui::TextWrapped("%s", caption_text().c_str());
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    caption_rect = {a.x, a.y, b.x, b.y};
    ImGui::End();
  }
  if (slides && !exporting.active) draw_presenter_hint(display);
}

void App::Impl::toggle_presenter() {
  state().view.presenter = !state().view.presenter;
  view.fit = true; // the matrices fill the panels' new size
}

// The way back, while the controls are hidden: a small line bottom right.
void App::Impl::draw_presenter_hint(ImVec2 display) {
  const char* hint = "F5: leave presenter view";
  const ImVec2 size = ImGui::CalcTextSize(hint);
  const ImVec2 at(display.x - size.x - em(0.6f), display.y - size.y - em(0.4f));
  ImGui::GetForegroundDrawList()->AddText(at, ImGui::GetColorU32(ImGuiCol_TextDisabled), hint);
}

std::string App::Impl::caption_text() const { return slide_caption(session->state()); }

void App::Impl::draw_frame(unsigned framebuffer, int width, int height, bool on_screen,
                           float scale) {
  const auto frame_start = Session::Clock::now();
  if (on_screen) glfwPollEvents();
  ensure_style(scale);
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  // Injected after the backend's NewFrame, which would overwrite it (ImGui 1.86).
  if (!on_screen) {
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DisplayFramebufferScale = ImVec2(1, 1);
  }
  if (probe && probe->mouse) {
    io.MousePos = ImVec2(probe->mouse_x, probe->mouse_y);
    io.MouseDown[0] = probe->mouse_down;
    io.MouseWheel = std::exchange(probe->wheel, 0.0f);
  } else if (exporting.active) {
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = false;
  }
  ImGui::NewFrame();
  if (on_screen) quiet_frames = had_input(io, last_display) ? 0 : quiet_frames + 1;
  last_display = io.DisplaySize;
  handle_shortcuts();
  if (session->update(ImGui::IsAnyItemActive())) textures.clear();
  if (!exporting.active) session->steps.play(io.DeltaTime);
  requests.animate = false;
  renderer->begin_frame();
  // 3 MB of texture uploads a frame while interactive; exports take all at once.
  textures.begin_frame(exporting.active ? SIZE_MAX : std::size_t{3} << 20);
  if (probe) { // only what this frame draws
    probe->control_rects.clear();
    probe->tooltips.clear();
  }
  draw_panels(io.DisplaySize);
  ImGui::Render();
  last_ui_ms = std::chrono::duration<double, std::milli>(Session::Clock::now() - frame_start).count();

  int fb_w = width, fb_h = height;
  if (on_screen) glfwGetFramebufferSize(window, &fb_w, &fb_h);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
  glViewport(0, 0, fb_w, fb_h);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (on_screen) glfwSwapBuffers(window);
  if (std::exchange(requests.export_now, false)) export_pending = true;
}

// [SECTION] run loop and test hooks
double App::Impl::idle_wait_seconds(int quiet) const {
  const bool moving = quiet < settle_frames || session->steps.playing || requests.animate ||
                      export_pending || !textures.complete() || ImGui::IsAnyItemActive();
  if (moving) return 0;
  return session->computing() ? 0.1 : 0.5;
}

void App::run() {
  Impl& m = *impl_;
  while (!glfwWindowShouldClose(m.window)) {
    if (const double wait = m.idle_wait_seconds(m.quiet_frames); wait > 0) glfwWaitEventsTimeout(wait);
    frame();
    // An export waits for the trace it shows without stopping the frames.
    if (m.export_pending) {
      if (!m.session->current()) {
        m.session->status = "export waits for the trace…";
        continue;
      }
      m.export_pending = false;
      const ExportOptions& e = m.state().export_options;
      const ExportResult r = export_png("", e.scale, e.panel, e.caption);
      m.session->status = r.error.empty() ? "saved " + r.png_path : r.error;
    }
  }
}

void App::frame() {
  Impl& m = *impl_;
  int w = 0, h = 0;
  glfwGetFramebufferSize(m.window, &w, &h);
  m.draw_frame(0, w, h, true, 1.0f);
}

double App::idle_wait_seconds() const { return impl_->idle_wait_seconds(impl_->quiet_frames); }

Session& App::session() { return *impl_->session; }
AppState& App::state() { return impl_->state(); }
void App::wait_for_trace() { impl_->session->wait_for_trace(); }
void App::attach_probe(UiProbe* probe) { impl_->probe = probe; }

} // namespace abh
