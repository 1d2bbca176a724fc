// In-process: the H-heads panel draws an MLA shape from its latent:
// W_DKV · X = C_KV (dc rows, one column per token), the shared k_R, the
// query path, and the up-projections W_UK · C_KV = K and W_UV · C_KV = V
// feeding the heads; hovering a C_KV cell explains its dot product with
// W_DKV and X. The one-head panel draws MLA's per-head equivalent Wqkv.

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/ui/app.hpp"
#include "test_driver.hpp"

namespace {

using abh::UiProbe;
using abh::gui_test::TestDriver;

abh::Shape mla_shape(std::int64_t q_rank) {
  abh::Shape s;
  s.seq = 6;
  s.d_model = 16;
  s.heads = s.kv_heads = 2;
  s.head_dim = 6;
  s.v_head_dim = 4;
  s.mla = {q_rank, 5, 2, abh::MlaForm::naive};
  return s;
}

void settle(TestDriver& d) {
  d.app().wait_for_trace();
  for (int i = 0; i < 4; ++i) d.frame();
}

const UiProbe::Matrix* drawn(const TestDriver& d, const std::string& name) {
  const auto p = d.probe().matrices.find("heads");
  if (p == d.probe().matrices.end()) return nullptr;
  const auto m = p->second.find(name);
  return m == p->second.end() ? nullptr : &m->second;
}

void expect_drawn(const TestDriver& d, const std::string& name, std::int64_t rows, std::int64_t cols) {
  const UiProbe::Matrix* m = drawn(d, name);
  ASSERT_NE(m, nullptr) << name << " is drawn";
  EXPECT_EQ(m->rows, rows) << name;
  EXPECT_EQ(m->cols, cols) << name;
  EXPECT_GT(m->rect[2], m->rect[0]) << name;
}

TEST(MlaDrawing, TheHeadsPanelDrawsTheLatentAndItsUpProjections) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  for (std::int64_t dq : {0, 4}) {
    const abh::Shape s = mla_shape(dq);
    app->state().shape = s;
    settle(driver);
    SCOPED_TRACE(abh::describe(s));
    expect_drawn(driver, "W_DKV", 5, 16);
    expect_drawn(driver, "C_KV", 5, 6); // dc rows: the cache
    expect_drawn(driver, "W_KR", 2, 16);
    expect_drawn(driver, "k_R", 2, 6);
    expect_drawn(driver, "W_UK", 2 * 4, 5); // H·dn × dc
    expect_drawn(driver, "K", 2 * 4, 6);
    expect_drawn(driver, "W_UV", 2 * 4, 5); // H·dv × dc
    expect_drawn(driver, "V", 2 * 4, 6);
    expect_drawn(driver, "Q", 2 * 6, 6);
    if (dq > 0) {
      expect_drawn(driver, "W_DQ", 4, 16);
      expect_drawn(driver, "c_Q", 4, 6);
      expect_drawn(driver, "W_UQ", 12, 4);
    } else {
      expect_drawn(driver, "W_Q", 12, 16);
      EXPECT_EQ(drawn(driver, "c_Q"), nullptr);
    }
    expect_drawn(driver, "S_2", 6, 6);
    EXPECT_EQ(drawn(driver, "Wqkv"), nullptr) << "the heads panel draws the factors, not their product";
    // The up-projections are drawn below the latent they read, the heads below them.
    EXPECT_LT(drawn(driver, "W_DKV")->rect[3], drawn(driver, "W_UK")->rect[1]);
    EXPECT_LT(drawn(driver, "W_UK")->rect[3], drawn(driver, "W_UV")->rect[1]);
    EXPECT_LT(drawn(driver, "V")->rect[3], drawn(driver, "S_1")->rect[1]);
    // No two matrices overlap.
    const auto& all = driver.probe().matrices.at("heads");
    for (auto a = all.begin(); a != all.end(); ++a)
      for (auto b = std::next(a); b != all.end(); ++b) {
        const auto& p = a->second.rect;
        const auto& q = b->second.rect;
        EXPECT_TRUE(p[2] <= q[0] || q[2] <= p[0] || p[3] <= q[1] || q[3] <= p[1])
            << a->first << " overlaps " << b->first;
      }
    const std::string line = driver.probe().drawn_lines.at("heads");
    EXPECT_NE(line.find("MLA caches C_KV and k_R, dc+dr = 5+2 = 7 per token"), std::string::npos) << line;
    EXPECT_EQ(line.find("per-head equivalent"), std::string::npos) << line;
  }
}

TEST(MlaDrawing, HoverOnTheLatentExplainsWdkvTimesX) {
  abh::AppState state;
  state.shape = mla_shape(0);
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const UiProbe::Matrix* c = drawn(driver, "C_KV");
  ASSERT_NE(c, nullptr);
  const UiProbe::Matrix cache = *c;
  const float w = (cache.rect[2] - cache.rect[0]) / static_cast<float>(cache.cols);
  const float h = (cache.rect[3] - cache.rect[1]) / static_cast<float>(cache.rows);
  driver.mouse(cache.rect[0] + 2.5f * w, cache.rect[1] + 1.5f * h, false); // row 2, token 3
  driver.frame();
  driver.frame();
  EXPECT_EQ(driver.probe().hovered_cells.at("heads").matrix, "C_KV");
  EXPECT_EQ(driver.probe().hovered_cells.at("heads").row, 1);
  EXPECT_EQ(driver.probe().hovered_cells.at("heads").col, 2);
  const std::vector<std::string>& tips = driver.probe().tooltips;
  const auto has = [&](const std::string& text) {
    return std::any_of(tips.begin(), tips.end(),
                       [&](const std::string& t) { return t.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("C_KV[2, 3] = ")) << ::testing::PrintToString(tips);
  EXPECT_TRUE(has("= row 2 of W_DKV · column 3 of X (16 multiplies)")) << ::testing::PrintToString(tips);
  EXPECT_TRUE(has("cached")) << ::testing::PrintToString(tips);
}

TEST(MlaDrawing, TheOneHeadPanelDrawsThePerHeadEquivalent) {
  abh::AppState state;
  state.shape = mla_shape(4);
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const UiProbe::Matrix* wqkv = nullptr;
  const auto p = driver.probe().matrices.find("one-head");
  ASSERT_NE(p, driver.probe().matrices.end());
  if (const auto m = p->second.find("Wqkv"); m != p->second.end()) wqkv = &m->second;
  ASSERT_NE(wqkv, nullptr) << "the one head draws MLA multiplied out";
  EXPECT_EQ(p->second.count("C_KV"), 0u);
}

} // namespace
