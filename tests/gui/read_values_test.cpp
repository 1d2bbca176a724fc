// In-process: at n 8 and n 16, where the fitted cells are too small to print
// values, "Read values" (the button, then the V key) zooms both panels until
// they print, and each step pans them so the step's output cell and its
// operand rows and columns stay in view. Checked through what an export of
// the window drew (drawn_matrices and drawn_text of its sidecar). The new
// controls fit the top bar at 1600×900 and 1280×720.

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "core/number_format.hpp"
#include "core/stepper.hpp"
#include "core/trace.hpp"
#include "gui_test_support.hpp"
#include "test_driver.hpp"

namespace abh::gui_test {
namespace {

using Json = nlohmann::json;

struct Rect {
  double x0, y0, x1, y1;
};

// The window as exported at 1×: where each matrix and each value was drawn.
Json export_window(App& app, const TempDir& dir) {
  const std::string png = dir / "window.png";
  const ExportResult r = app.export_png(png, 1, "", false);
  EXPECT_EQ(r.error, "");
  return read_json(r.json_path);
}

// The rectangle of cell (row, col) of the matrix `name` in `panel`.
std::optional<Rect> cell_rect(const Json& sidecar, const std::string& panel, const std::string& name,
                              std::int64_t row, std::int64_t col) {
  for (const Json& m : sidecar["drawn_matrices"]) {
    const std::string title = m["title"];
    if (m["panel"] != panel || title.rfind(name + " ", 0) != 0) continue;
    const auto& r = m["rect"];
    const double w = (r[2].get<double>() - r[0].get<double>()) / m["cols"].get<double>();
    const double h = (r[3].get<double>() - r[1].get<double>()) / m["rows"].get<double>();
    const double x = r[0].get<double>() + static_cast<double>(col) * w;
    const double y = r[1].get<double>() + static_cast<double>(row) * h;
    return Rect{x, y, x + w, y + h};
  }
  return std::nullopt;
}

// True when `text` was printed as a value centred in cell (row, col) of `m`.
bool printed(const Json& sidecar, const std::string& panel, const NamedMatrix& m, std::int64_t row,
             std::int64_t col) {
  const std::optional<Rect> cell = cell_rect(sidecar, panel, m.name, row, col);
  if (!cell) return false;
  const MatrixNumberFormat format =
      choose_format({m.values.data(), static_cast<std::size_t>(m.values.size())});
  const std::string text = format.text(m.values(row, col));
  for (const Json& t : sidecar["drawn_text"]) {
    if (t["panel"] != panel || t["kind"] != "value" || t["text"] != text) continue;
    const auto& r = t["rect"];
    const double cx = (r[0].get<double>() + r[2].get<double>()) / 2;
    const double cy = (r[1].get<double>() + r[3].get<double>()) / 2;
    if (cx > cell->x0 && cx < cell->x1 && cy > cell->y0 && cy < cell->y1) return true;
  }
  return false;
}

// Each panel's current output cell prints its value, and so do its operand
// cells. With `all_operands` every operand cell prints in both panels (they
// fit beside the output); with `some_operands` the operands printed in both
// panels together are not none: at the smallest printing zoom a 72-row QKV
// and the S, A or Z row under it do not fit one 900-px window, so the view
// keeps the output and shows the operands' nearest part. (At n 16 the QKV
// columns an S cell reads lie wider apart than a 530-px panel: only the
// output is promised there.)
// Returns the output matrix's name in the H-heads panel.
std::string expect_step_prints(App& app, const TempDir& dir, bool all_operands,
                               bool some_operands = true) {
  const Json sidecar = export_window(app, dir);
  const Stepper* stepper = app.session().steps.stepper();
  const TraceSnapshot* snapshot = app.session().snapshot();
  EXPECT_TRUE(stepper && snapshot);
  if (!stepper || !snapshot) return "";
  std::string heads_matrix;
  int operand_cells = 0, operand_cells_printed = 0;
  for (const auto& [panel, which, trace] :
       {std::tuple{"one-head", StepPanel::single_head, snapshot->single.get()},
        std::tuple{"heads", StepPanel::multi_head, snapshot->multi.get()}}) {
    const StepDescription d = stepper->describe(which, trace);
    SCOPED_TRACE(std::string(panel) + " " + d.cell_name);
    EXPECT_TRUE(d.position.cell && d.derivation);
    if (!d.position.cell || !d.derivation) continue;
    if (which == StepPanel::multi_head) heads_matrix = d.matrix;
    const NamedMatrix* out = find_matrix(*trace, d.matrix);
    EXPECT_NE(out, nullptr);
    if (!out) continue;
    EXPECT_TRUE(printed(sidecar, panel, *out, d.position.cell->row, d.position.cell->col))
        << "the output cell's value";
    EXPECT_FALSE(d.derivation->sources.empty());
    for (const CellSource& s : d.derivation->sources) {
      int shown = 0;
      for (std::int64_t i = s.first; i < s.first + s.count; ++i)
        shown += s.is_row ? printed(sidecar, panel, *s.matrix, s.index, i)
                          : printed(sidecar, panel, *s.matrix, i, s.index);
      if (all_operands) {
        EXPECT_EQ(shown, s.count) << s.text;
      }
      operand_cells += static_cast<int>(s.count);
      operand_cells_printed += shown;
    }
  }
  if (some_operands) {
    EXPECT_GT(operand_cells_printed, 0) << "of " << operand_cells << " operand cells";
  }
  return heads_matrix;
}

void reads_every_step(const AppState& state, bool operands_fit_beside_output) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string error;
  auto app = make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->wait_for_trace();
  ASSERT_TRUE(driver.click_control("step"));
  StepMode& steps = app->session().steps;
  ASSERT_TRUE(steps.on);
  steps.granularity = Granularity::cell;
  ASSERT_TRUE(driver.click_control("step_forward"));

  // Fitted, nothing prints at this shape: the reason for the button.
  {
    const Json fitted = export_window(*app, dir);
    EXPECT_FALSE(std::any_of(fitted["drawn_text"].begin(), fitted["drawn_text"].end(),
                             [](const Json& t) { return t["kind"] == "value"; }));
  }
  ASSERT_TRUE(driver.click_control("read_values"));
  driver.frame();
  EXPECT_EQ(expect_step_prints(*app, dir, true), "QKV");

  // Cell steps within the projection, then into each later stage: the view
  // follows into S, A, Z and O, in both panels.
  for (int i = 0; i < 3; ++i) driver.press(GLFW_KEY_RIGHT);
  EXPECT_EQ(expect_step_prints(*app, dir, true), "QKV");
  std::vector<std::string> seen;
  for (int stage = 0; stage < 5; ++stage) {
    steps.granularity = Granularity::stage;
    if (!steps.forward()) break; // the rest of this stage
    steps.granularity = Granularity::cell;
    if (!steps.forward()) break; // the next stage's first cell
    steps.forward();             // and its second
    driver.frame();
    driver.frame();
    seen.push_back(expect_step_prints(*app, dir, false, operands_fit_beside_output));
  }
  EXPECT_GE(seen.size(), 4u);
  EXPECT_TRUE(std::find(seen.begin(), seen.end(), "O") != seen.end());

  // Reset view fits again; the V key reads again, on the step's cell.
  ASSERT_TRUE(driver.click_control("reset_view"));
  driver.frame();
  {
    const Json fitted = export_window(*app, dir);
    EXPECT_FALSE(std::any_of(fitted["drawn_text"].begin(), fitted["drawn_text"].end(),
                             [](const Json& t) { return t["kind"] == "value"; }));
  }
  driver.press(GLFW_KEY_V);
  driver.frame();
  expect_step_prints(*app, dir, false, operands_fit_beside_output);
}

AppState shape(std::int64_t seq) {
  AppState state;
  state.shape.seq = seq;
  state.shape.d_model = 12;
  state.shape.heads = 2;
  state.shape.kv_heads = 2;
  state.shape.head_dim = 12;
  return state;
}

// Without the stepper, V centres the hovered cell; the other panel centres
// the cell that corresponds to it (the same QKV cell: the same Wqkv).
TEST(ReadValues, TheKeyCentresTheHoveredCellInBothPanels) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string error;
  auto app = make_hidden_app(error, shape(8));
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->wait_for_trace();
  for (int i = 0; i < 3; ++i) driver.frame();
  const auto heads = driver.probe().matrices.find("heads");
  ASSERT_NE(heads, driver.probe().matrices.end());
  const auto qkv = heads->second.find("QKV");
  ASSERT_NE(qkv, heads->second.end());
  const auto& r = qkv->second.rect;
  const std::int64_t row = 70, col = 5; // below what the top-left view shows
  driver.mouse(r[0] + (r[2] - r[0]) * (static_cast<float>(col) + 0.5f) / static_cast<float>(qkv->second.cols),
               r[1] + (r[3] - r[1]) * (static_cast<float>(row) + 0.5f) / static_cast<float>(qkv->second.rows),
               false);
  driver.frame();
  driver.frame();
  ASSERT_EQ(driver.probe().hovered_cells.at("heads").matrix, "QKV");
  ASSERT_EQ(driver.probe().hovered_cells.at("heads").row, row);
  driver.press(GLFW_KEY_V);
  driver.release_mouse();
  driver.frame();
  const Json sidecar = export_window(*app, dir);
  const TraceSnapshot* snapshot = app->session().snapshot();
  ASSERT_TRUE(snapshot);
  EXPECT_TRUE(printed(sidecar, "heads", snapshot->multi->QKV, row, col));
  EXPECT_TRUE(printed(sidecar, "one-head", snapshot->single->QKV, row, col));
}

TEST(ReadValues, TheStepsOperandsAndResultPrintAtN8) { reads_every_step(shape(8), true); }

TEST(ReadValues, TheStepsOperandsAndResultPrintAtN16) { reads_every_step(shape(16), false); }

// At 1600×900 and 1280×720 with step mode on: every control the top bar
// records ("read_values", "slide_pdf", …) lies inside the window and no two
// overlap: the rows wrap instead of running off the edge.
void expect_controls_fit(int width, int height) {
  AppConfig config;
  config.visible = false;
  config.width = width;
  config.height = height;
  config.persist = false;
  std::string error;
  auto app = App::create(config, shape(4), error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->session().steps.on = true;
  for (std::int64_t seq : {4, 8, 16, 40}) {
    SCOPED_TRACE(std::to_string(width) + "×" + std::to_string(height) + " n " + std::to_string(seq));
    app->state().shape.seq = seq;
    app->wait_for_trace();
    for (int i = 0; i < 4; ++i) driver.frame(); // the rows settle on their measured heights
    const auto& rects = driver.probe().control_rects;
    for (const char* name : {"read_values", "reset_view", "slide_pdf", "slide_svg", "export_counts",
                             "export_caption", "worksheet", "step_forward"})
      EXPECT_TRUE(rects.count(name)) << name;
    for (auto a = rects.begin(); a != rects.end(); ++a) {
      const auto& r = a->second;
      EXPECT_GE(r[0], 0.0f) << a->first;
      EXPECT_LE(r[2], static_cast<float>(width)) << a->first;
      for (auto b = std::next(a); b != rects.end(); ++b) {
        const auto& s = b->second;
        const bool overlap = r[0] < s[2] - 0.5f && s[0] < r[2] - 0.5f && r[1] < s[3] - 0.5f &&
                             s[1] < r[3] - 0.5f;
        EXPECT_FALSE(overlap) << a->first << " and " << b->first;
      }
    }
  }
}

TEST(ControlsFit, EveryControlInsideTheWindowAndNoneOverlapping) {
  expect_controls_fit(1600, 900);
  expect_controls_fit(1280, 720);
}

} // namespace
} // namespace abh::gui_test
