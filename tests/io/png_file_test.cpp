// write_png_atomically, write_text_atomically and write_png_and_sidecar (no
// window): a failure is one line, leaves no temporary file, and never damages
// the files already there; an export's PNG and JSON are one unit.

#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "app/io/png_file.hpp"
#include "tests/support/file_size_limit.hpp"
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

// Random pixels: the PNG cannot compress them, so it is about 4 bytes a pixel.
abh::Image noise(int width, int height, unsigned seed) {
  abh::Image image;
  image.width = width;
  image.height = height;
  image.rgba.resize(4 * static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  std::mt19937 rng(seed);
  for (std::uint8_t& byte : image.rgba) byte = static_cast<std::uint8_t>(rng());
  return image;
}

std::set<std::string> names_in(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
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
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"board.png"});
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
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"file.txt"});
  EXPECT_EQ(t::read_file(file), "not a folder");
}

TEST(PngFile, AMissingFolderIsRefused) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "no such folder/x.png";
  expect_one_line_naming(abh::write_png_atomically(path, checkerboard(4, 4)), path);
  EXPECT_TRUE(names_in(dir.path()).empty());
}

TEST(PngFile, AFailedRenameLeavesNoTemporaryFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  // The target is a non-empty folder: the side file is written, the rename fails.
  const std::string path = dir / "taken.png";
  ASSERT_TRUE(std::filesystem::create_directory(path));
  t::write_file(path + "/keep", "x");
  const std::string error = abh::write_png_atomically(path, checkerboard(4, 4));
  expect_one_line_naming(error, path);
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"taken.png"});
  EXPECT_EQ(t::read_file(path + "/keep"), "x");
}

// A disk that fills up mid-write (here: a file size limit) is an error, and
// the PNG already there stays as it was.
TEST(PngFile, AFullDiskIsAnErrorAndKeepsTheOldFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "old.png";
  ASSERT_EQ(abh::write_png_atomically(path, checkerboard(6, 6)), "");
  const std::string before = t::read_file(path);
  const auto error = t::with_file_size_limit(
      64 * 1024, [&] { return abh::write_png_atomically(path, noise(256, 256, 1)); });
  ASSERT_TRUE(error.has_value()) << "the writing child did not finish";
  expect_one_line_naming(*error, path);
  EXPECT_EQ(t::read_file(path), before) << "a truncated PNG replaced the good one";
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"old.png"}) << "no temporary file is left";
}

TEST(TextFile, AFullDiskIsAnErrorAndKeepsTheOldFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "old.json";
  ASSERT_EQ(abh::write_text_atomically(path, "{\"kept\": true}"), "");
  const std::string big(256 * 1024, 'x');
  const auto error =
      t::with_file_size_limit(64 * 1024, [&] { return abh::write_text_atomically(path, big); });
  ASSERT_TRUE(error.has_value()) << "the writing child did not finish";
  expect_one_line_naming(*error, path);
  EXPECT_EQ(t::read_file(path), "{\"kept\": true}");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"old.json"}) << "no temporary file is left";
}

TEST(TextFile, WritesAndReplacesWhole) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "a.json";
  EXPECT_EQ(abh::write_text_atomically(path, "a much longer first text"), "");
  EXPECT_EQ(abh::write_text_atomically(path, "short"), "");
  EXPECT_EQ(t::read_file(path), "short");
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"a.json"});
}

TEST(TextFile, FailuresAreOneLineAndLeaveNoTemporaryFile) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string file = dir / "file.txt";
  t::write_file(file, "x");
  for (const std::string& path : {file + "/a.json", dir / "missing/a.json"})
    expect_one_line_naming(abh::write_text_atomically(path, "{}"), path);
  const std::string taken = dir / "taken.json";
  ASSERT_TRUE(std::filesystem::create_directory(taken));
  t::write_file(taken + "/keep", "x");
  expect_one_line_naming(abh::write_text_atomically(taken, "{}"), taken);
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"file.txt", "taken.json"}));
}

TEST(TextFile, AReplacedFileKeepsItsPermissions) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "shared.json";
  t::write_file(path, "old");
  std::filesystem::permissions(path, std::filesystem::perms(0640));
  ASSERT_EQ(abh::write_text_atomically(path, "new"), "");
  EXPECT_EQ(std::filesystem::status(path).permissions(), std::filesystem::perms(0640));
}

// The sidecar of an export records its PNG: bytes and CRC-32.
TEST(PngAndSidecar, WritesBothAndTheSidecarNamesItsPng) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  EXPECT_EQ(abh::write_png_and_sidecar(png, checkerboard(5, 5), json,
                                       {{"a", 1}, {"image", {{"file", "a.png"}}}}),
            "");
  EXPECT_EQ(t::read_png(png).rgba, checkerboard(5, 5).rgba);
  const nlohmann::json sidecar = t::read_json(json);
  EXPECT_EQ(sidecar["a"], 1);
  EXPECT_EQ(sidecar["image"]["bytes"], t::read_file(png).size());
  EXPECT_TRUE(sidecar["image"]["crc32"].is_number_unsigned());
  EXPECT_EQ(abh::sidecar_image_mismatch(sidecar, json), "");
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"a.json", "a.png"}));
}

TEST(PngAndSidecar, NeitherIsReplacedWhenEitherCannotBeWritten) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  ASSERT_EQ(abh::write_png_and_sidecar(png, checkerboard(5, 5), json, {{"old", true}}), "");
  const std::string png_before = t::read_file(png), json_before = t::read_file(json);
  const std::string file = dir / "file.txt";
  t::write_file(file, "x");

  // The sidecar cannot be written: the PNG stays as it was.
  const std::string bad_json = file + "/a.json";
  std::string error = abh::write_png_and_sidecar(png, checkerboard(8, 2), bad_json, {{"new", true}});
  expect_one_line_naming(error, bad_json);
  EXPECT_EQ(t::read_file(png), png_before);

  // The PNG cannot be written: the sidecar stays as it was.
  const std::string bad_png = file + "/a.png";
  error = abh::write_png_and_sidecar(bad_png, checkerboard(8, 2), json, {{"new", true}});
  expect_one_line_naming(error, bad_png);
  EXPECT_EQ(t::read_file(json), json_before);
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"a.json", "a.png", "file.txt"}));
}

// The second rename fails (a folder holds the sidecar's name) after the
// first has replaced the PNG: the old PNG is put back.
TEST(PngAndSidecar, AFailedSecondRenamePutsTheFirstFileBack) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  ASSERT_EQ(abh::write_png_atomically(png, checkerboard(5, 5)), "");
  const std::string png_before = t::read_file(png);
  ASSERT_TRUE(std::filesystem::create_directory(json));
  t::write_file(json + "/keep", "x");
  expect_one_line_naming(abh::write_png_and_sidecar(png, checkerboard(8, 2), json, {{"new", true}}), json);
  EXPECT_EQ(t::read_file(png), png_before);
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{"a.json", "a.png"}));

  // With no PNG before, the new one is removed again.
  std::filesystem::remove(png);
  expect_one_line_naming(abh::write_png_and_sidecar(png, checkerboard(8, 2), json, {{"new", true}}), json);
  EXPECT_EQ(names_in(dir.path()), std::set<std::string>{"a.json"});
}

// A writer killed mid-way leaves temporary files; the next export of the
// same name removes them.
TEST(PngAndSidecar, LeftoversOfAKilledWriterAreRemoved) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  t::write_file(dir / ".a.png.Xy12Zw.part", "half a png");
  t::write_file(dir / ".a.json.Qq34Rr.part", "{");
  t::write_file(dir / ".a.png.Ab56Cd.orig", "the png before");
  t::write_file(dir / ".other.png.Ab56Cd.part", "another export's");
  ASSERT_EQ(abh::write_png_and_sidecar(png, checkerboard(5, 5), json, {{"a", 1}}), "");
  EXPECT_EQ(names_in(dir.path()), (std::set<std::string>{".other.png.Ab56Cd.part", "a.json", "a.png"}));
}

TEST(PngAndSidecar, AMismatchedPngIsNamed) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  ASSERT_EQ(abh::write_png_and_sidecar(png, checkerboard(5, 5), json,
                                       {{"image", {{"file", "a.png"}}}}),
            "");
  const nlohmann::json sidecar = t::read_json(json);
  // Same size, other bytes: the CRC tells.
  ASSERT_EQ(abh::write_png_atomically(png, [] {
              abh::Image image = checkerboard(5, 5);
              image.rgba[0] ^= 1;
              return image;
            }()),
            "");
  const std::string note = abh::sidecar_image_mismatch(sidecar, json);
  EXPECT_NE(note.find(png), std::string::npos) << note;
  EXPECT_EQ(note.find('\n'), std::string::npos) << note;
  std::filesystem::remove(png);
  EXPECT_EQ(abh::sidecar_image_mismatch(sidecar, json), "") << "no PNG: nothing to say";
}

// Two exports to the same path at once: whichever finishes last, the PNG and
// its JSON come from the same export, and no temporary file is left.
TEST(PngAndSidecar, ConcurrentWritersNeverMixAPair) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "a.png", json = dir / "a.json";
  const abh::Image images[2] = {noise(64, 64, 11), noise(64, 64, 22)};
  for (int round = 0; round < 20; ++round) {
    std::string errors[2];
    std::thread writers[2];
    for (int w = 0; w < 2; ++w)
      writers[w] = std::thread([&, w] {
        errors[w] = abh::write_png_and_sidecar(png, images[w], json, {{"writer", w}});
      });
    for (std::thread& writer : writers) writer.join();
    EXPECT_EQ(errors[0], "");
    EXPECT_EQ(errors[1], "");
    const nlohmann::json sidecar = t::read_json(json);
    ASSERT_TRUE(sidecar.is_object()) << t::read_file(json);
    const int w = sidecar["writer"];
    ASSERT_EQ(t::read_png(png).rgba, images[w].rgba) << "round " << round << ": writer " << w
                                                     << "'s JSON beside the other writer's PNG";
    ASSERT_EQ(names_in(dir.path()), (std::set<std::string>{"a.json", "a.png"})) << "round " << round;
  }
}

} // namespace
