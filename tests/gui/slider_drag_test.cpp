// In-process: drag the "heads H" slider with injected mouse input. With the
// keep-Wqkv-height lock, heads steps through divisors of H·dh = 36; score dot
// products follow H while matmul multiplies stay put; the whole drag is one
// undo step.

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/ui/app.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::gui_test::TestDriver;

struct Rect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  float cy() const { return (y0 + y1) / 2; }
};

// Frames until the named control has been drawn (it is recorded while drawing).
bool find_control(TestDriver& app, const char* name, Rect& r) {
  float rect[4] = {};
  for (int i = 0; i < 5; ++i) {
    app.frame();
    if (app.control_rect(name, rect)) {
      r = {rect[0], rect[1], rect[2], rect[3]};
      return r.x1 > r.x0 && r.y1 > r.y0;
    }
  }
  return false;
}

// Presses at `from`, moves over `steps` frames to `to`, releases on a later
// frame. Returns the heads values seen while the button was held.
std::vector<std::int64_t> drag(TestDriver& app, float from_x, float to_x, float y, int steps) {
  std::vector<std::int64_t> seen;
  app.mouse(from_x, y, false); // hover first, as a real pointer would
  app.frame();
  app.mouse(from_x, y, true);
  app.frame();
  seen.push_back(app.app().state().shape.heads);
  for (int i = 1; i <= steps; ++i) {
    const float x = from_x + (to_x - from_x) * static_cast<float>(i) / static_cast<float>(steps);
    app.mouse(x, y, true);
    app.frame();
    seen.push_back(app.app().state().shape.heads);
  }
  app.mouse(to_x, y, false);
  app.frame();
  app.release_mouse();
  app.frame();
  return seen;
}

// Ctrl+Z through ImGui's key state (1.86: the GLFW backend only writes keys
// from its callbacks, so a value set between frames survives NewFrame).
void press_ctrl_z(TestDriver& app) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[GLFW_KEY_LEFT_CONTROL] = true;
  io.KeyCtrl = true;
  io.KeysDown[GLFW_KEY_Z] = true;
  app.frame();
  io.KeysDown[GLFW_KEY_Z] = false;
  io.KeysDown[GLFW_KEY_LEFT_CONTROL] = false;
  io.KeyCtrl = false;
  app.frame();
}

TEST(SliderDrag, HeadsKeepsWqkvHeightAndOnlyPerHeadCountsMove) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  ASSERT_EQ(app->state().shape.heads, 3);
  ASSERT_TRUE(app->state().view.keep_wqkv_height);

  Rect heads;
  ASSERT_TRUE(find_control(driver, "heads", heads));
  const std::string matmul_before = driver.counts_line("matmul multiplies");
  const std::string scores_before = driver.counts_line("score dot products");
  ASSERT_FALSE(matmul_before.empty());
  ASSERT_FALSE(scores_before.empty());

  const float width = heads.x1 - heads.x0;
  const std::vector<std::int64_t> seen =
      drag(driver, heads.x0 + 0.1f * width, heads.x1 - 2.0f, heads.cy(), 8);

  const abh::Shape& s = app->state().shape;
  EXPECT_NE(s.heads, 3);
  EXPECT_EQ(s.heads * s.head_dim, 36) << "heads " << s.heads << " head_dim " << s.head_dim;
  EXPECT_EQ(s.kv_heads, s.heads) << "multi-head attention stays multi-head";
  EXPECT_EQ(36 % s.heads, 0);
  for (std::int64_t h : seen) EXPECT_EQ(36 % h, 0) << "heads " << h << " during the drag";
  EXPECT_GE(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 3u)
      << "the drag should pass through several head counts";

  EXPECT_NE(driver.counts_line("score dot products"), scores_before);
  EXPECT_EQ(driver.counts_line("matmul multiplies"), matmul_before)
      << "same Wqkv, sliced differently: the matmul multiplies stay put";
}

TEST(SliderDrag, OneDragIsOneUndoStep) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);

  Rect heads;
  ASSERT_TRUE(find_control(driver, "heads", heads));
  const abh::Shape before = app->state().shape;
  const float width = heads.x1 - heads.x0;
  const std::vector<std::int64_t> seen =
      drag(driver, heads.x0 + 0.1f * width, heads.x1 - 2.0f, heads.cy(), 8);
  ASSERT_GE(std::set<std::int64_t>(seen.begin(), seen.end()).size(), 3u);
  const abh::Shape after = app->state().shape;
  ASSERT_NE(after, before);

  press_ctrl_z(driver);
  EXPECT_EQ(app->state().shape, before) << "one undo returns to the shape before the drag";
  press_ctrl_z(driver);
  EXPECT_EQ(app->state().shape, before) << "nothing older to undo";
}

} // namespace
