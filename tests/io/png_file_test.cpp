// write_png_atomically / write_text_atomically (no window): a failure is one
// line, leaves no ".part" file, and never damages the file already there.

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

#include "app/io/png_file.hpp"
#include "tests/support/test_files.hpp"

namespace {

namespace t = abh::test_support;

abh::Image checkerboard(int width, int height) {
  abh::Image image;
  image.width = width;
  image.height = height;
  image.rgba.resize(4 * static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      const auto i = 4 * (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                          static_cast<std::size_t>(x));
      const std::uint8_t v = (x + y) % 2 ? 255 : 0;
      image.rgba[i] = v;
      image.rgba[i + 1] = static_cast<std::uint8_t>(x * 10);
      image.rgba[i + 2] = static_cast<std::uint8_t>(y * 10);
      image.rgba[i + 3] = 255;
    }
  return image;
}

void expect_one_line_naming(const std::string& error, const std::string& path) {
  EXPECT_FALSE(error.empty());
  EXPECT_EQ(error.find('\n'), std::string::npos) << error;
  EXPECT_NE(error.find(path), std::string::npos) << error;
}

TEST(PngFile, WritesAPngThatReadsBack) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "board.png";
  const abh::Image image = checkerboard(7, 5);
  EXPECT_EQ(abh::write_png_atomically(path, image), "");
  const t::Png png = t::read_png(path);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png.width, 7);
  EXPECT_EQ(png.height, 5);
  EXPECT_EQ(png.rgba, image.rgba) << "top row first, RGBA, unchanged";
  EXPECT_FALSE(t::exists(path + ".part"));
}

TEST(PngFile, ParentIsARegularFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string file = dir / "file.txt";
  t::write_file(file, "not a folder");
  const std::string path = file + "/x.png";
  const std::string error = abh::write_png_atomically(path, checkerboard(4, 4));
  expect_one_line_naming(error, path);
  EXPECT_NE(error.find("Not a directory"), std::string::npos) << error;
  EXPECT_FALSE(t::exists(path + ".part"));
  EXPECT_EQ(t::read_file(file), "not a folder");
}

TEST(PngFile, UnderProcIsRefused) {
  const std::string path = "/proc/abh_gui_test_cannot_write.png";
  const std::string error = abh::write_png_atomically(path, checkerboard(4, 4));
  expect_one_line_naming(error, path);
  EXPECT_FALSE(t::exists(path));
  EXPECT_FALSE(t::exists(path + ".part"));
}

TEST(PngFile, AFailedWriteLeavesTheOldFileByteIdentical) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "old.png";
  ASSERT_EQ(abh::write_png_atomically(path, checkerboard(6, 6)), "");
  const std::string before = t::read_file(path);
  // The side file cannot be created: a non-empty folder sits at its name.
  ASSERT_TRUE(std::filesystem::create_directory(path + ".part"));
  t::write_file(path + ".part/keep", "x");
  const std::string error = abh::write_png_atomically(path, checkerboard(9, 3));
  expect_one_line_naming(error, path);
  EXPECT_EQ(t::read_file(path), before);
}

TEST(PngFile, AFailedRenameLeavesNoPartFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  // The target is a non-empty folder: the side file is written, the rename fails.
  const std::string path = dir / "taken.png";
  ASSERT_TRUE(std::filesystem::create_directory(path));
  t::write_file(path + "/keep", "x");
  const std::string error = abh::write_png_atomically(path, checkerboard(4, 4));
  expect_one_line_naming(error, path);
  EXPECT_FALSE(t::exists(path + ".part"));
  EXPECT_EQ(t::read_file(path + "/keep"), "x");
}

TEST(TextFile, WritesAndReplacesWhole) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "a.json";
  EXPECT_EQ(abh::write_text_atomically(path, "a much longer first text"), "");
  EXPECT_EQ(abh::write_text_atomically(path, "short"), "");
  EXPECT_EQ(t::read_file(path), "short");
  EXPECT_FALSE(t::exists(path + ".part"));
}

TEST(TextFile, FailuresAreOneLineAndLeaveNoPartFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string file = dir / "file.txt";
  t::write_file(file, "x");
  for (const std::string& path : {file + "/a.json", std::string("/proc/abh_gui_test.json")}) {
    const std::string error = abh::write_text_atomically(path, "{}");
    expect_one_line_naming(error, path);
    EXPECT_FALSE(t::exists(path + ".part")) << path;
  }
  const std::string taken = dir / "taken.json";
  ASSERT_TRUE(std::filesystem::create_directory(taken));
  t::write_file(taken + "/keep", "x");
  expect_one_line_naming(abh::write_text_atomically(taken, "{}"), taken);
  EXPECT_FALSE(t::exists(taken + ".part"));
}

TEST(PngAndText, WritesBoth) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  EXPECT_EQ(abh::write_png_and_text(png, checkerboard(5, 5), json, "{\"a\": 1}"), "");
  EXPECT_EQ(t::read_png(png).rgba, checkerboard(5, 5).rgba);
  EXPECT_EQ(t::read_file(json), "{\"a\": 1}");
  EXPECT_FALSE(t::exists(png + ".part"));
  EXPECT_FALSE(t::exists(json + ".part"));
}

TEST(PngAndText, NeitherIsReplacedWhenEitherCannotBeWritten) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  ASSERT_EQ(abh::write_png_and_text(png, checkerboard(5, 5), json, "old"), "");
  const std::string png_before = t::read_file(png);
  const std::string file = dir / "file.txt";
  t::write_file(file, "x");

  // The text cannot be written: the PNG stays as it was.
  const std::string bad_json = file + "/a.json";
  std::string error = abh::write_png_and_text(png, checkerboard(8, 2), bad_json, "new");
  expect_one_line_naming(error, bad_json);
  EXPECT_EQ(t::read_file(png), png_before);
  EXPECT_FALSE(t::exists(png + ".part"));

  // The PNG cannot be written: the text stays as it was.
  const std::string bad_png = file + "/a.png";
  error = abh::write_png_and_text(bad_png, checkerboard(8, 2), json, "new");
  expect_one_line_naming(error, bad_png);
  EXPECT_EQ(t::read_file(json), "old");
  EXPECT_FALSE(t::exists(json + ".part"));
}

} // namespace
