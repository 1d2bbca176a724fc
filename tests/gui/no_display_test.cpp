// Without a display the window cannot open: one line that points to
// xvfb-run, exit code 2. --report needs no display at all.

#include <string>

#include <gtest/gtest.h>

#include "gui_test_support.hpp"

namespace {

namespace t = abh::gui_test;

// No display, and a private config folder so nothing of the user's is touched.
std::string without_display(const t::TempDir& dir) {
  return "env -u DISPLAY -u WAYLAND_DISPLAY XDG_CONFIG_HOME=" + t::quote(dir / "config") +
         " HOME=" + t::quote(dir.path());
}

TEST(NoDisplay, WindowModeSaysToUseXvfbRun) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const t::Outcome r = t::run_app("", without_display(dir));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(t::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("xvfb-run"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(t::exists(dir / "config/attention-by-hand/settings.json"))
      << "a window that never opened saves no settings";
}

TEST(NoDisplay, ExportSaysToUseXvfbRun) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const t::Outcome r = t::run_app("--export " + t::quote(dir / "x.png"), without_display(dir));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(t::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("xvfb-run"), std::string::npos) << r.err;
  EXPECT_FALSE(t::exists(dir / "x.png"));
}

// A display that is set but cannot be opened: GLFW's own reason is in the
// one line, beside the advice.
TEST(NoDisplay, AnUnreachableDisplayGivesGlfwsReason) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const t::Outcome r = t::run_app("--export " + t::quote(dir / "x.png"),
                                  without_display(dir) + " DISPLAY=:31999");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(t::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find("Failed to open display"), std::string::npos) << "GLFW's words: " << r.err;
  EXPECT_NE(r.err.find(":31999"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("xvfb-run"), std::string::npos) << r.err;
  EXPECT_FALSE(t::exists(dir / "x.png"));
}

TEST(NoDisplay, ReportNeedsNoDisplay) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const t::Outcome r = t::run_app("--report", without_display(dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("4,800"), std::string::npos) << "the worked example's 3·40² score dot products\n"
                                                    << r.out;
}

TEST(NoDisplay, JsonReportNeedsNoDisplay) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const t::Outcome r = t::run_app("--report --json --heads 4 --head-dim 9", without_display(dir));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << r.out;
  EXPECT_EQ(j["shape"]["heads"], 4);
}

} // namespace
