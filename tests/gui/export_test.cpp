// --export through the real binary: sizes at 1× and 2×, images that are not
// blank, one head vs three heads, a single panel, and heatmap pixels that
// carry the colormap colour of their known value.

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <vector>

#include <gtest/gtest.h>
#include <zlib.h>

#include "tests/support/shapes.hpp"
#include "app/session/colormap.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "gui_test_support.hpp"

namespace {

namespace t = abh::gui_test;
using nlohmann::json;

// Exports into `dir` as `name`.png with `flags`; fails the test on any error.
t::Png export_png(const t::TempDir& dir, const std::string& name, const std::string& flags,
                  json* sidecar = nullptr) {
  const std::string path = dir / (name + ".png");
  const t::Outcome r = t::run_app("--export " + t::quote(path) + " " + flags);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(path), std::string::npos) << r.out;
  if (sidecar) *sidecar = t::read_json(dir / (name + ".json"));
  return t::read_png(path);
}

std::size_t distinct_colours(const t::Png& png) {
  std::unordered_set<std::uint32_t> colours;
  for (std::size_t i = 0; i + 3 < png.rgba.size(); i += 4)
    colours.insert(static_cast<std::uint32_t>(png.rgba[i]) << 16 |
                   static_cast<std::uint32_t>(png.rgba[i + 1]) << 8 | png.rgba[i + 2]);
  return colours.size();
}

const json* find_matrix(const json& sidecar, const std::string& panel, const std::string& name) {
  for (const json& m : sidecar["drawn_matrices"])
    if (m["panel"] == panel && m["title"].get<std::string>().rfind(name + " ", 0) == 0) return &m;
  return nullptr;
}

// The pixel whose centre lies `fraction` of a cell in from the top-left corner
// of cell (row, col): away from the borders and from any printed digits.
std::array<int, 4> cell_pixel(const t::Png& png, const json& m, Eigen::Index row, Eigen::Index col,
                              float fraction = 0.2f) {
  const float x0 = m["rect"][0], y0 = m["rect"][1], x1 = m["rect"][2], y1 = m["rect"][3];
  const float cell_w = (x1 - x0) / m["cols"].get<float>();
  const float cell_h = (y1 - y0) / m["rows"].get<float>();
  const float x = x0 + (static_cast<float>(col) + fraction) * cell_w;
  const float y = y0 + (static_cast<float>(row) + fraction) * cell_h;
  return png.at(static_cast<int>(std::floor(x)), static_cast<int>(std::floor(y)));
}

// Compares the drawn colour of each listed cell (sampled `fraction` of a cell
// in from its top-left corner) with the colormap entry of its value.
void expect_cells_coloured(const t::Png& png, const json& m, const Eigen::MatrixXf& values,
                           abh::Colormap map,
                           const std::vector<std::pair<Eigen::Index, Eigen::Index>>& cells,
                           float fraction = 0.2f) {
  ASSERT_EQ(m["rows"].get<Eigen::Index>(), values.rows());
  ASSERT_EQ(m["cols"].get<Eigen::Index>(), values.cols());
  const float cell = (m["rect"][2].get<float>() - m["rect"][0].get<float>()) / m["cols"].get<float>();
  ASSERT_GE(cell, 5.0f) << "cells too small to sample away from their borders";
  const float lo = m["lo"], hi = m["hi"];
  for (const auto& [r, c] : cells) {
    const float value = values(r, c);
    const abh::Rgba8 want = abh::colormap_color(map, value, lo, hi);
    const std::array<int, 4> got = cell_pixel(png, m, r, c, fraction);
    const std::string where = m["panel"].get<std::string>() + " " + m["title"].get<std::string>() +
                              " cell (" + std::to_string(r) + "," + std::to_string(c) +
                              ") value " + std::to_string(value);
    EXPECT_NEAR(got[0], want.r, 3) << where;
    EXPECT_NEAR(got[1], want.g, 3) << where;
    EXPECT_NEAR(got[2], want.b, 3) << where;
  }
}

std::vector<std::pair<Eigen::Index, Eigen::Index>> all_cells(Eigen::Index rows, Eigen::Index cols) {
  std::vector<std::pair<Eigen::Index, Eigen::Index>> cells;
  for (Eigen::Index r = 0; r < rows; ++r)
    for (Eigen::Index c = 0; c < cols; ++c) cells.emplace_back(r, c);
  return cells;
}

TEST(Export, OneTimesIsTheWindowSizeAndNotBlank) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png = export_png(dir, "one", "--scale 1", &sidecar);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png.width, 1600);
  EXPECT_EQ(png.height, 900);
  EXPECT_GT(distinct_colours(png), 500u) << "heatmaps, text and panels give many colours";
  EXPECT_EQ(sidecar["image"]["width"], 1600);
  EXPECT_EQ(sidecar["image"]["height"], 900);
  EXPECT_EQ(sidecar["image"]["file"], "one.png");
  // The sidecar names the exact PNG it was saved with: its size and CRC-32.
  const std::string bytes = t::read_file(dir / "one.png");
  EXPECT_EQ(sidecar["image"]["bytes"], bytes.size());
  EXPECT_EQ(sidecar["image"]["crc32"],
            crc32(0, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"one.json", "one.png"})) << "no temporary file is left";
  // Both panels draw the same Wqkv, 108×36 for the worked example.
  for (const char* panel : {"one-head", "heads"}) {
    const json* wqkv = find_matrix(sidecar, panel, "Wqkv");
    ASSERT_NE(wqkv, nullptr) << panel;
    EXPECT_EQ((*wqkv)["rows"], 108);
    EXPECT_EQ((*wqkv)["cols"], 36);
  }
}

TEST(Export, TwoTimesIsReRenderedAtDoubleSize) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png = export_png(dir, "two", "--scale 2", &sidecar);
  ASSERT_TRUE(png.ok());
  EXPECT_EQ(png.width, 3200);
  EXPECT_EQ(png.height, 1800);
  EXPECT_GT(distinct_colours(png), 500u);
  EXPECT_EQ(sidecar["image"]["width"], 3200);
  EXPECT_EQ(sidecar["export"]["scale"], 2);
  for (const json& m : sidecar["drawn_matrices"]) {
    EXPECT_LE(m["rect"][2].get<float>(), 3200.0f) << m["title"];
    EXPECT_LE(m["rect"][3].get<float>(), 1800.0f) << m["title"];
  }
}

TEST(Export, OneHeadAndThreeHeadsDiffer) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json one_sidecar, three_sidecar;
  const t::Png one = export_png(dir, "one_head", "--heads 1 --head-dim 36", &one_sidecar);
  const t::Png three = export_png(dir, "three_heads", "", &three_sidecar);
  ASSERT_TRUE(one.ok());
  ASSERT_TRUE(three.ok());
  ASSERT_EQ(one.width, three.width);
  ASSERT_EQ(one.height, three.height);
  std::size_t different = 0;
  for (std::size_t i = 0; i < one.rgba.size(); ++i) different += one.rgba[i] != three.rgba[i];
  EXPECT_GT(different, 1000u);
  EXPECT_EQ(one_sidecar["shape"]["heads"], 1);
  EXPECT_EQ(three_sidecar["shape"]["heads"], 3);
  EXPECT_NE(find_matrix(three_sidecar, "heads", "A_3"), nullptr);
  EXPECT_EQ(find_matrix(one_sidecar, "heads", "A_2"), nullptr);
}

TEST(Export, OnePanelIsSmallerThanTheWindow) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png = export_png(dir, "counts", "--scale 1 --panel counts", &sidecar);
  ASSERT_TRUE(png.ok());
  EXPECT_LT(png.width, 1600);
  EXPECT_LE(png.height, 900);
  EXPECT_LT(static_cast<long>(png.width) * png.height, 1600L * 900L);
  EXPECT_GT(png.width, 100);
  EXPECT_GT(png.height, 100);
  EXPECT_GT(distinct_colours(png), 20u) << "text and bars";
  EXPECT_EQ(sidecar["export"]["panel"], "counts");
  EXPECT_EQ(sidecar["image"]["width"], png.width);
  EXPECT_EQ(sidecar["image"]["height"], png.height);
}

// A shape small enough that every cell is several pixels wide.
const abh::Shape small_shape = abh::test::make_shape(6, 6, 2, 3, 2);
const char* const small_flags = "--seq 6 --d-model 6 --heads 2 --head-dim 3";

TEST(Export, HeatmapPixelsOfXHaveTheColourOfTheirValue) {
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png = export_png(dir, "x", std::string(small_flags) + " --scale 2", &sidecar);
  ASSERT_TRUE(png.ok());
  const abh::Inputs inputs = abh::make_inputs(small_shape, abh::TraceOptions{}.values, 1);
  for (const char* panel : {"heads", "one-head"}) {
    const json* x = find_matrix(sidecar, panel, "X");
    ASSERT_NE(x, nullptr) << panel;
    EXPECT_EQ((*x)["colormap"], "diverging");
    expect_cells_coloured(png, *x, inputs.X, abh::Colormap::diverging,
                          all_cells(inputs.X.rows(), inputs.X.cols()));
  }
}

TEST(Export, HeatmapPixelsOfXAtTheWorkedExample) {
  // 3× so the worked example's 40 columns of X are several pixels each.
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png = export_png(dir, "x3", "--scale 3", &sidecar);
  ASSERT_TRUE(png.ok());
  const abh::Inputs inputs = abh::make_inputs(abh::Shape{}, abh::TraceOptions{}.values, 1);
  const json* x = find_matrix(sidecar, "one-head", "X");
  ASSERT_NE(x, nullptr);
  expect_cells_coloured(png, *x, inputs.X, abh::Colormap::diverging,
                        {{1, 1}, {1, 38}, {34, 1}, {34, 38}, {7, 13}, {20, 31}, {17, 2}, {29, 22}});
}

TEST(Export, TheMatrixFrameLeavesTheOuterCellsVisible) {
  // The frame's thickness scales with the font (0.12 em = 6.5 px at 3×); it
  // must sit wholly outside the cells, so the first and last rows and columns
  // keep their colour right up to their edges.
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png = export_png(dir, "edge", "--scale 3", &sidecar);
  ASSERT_TRUE(png.ok());
  const abh::Inputs inputs = abh::make_inputs(abh::Shape{}, abh::TraceOptions{}.values, 1);
  const json* x = find_matrix(sidecar, "one-head", "X");
  ASSERT_NE(x, nullptr);
  std::vector<std::pair<Eigen::Index, Eigen::Index>> edges;
  for (Eigen::Index c = 0; c < 40; c += 3) edges.insert(edges.end(), {{0, c}, {35, c}});
  for (Eigen::Index r = 0; r < 36; r += 3) edges.insert(edges.end(), {{r, 0}, {r, 39}});
  expect_cells_coloured(png, *x, inputs.X, abh::Colormap::diverging, edges, 0.2f);
  expect_cells_coloured(png, *x, inputs.X, abh::Colormap::diverging, edges, 0.8f);
}

TEST(Export, HeatmapPixelsOfAttentionWeightsHaveTheSequentialColour) {
  // Gaussian values give weights strictly between 0 and 1.
  t::TempDir dir;
  ASSERT_TRUE(dir.ok());
  json sidecar;
  const t::Png png =
      export_png(dir, "a", std::string(small_flags) + " --scale 2 --values gaussian --seed 3", &sidecar);
  ASSERT_TRUE(png.ok());
  abh::TraceOptions options;
  options.values = abh::ValueMode::gaussian;
  options.seed = 3;
  const abh::AttentionTrace multi = abh::compute_trace(small_shape, options);
  const abh::AttentionTrace single = abh::compute_trace(abh::single_head_of(small_shape), options);
  for (std::size_t h = 0; h < multi.heads.size(); ++h) {
    const json* a = find_matrix(sidecar, "heads", "A_" + std::to_string(h + 1));
    ASSERT_NE(a, nullptr) << h;
    EXPECT_EQ((*a)["colormap"], "sequential");
    expect_cells_coloured(png, *a, multi.heads[h].A.values, abh::Colormap::sequential,
                          all_cells(small_shape.seq, small_shape.seq));
  }
  const json* a = find_matrix(sidecar, "one-head", "A_1");
  ASSERT_NE(a, nullptr);
  expect_cells_coloured(png, *a, single.heads[0].A.values, abh::Colormap::sequential,
                        all_cells(small_shape.seq, small_shape.seq));
}

} // namespace
