// In-process: the wheel zooms about the point under the pointer (the hovered
// cell stays the same cell at the same screen position), and the two slicing
// panels zoom together or each on its own.

#include <cmath>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/ui/app.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::UiProbe;
using abh::gui_test::TestDriver;


// The matrix `name` of `panel` as last drawn, after frames until it is.
bool find_matrix(TestDriver& app, const std::string& panel, const std::string& name,
                 UiProbe::Matrix& m) {
  app.app().wait_for_trace();
  // The controls' height is measured as they are drawn (their rows wrap), so
  // the panels below take their place from the second frame on.
  for (int i = 0; i < 3; ++i) app.frame();
  for (int i = 0; i < 10; ++i) {
    app.frame();
    const auto p = app.probe().matrices.find(panel);
    if (p == app.probe().matrices.end()) continue;
    const auto it = p->second.find(name);
    if (it == p->second.end()) continue;
    m = it->second;
    return m.rect[2] > m.rect[0] && m.rect[3] > m.rect[1] && m.rows > 0 && m.cols > 0;
  }
  return false;
}

float cell_px(const UiProbe::Matrix& m) { return (m.rect[2] - m.rect[0]) / static_cast<float>(m.cols); }
float cell_height_px(const UiProbe::Matrix& m) { return (m.rect[3] - m.rect[1]) / static_cast<float>(m.rows); }

// Where the point at fractional cell position (u, v) of `m` is on screen.
ImVec2 screen_of(const UiProbe::Matrix& m, float u, float v) {
  return ImVec2(m.rect[0] + u * cell_px(m), m.rect[1] + v * cell_height_px(m));
}

void hover(TestDriver& app, float x, float y, float wheel = 0) {
  app.mouse(x, y, false, wheel);
  app.frame();
}

void click(TestDriver& app, float x, float y) {
  hover(app, x, y);
  app.mouse(x, y, true);
  app.frame();
  app.mouse(x, y, false);
  app.frame();
}

void double_click(TestDriver& app, float x, float y) {
  click(app, x, y);
  app.mouse(x, y, true);
  app.frame();
  app.mouse(x, y, false);
  app.frame();
}

TEST(Zoom, TheCellUnderThePointerStaysUnderIt) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  UiProbe::Matrix qkv;
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", qkv));

  // A point well inside QKV (which sits after Wqkv and X, beyond fixed gaps).
  const float x = qkv.rect[0] + 0.63f * (qkv.rect[2] - qkv.rect[0]);
  const float y = qkv.rect[1] + 0.37f * (qkv.rect[3] - qkv.rect[1]);
  hover(driver, x, y);
  const UiProbe::Cell before = driver.probe().hovered_cells.at("heads");
  ASSERT_EQ(before.matrix, "QKV");
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", qkv));
  const float u = (x - qkv.rect[0]) / cell_px(qkv), v = (y - qkv.rect[1]) / cell_height_px(qkv);

  for (const float wheel : {1.0f, 1.0f, -1.0f, 2.0f, -3.0f}) {
    const float cell_before = cell_px(qkv);
    hover(driver, x, y, wheel);
    ASSERT_TRUE(find_matrix(driver, "heads", "QKV", qkv));
    EXPECT_NE(cell_px(qkv), cell_before) << "wheel " << wheel << " zooms";
    const UiProbe::Cell after = driver.probe().hovered_cells.at("heads");
    EXPECT_EQ(after.matrix, "QKV") << "wheel " << wheel;
    EXPECT_EQ(after.row, before.row) << "wheel " << wheel;
    EXPECT_EQ(after.col, before.col) << "wheel " << wheel;
    const ImVec2 at = screen_of(qkv, u, v);
    EXPECT_NEAR(at.x, x, 1.0f) << "wheel " << wheel << ": the point under the pointer moved";
    EXPECT_NEAR(at.y, y, 1.0f) << "wheel " << wheel << ": the point under the pointer moved";
  }
}

TEST(Zoom, PanelsZoomTogetherByDefaultAndApartWhenUnchecked) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  ASSERT_TRUE(app->state().view.zoom_together);
  UiProbe::Matrix heads_qkv, single_qkv;
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  const float x = (heads_qkv.rect[0] + heads_qkv.rect[2]) / 2;
  const float y = (heads_qkv.rect[1] + heads_qkv.rect[3]) / 2;

  // Together: after a notch over the heads panel both panels show one zoom
  // (each fits its own matrices until then).
  hover(driver, x, y, 1.0f);
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  EXPECT_NEAR(cell_px(single_qkv), cell_px(heads_qkv), 1e-3f);
  hover(driver, x, y, 1.0f);
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  EXPECT_NEAR(cell_px(single_qkv), cell_px(heads_qkv), 1e-3f) << "a second notch zooms both";

  // Apart: the checkbox, then a notch zooms only the panel under the pointer.
  float box[4] = {};
  ASSERT_TRUE(driver.control_rect("zoom_together", box));
  click(driver, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  ASSERT_FALSE(app->state().view.zoom_together);
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  const float single_before = cell_px(single_qkv);
  const float single_x = single_qkv.rect[0], heads_before = cell_px(heads_qkv);
  hover(driver, x, y, 2.0f);
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  EXPECT_GT(cell_px(heads_qkv), heads_before * 1.2f) << "the panel under the pointer zooms";
  EXPECT_NEAR(cell_px(single_qkv), single_before, 1e-3f) << "the other panel keeps its zoom";
  EXPECT_NEAR(single_qkv.rect[0], single_x, 0.5f) << "and its pan";

  // A double-click fits the panel under the pointer, and only it.
  hover(driver, x, y);
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  const float zoomed = cell_px(heads_qkv);
  double_click(driver, x, y);
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  EXPECT_LT(cell_px(heads_qkv), zoomed / 1.2f) << "double-click fits";
  EXPECT_NEAR(cell_px(single_qkv), single_before, 1e-3f) << "the other panel still keeps its zoom";
}

// "Reset view" refits both panels, also while each zooms on its own.
TEST(Zoom, ResetViewRefitsBothPanelsWhenTheyZoomApart) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  UiProbe::Matrix heads_qkv, single_qkv;
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  const float heads_fit = cell_px(heads_qkv), single_fit = cell_px(single_qkv);
  float box[4] = {};
  ASSERT_TRUE(driver.control_rect("zoom_together", box));
  click(driver, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  ASSERT_FALSE(app->state().view.zoom_together);
  // Each panel zoomed on its own.
  hover(driver, (heads_qkv.rect[0] + heads_qkv.rect[2]) / 2, (heads_qkv.rect[1] + heads_qkv.rect[3]) / 2, 2.0f);
  hover(driver, (single_qkv.rect[0] + single_qkv.rect[2]) / 2, (single_qkv.rect[1] + single_qkv.rect[3]) / 2,
        3.0f);
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  ASSERT_GT(cell_px(heads_qkv), heads_fit * 1.2f);
  ASSERT_GT(cell_px(single_qkv), single_fit * 1.2f);

  ASSERT_TRUE(driver.control_rect("reset_view", box));
  click(driver, (box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  ASSERT_TRUE(find_matrix(driver, "heads", "QKV", heads_qkv));
  ASSERT_TRUE(find_matrix(driver, "one-head", "QKV", single_qkv));
  EXPECT_NEAR(cell_px(heads_qkv), heads_fit, 1e-3f);
  EXPECT_NEAR(cell_px(single_qkv), single_fit, 1e-3f);
  EXPECT_FALSE(app->state().view.zoom_together) << "the panels still zoom apart";
}

} // namespace
