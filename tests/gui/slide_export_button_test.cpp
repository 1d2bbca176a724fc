// In-process: the export menu's "Slide PDF" and "Slide SVG" buttons write the
// comparison slide (app/slides/vector_slide) into the export folder beside
// the PNGs, with the caption and counts as ticked; a folder that cannot be
// made says why in one line and leaves the file in its way as it was.

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "test_driver.hpp"
#include "tests/support/shapes.hpp"
#include "tests/worksheet/document_tools.hpp"

namespace abh::gui_test {
namespace {

namespace fs = std::filesystem;
using document_tools::pdf_text;
using test_support::read_file;
using test_support::TempDir;

const std::string caption = "Same Wqkv, two slicings";

AppState small_state(const std::string& folder) {
  AppState state;
  state.shape = abh::test::make_shape(4, 6, 2, 3, 2); // n 4, d 6, H 2, dh 3, Hkv 2
  state.export_options.folder = folder;
  state.export_options.caption = true;
  state.export_options.caption_text = caption;
  state.export_options.counts = true;
  return state;
}

std::vector<fs::path> files_with(const std::string& folder, const std::string& extension) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == extension) files.push_back(entry.path());
  return files;
}

TEST(SlideExportButtons, WriteThePdfAndSvgSlideIntoTheExportFolder) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string folder = dir / "exports"; // made by the button
  std::string error;
  auto app = make_hidden_app(error, small_state(folder));
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);

  ASSERT_TRUE(driver.click_control("slide_pdf"));
  const std::vector<fs::path> pdfs = files_with(folder, ".pdf");
  ASSERT_EQ(pdfs.size(), 1u) << app->session().status;
  EXPECT_EQ(app->session().status, "saved " + pdfs[0].string());
  EXPECT_EQ(pdfs[0].filename().string().rfind("attention-by-hand-slide-", 0), 0u) << pdfs[0];
  const std::string text = pdf_text(pdfs[0].string(), dir);
  for (const char* phrase : {"1 head (dh = 6)", "2 heads (dh = 3 each)", "Counts"})
    EXPECT_NE(text.find(phrase), std::string::npos) << phrase << " in:\n" << text;
  EXPECT_NE(text.find(caption), std::string::npos) << text;

  // Without the counts and the caption; a second press never replaces the first file.
  ASSERT_TRUE(driver.click_control("export_counts"));
  ASSERT_TRUE(driver.click_control("export_caption"));
  EXPECT_FALSE(app->state().export_options.counts);
  ASSERT_TRUE(driver.click_control("slide_pdf"));
  const std::vector<fs::path> both = files_with(folder, ".pdf");
  ASSERT_EQ(both.size(), 2u) << app->session().status;
  const fs::path second = both[0] == pdfs[0] ? both[1] : both[0];
  const std::string plain = pdf_text(second.string(), dir);
  EXPECT_EQ(plain.find("Counts"), std::string::npos) << plain;
  EXPECT_EQ(plain.find(caption), std::string::npos) << plain;
  EXPECT_NE(plain.find("1 head (dh = 6)"), std::string::npos) << plain;

  ASSERT_TRUE(driver.click_control("slide_svg"));
  const std::vector<fs::path> svgs = files_with(folder, ".svg");
  ASSERT_EQ(svgs.size(), 1u) << app->session().status;
  const std::string svg = read_file(svgs[0].string());
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("2 heads (dh = 3 each)"), std::string::npos);
}

TEST(SlideExportButtons, AnUnwritableFolderSaysWhyInOneLineAndKeepsTheOldFile) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  // The export folder's path is taken by a file: no folder can be made there.
  const std::string old_file = dir / "old.pdf";
  {
    std::ofstream out(old_file, std::ios::binary);
    out << "an earlier export";
  }
  std::string error;
  auto app = make_hidden_app(error, small_state(old_file));
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);

  for (const char* button : {"slide_pdf", "slide_svg"}) {
    SCOPED_TRACE(button);
    ASSERT_TRUE(driver.click_control(button));
    const std::string& status = app->session().status;
    EXPECT_EQ(status.rfind("cannot create export folder " + old_file, 0), 0u) << status;
    EXPECT_EQ(status.find('\n'), std::string::npos) << "one line: " << status;
    EXPECT_EQ(read_file(old_file), "an earlier export");
  }
  // A folder under that file cannot be made either.
  app->state().export_options.folder = old_file + "/slides";
  ASSERT_TRUE(driver.click_control("slide_pdf"));
  EXPECT_EQ(app->session().status.rfind("cannot create export folder", 0), 0u) << app->session().status;
  EXPECT_EQ(read_file(old_file), "an earlier export");
}

} // namespace
} // namespace abh::gui_test
