// The UI font ships with the app: every symbol the panels print (· × √ ᵀ ²
// and the rest) has a glyph in it, so none is drawn as a box, whatever fonts
// the machine has installed.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <imgui.h>

#include "app/io/data_files.hpp"
#include "app/ui/fonts.hpp"
#include "gui_test_support.hpp"

namespace {

const std::string shipped_font = "assets/fonts/DejaVuSans.ttf";

TEST(Font, TheUiUsesTheShippedFont) {
  EXPECT_EQ(abh::find_ui_font(), abh::data_path(shipped_font));
}

TEST(Font, TheShippedFontHasEverySymbolTheUiPrints) {
  ImFontAtlas atlas;
  ImFont* font = atlas.AddFontFromFileTTF(abh::data_path(shipped_font).c_str(), 18.0f, nullptr,
                                          abh::ui_glyph_ranges());
  ASSERT_NE(font, nullptr) << abh::data_path(shipped_font);
  ASSERT_TRUE(atlas.Build());
  // · × √ ᵀ ² ³ − … – → ▲ ▼ ⁰ ₁
  for (const unsigned symbol : {0x00B7u, 0x00D7u, 0x221Au, 0x1D40u, 0x00B2u, 0x00B3u, 0x2212u,
                                0x2026u, 0x2013u, 0x2192u, 0x25B2u, 0x25BCu, 0x2070u, 0x2081u})
    EXPECT_NE(font->FindGlyphNoFallback(static_cast<ImWchar>(symbol)), nullptr) << "U+" << std::hex << symbol;
}

// A data folder without the font: the export still runs, and says in one
// line that symbols will be boxes, naming the font it looked for.
TEST(Font, AMissingFontIsSaidInOneLine) {
  abh::gui_test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string data = dir / "data";
  std::filesystem::create_directories(data + "/assets");
  std::filesystem::copy(abh::data_path("shaders"), data + "/shaders");
  std::filesystem::copy_file(abh::data_path("assets/hardware.json"), data + "/assets/hardware.json");
  const abh::gui_test::Outcome r = abh::gui_test::run_app(
      "--export " + abh::gui_test::quote(dir / "x.png"), "env ABH_DATA_DIR=" + abh::gui_test::quote(data));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(abh::gui_test::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(data + "/assets/fonts/DejaVuSans.ttf"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("boxes"), std::string::npos) << r.err;
}

} // namespace
