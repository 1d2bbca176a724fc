// Exports over a sweep of shapes, read back from the sidecar's drawn_matrices
// and drawn_text (pixels of the PNG): in each panel no two matrices overlap,
// no title or label overlaps a matrix or another title or label, and every
// printed value lies inside a matrix.

#include <algorithm>
#include <string>
#include <vector>

#include "gui_test_support.hpp"

namespace abh::gui_test {
namespace {

struct Rect {
  double x0, y0, x1, y1;
};

Rect rect_of(const nlohmann::json& item) {
  const auto& r = item["rect"];
  return {r[0].get<double>(), r[1].get<double>(), r[2].get<double>(), r[3].get<double>()};
}

// Overlap of more than half a pixel each way (anti-aliased edges may touch).
bool overlap(const Rect& a, const Rect& b) {
  return a.x0 < b.x1 - 0.5 && b.x0 < a.x1 - 0.5 && a.y0 < b.y1 - 0.5 && b.y0 < a.y1 - 0.5;
}

bool inside(const Rect& inner, const Rect& outer) {
  return inner.x0 >= outer.x0 - 0.5 && inner.x1 <= outer.x1 + 0.5 && inner.y0 >= outer.y0 - 0.5 &&
         inner.y1 <= outer.y1 + 0.5;
}

TEST(LayoutSweep, NothingOverlapsAndEveryValueSitsInItsMatrix) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  struct Case {
    const char* flags;
  };
  int values_seen = 0;
  for (const char* flags :
       {"--seq 1 --d-model 1 --heads 1 --head-dim 1", "--seq 4 --d-model 6 --heads 2 --head-dim 3",
        "--seq 8 --d-model 8 --heads 2 --head-dim 4", "--seq 6 --d-model 12 --heads 3 --head-dim 4 --kv-heads 1",
        "--seq 16 --d-model 12 --heads 3 --head-dim 4 --causal", "--seq 3 --d-model 4 --heads 2 --head-dim 9",
        "--seq 40 --d-model 36 --heads 3 --head-dim 12", "--seq 12 --d-model 8 --heads 8 --head-dim 1",
        "--seq 24 --d-model 64 --heads 16 --head-dim 4",
        "--values sentence --seq 6 --d-model 7 --heads 3 --head-dim 2"}) {
    SCOPED_TRACE(flags);
    const std::string png = dir / "shot.png";
    const Outcome r = run_app(std::string(flags) + " --scale 1 --export " + quote(png));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const nlohmann::json sidecar = read_json(dir / "shot.json");
    ASSERT_TRUE(sidecar.contains("drawn_text"));
    for (const char* panel : {"one-head", "heads"}) {
      std::vector<Rect> matrices;
      std::vector<std::pair<std::string, Rect>> texts;
      for (const auto& m : sidecar["drawn_matrices"])
        if (m["panel"] == panel) matrices.push_back(rect_of(m));
      ASSERT_FALSE(matrices.empty()) << panel;
      for (std::size_t i = 0; i < matrices.size(); ++i)
        for (std::size_t j = i + 1; j < matrices.size(); ++j)
          EXPECT_FALSE(overlap(matrices[i], matrices[j])) << panel << ": matrices " << i << " and " << j;
      for (const auto& t : sidecar["drawn_text"]) {
        if (t["panel"] != panel) continue;
        const Rect box = rect_of(t);
        const std::string text = t["text"].get<std::string>();
        if (t["kind"] == "value") {
          bool in_one = false;
          for (const Rect& m : matrices) in_one = in_one || inside(box, m);
          EXPECT_TRUE(in_one) << panel << ": value " << text << " outside every matrix";
          ++values_seen;
          continue;
        }
        for (const Rect& m : matrices)
          EXPECT_FALSE(overlap(box, m)) << panel << ": " << text << " overlaps a matrix";
        for (const auto& [other, other_box] : texts)
          EXPECT_FALSE(overlap(box, other_box)) << panel << ": " << text << " overlaps " << other;
        texts.emplace_back(text, box);
      }
    }
  }
  EXPECT_GT(values_seen, 100) << "small shapes print their values";
}

// The teacher's case in the default window at UI size 1, without zoom:
// every cell of every matrix of both panels prints its value, in a font of
// at least 9 px (decimals of A, Z and O included).
TEST(LayoutSweep, EveryValuePrintsReadablyAtTheSmallShape) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "shot.png";
  const Outcome r = run_app("--seq 4 --d-model 6 --heads 2 --head-dim 3 --scale 1 --export " + quote(png));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json sidecar = read_json(dir / "shot.json");
  for (const char* panel : {"one-head", "heads"}) {
    SCOPED_TRACE(panel);
    for (const auto& m : sidecar["drawn_matrices"]) {
      if (m["panel"] != panel) continue;
      const Rect cells = rect_of(m);
      int printed = 0;
      double smallest = 1e9;
      for (const auto& t : sidecar["drawn_text"]) {
        if (t["panel"] != panel || t["kind"] != "value" || !inside(rect_of(t), cells)) continue;
        ++printed;
        smallest = std::min(smallest, rect_of(t).y1 - rect_of(t).y0);
      }
      const std::string title = m["title"].get<std::string>();
      EXPECT_EQ(printed, m["rows"].get<int>() * m["cols"].get<int>()) << title;
      EXPECT_GE(smallest, 9.0) << title;
    }
  }
}

// The example sentence names the token axes in the window: its words under
// the columns of X, QKV, every S_h, A_h, Z_h, Z and O, and left of the rows
// of every S_h.
TEST(LayoutSweep, TheExampleSentenceLabelsTheTokenAxes) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string png = dir / "shot.png";
  const Outcome r = run_app("--values sentence --seq 6 --d-model 7 --heads 3 --head-dim 2 --scale 1 --export " +
                            quote(png));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json sidecar = read_json(dir / "shot.json");
  for (const char* panel : {"one-head", "heads"}) {
    int cats = 0;
    for (const auto& t : sidecar["drawn_text"])
      if (t["panel"] == panel && t["kind"] == "label" && t["text"] == "cat") ++cats;
    // One head: X, QKV, S_1 (both axes), A_1, Z_1, Z, O. The three heads'
    // cells are too small at 1× for a word in a readable font on every
    // matrix: a word that does not fit is left out (hover names the token).
    if (panel == std::string("one-head")) EXPECT_EQ(cats, 8);
    else EXPECT_GE(cats, 3);
  }
}

} // namespace
} // namespace abh::gui_test
