// --load of an export's sidecar reopens exactly what was exported: the same
// state, and a pixel-identical picture.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "app/io/data_files.hpp"
#include "app/ui/app.hpp"
#include "gui_test_support.hpp"

namespace {

namespace t = abh::gui_test;

TEST(LoadRoundTrip, SidecarReopensTheSameStateAndPicture) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string a = dir / "a.png", b = dir / "b.png";
  const t::Outcome first = t::run_app("--export " + t::quote(a) +
                                      " --heads 4 --head-dim 9 --causal --values gaussian"
                                      " --seed 7 --layout blocks");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const nlohmann::json ja = t::read_json(dir / "a.json");
  ASSERT_TRUE(ja.is_object());
  // The export recorded what was asked for.
  EXPECT_EQ(ja["shape"]["heads"], 4);
  EXPECT_EQ(ja["shape"]["head_dim"], 9);
  EXPECT_EQ(ja["shape"]["kv_heads"], 4);
  EXPECT_EQ(ja["shape"]["causal"], true);
  EXPECT_EQ(ja["values"], "gaussian");
  EXPECT_EQ(ja["seed"], 7);
  EXPECT_EQ(ja["layout"], "blocks");

  const t::Outcome second = t::run_app("--load " + t::quote(dir / "a.json") + " --export " + t::quote(b));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  const nlohmann::json jb = t::read_json(dir / "b.json");
  ASSERT_TRUE(jb.is_object());
  EXPECT_EQ(t::state_part(jb), t::state_part(ja));
  EXPECT_EQ(jb["shape"], ja["shape"]);
  EXPECT_EQ(jb["values"], ja["values"]);
  EXPECT_EQ(jb["seed"], ja["seed"]);
  EXPECT_EQ(jb["layout"], ja["layout"]);
  EXPECT_EQ(jb["image"]["width"], ja["image"]["width"]);
  EXPECT_EQ(jb["image"]["height"], ja["image"]["height"]);
  EXPECT_EQ(jb["drawn_matrices"], ja["drawn_matrices"]);

  const t::Png pa = t::read_png(a), pb = t::read_png(b);
  ASSERT_TRUE(pa.ok());
  ASSERT_TRUE(pb.ok());
  EXPECT_EQ(pa.width, pb.width);
  EXPECT_EQ(pa.height, pb.height);
  EXPECT_TRUE(pa.rgba == pb.rgba) << "the reopened state must draw the same picture";
}

TEST(LoadRoundTrip, ShapeFlagsOverrideTheLoadedShape) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string a = dir / "a.png", b = dir / "b.png";
  ASSERT_EQ(t::run_app("--export " + t::quote(a) + " --heads 4 --head-dim 9").exit_code, 0);
  const t::Outcome r = t::run_app("--load " + t::quote(dir / "a.json") + " --heads 2 --head-dim 18" +
                                  " --export " + t::quote(b));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json jb = t::read_json(dir / "b.json");
  EXPECT_EQ(jb["shape"]["heads"], 2);
  EXPECT_EQ(jb["shape"]["head_dim"], 18);
}

TEST(LoadRoundTrip, FlagsChangeOnlyWhatTheyName) {
  // --load then flags: each flag given replaces its own field; the file's
  // other fields stay.
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(t::run_app("--export " + t::quote(dir / "a.png") +
                       " --values gaussian --seed 7 --layout blocks")
                .exit_code,
            0);
  const std::string load = "--load " + t::quote(dir / "a.json");
  ASSERT_EQ(t::run_app(load + " --heads 2 --head-dim 18 --export " + t::quote(dir / "b.png")).exit_code, 0);
  ASSERT_EQ(t::run_app(load + " --seed 9 --export " + t::quote(dir / "c.png")).exit_code, 0);
  const nlohmann::json jb = t::read_json(dir / "b.json"), jc = t::read_json(dir / "c.json");
  EXPECT_EQ(jb["shape"]["heads"], 2);
  EXPECT_EQ(jc["values"], "gaussian");
  EXPECT_EQ(jc["layout"], "blocks");
  EXPECT_EQ(jb["values"], "gaussian") << "a shape flag leaves the values alone";
  EXPECT_EQ(jb["seed"], 7);
  EXPECT_EQ(jb["layout"], "blocks");
  EXPECT_EQ(jc["seed"], 9) << "--seed after --load sets the seed";
  EXPECT_EQ(jc["shape"], t::read_json(dir / "a.json")["shape"]);
}

// An export that died between replacing the PNG and replacing its JSON leaves
// a new PNG beside the old JSON. The JSON records which PNG it was saved with
// (bytes and CRC-32), so the mismatch shows; --load still reopens its state
// and says, in one line, that the picture beside it is not that state's.
TEST(LoadRoundTrip, ASidecarWhosePngWasReplacedStillLoadsItsState) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string a = dir / "a.png", b = dir / "b.png";
  ASSERT_EQ(t::run_app("--export " + t::quote(a) + " --heads 4 --head-dim 9").exit_code, 0);
  ASSERT_EQ(t::run_app("--export " + t::quote(b) + " --heads 1 --head-dim 36").exit_code, 0);
  const nlohmann::json ja = t::read_json(dir / "a.json");
  EXPECT_EQ(ja["image"]["bytes"], t::read_file(a).size());
  // The crash window: b's PNG has taken a's name, a's JSON was never replaced.
  std::filesystem::rename(b, a);
  EXPECT_NE(ja["image"]["bytes"], t::read_file(a).size()) << "the files say they do not match";

  const t::Outcome r = t::run_app("--load " + t::quote(dir / "a.json") + " --report --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["shape"]["heads"], 4) << "the state is what loads";
  EXPECT_EQ(t::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(a), std::string::npos) << r.err;

  const t::Outcome c = t::run_app("--load " + t::quote(dir / "a.json") + " --export " +
                                  t::quote(dir / "c.png"));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(t::state_part(t::read_json(dir / "c.json")), t::state_part(ja));

  // A sidecar beside its own PNG loads without a word.
  const t::Outcome quiet = t::run_app("--load " + t::quote(dir / "c.json") + " --report");
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
}

// settings.json (the window's last view) fills only what a loaded state file
// does not set: --load reopens exactly the view that was saved.
class WithSettings : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_TRUE(dir.ok());
    std::filesystem::create_directories(dir / "config/attention-by-hand");
    t::write_file(dir / "config/attention-by-hand/settings.json", R"({
      "view": {"theme": "light", "ui_size": 24, "show_values": false, "keep_wqkv_height": false},
      "export": {"caption": false},
      "window": {"width": 1400, "height": 800}})");
  }
  std::string env() const { return "env XDG_CONFIG_HOME=" + t::quote(dir / "config"); }
  t::TempDir dir;
};

TEST_F(WithSettings, LoadKeepsTheLoadedView) {
  // Saved without settings: dark, 18 px, values shown, caption on.
  ASSERT_EQ(t::run_app("--export " + t::quote(dir / "a.png") + " --scale 1").exit_code, 0);
  const nlohmann::json ja = t::read_json(dir / "a.json");
  const t::Outcome r = t::run_app(
      "--load " + t::quote(dir / "a.json") + " --export " + t::quote(dir / "b.png") + " --scale 1", env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json jb = t::read_json(dir / "b.json");
  EXPECT_EQ(jb["view"], ja["view"]);
  EXPECT_EQ(jb["export"]["caption"], ja["export"]["caption"]);
  EXPECT_EQ(t::read_png(dir / "b.png").rgba, t::read_png(dir / "a.png").rgba);
}

TEST_F(WithSettings, SettingsFillWhatTheLoadedFileLeavesOut) {
  const std::string state = dir / "shape_only.json";
  t::write_file(state, R"({"shape": {"heads": 4, "head_dim": 9}, "view": {"theme": "dark"}})");
  const t::Outcome r = t::run_app("--load " + t::quote(state) + " --export " + t::quote(dir / "c.png"), env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json jc = t::read_json(dir / "c.json");
  EXPECT_EQ(jc["shape"]["heads"], 4);
  EXPECT_EQ(jc["view"]["theme"], "dark") << "set by the file";
  EXPECT_EQ(jc["view"]["ui_size"], 24) << "not in the file: from settings";
  EXPECT_EQ(jc["view"]["show_values"], false);
  EXPECT_EQ(jc["export"]["caption"], false);
}

TEST_F(WithSettings, AnExportWithoutLoadUsesTheSettings) {
  const t::Outcome r = t::run_app("--export " + t::quote(dir / "d.png"), env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json jd = t::read_json(dir / "d.json");
  EXPECT_EQ(jd["view"]["theme"], "light");
  EXPECT_EQ(jd["view"]["ui_size"], 24);
}

// The window itself (in-process, as window mode opens it) keeps the state it
// is given: settings were applied before, by the command line.
TEST(WindowSettings, TheWindowKeepsTheViewItIsGiven) {
  std::filesystem::create_directories(abh::config_dir());
  t::write_file(abh::config_dir() + "/settings.json",
                R"({"view": {"theme": "dark", "ui_size": 30}, "window": {"width": 1000, "height": 700}})");
  abh::AppState initial;
  initial.view.theme = abh::Theme::light;
  initial.view.ui_size = 20;
  abh::AppConfig config;
  config.visible = false;
  config.persist = true;
  std::string error;
  {
    auto app = abh::App::create(config, initial, error);
    ASSERT_TRUE(app) << error;
    EXPECT_EQ(app->state().view, initial.view);
  }
  std::filesystem::remove(abh::config_dir() + "/settings.json");
}

// A settings file with a window size that is not a sensible whole number is
// set aside with one line, not read through an undefined cast.
TEST(WindowSettings, AnAbsurdWindowSizeSetsTheSettingsAside) {
  std::filesystem::create_directories(abh::config_dir());
  const std::string settings = abh::config_dir() + "/settings.json";
  t::write_file(settings, R"({"window": {"width": 1e30, "height": 700}})");
  abh::AppConfig config;
  config.visible = false;
  config.persist = true;
  std::string error;
  {
    auto app = abh::App::create(config, abh::AppState{}, error);
    ASSERT_TRUE(app) << error;
  }
  EXPECT_TRUE(t::exists(settings + ".bad")) << "the refused file is kept aside for the user";
  std::filesystem::remove(settings);
  std::filesystem::remove(settings + ".bad");
}

// The stepper's granularity and position travel in the sidecar: --load
// reopens the step mode where it was, and the picture shows that step.
TEST(LoadRoundTrip, TheStepperPositionIsSavedAndRestored) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  nlohmann::json state = {{"shape", {{"seq", 4}, {"d_model", 6}, {"heads", 2}, {"head_dim", 3}}},
                          {"step",
                           {{"on", true},
                            {"granularity", "multiply"},
                            {"steps_per_second", 7.5},
                            {"stage", 1},
                            {"fine_steps", {5, 7}}}}};
  const std::string start = dir / "start.json";
  t::write_file(start, state.dump());
  const std::string a = dir / "a.png", b = dir / "b.png";
  const t::Outcome first = t::run_app("--load " + t::quote(start) + " --export " + t::quote(a));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const nlohmann::json ja = t::read_json(dir / "a.json");
  EXPECT_EQ(ja["step"], state["step"]);
  const t::Outcome second = t::run_app("--load " + t::quote(dir / "a.json") + " --export " + t::quote(b));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(t::read_json(dir / "b.json")["step"], state["step"]);
  EXPECT_TRUE(t::read_png(a).rgba == t::read_png(b).rgba);

  // A position beyond the shape's program: one line, exit 2.
  state["step"]["fine_steps"] = {5, 100000};
  t::write_file(start, state.dump());
  const t::Outcome bad = t::run_app("--load " + t::quote(start) + " --export " + t::quote(a));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(t::line_count(bad.err), 1u) << bad.err;
  EXPECT_NE(bad.err.find("step"), std::string::npos) << bad.err;
}

} // namespace
