// A window with nothing to do sleeps between frames: after an input it draws
// a few frames at once, then waits for the next event or snapshot; while the
// stepper plays it never sleeps.

#include <string>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "tests/gui/test_driver.hpp"

namespace abh::gui_test {
namespace {

TEST(IdleLoop, AQuietWindowSleepsAndAnInputWakesIt) {
  std::string error;
  auto app = make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->wait_for_trace();
  for (int i = 0; i < 6; ++i) driver.frame(); // textures uploaded, nothing held
  ASSERT_FALSE(app->session().computing());
  EXPECT_EQ(app->idle_wait_seconds(), 0.5);

  driver.mouse(400, 300, false);
  driver.frame();
  driver.mouse(420, 310, false); // the pointer moves: draw at once
  driver.frame();
  EXPECT_EQ(app->idle_wait_seconds(), 0.0);
  for (int i = 0; i < 4; ++i) driver.frame(); // still, a few frames later
  EXPECT_EQ(app->idle_wait_seconds(), 0.5);
}

TEST(IdleLoop, APlayingStepperNeverSleeps) {
  std::string error;
  auto app = make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->wait_for_trace();
  app->session().steps.on = true;
  driver.frame(); // the stepper follows the shape, paused
  app->session().steps.playing = true;
  for (int i = 0; i < 6; ++i) driver.frame();
  ASSERT_TRUE(app->session().steps.playing);
  EXPECT_EQ(app->idle_wait_seconds(), 0.0);
  app->session().steps.playing = false;
  driver.frame();
  EXPECT_EQ(app->idle_wait_seconds(), 0.5);
}

TEST(IdleLoop, TheHardwareReplayNeverSleepsUntilPaused) {
  AppState state;
  state.hardware.shown = true;
  std::string error;
  auto app = make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  app->wait_for_trace();
  for (int i = 0; i < 6; ++i) driver.frame();
  EXPECT_EQ(app->idle_wait_seconds(), 0.0) << "the replay plays from the start";
  ASSERT_TRUE(driver.click_control("hardware play"));
  for (int i = 0; i < 6; ++i) driver.frame();
  EXPECT_EQ(app->idle_wait_seconds(), 0.5);
}

} // namespace
} // namespace abh::gui_test
