// In-process: hovering a cell of one slicing panel outlines the cell that
// holds the same quantity in the other panel (Wqkv rows by the slicing, S by
// key and query in every head), and nothing once the pointer leaves.

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/ui/app.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::UiProbe;
using abh::gui_test::TestDriver;

std::unique_ptr<App> make_app(std::string& error) {
  abh::AppState state;
  state.shape.seq = 4;
  state.shape.d_model = 6;
  state.shape.heads = 2;
  state.shape.head_dim = 3;
  state.shape.kv_heads = 2;
  state.trace.layout = abh::WqkvLayout::triples;
  return abh::gui_test::make_hidden_app(error, state);
}

bool find_matrix(TestDriver& d, const std::string& panel, const std::string& name, UiProbe::Matrix& m) {
  d.app().wait_for_trace();
  // The controls' height is measured as they are drawn, so the panels take
  // their place from the second frame on.
  for (int i = 0; i < 3; ++i) d.frame();
  for (int i = 0; i < 10; ++i) {
    d.frame();
    const auto p = d.probe().matrices.find(panel);
    if (p == d.probe().matrices.end() || !p->second.count(name)) continue;
    m = p->second.at(name);
    return m.rows > 0 && m.cols > 0 && m.rect[2] > m.rect[0];
  }
  return false;
}

// The centre of cell (row, col) of `m`.
void hover_cell(TestDriver& d, const UiProbe::Matrix& m, std::int64_t row, std::int64_t col) {
  const float w = (m.rect[2] - m.rect[0]) / static_cast<float>(m.cols);
  const float h = (m.rect[3] - m.rect[1]) / static_cast<float>(m.rows);
  d.mouse(m.rect[0] + (static_cast<float>(col) + 0.5f) * w, m.rect[1] + (static_cast<float>(row) + 0.5f) * h,
          false);
  d.frame();
  d.frame(); // the panel drawn first sees the other's hover one frame later
}

std::vector<std::string> cells_text(const std::vector<UiProbe::Cell>& cells) {
  std::vector<std::string> out;
  for (const UiProbe::Cell& c : cells)
    out.push_back(c.matrix + "[" + std::to_string(c.row) + ", " + std::to_string(c.col) + "]");
  return out;
}

TEST(HoverLink, TheOtherPanelOutlinesTheSameQuantity) {
  std::string error;
  auto app = make_app(error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  UiProbe::Matrix heads_wqkv, single_s, heads_s2;
  ASSERT_TRUE(find_matrix(driver, "heads", "Wqkv", heads_wqkv));
  ASSERT_TRUE(find_matrix(driver, "one-head", "S_1", single_s));
  ASSERT_TRUE(find_matrix(driver, "heads", "S_2", heads_s2));

  // Row 9 of the heads' Wqkv is q2's first row: row 3 of the one head's q.
  hover_cell(driver, heads_wqkv, 9, 4);
  EXPECT_EQ(driver.probe().hovered_cells.at("heads").matrix, "Wqkv");
  EXPECT_EQ(driver.probe().hovered_cells.at("heads").row, 9);
  EXPECT_EQ(cells_text(driver.probe().linked_cells.at("one-head")),
            std::vector<std::string>{"Wqkv[3, 4]"});
  EXPECT_TRUE(driver.probe().linked_cells.at("heads").empty());

  // Key 1, query 2 of head 2 is key 1, query 2 of the one head's S.
  hover_cell(driver, heads_s2, 1, 2);
  EXPECT_EQ(cells_text(driver.probe().linked_cells.at("one-head")),
            std::vector<std::string>{"S_1[1, 2]"});

  // And back: the one head's S cell is that (key, query) of both heads.
  hover_cell(driver, single_s, 3, 0);
  EXPECT_EQ(driver.probe().hovered_cells.at("one-head").matrix, "S_1");
  EXPECT_EQ(cells_text(driver.probe().linked_cells.at("heads")),
            (std::vector<std::string>{"S_1[3, 0]", "S_2[3, 0]"}));

  // Off every cell: nothing is outlined.
  driver.mouse(2, 2, false);
  driver.frame();
  driver.frame();
  EXPECT_TRUE(driver.probe().linked_cells.at("one-head").empty());
  EXPECT_TRUE(driver.probe().linked_cells.at("heads").empty());
}

} // namespace
