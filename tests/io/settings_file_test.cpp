// settings.json: read as strictly as a state file, set aside (never lost)
// when refused, and only filling what a loaded state file does not set.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/io/settings_file.hpp"
#include "app/io/state_json.hpp"
#include "tests/support/test_files.hpp"

namespace {

namespace t = abh::test_support;
using nlohmann::json;

std::string refusal(const std::string& path) {
  try {
    abh::load_settings_file(path);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(SettingsFile, NoFileIsNoSettings) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  EXPECT_FALSE(abh::load_settings_file(dir / "settings.json").has_value());
}

TEST(SettingsFile, ReadsViewExportAndWindow) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "settings.json";
  t::write_file(path, R"({"view": {"theme": "light"}, "export": {"caption": false},
                          "window": {"width": 1200, "height": 700}})");
  const auto settings = abh::load_settings_file(path);
  ASSERT_TRUE(settings.has_value());
  EXPECT_EQ(settings->view, json({{"theme", "light"}}));
  EXPECT_EQ(settings->export_options, json({{"caption", false}}));
  EXPECT_EQ(settings->window_width, 1200);
  EXPECT_EQ(settings->window_height, 700);
}

TEST(SettingsFile, WindowSizesAreWholeNumbersInRange) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "settings.json";
  for (const char* width : {"1e30", "1200.5", "-5", "0", "65537", "\"wide\""}) {
    SCOPED_TRACE(width);
    t::write_file(path, std::string(R"({"window": {"width": )") + width + "}}");
    const std::string m = refusal(path);
    EXPECT_EQ(m.rfind("cannot read " + path, 0), 0u) << m;
    EXPECT_NE(m.find("window.width"), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

TEST(SettingsFile, ViewFieldsAreAsStrictAsInAStateFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "settings.json";
  t::write_file(path, R"({"view": {"memory_budget": 68719476736}})"); // 64 GiB
  EXPECT_NE(refusal(path).find("view.memory_budget"), std::string::npos) << refusal(path);
  t::write_file(path, R"({"view": {"ui_size": 1e400}})");
  EXPECT_NE(refusal(path).find(path), std::string::npos) << refusal(path);
}

TEST(SettingsFile, ARefusedFileIsSetAsideWithOneLine) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "settings.json";
  const std::string text = R"({"view": {"theme": "sepia"}})";
  t::write_file(path, text);
  std::string warning;
  EXPECT_FALSE(abh::read_settings_or_set_aside(path, warning).has_value());
  EXPECT_NE(warning.find("view.theme"), std::string::npos) << warning;
  EXPECT_NE(warning.find("settings.json.bad"), std::string::npos) << warning;
  EXPECT_EQ(warning.find('\n'), std::string::npos) << warning;
  EXPECT_FALSE(t::exists(path));
  EXPECT_EQ(t::read_file(path + ".bad"), text) << "the user's file is kept as it was";
}

TEST(SettingsFile, SettingsFillOnlyWhatTheStateLeavesOut) {
  abh::Settings settings;
  settings.view = {{"theme", "light"}, {"ui_size", 24}};
  settings.export_options = {{"caption", false}, {"scale", 3}};
  const json loaded = {{"shape", {{"heads", 4}, {"head_dim", 9}}},
                       {"view", {{"theme", "dark"}}},
                       {"export", {{"scale", 1}}}};
  const abh::AppState s = abh::state_from_json(abh::with_settings(loaded, settings));
  EXPECT_EQ(s.shape.heads, 4);
  EXPECT_EQ(s.view.theme, abh::Theme::dark) << "set by the state file";
  EXPECT_EQ(s.view.ui_size, 24.0f) << "left out by the state file";
  EXPECT_EQ(s.export_options.scale, 1);
  EXPECT_FALSE(s.export_options.caption);

  // A complete state file (an export's sidecar) takes nothing from settings.
  const json full = abh::state_to_json(abh::AppState{});
  EXPECT_EQ(abh::state_from_json(abh::with_settings(full, settings)), abh::AppState{});
  // No state file: the settings' view.
  EXPECT_EQ(abh::state_from_json(abh::with_settings(json::object(), settings)).view.theme,
            abh::Theme::light);
}

} // namespace
