#include "app/ui/app.hpp"

// [SECTION] includes and helpers
// [SECTION] Impl: what the app owns
// [SECTION] window and ImGui setup
// [SECTION] one frame: input, trace, panels, render
// [SECTION] export
// [SECTION] benchmark mode

#include <algorithm>
#include <cfloat>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <thread>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <nlohmann/json.hpp>

#include "app/ui/fonts.hpp"
#include "app/ui/gl.hpp"
#include "app/ui/heatmap_renderer.hpp"
#include "app/session/history.hpp"
#include "app/ui/matrix_textures.hpp"
#include "app/ui/offscreen_target.hpp"
#include "app/ui/panels/controls_panel.hpp"
#include "app/ui/panels/counts_panel.hpp"
#include "app/ui/panels/hardware_panel.hpp"
#include "app/ui/panels/slicing_panel.hpp"
#include "app/session/percentiles.hpp"
#include "app/io/png_file.hpp"
#include "app/io/state_json.hpp"
#include "app/ui/theme.hpp"
#include "app/session/trace_worker.hpp"
#include "core/shape_edit.hpp"
#include "app/io/data_files.hpp"

namespace abh {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

const std::vector<std::string>& panel_names() {
  static const std::vector<std::string> names{"controls", "one-head", "heads", "counts",
                                              "hardware"};
  return names;
}

namespace {

// The name as a stable C string (Placement keeps const char*).
const char* panel_names_c(const std::string& name) {
  for (const std::string& n : panel_names())
    if (n == name) return n.c_str();
  return "controls";
}

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::string timestamp_name() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[64];
  std::strftime(buf, sizeof buf, "attention-by-hand-%Y%m%d-%H%M%S", &local);
  return buf;
}

std::string no_display_message() {
  const char* x = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((!x || !*x) && (!wayland || !*wayland))
    return "no display: DISPLAY is not set. The window needs a graphical display; on a headless "
           "machine run it under xvfb-run, or use --report for the counts";
  return std::string("cannot open the display ") + (x ? x : wayland) +
         ": run it under xvfb-run on a headless machine, or use --report for the counts";
}

} // namespace

// [SECTION] Impl: what the app owns
struct App::Impl {
  AppConfig config;
  GLFWwindow* window = nullptr;
  AppState state;
  History history{ComputeKey{}};
  std::unique_ptr<TraceWorker> worker;
  std::shared_ptr<const TraceSnapshot> snapshot;
  ComputeKey requested;
  std::int64_t requested_budget = -1;
  std::unique_ptr<HeatmapRenderer> renderer;
  MatrixTextures textures;
  CanvasView view;
  ControlsPanel controls;
  SlicingPanel single_panel{false}, multi_panel{true};
  CountsPanel counts_panel;
  HardwarePanel hardware_panel;
  PipelineLayout single_layout, multi_layout;
  int heads_per_row = 0; // of multi_layout; 0 = must lay out again
  std::string refusal, status;
  PanelRequests requests;
  bool export_pending = false; // asked for in a frame; done between frames by run()
  std::map<std::string, std::array<float, 4>> control_rects, panel_rects;
  std::vector<std::string> placed_panels; // panels drawn in the last frame
  std::vector<std::string> displayed_counts;

  bool test_mouse = false, test_down = false;
  float test_wheel = 0;
  ImVec2 test_pos{0, 0};

  // Set while rendering an export: one panel alone, a caption, a scale.
  struct Export {
    bool active = false;
    std::string solo_panel;
    bool caption = false;
  } exporting;
  float built_scale = 0; // scale the fonts and style were last built for
  float built_size = 0;
  Theme built_theme = Theme::dark;

  // Change-to-view latency (benchmark mode).
  bool change_pending = false;
  Clock::time_point change_time;
  std::vector<double> latencies;
  double last_ui_ms = 0; // building the last frame's UI (before GL draws it)

  std::string settings_path() const { return config_dir() + "/settings.json"; }
  void load_settings();
  void save_settings() const;
  void ensure_style(float scale);
  void sync_trace();
  void handle_shortcuts();
  void apply_requests();
  void draw_panels(ImVec2 display);
  std::string caption_text() const;
  void draw_frame(unsigned framebuffer, int width, int height, bool on_screen, float scale);
  PanelContext context();
};

// [SECTION] window and ImGui setup
std::unique_ptr<App> App::create(const AppConfig& config, const AppState& initial,
                                 std::string& error) {
  glfwSetErrorCallback(nullptr);
  if (!glfwInit()) {
    error = no_display_message();
    return nullptr;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_VISIBLE, config.visible ? GLFW_TRUE : GLFW_FALSE);
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->state = initial;
  if (config.persist) impl->load_settings();
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
  impl->worker = std::make_unique<TraceWorker>();
  impl->history = History(compute_key(impl->state));
  impl->ensure_style(1.0f);
  return std::unique_ptr<App>(new App(std::move(impl)));
}

App::App(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

App::~App() {
  Impl& m = *impl_;
  if (m.config.persist) m.save_settings();
  m.worker.reset();
  m.textures.clear();
  m.renderer.reset();
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(m.window);
  glfwTerminate();
}

void App::Impl::load_settings() {
  std::error_code ec;
  if (!fs::exists(settings_path(), ec)) return;
  try {
    const AppState saved = load_state_file(settings_path());
    state.view = saved.view;
    state.export_options = saved.export_options;
    const auto j = nlohmann::json::parse(*read_text_file(settings_path()));
    if (j.contains("window")) {
      config.width = std::clamp(j["window"].value("width", config.width), 320, 8192);
      config.height = std::clamp(j["window"].value("height", config.height), 240, 8192);
    }
  } catch (const std::exception& e) {
    // Keep the user's file: set it aside rather than overwrite it on exit.
    fs::rename(settings_path(), settings_path() + ".bad", ec);
    std::fprintf(stderr, "attention-by-hand: ignoring settings (%s); kept as settings.json.bad\n",
                 e.what());
  }
}

void App::Impl::save_settings() const {
  std::error_code ec;
  fs::create_directories(config_dir(), ec);
  nlohmann::json j = state_to_json(state);
  int w = config.width, h = config.height;
  if (window) glfwGetWindowSize(window, &w, &h);
  j["window"] = {{"width", w}, {"height", h}};
  const std::string error = write_text_atomically(settings_path(), j.dump(2));
  if (!error.empty()) std::fprintf(stderr, "attention-by-hand: %s\n", error.c_str());
}

void App::Impl::ensure_style(float scale) {
  const bool size_changed = built_scale != scale || built_size != state.view.ui_size;
  if (!size_changed && built_theme == state.view.theme) return;
  if (size_changed) rebuild_font_atlas(state.view.ui_size * scale); // only when the size moves
  apply_theme(state.view.theme, scale * state.view.ui_size / 13.0f);
  built_scale = scale;
  built_size = state.view.ui_size;
  built_theme = state.view.theme;
}

// [SECTION] one frame: input, trace, panels, render
PanelContext App::Impl::context() {
  return PanelContext{state,
                      snapshot.get(),
                      worker->busy() || !(snapshot && snapshot->key == compute_key(state)),
                      worker->progress(),
                      history.can_undo(),
                      history.can_redo(),
                      exporting.active,
                      *renderer,
                      textures,
                      view,
                      refusal,
                      status,
                      requests,
                      control_rects,
                      displayed_counts};
}

void App::Impl::sync_trace() {
  const ComputeKey key = compute_key(state);
  if (!(key == requested) || requested_budget != state.view.memory_budget) {
    requested = key;
    requested_budget = state.view.memory_budget;
    change_time = Clock::now();
    change_pending = true;
    worker->request(key, state.view.memory_budget);
  }
  auto latest = worker->latest();
  if (latest && latest != snapshot) {
    snapshot = std::move(latest);
    textures.clear();
    heads_per_row = 0; // lay out again for the new traces
  }
}

void App::Impl::handle_shortcuts() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Z, false)) {
    if (io.KeyShift) requests.redo = true;
    else requests.undo = true;
  }
  if (io.KeyCtrl && ImGui::IsKeyPressed(GLFW_KEY_Y, false)) requests.redo = true;
  if (ImGui::IsKeyPressed(GLFW_KEY_F12, false)) requests.export_now = true;
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
  const float controls_h = ImGui::GetFrameHeightWithSpacing() * (exporting.active ? 2.0f : 3.0f) +
                           ImGui::GetStyle().WindowPadding.y * 2 + em(1.4f);
  const float counts_w = std::clamp(em(30), display.x * 0.22f, display.x * 0.4f);
  const float body_h = display.y - controls_h - caption_h;
  const float slice_w = (display.x - counts_w) / 2;
  struct Placement {
    const char* name;
    ImVec2 pos, size;
  };
  const Placement controls_at{"controls", {0, 0}, {display.x, controls_h}};
  const Placement counts_at{"counts", {2 * slice_w, controls_h}, {counts_w, body_h}};
  std::vector<Placement> placements =
      state.hardware.shown // one panel across the centre
          ? std::vector<Placement>{controls_at, {"hardware", {0, controls_h}, {2 * slice_w, body_h}}, counts_at}
          : std::vector<Placement>{controls_at,
                                   {"one-head", {0, controls_h}, {slice_w, body_h}},
                                   {"heads", {slice_w, controls_h}, {slice_w, body_h}},
                                   counts_at};
  if (!exporting.solo_panel.empty()) // any panel alone, whatever the view shows
    placements = {{panel_names_c(exporting.solo_panel), {0, 0}, {display.x, display.y - caption_h}}};
  placed_panels.clear();
  for (const Placement& p : placements) placed_panels.push_back(p.name);
  if (snapshot && snapshot->multi) {
    const int per_row = heads_per_row_for(*snapshot->multi, slice_w / std::max(body_h, 1.0f));
    if (per_row != heads_per_row) {
      heads_per_row = per_row;
      single_layout = layout_pipeline(*snapshot, *snapshot->single);
      multi_layout = layout_pipeline(*snapshot, *snapshot->multi, per_row);
    }
  } else {
    single_layout = multi_layout = PipelineLayout{};
  }
  const ImVec2 fit_extent(std::max(single_layout.width, multi_layout.width),
                          std::max(single_layout.height, multi_layout.height));
  PanelContext ctx = context();
  const std::string heads_title = std::to_string(state.shape.heads) +
                                  (state.shape.heads == 1 ? " head" : " heads") +
                                  " (same Wqkv)###heads";
  for (const Placement& p : placements) {
    ImGui::SetNextWindowPos(p.pos);
    ImGui::SetNextWindowSize(p.size);
    const std::string name = p.name;
    const char* title = name == "controls" ? "Attention by Hand###controls"
                        : name == "one-head" ? "One head###one-head"
                        : name == "heads"    ? heads_title.c_str()
                        : name == "hardware" ? "Five machines run this attention (cost models, replayed)###hardware"
                                             : "Counts: one head vs H heads###counts";
    ImGui::Begin(title, nullptr, flags);
    if (name == "controls") controls.draw(ctx);
    else if (name == "one-head") single_panel.draw(ctx, single_layout, fit_extent);
    else if (name == "heads") multi_panel.draw(ctx, multi_layout, fit_extent);
    else if (name == "hardware") hardware_panel.draw(ctx, exporting.active ? 0.0f : ImGui::GetIO().DeltaTime);
    else counts_panel.draw(ctx);
    ImGui::End();
    panel_rects[name] = {p.pos.x, p.pos.y, p.pos.x + p.size.x, p.pos.y + p.size.y};
    // The panel's edge (the window draws no background, hence no border).
    ImGui::GetBackgroundDrawList()->AddRect(
        p.pos, ImVec2(p.pos.x + p.size.x, p.pos.y + p.size.y), ImGui::GetColorU32(ImGuiCol_Border));
  }
  if (exporting.caption) {
    ImGui::SetNextWindowPos(ImVec2(0, display.y - caption_h));
    ImGui::SetNextWindowSize(ImVec2(display.x, caption_h));
    ImGui::Begin("##caption", nullptr, flags | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
    ImGui::TextWrapped("%s", caption_text().c_str());
    ImGui::End();
  }
}

std::string App::Impl::caption_text() const {
  return "Attention by Hand · " + describe(state.shape) + " · " +
         std::string(value_mode_label(state.trace.values)) +
         " values, seed " + std::to_string(state.trace.seed) + " · Wqkv " +
         (state.trace.layout == WqkvLayout::triples ? "per-head triples" : "[Q;K;V] blocks");
}

void App::Impl::apply_requests() {
  PanelRequests r = std::exchange(requests, PanelRequests{});
  const ComputeKey now = compute_key(state);
  auto restore = [&](const ComputeKey& k) {
    state.shape = k.shape;
    state.trace = k.trace;
    refusal.clear();
  };
  if (r.undo) restore(history.undo(now));
  if (r.redo) restore(history.redo(now));
  if (r.worked_example) {
    AppState fresh;
    state.shape = fresh.shape;
    state.trace = fresh.trace;
    state.view.keep_wqkv_height = true;
    refusal.clear();
  }
  if (r.export_now) export_pending = true; // run() exports after this frame
}

void App::Impl::draw_frame(unsigned framebuffer, int width, int height, bool on_screen,
                           float scale) {
  const auto frame_start = Clock::now();
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
  if (test_mouse) {
    io.MousePos = test_pos;
    io.MouseDown[0] = test_down;
    io.MouseWheel = std::exchange(test_wheel, 0.0f);
  } else if (exporting.active) {
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = false;
  }
  ImGui::NewFrame();
  handle_shortcuts();
  sync_trace();
  renderer->begin_frame();
  // 3 MB of texture uploads a frame while interactive; exports take all at once.
  textures.begin_frame(exporting.active ? SIZE_MAX : std::size_t{3} << 20);
  draw_panels(io.DisplaySize);
  history.observe(compute_key(state), ImGui::IsAnyItemActive());
  ImGui::Render();
  last_ui_ms = ms_since(frame_start);

  int fb_w = width, fb_h = height;
  if (on_screen) glfwGetFramebufferSize(window, &fb_w, &fb_h);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
  glViewport(0, 0, fb_w, fb_h);
  const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  if (on_screen) glfwSwapBuffers(window);
  if (change_pending && snapshot && snapshot->key == requested) {
    change_pending = false;
    latencies.push_back(ms_since(change_time));
  }
  apply_requests();
}

void App::run() {
  Impl& m = *impl_;
  while (!glfwWindowShouldClose(m.window)) {
    frame();
    if (std::exchange(m.export_pending, false)) {
      const ExportOptions& e = m.state.export_options;
      const ExportResult r = export_png("", e.scale, e.panel, e.caption);
      m.status = r.error.empty() ? "saved " + r.png_path : r.error;
    }
  }
}

void App::frame() {
  Impl& m = *impl_;
  int w = 0, h = 0;
  glfwGetFramebufferSize(m.window, &w, &h);
  m.draw_frame(0, w, h, true, 1.0f);
}

AppState& App::state() { return impl_->state; }

void App::wait_for_trace() {
  Impl& m = *impl_;
  m.sync_trace();
  while (!(m.snapshot && m.snapshot->key == compute_key(m.state))) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    m.sync_trace();
  }
}

void App::set_test_mouse(float x, float y, bool down, float wheel) {
  impl_->test_mouse = true;
  impl_->test_pos = ImVec2(x, y);
  impl_->test_down = down;
  impl_->test_wheel = wheel;
}

void App::clear_test_mouse() { impl_->test_mouse = false; }

bool App::control_rect(const std::string& name, float rect[4]) const {
  const auto it = impl_->control_rects.find(name);
  if (it == impl_->control_rects.end()) return false;
  std::copy(it->second.begin(), it->second.end(), rect);
  return true;
}

const std::vector<std::string>& App::displayed_counts() const { return impl_->displayed_counts; }

// [SECTION] export
ExportResult App::export_png(const std::string& requested_path, int scale,
                             const std::string& panel, bool caption) {
  Impl& m = *impl_;
  ExportResult result;
  if (scale < 1 || scale > 3) {
    result.error = "export scale must be 1, 2 or 3";
    return result;
  }
  const auto& names = panel_names();
  if (!panel.empty() && std::find(names.begin(), names.end(), panel) == names.end()) {
    result.error = "unknown panel '" + panel + "' (choose controls, one-head, heads, counts or hardware)";
    return result;
  }
  std::string path = requested_path;
  if (!path.empty() && fs::path(path).extension() != ".png") {
    result.error = "export path must end in .png (the state is saved beside it as .json): " + path;
    return result;
  }
  if (path.empty()) {
    const std::string folder =
        m.state.export_options.folder.empty() ? default_export_dir() : m.state.export_options.folder;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
      result.error = "cannot create export folder " + folder + ": " + ec.message();
      return result;
    }
    path = folder + "/" + timestamp_name() + ".png";
    for (int i = 2; fs::exists(path, ec); ++i)
      path = folder + "/" + timestamp_name() + "-" + std::to_string(i) + ".png";
  }
  result.png_path = path;
  result.json_path = fs::path(path).replace_extension(".json").string();

  wait_for_trace();
  // Logical size: the window, or the panel as it was last laid out.
  int logical_w = m.config.width, logical_h = m.config.height;
  if (m.config.visible) glfwGetWindowSize(m.window, &logical_w, &logical_h);
  if (!panel.empty()) {
    // The panel's size on screen, as the current view lays it out.
    m.draw_frame(0, logical_w, logical_h, false, 1.0f);
    auto it = m.panel_rects.find(panel);
    if (it == m.panel_rects.end() ||
        std::find(m.placed_panels.begin(), m.placed_panels.end(), panel) == m.placed_panels.end()) {
      // Not on screen now (e.g. the heatmaps while the hardware view is up):
      // it takes the centre, as it would if shown.
      it = m.panel_rects.insert_or_assign(panel, std::array<float, 4>{0, 0, static_cast<float>(logical_w) * 0.6f,
                                                                      static_cast<float>(logical_h) * 0.85f}).first;
    }
    const auto& r = it->second;
    logical_w = static_cast<int>(r[2] - r[0]);
    logical_h = static_cast<int>(r[3] - r[1]) + (caption ? static_cast<int>(m.state.view.ui_size * 2.6f) : 0);
  }
  const int width = logical_w * scale, height = logical_h * scale;
  OffscreenTarget target(width, height);
  if (!target.ok()) {
    result.error = "cannot render " + std::to_string(width) + "×" + std::to_string(height) +
                   " off-screen: " + target.error();
    return result;
  }
  m.exporting = {true, panel, caption};
  const CanvasView saved_view = m.view;
  // Frames: lay out, upload textures, then the one we keep.
  for (int i = 0; i < 3 || !m.textures.complete(); ++i)
    m.draw_frame(target.framebuffer(), width, height, false, static_cast<float>(scale));
  Image image = target.read();
  nlohmann::json drawn = nlohmann::json::array();
  for (const auto& [panel_name, canvas] :
       {std::pair{"one-head", &m.single_panel.canvas()}, std::pair{"heads", &m.multi_panel.canvas()}}) {
    if (std::find(m.placed_panels.begin(), m.placed_panels.end(), panel_name) == m.placed_panels.end())
      continue; // not in this image
    for (const auto& d : canvas->drawn())
      drawn.push_back({{"panel", panel_name}, {"title", d.title},
                       {"rect", {d.min.x, d.min.y, d.max.x, d.max.y}},
                       {"rows", d.rows}, {"cols", d.cols}, {"lo", d.lo}, {"hi", d.hi},
                       {"colormap", d.colormap == 0 ? "diverging" : "sequential"}});
  }
  m.exporting = {};
  m.view = saved_view;
  m.ensure_style(1.0f);
  m.draw_frame(0, logical_w, logical_h, false, 1.0f); // rebuild layout at 1×
  glBindFramebuffer(GL_FRAMEBUFFER, 0);

  result.width = image.width;
  result.height = image.height;
  nlohmann::json j = state_to_json(m.state);
  j["export"]["scale"] = scale;
  j["export"]["panel"] = panel;
  j["export"]["caption"] = caption;
  j["image"] = {{"file", fs::path(path).filename().string()}, {"width", image.width}, {"height", image.height}};
  j["drawn_matrices"] = drawn;
  result.error = write_png_and_text(path, image, result.json_path, j.dump(2));
  return result;
}

// [SECTION] benchmark mode
std::string App::bench_frames(int frames) {
  Impl& m = *impl_;
  const int width = m.config.width, height = m.config.height;
  OffscreenTarget target(width, height);
  if (!target.ok()) return "{\"error\": \"cannot render off-screen\"}";
  wait_for_trace();
  const Shape base = m.state.shape;
  const std::int64_t width_da = base.attention_width();
  std::vector<std::int64_t> head_steps;
  for (std::int64_t h : divisors(width_da))
    if (h <= 64) head_steps.push_back(h);

  // Frames are paced at 60 Hz. A sweep is drags: the heads slider moves one step a frame for
  // `drag_frames` frames (seq wobbling too), then the hand holds still until
  // the view shows the last choice. Latency runs from that last change to the
  // end of the first frame that draws it; frame times cover every frame.
  constexpr int drag_frames = 8;
  m.latencies.clear();
  std::vector<double> frame_ms, ui_ms;
  std::size_t step = 0;
  int changes = 0, drags = 0, in_drag = 0;
  for (int f = 0; f < frames; ++f) {
    const bool settled = !m.change_pending;
    if (in_drag > 0 || settled) {
      if (in_drag == 0) {
        in_drag = drag_frames;
        ++drags;
      }
      Shape s = with_heads(base, head_steps[step % head_steps.size()], true);
      s.seq = std::max<std::int64_t>(1, base.seq - static_cast<std::int64_t>(step % 5));
      if (m.snapshot && m.snapshot->key.shape == s) s.seq = s.seq > 1 ? s.seq - 1 : s.seq + 1;
      m.state.shape = s;
      ++step;
      ++changes;
      --in_drag;
    }
    const auto start = Clock::now();
    m.draw_frame(target.framebuffer(), width, height, false, 1.0f);
    ui_ms.push_back(m.last_ui_ms);
    glFinish();
    frame_ms.push_back(ms_since(start));
    // Paced like a 60 Hz display with vsync: the rest of the frame is idle,
    // as it is on screen, and the trace worker gets the processor meanwhile.
    std::this_thread::sleep_until(start + std::chrono::microseconds(16667));
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  nlohmann::json j = {
      {"frames", frames},
      {"shape", describe(base)},
      {"window", {width, height}},
      {"changes", changes},
      {"drags", drags},
      {"changes_shown", m.latencies.size()},
      {"frame_ms", {{"median", percentile(frame_ms, 50)}, {"p95", percentile(frame_ms, 95)},
                    {"max", percentile(frame_ms, 100)}}},
      {"ui_ms", {{"median", percentile(ui_ms, 50)}, {"p95", percentile(ui_ms, 95)}}},
      {"latency_ms", {{"median", percentile(m.latencies, 50)},
                      {"p95", percentile(m.latencies, 95)}}}};
  m.state.shape = base;
  return j.dump(2);
}

} // namespace abh
