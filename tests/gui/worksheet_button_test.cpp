// In-process: the "Worksheet PDF" button writes the current shape's sheet
// into the export folder; a shape too large for a page writes nothing and
// says why in the status line.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "test_driver.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using abh::App;
using abh::gui_test::TestDriver;
namespace fs = std::filesystem;

std::unique_ptr<App> make_app(const abh::AppState& state, std::string& error) {
  abh::AppConfig config;
  config.visible = false;
  config.width = 1600;
  config.height = 900;
  config.persist = false;
  return App::create(config, state, error);
}

std::vector<fs::path> files_in(const std::string& folder) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) files.push_back(entry.path());
  return files;
}

// Clicks a control of the top bar by its recorded name.
bool click_control(TestDriver& app, const char* name) {
  float r[4] = {};
  for (int i = 0; i < 5 && !app.control_rect(name, r); ++i) app.frame();
  if (!app.control_rect(name, r)) return false;
  const float x = (r[0] + r[2]) / 2, y = (r[1] + r[3]) / 2;
  app.mouse(x, y, false);
  app.frame();
  app.mouse(x, y, true);
  app.frame();
  app.mouse(x, y, false);
  app.frame();
  app.release_mouse();
  return true;
}

abh::AppState small_state(const std::string& folder) {
  abh::AppState state;
  state.shape = abh::test::make_shape(4, 6, 2, 3, 2); // n 4, d 6, H 2, dh 3, Hkv 2
  state.export_options.folder = folder;
  return state;
}

TEST(WorksheetButton, WritesAPdfIntoTheExportFolder) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string folder = dir / "exports"; // made by the button
  std::string error;
  auto app = make_app(small_state(folder), error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);

  ASSERT_TRUE(click_control(driver, "worksheet"));
  const std::vector<fs::path> files = files_in(folder);
  ASSERT_EQ(files.size(), 1u) << app->session().status;
  EXPECT_EQ(files[0].extension(), ".pdf");
  std::ifstream in(files[0], std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.rfind("%PDF-", 0), 0u) << "a PDF file";
  EXPECT_NE(app->session().status.find(files[0].string()), std::string::npos)
      << app->session().status;

  // With answers: a second, distinct file.
  ASSERT_TRUE(click_control(driver, "worksheet_answers"));
  ASSERT_TRUE(click_control(driver, "worksheet"));
  EXPECT_EQ(files_in(folder).size(), 2u) << app->session().status;
}

TEST(WorksheetButton, AShapeTooLargeWritesNothingAndSaysWhy) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  abh::AppState state = small_state(dir.path());
  state.shape = abh::AppState{}.shape; // the worked example: 40 tokens do not fit a page
  std::string error;
  auto app = make_app(state, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);

  ASSERT_TRUE(click_control(driver, "worksheet"));
  EXPECT_TRUE(files_in(dir.path()).empty());
  const std::string& status = app->session().status;
  EXPECT_NE(status.find("too large for a worksheet"), std::string::npos) << status;
  EXPECT_EQ(status.find('\n'), std::string::npos) << "one line: " << status;
}

} // namespace
