// In-process: what the slicing panels draw of each attention variant. The
// shaded cells of S_h and A_h are exactly the keys core says a query does
// not see (causal, sliding window, decode; per block when drawn as block
// means); the line that says what is drawn versus counted appears exactly
// when they differ; every gallery model draws in prefill and decode.

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/io/models_json.hpp"
#include "app/session/model_pick.hpp"
#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "core/display_trace.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::Shape;
using abh::UiProbe;
using abh::gui_test::TestDriver;

Shape small_shape(std::int64_t seq, bool causal, std::int64_t window, std::int64_t queries) {
  Shape s;
  s.seq = seq;
  s.d_model = 6;
  s.heads = 2;
  s.head_dim = 3;
  s.kv_heads = 2;
  s.causal = causal;
  s.window = window;
  s.queries = queries;
  return s;
}

// Draws frames until the trace of the state's shape is on screen.
void settle(TestDriver& d) {
  d.app().wait_for_trace();
  for (int i = 0; i < 4; ++i) d.frame();
}

const UiProbe::Matrix* drawn_matrix(const TestDriver& d, const std::string& panel, const std::string& name) {
  const auto p = d.probe().matrices.find(panel);
  if (p == d.probe().matrices.end()) return nullptr;
  const auto m = p->second.find(name);
  return m == p->second.end() ? nullptr : &m->second;
}

// The shaded rectangles of one matrix as last drawn.
std::vector<std::array<float, 4>> shades_of(const TestDriver& d, const std::string& panel,
                                            const std::string& name) {
  const auto p = d.probe().shades.find(panel);
  if (p == d.probe().shades.end()) return {};
  const auto m = p->second.find(name);
  return m == p->second.end() ? std::vector<std::array<float, 4>>{} : m->second;
}

bool inside(const std::vector<std::array<float, 4>>& rects, float x, float y) {
  for (const auto& r : rects)
    if (x >= r[0] && x < r[2] && y >= r[1] && y < r[3]) return true;
  return false;
}

// Each block of `grid` of the drawn matrix is shaded exactly when no key in
// it is visible to a query in it (cells are 1 × 1 blocks).
void expect_mask_drawn(const TestDriver& d, const std::string& panel, const std::string& name,
                       const Shape& shape, const abh::BlockGrid& grid) {
  const UiProbe::Matrix* m = drawn_matrix(d, panel, name);
  ASSERT_NE(m, nullptr) << panel << " " << name;
  ASSERT_EQ(m->rows, shape.seq);
  ASSERT_EQ(m->cols, shape.query_count());
  const std::vector<std::array<float, 4>> shades = shades_of(d, panel, name);
  const float cw = (m->rect[2] - m->rect[0]) / static_cast<float>(m->cols);
  const float ch = (m->rect[3] - m->rect[1]) / static_cast<float>(m->rows);
  int wrong = 0;
  for (std::int64_t bc = 0; bc < grid.grid_cols(); ++bc) {
    const std::int64_t c0 = bc * grid.block_cols, c1 = std::min(grid.cols, c0 + grid.block_cols);
    std::vector<std::array<float, 4>> column; // the shades over this block column's centre
    const float x = m->rect[0] + (static_cast<float>(c0 + c1) / 2) * cw;
    for (const auto& r : shades)
      if (x >= r[0] && x < r[2]) column.push_back(r);
    for (std::int64_t br = 0; br < grid.grid_rows(); ++br) {
      const std::int64_t r0 = br * grid.block_rows, r1 = std::min(grid.rows, r0 + grid.block_rows);
      bool any = false;
      for (std::int64_t k = r0; k < r1 && !any; ++k)
        for (std::int64_t q = c0; q < c1 && !any; ++q) any = shape.visible(k, q);
      const float y = m->rect[1] + (static_cast<float>(r0 + r1) / 2) * ch;
      if (inside(column, x, y) == any && ++wrong <= 5)
        ADD_FAILURE() << panel << " " << name << " block " << br << "," << bc << ": drawn "
                      << (any ? "shaded but a key in it is visible" : "clear but no key in it is visible")
                      << " (" << abh::describe(shape) << ")";
    }
  }
  EXPECT_EQ(wrong, 0);
}

// One window per test: the shapes are set as the controls would set them.
TEST(SlicingDrawing, TheShadedCellsAreTheKeysEachQueryDoesNotSee) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  for (const Shape& shape : {small_shape(8, true, 3, 0), small_shape(8, false, 3, 0),
                             small_shape(8, true, 3, 2), small_shape(7, true, 0, 0),
                             small_shape(9, false, 0, 0), small_shape(8, true, 0, 1)}) {
    app->state().shape = shape;
    settle(driver);
    const abh::BlockGrid cells{shape.seq, shape.query_count(), 1, 1};
    for (const char* name : {"S_1", "A_2"}) expect_mask_drawn(driver, "heads", name, shape, cells);
    expect_mask_drawn(driver, "one-head", "S_1", shape, cells);
  }
}

TEST(SlicingDrawing, AStreamedMatrixIsShadedPerDrawnBlock) {
  abh::AppState state;
  state.shape = small_shape(1030, true, 0, 0); // blocks of 3 × 3 cells, the last ones 1 × 1
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  ASSERT_TRUE(app->session().snapshot() && app->session().snapshot()->multi_streamed)
      << "the shape is drawn from a streamed display trace";
  const abh::BlockGrid grid = abh::display_grid(1030, 1030, abh::display_max_side);
  ASSERT_TRUE(grid.reduced());
  expect_mask_drawn(driver, "heads", "S_1", state.shape, grid);
  expect_mask_drawn(driver, "heads", "A_1", state.shape, grid);
}

std::string drawn_line(const TestDriver& d, const std::string& panel) {
  const auto it = d.probe().drawn_lines.find(panel);
  return it == d.probe().drawn_lines.end() ? "(none recorded)" : it->second;
}

struct LineCase {
  Shape shape;
  std::int64_t budget;
  std::string heads, one_head; // the lines expected; "" when the drawing is the shape
};

TEST(SlicingDrawing, TheDrawnVersusCountedLineAppearsExactlyWhenTheyDiffer) {
  Shape many = small_shape(8, false, 0, 0);
  many.d_model = 40;
  many.heads = many.kv_heads = 20;
  many.head_dim = 2;
  Shape batch = small_shape(8, true, 0, 0);
  batch.batch = 3;
  Shape mla = small_shape(8, true, 0, 0);
  mla.d_model = 16;
  mla.head_dim = 6;
  mla.v_head_dim = 4;
  mla.mla = {8, 4, 2, abh::MlaForm::naive};
  Shape wide = small_shape(4096, false, 16, 0); // S and A over n²: 268 MB, over a 64 MiB budget
  const std::int64_t small_budget = abh::min_memory_budget;
  const std::vector<LineCase> cases = {
      {small_shape(8, true, 3, 2), abh::default_trace_budget, "", ""},
      {many, abh::default_trace_budget, "drawn: 16 of 20 heads; counts are for the full size", ""},
      {batch, abh::default_trace_budget, "drawn: sequence 1 of 3; counts are for the full size",
       "drawn: sequence 1 of 3; counts are for the full size"},
      {mla, abh::default_trace_budget,
       "MLA caches C_KV and k_R, dc+dr = 4+2 = 6 per token; RoPE's rotation is not drawn; "
       "counts are for the full size",
       ""},
      {wide, small_budget, "drawn: 1,024 of 4,096 tokens; counts are for the full size",
       "drawn: 1,024 of 4,096 tokens; counts are for the full size"},
  };
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  for (const LineCase& c : cases) {
    app->state().shape = c.shape;
    app->state().view.memory_budget = c.budget;
    settle(driver);
    EXPECT_EQ(drawn_line(driver, "heads"), c.heads) << abh::describe(c.shape);
    EXPECT_EQ(drawn_line(driver, "one-head"), c.one_head) << abh::describe(c.shape);
    const UiProbe::Matrix* s = drawn_matrix(driver, "heads", "S_1");
    ASSERT_NE(s, nullptr) << abh::describe(c.shape);
    EXPECT_EQ(s->rows, c.budget == small_budget ? 1024 : c.shape.seq) << "S_1 is drawn over the tokens the line gives";
  }
}

// Every model of the gallery, each of its attention layer kinds, in prefill
// and in a decode step: the matrices are drawn (none hidden), S_1 over the
// tokens asked for, and the line states the heads drawn whenever the model
// has more than the cap.
TEST(SlicingDrawing, EveryGalleryModelDrawsInPrefillAndDecode) {
  const std::vector<abh::GalleryModel> gallery = abh::read_models_file(abh::default_models_path());
  ASSERT_GE(gallery.size(), 15u);
  std::string error;
  abh::AppState start;
  // A budget the largest models exceed: they are drawn reduced, and quickly.
  start.view.memory_budget = std::int64_t{256} << 20;
  auto app = abh::gui_test::make_hidden_app(error, start);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  for (const abh::GalleryModel& g : gallery)
    for (std::size_t kind = 0; kind < g.model.layer_kinds.size(); ++kind) {
      if (!g.model.layer_kinds[kind].attention()) continue;
      Shape base;
      base.seq = 16;
      for (std::int64_t queries : {0, 1}) {
        Shape shape = abh::picked_shape(g.model, kind, base);
        shape.queries = queries;
        app->state().shape = shape;
        settle(driver);
        const std::string what = g.model.name + " kind " + std::to_string(kind) + (queries ? " decode" : " prefill");
        const abh::TraceSnapshot* snapshot = app->session().snapshot();
        ASSERT_TRUE(snapshot) << what;
        EXPECT_EQ(snapshot->key.shape, shape) << what;
        EXPECT_EQ(snapshot->hidden_reason, "") << what;
        ASSERT_TRUE(snapshot->multi) << what;
        const UiProbe::Matrix* s = drawn_matrix(driver, "heads", "S_1");
        ASSERT_NE(s, nullptr) << what;
        EXPECT_EQ(s->rows, 16) << what;
        EXPECT_EQ(s->cols, queries ? 1 : 16) << what;
        const std::string line = drawn_line(driver, "heads");
        const std::int64_t heads_drawn = std::min(snapshot->multi->shape.heads, abh::max_heads_drawn);
        EXPECT_EQ(line.find(" of " + std::to_string(shape.heads) + " heads") != std::string::npos,
                  heads_drawn < shape.heads)
            << what << ": " << line;
        if (heads_drawn < shape.heads) {
          EXPECT_NE(line.find(std::to_string(heads_drawn) + " of "), std::string::npos) << what << ": " << line;
        }
        EXPECT_EQ(line.find("MLA") != std::string::npos, shape.is_mla()) << what << ": " << line;
      }
    }
}

} // namespace
