// App::export_png: one frame rendered off-screen at 1–3×, written as a PNG
// with a JSON sidecar (the state, so --load reopens it, and where each
// matrix was drawn).

#include <algorithm>
#include <ctime>
#include <filesystem>

#include <GLFW/glfw3.h>
#include <nlohmann/json.hpp>

#include "app/io/data_files.hpp"
#include "app/io/png_file.hpp"
#include "app/io/state_json.hpp"
#include "app/ui/app_impl.hpp"
#include "app/ui/gl.hpp"
#include "app/ui/offscreen_target.hpp"

namespace abh {

namespace fs = std::filesystem;

namespace {

std::string timestamp_name() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[64];
  std::strftime(buf, sizeof buf, "attention-by-hand-%Y%m%d-%H%M%S", &local);
  return buf;
}

// The requested path, or a fresh timestamped name in the export folder.
std::string export_path(const std::string& requested, const ExportOptions& options,
                        std::string& error) {
  if (!requested.empty()) {
    if (fs::path(requested).extension() != ".png")
      error = "export path must end in .png (the state is saved beside it as .json): " + requested;
    return requested;
  }
  const std::string folder = options.folder.empty() ? default_export_dir() : options.folder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) {
    error = "cannot create export folder " + folder + ": " + ec.message();
    return "";
  }
  std::string path = folder + "/" + timestamp_name() + ".png";
  for (int i = 2; fs::exists(path, ec); ++i)
    path = folder + "/" + timestamp_name() + "-" + std::to_string(i) + ".png";
  return path;
}

} // namespace

ExportResult App::export_png(const std::string& requested_path, int scale,
                             const std::string& panel, bool caption) {
  Impl& m = *impl_;
  ExportResult result;
  if (scale < 1 || scale > 3) {
    result.error = "export scale must be 1, 2 or 3";
    return result;
  }
  const bool comparison = panel == comparison_panel;
  if (!panel.empty() && !comparison && !m.panels.find(panel)) {
    result.error = "unknown panel '" + panel + "' (choose " + m.panels.names_text() + " or " +
                   comparison_panel + ")";
    return result;
  }
  const std::string path = export_path(requested_path, m.state().export_options, result.error);
  if (!result.error.empty()) return result;
  result.png_path = path;
  result.json_path = fs::path(path).replace_extension(".json").string();

  wait_for_trace();
  // Logical size: the window, or the panel as it was last laid out.
  int logical_w = m.config.width, logical_h = m.config.height;
  if (m.config.visible) glfwGetWindowSize(m.window, &logical_w, &logical_h);
  if (comparison) {
    logical_w = slide_width;
    logical_h = slide_height;
  } else if (!panel.empty()) {
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
    logical_h = static_cast<int>(r[3] - r[1]) + (caption ? static_cast<int>(m.state().view.ui_size * 2.6f) : 0);
  }
  const int width = logical_w * scale, height = logical_h * scale;
  OffscreenTarget target(width, height);
  if (!target.ok()) {
    result.error = "cannot render " + std::to_string(width) + "×" + std::to_string(height) +
                   " off-screen: " + target.error();
    return result;
  }
  m.exporting = {true, comparison ? "" : panel, caption, comparison};
  const CanvasView saved_view = m.view;
  // Frames: lay out, upload textures, then the one we keep.
  for (int i = 0; i < 3 || !m.textures.complete(); ++i)
    m.draw_frame(target.framebuffer(), width, height, false, static_cast<float>(scale));
  Image image = target.read();
  nlohmann::json drawn = nlohmann::json::array(), drawn_text = nlohmann::json::array();
  for (const std::string& name : m.placed_panels) {
    const MatrixCanvas* canvas = m.panels.find(name)->canvas();
    if (!canvas) continue;
    for (const auto& t : canvas->drawn_text())
      drawn_text.push_back({{"panel", name}, {"kind", t.kind}, {"text", t.text},
                            {"rect", {t.min.x, t.min.y, t.max.x, t.max.y}}});
    for (const auto& d : canvas->drawn())
      drawn.push_back({{"panel", name}, {"title", d.title},
                       {"rect", {d.min.x, d.min.y, d.max.x, d.max.y}},
                       {"rows", d.rows}, {"cols", d.cols}, {"lo", d.lo}, {"hi", d.hi},
                       {"colormap", d.colormap == 0 ? "diverging" : "sequential"}});
  }
  if (caption) {
    const auto& r = m.caption_rect;
    drawn_text.push_back({{"panel", "caption"}, {"kind", "caption"}, {"text", m.caption_text()},
                          {"rect", {r[0], r[1], r[2], r[3]}}});
  }
  const std::vector<std::string> placed = m.placed_panels;
  m.exporting = {};
  m.view = saved_view;
  m.ensure_style(1.0f);
  m.draw_frame(0, logical_w, logical_h, false, 1.0f); // rebuild layout at 1×
  glBindFramebuffer(GL_FRAMEBUFFER, 0);

  result.width = image.width;
  result.height = image.height;
  nlohmann::json j = state_to_json(m.state());
  j["export"]["scale"] = scale;
  j["export"]["panel"] = panel;
  j["export"]["caption"] = caption;
  j["caption"] = caption ? nlohmann::json(m.caption_text()) : nlohmann::json(nullptr);
  j["panels"] = placed;
  j["image"] = {{"file", fs::path(path).filename().string()}, {"width", image.width}, {"height", image.height}};
  j["drawn_matrices"] = drawn;
  j["drawn_text"] = drawn_text;
  result.error = write_png_and_sidecar(path, image, result.json_path, j);
  return result;
}

} // namespace abh
