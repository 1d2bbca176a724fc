// Pictures for slides and the presenter view: the 16:9 comparison export
// (--panel comparison, --counts), the caption line (--caption, saved in the
// state), and F5's presenter view (controls hidden, matrices enlarged).

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>
#include <imgui.h>

#include "tests/support/shapes.hpp"
#include "app/io/state_json.hpp"
#include "app/ui/app.hpp"
#include "gui_test_support.hpp"
#include "test_driver.hpp"

namespace {

namespace t = abh::gui_test;
using nlohmann::json;

const char* const small_shape = "--seq 4 --d-model 6 --heads 2 --head-dim 3";

bool has(const json& list, const std::string& name) {
  for (const json& item : list)
    if (item == name) return true;
  return false;
}

// The panels that drew matrices, and whether any text belongs to `panel`.
std::vector<std::string> matrix_panels(const json& sidecar) {
  std::vector<std::string> out;
  for (const json& m : sidecar["drawn_matrices"])
    if (!has(json(out), m["panel"].get<std::string>())) out.push_back(m["panel"]);
  return out;
}

bool text_of_panel(const json& sidecar, const std::string& panel) {
  for (const json& item : sidecar["drawn_text"])
    if (item["panel"] == panel) return true;
  return false;
}

TEST(Slides, ComparisonIsSixteenByNineAtEachScaleWithoutControls) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  for (int scale : {1, 2}) {
    for (bool counts : {false, true}) {
      SCOPED_TRACE("scale " + std::to_string(scale) + (counts ? " with counts" : ""));
      const std::string png = dir / "slide.png";
      const t::Outcome r = t::run_app(std::string(small_shape) + " --panel comparison --scale " +
                                      std::to_string(scale) + (counts ? " --counts" : "") +
                                      " --export " + t::quote(png));
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const t::Png image = t::read_png(png);
      EXPECT_EQ(image.width, 1600 * scale);
      EXPECT_EQ(image.height, 900 * scale);
      const json sidecar = t::read_json(dir / "slide.json");
      const std::vector<std::string> drew = matrix_panels(sidecar);
      EXPECT_TRUE(has(json(drew), "one-head"));
      EXPECT_TRUE(has(json(drew), "heads"));
      EXPECT_FALSE(has(sidecar["panels"], "controls")) << sidecar["panels"];
      EXPECT_FALSE(text_of_panel(sidecar, "controls"));
      EXPECT_EQ(has(sidecar["panels"], "counts"), counts) << sidecar["panels"];
      for (const json& m : sidecar["drawn_matrices"]) { // inside the picture
        EXPECT_GE(m["rect"][0].get<double>(), -0.5);
        EXPECT_LE(m["rect"][2].get<double>(), image.width + 0.5);
        EXPECT_LE(m["rect"][3].get<double>(), image.height + 0.5);
      }
    }
  }
}

std::unique_ptr<abh::App> make_app(int width, int height, std::string& error) {
  abh::AppConfig config;
  config.visible = false;
  config.width = width;
  config.height = height;
  config.persist = false;
  abh::AppState state;
  state.shape = abh::test::make_shape(4, 6, 2, 3, 2);
  return abh::App::create(config, state, error);
}

TEST(Slides, ComparisonSizeDoesNotFollowTheWindow) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string error;
  auto app = make_app(1000, 700, error);
  ASSERT_TRUE(app) << error;
  const abh::ExportResult r = app->export_png(dir / "slide.png", 3, "comparison", true);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.width, 4800);
  EXPECT_EQ(r.height, 2700);
  const abh::ExportResult window = app->export_png(dir / "window.png", 1, "", true);
  ASSERT_EQ(window.error, "");
  EXPECT_EQ(window.width, 1000);
  EXPECT_EQ(window.height, 700);
}

TEST(Slides, CaptionTextIsDrawnSavedReloadedAndAddsItsHeight) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string caption = "Slide 3: one head or two, same Wqkv";
  t::write_file(dir / "no_caption.json", R"({"export": {"caption": false}})");
  const t::Outcome bare = t::run_app(std::string(small_shape) + " --scale 1 --panel heads --load " +
                                     t::quote(dir / "no_caption.json") + " --export " +
                                     t::quote(dir / "bare.png"));
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  const t::Outcome captioned =
      t::run_app(std::string(small_shape) + " --scale 1 --panel heads --caption " + t::quote(caption) +
                 " --export " + t::quote(dir / "captioned.png"));
  ASSERT_EQ(captioned.exit_code, 0) << captioned.err;
  const t::Png without = t::read_png(dir / "bare.png"), with = t::read_png(dir / "captioned.png");
  ASSERT_TRUE(without.ok() && with.ok());
  EXPECT_EQ(with.width, without.width);
  EXPECT_GT(with.height, without.height) << "the caption adds its line below the panel";

  const json sidecar = t::read_json(dir / "captioned.json");
  EXPECT_EQ(sidecar["caption"], caption);
  EXPECT_EQ(sidecar["export"]["caption_text"], caption);
  bool drawn = false;
  for (const json& item : sidecar["drawn_text"])
    if (item["kind"] == "caption" && item["text"] == caption) {
      drawn = true;
      EXPECT_GE(item["rect"][1].get<double>(), without.height - 0.5) << "below the panel";
      EXPECT_LE(item["rect"][3].get<double>(), with.height + 0.5);
    }
  EXPECT_TRUE(drawn) << sidecar["drawn_text"].dump();
  EXPECT_EQ(t::read_json(dir / "bare.json")["caption"], nullptr);

  // --load reopens the caption.
  const t::Outcome reloaded = t::run_app("--scale 1 --load " + t::quote(dir / "captioned.json") +
                                         " --export " + t::quote(dir / "again.png"));
  ASSERT_EQ(reloaded.exit_code, 0) << reloaded.err;
  EXPECT_EQ(t::read_json(dir / "again.json")["caption"], caption);
}

TEST(Slides, CaptionWithALineBreakIsRefusedInOneLine) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const t::Outcome r = t::run_app("--caption " + t::quote("first\nsecond") + " --export " +
                                  t::quote(dir / "shot.png"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--caption"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << r.err;
  EXPECT_FALSE(t::exists(dir / "shot.png"));

  t::write_file(dir / "state.json", R"({"export": {"caption_text": "a\nb"}})");
  const t::Outcome loaded = t::run_app("--load " + t::quote(dir / "state.json") + " --export " +
                                       t::quote(dir / "shot.png"));
  EXPECT_EQ(loaded.exit_code, 2);
  EXPECT_NE(loaded.err.find("caption_text"), std::string::npos) << loaded.err;
  EXPECT_FALSE(t::exists(dir / "shot.png"));
}

// F5 through ImGui's key state, pressed and released over two frames.
void press_f5(t::TestDriver& driver) {
  ImGuiIO& io = ImGui::GetIO();
  io.KeysDown[GLFW_KEY_F5] = true;
  driver.frame();
  io.KeysDown[GLFW_KEY_F5] = false;
  driver.frame();
}

// Matrix title → drawn width, for one panel, from an in-process export.
std::map<std::string, double> widths(abh::App& app, const t::TempDir& dir, const std::string& panel) {
  const abh::ExportResult r = app.export_png(dir / "view.png", 1, "", false);
  EXPECT_EQ(r.error, "");
  std::map<std::string, double> out;
  const json sidecar = t::read_json(dir / "view.json");
  for (const json& m : sidecar["drawn_matrices"])
    if (m["panel"] == panel)
      out[m["title"]] = m["rect"][2].get<double>() - m["rect"][0].get<double>();
  return out;
}

TEST(Slides, PresenterViewHidesTheControlsAndEnlargesTheMatrices) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  std::string error;
  auto app = make_app(1600, 900, error);
  ASSERT_TRUE(app) << error;
  t::TestDriver driver(*app);
  app->wait_for_trace();
  for (int i = 0; i < 3; ++i) driver.frame();
  float rect[4];
  ASSERT_TRUE(driver.control_rect("seq", rect));
  ASSERT_TRUE(driver.control_rect("presenter", rect));
  const std::map<std::string, double> before = widths(*app, dir, "heads");
  ASSERT_FALSE(before.empty());

  press_f5(driver);
  driver.frame();
  EXPECT_TRUE(app->state().view.presenter);
  EXPECT_FALSE(driver.control_rect("seq", rect)) << "the controls are not drawn";
  EXPECT_FALSE(driver.control_rect("presenter", rect));
  const std::map<std::string, double> after = widths(*app, dir, "heads");
  ASSERT_EQ(after.size(), before.size());
  for (const auto& [title, width] : before) {
    SCOPED_TRACE(title);
    ASSERT_TRUE(after.count(title));
    EXPECT_GT(after.at(title), width * 1.1) << "the matrices fill the larger panel";
  }
  EXPECT_FALSE(has(t::read_json(dir / "view.json")["panels"], "controls"));

  press_f5(driver); // and back
  driver.frame();
  EXPECT_FALSE(app->state().view.presenter);
  ASSERT_TRUE(driver.control_rect("presenter", rect));

  // The View's checkbox turns it on too.
  const float x = (rect[0] + rect[2]) / 2, y = (rect[1] + rect[3]) / 2;
  driver.mouse(x, y, false);
  driver.frame();
  driver.mouse(x, y, true);
  driver.frame();
  driver.mouse(x, y, false);
  driver.frame();
  driver.release_mouse();
  EXPECT_TRUE(app->state().view.presenter);
}

TEST(Slides, PresenterAndCaptionSurviveTheStateFile) {
  abh::AppState s;
  s.view.presenter = true;
  s.view.presenter_counts = true;
  s.export_options.caption_text = "Heads slice the same weights";
  s.export_options.counts = true;
  EXPECT_EQ(abh::state_from_json(abh::state_to_json(s)), s);
}

} // namespace
