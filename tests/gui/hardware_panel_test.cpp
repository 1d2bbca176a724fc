// In-process: the hardware panel at the worked example points a student to a
// real layer (one click, undoable), explains its words on hover, and keeps
// every control inside a 1280×720 window.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "core/hardware/bound_reason.hpp"
#include "core/hardware/real_layers.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::gui_test::TestDriver;

std::unique_ptr<App> hardware_app(int width, int height, std::string& error) {
  abh::AppConfig config;
  config.visible = false;
  config.width = width;
  config.height = height;
  config.persist = false;
  abh::AppState state; // the worked example
  state.hardware.shown = true;
  return App::create(config, state, error);
}

// The first frames settle the layout (the controls panel measures its height).
void settle(TestDriver& driver) {
  for (int i = 0; i < 3; ++i) driver.frame();
}

bool shown(const TestDriver& driver, const std::string& text) {
  for (const std::string& t : driver.probe().tooltips)
    if (t.find(text) != std::string::npos) return true;
  return false;
}

TEST(HardwarePanel, RealLayerButtonSetsGpt2SmallAndUndoRestores) {
  std::string error;
  auto app = hardware_app(1600, 900, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const abh::RealLayer& gpt2 = abh::real_layers().front();
  ASSERT_EQ(gpt2.key, "gpt-2-small-prefill");

  ASSERT_TRUE(driver.click_control("real layer " + gpt2.key)) << "no hint at the worked example";
  EXPECT_EQ(app->state().shape, gpt2.shape);
  for (int i = 0; i < 3; ++i) driver.frame(); // the session records the settled edit
  float r[4];
  EXPECT_FALSE(driver.control_rect("real layer " + gpt2.key, r))
      << "at a real layer some machine does real work: no hint";

  ASSERT_TRUE(app->session().can_undo());
  app->session().undo();
  EXPECT_EQ(app->state().shape, abh::worked_example());
  driver.frame();
  EXPECT_TRUE(driver.control_rect("real layer " + gpt2.key, r)) << "back at the worked example, the hint returns";
}

TEST(HardwarePanel, WordsExplainThemselvesOnHover) {
  std::string error;
  auto app = hardware_app(1600, 900, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const std::vector<std::pair<std::string, const char*>> words = {
      {"word tile", abh::tile_definition},
      {"word use", abh::use_definition},
      {"word bound", abh::bound_definition},
      {"word overhead", abh::overhead_definition},
      {"tiles GPU", abh::tile_definition},
      {"bound LPU", abh::overhead_definition}, // the worked example is overhead-bound
  };
  for (const auto& [control, definition] : words) {
    ASSERT_TRUE(driver.hover_control(control)) << control;
    EXPECT_TRUE(shown(driver, definition)) << control;
  }
  ASSERT_TRUE(driver.hover_control("roofline GPU"));
  EXPECT_TRUE(shown(driver, "ops per byte")) << "the chart explains its axes or the dot under the pointer";
  driver.mouse(2, 2, false); // over the controls panel: no hardware tooltip
  driver.frame();
  EXPECT_TRUE(driver.probe().tooltips.empty());
}

TEST(HardwarePanel, EveryControlIsInsideA1280x720Window) {
  std::string error;
  auto app = hardware_app(1280, 720, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  std::vector<std::string> controls = {"hardware datatype", "hardware fused", "hardware one head",
                                       "hardware log time", "hardware play", "hardware step",
                                       "hardware scrub", "hardware replay", "hardware edit specs",
                                       "word tile", "word use", "word bound", "word overhead"};
  for (const char* kind : {"CPU", "GPU", "TPU", "NPU", "LPU"}) controls.push_back(std::string("hardware chip ") + kind);
  for (const abh::RealLayer& layer : abh::real_layers()) controls.push_back("real layer " + layer.key);
  for (const std::string& name : controls) {
    float r[4] = {};
    ASSERT_TRUE(driver.control_rect(name, r)) << name << " was not drawn";
    EXPECT_GE(r[0], 0) << name;
    EXPECT_GE(r[1], 0) << name;
    EXPECT_LE(r[2], 1280) << name;
    EXPECT_LE(r[3], 720) << name;
  }
  // Reachable means clickable: "edit specs" opens the editor.
  float r[4];
  EXPECT_FALSE(driver.control_rect("hardware spec editor", r));
  ASSERT_TRUE(driver.click_control("hardware edit specs"));
  driver.frame();
  EXPECT_TRUE(driver.control_rect("hardware spec editor", r));
}

} // namespace
