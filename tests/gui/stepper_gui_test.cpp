// In-process: turn step mode on and step with the buttons and the arrow keys.
// Both panels advance together; their counters follow the stepper's.

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::gui_test::TestDriver;

bool click(TestDriver& d, const char* control) {
  float r[4] = {};
  for (int i = 0; i < 5 && !d.control_rect(control, r); ++i) d.frame();
  if (!d.control_rect(control, r)) return false;
  const float x = (r[0] + r[2]) / 2, y = (r[1] + r[3]) / 2;
  d.mouse(x, y, false);
  d.frame();
  d.mouse(x, y, true);
  d.frame();
  d.mouse(x, y, false);
  d.frame();
  d.release_mouse();
  return true;
}

bool has_line(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

TEST(StepperGui, ButtonsAndKeysStepBothPanelsTogether) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->wait_for_trace();
  ASSERT_TRUE(click(driver, "step"));
  ASSERT_TRUE(app->session().steps.on);
  const abh::Stepper* stepper = app->session().steps.stepper();
  ASSERT_NE(stepper, nullptr);
  EXPECT_TRUE(stepper->at_start());

  // One output cell of the projection in each panel: a dot product of d = 36 terms.
  ASSERT_TRUE(click(driver, "step_forward"));
  driver.frame();
  for (const char* panel : {"one-head", "heads"}) {
    SCOPED_TRACE(panel);
    const std::vector<std::string>& lines = driver.step_lines(panel);
    EXPECT_TRUE(has_line(lines, "QKV[1, 1]")) << (lines.empty() ? "" : lines[0]);
    EXPECT_TRUE(has_line(lines, "dot products 1 / 4,320"));
    EXPECT_TRUE(has_line(lines, "multiplies 36 / 155,520"));
  }

  driver.press(GLFW_KEY_RIGHT);
  EXPECT_TRUE(has_line(driver.step_lines("heads"), "dot products 2 / 4,320"));
  driver.press(GLFW_KEY_LEFT);
  EXPECT_TRUE(has_line(driver.step_lines("heads"), "dot products 1 / 4,320"));

  // Stage by stage to the end of the scores: 1,600 vs 4,800 dot products,
  // 57,600 multiplies each.
  app->session().steps.granularity = abh::Granularity::stage;
  ASSERT_TRUE(click(driver, "step_forward")); // the rest of the projection
  ASSERT_TRUE(click(driver, "step_forward")); // the scores
  driver.frame();
  EXPECT_TRUE(has_line(driver.step_lines("one-head"), "dot products 1,600 / 1,600"));
  EXPECT_TRUE(has_line(driver.step_lines("heads"), "dot products 4,800 / 4,800"));
  EXPECT_TRUE(has_line(driver.step_lines("one-head"), "multiplies 57,600 / 57,600"));
  EXPECT_TRUE(has_line(driver.step_lines("heads"), "multiplies 57,600 / 57,600"));
}

} // namespace
