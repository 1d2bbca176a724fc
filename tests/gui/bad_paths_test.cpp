// Refusals of the real binary: each is exit code 2 and exactly one line on
// stderr saying why; a failed export damages nothing and leaves no
// temporary file.

#include <filesystem>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "gui_test_support.hpp"

namespace {

namespace t = abh::gui_test;

void expect_refused(const t::Outcome& r, const std::string& mentions) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(t::line_count(r.err), 1u) << "stderr:\n" << r.err;
  EXPECT_NE(r.err.find(mentions), std::string::npos)
      << "stderr \"" << r.err << "\" should mention \"" << mentions << "\"";
  EXPECT_EQ(r.out, "") << "nothing on stdout when refused";
}

std::set<std::string> names_in(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    names.insert(entry.path().filename().string());
  return names;
}

// A folder with a regular file in it, so file/anything is ENOTDIR.
struct Fixture {
  t::TempDir dir;
  std::string file;
  Fixture() : file(dir / "file.txt") { t::write_file(file, "a regular file"); }
};

TEST(BadPaths, ExportUnderARegularFile) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string path = f.file + "/x.png";
  const t::Outcome r = t::run_app("--export " + t::quote(path));
  expect_refused(r, "Not a directory");
  EXPECT_NE(r.err.find(path), std::string::npos) << r.err;
  EXPECT_EQ(t::read_file(f.file), "a regular file");
}

TEST(BadPaths, ExportIntoAMissingFolder) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string path = f.dir / "no such folder/x.png";
  expect_refused(t::run_app("--export " + t::quote(path)), path);
  EXPECT_EQ(names_in(f.dir.path()), std::set<std::string>{"file.txt"});
}

// The disk fills up while the PNG is written (a file size limit stands in for
// it): exit 2, and the export already there stays byte-identical.
TEST(BadPaths, AFullDiskLeavesTheExistingFilesByteIdentical) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string png = f.dir / "kept.png", json = f.dir / "kept.json";
  ASSERT_EQ(t::run_app("--export " + t::quote(png)).exit_code, 0);
  const std::string png_before = t::read_file(png), json_before = t::read_file(json);
  ASSERT_GT(png_before.size(), 64u * 1024u) << "the limit must cut the PNG short";
  // bash runs the binary ($0) with its arguments ($@) under a 64 KiB limit.
  const std::string limited = "bash -c 'trap \"\" XFSZ; ulimit -f 64; exec \"$0\" \"$@\"'";
  // A different picture, so an overwrite would show.
  expect_refused(t::run_app("--export " + t::quote(png) + " --heads 1 --head-dim 36", limited), png);
  EXPECT_EQ(t::read_file(png), png_before);
  EXPECT_EQ(t::read_file(json), json_before);
  EXPECT_EQ(names_in(f.dir.path()), (std::set<std::string>{"file.txt", "kept.json", "kept.png"}))
      << "no temporary file is left";
}

TEST(BadPaths, AFailedRenameLeavesNoTemporaryFile) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  // The target is a non-empty folder: the PNG is written beside it, the rename fails.
  const std::string png = f.dir / "taken.png";
  ASSERT_TRUE(std::filesystem::create_directory(png));
  t::write_file(png + "/keep", "x");
  expect_refused(t::run_app("--export " + t::quote(png)), png);
  EXPECT_EQ(names_in(f.dir.path()), (std::set<std::string>{"file.txt", "taken.png"}))
      << "no temporary file and no sidecar for an image that was not written";
  EXPECT_EQ(t::read_file(png + "/keep"), "x");
}

TEST(BadPaths, ASidecarThatCannotBeRenamedKeepsTheOldPng) {
  // Both files are written, but the JSON cannot take its name (a non-empty
  // folder holds it): the PNG must not be replaced either, or it would sit
  // beside no sidecar of its own.
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string png = f.dir / "pair.png", json = f.dir / "pair.json";
  ASSERT_EQ(t::run_app("--export " + t::quote(png)).exit_code, 0);
  const std::string png_before = t::read_file(png);
  std::filesystem::remove(json);
  ASSERT_TRUE(std::filesystem::create_directory(json));
  t::write_file(json + "/keep", "x");
  expect_refused(t::run_app("--export " + t::quote(png) + " --heads 1 --head-dim 36"), json);
  EXPECT_EQ(names_in(f.dir.path()), (std::set<std::string>{"file.txt", "pair.json", "pair.png"}))
      << "no temporary file is left";
  EXPECT_EQ(t::read_file(json + "/keep"), "x");
  EXPECT_EQ(t::read_file(png), png_before) << "the old PNG is back in place";
}

TEST(BadPaths, ScaleFourIsRefused) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const t::Outcome r = t::run_app("--export " + t::quote(f.dir / "s.png") + " --scale 4");
  expect_refused(r, "scale");
  EXPECT_FALSE(t::exists(f.dir / "s.png"));
}

TEST(BadPaths, UnknownPanelIsRefused) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const t::Outcome r = t::run_app("--export " + t::quote(f.dir / "p.png") + " --panel nosuch");
  expect_refused(r, "nosuch");
  EXPECT_NE(r.err.find("counts"), std::string::npos) << "lists the panel names: " << r.err;
  EXPECT_FALSE(t::exists(f.dir / "p.png"));
  EXPECT_FALSE(t::exists(f.dir / "p.json"));
}

TEST(BadPaths, LoadOfAMissingFile) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string state = f.dir / "missing.json";
  const t::Outcome r =
      t::run_app("--load " + t::quote(state) + " --export " + t::quote(f.dir / "m.png"));
  expect_refused(r, state);
  EXPECT_FALSE(t::exists(f.dir / "m.png"));
}

TEST(BadPaths, LoadOfInvalidJson) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string state = f.dir / "broken.json";
  t::write_file(state, "{\"shape\": {\"heads\": 3,,}");
  const t::Outcome r =
      t::run_app("--load " + t::quote(state) + " --export " + t::quote(f.dir / "b.png"));
  expect_refused(r, "not valid JSON");
  EXPECT_NE(r.err.find(state), std::string::npos) << r.err;
  EXPECT_FALSE(t::exists(f.dir / "b.png"));
}

TEST(BadPaths, LoadOfZeroHeads) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string state = f.dir / "zero.json";
  t::write_file(state, R"({"shape": {"seq": 40, "d_model": 36, "heads": 0, "head_dim": 12}})");
  const t::Outcome r =
      t::run_app("--load " + t::quote(state) + " --export " + t::quote(f.dir / "z.png"));
  expect_refused(r, "heads");
  EXPECT_NE(r.err.find(state), std::string::npos) << r.err;
  EXPECT_FALSE(t::exists(f.dir / "z.png"));
}

TEST(BadPaths, LoadOfAFileUnderARegularFile) {
  Fixture f;
  ASSERT_TRUE(f.dir.ok());
  const std::string state = f.file + "/state.json";
  expect_refused(t::run_app("--load " + t::quote(state) + " --report"), state);
}

} // namespace
