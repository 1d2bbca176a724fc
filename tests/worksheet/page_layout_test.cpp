// Worksheet layout with a fixed-width stand-in for text widths (no fonts
// from the host): nothing overlaps, nothing leaves the printable area, the
// blank and answer sheets are laid out alike, and large shapes are refused.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "tests/support/shapes.hpp"
#include "app/worksheet/cell_format.hpp"
#include "app/worksheet/page_layout.hpp"
#include "app/worksheet/worksheet_content.hpp"
#include "core/example_sentence.hpp"

namespace abh {
namespace {

// Every character (UTF-8 continuation bytes aside) is 0.6 of the font size wide.
double fixed_width(const std::string& text, const TextStyle& style) {
  double chars = 0;
  for (char c : text)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) chars += 1;
  return chars * 0.6 * style.size;
}

Shape shape_of(std::int64_t n, std::int64_t d, std::int64_t H, std::int64_t dh, bool causal = false) {
  return test::make_shape(n, d, H, dh, H, causal);
}

Worksheet sheet_for(const Shape& shape, bool answers, ValueMode values = ValueMode::by_hand) {
  TraceOptions options;
  options.values = values;
  return make_worksheet(compute_trace(shape, options), single_head_of(shape), answers);
}

bool overlap(const PlacedBlock& a, const PlacedBlock& b) {
  return a.page == b.page && a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
         b.y < a.y + a.height;
}

TEST(WorksheetLayout, NothingOverlapsOrLeavesThePage) {
  for (const std::string paper_name : {"a4", "letter"})
    for (const Shape& shape : {shape_of(4, 6, 2, 3), shape_of(6, 7, 3, 2), shape_of(8, 8, 2, 4, true),
                               shape_of(16, 12, 3, 4), shape_of(12, 9, 1, 9)}) {
      SCOPED_TRACE(paper_name + " " + describe(shape));
      const Paper paper = paper_named(paper_name);
      const SheetLayout layout = lay_out(sheet_for(shape, true), paper, fixed_width);
      ASSERT_FALSE(layout.placed.empty());
      for (std::size_t i = 0; i < layout.placed.size(); ++i) {
        const PlacedBlock& p = layout.placed[i];
        EXPECT_GE(p.x, sheet_style::margin - 1e-9);
        EXPECT_LE(p.x + p.width, paper.width - sheet_style::margin + 1e-9) << i;
        EXPECT_GE(p.y, sheet_style::margin - 1e-9);
        EXPECT_LE(p.y + p.height, paper.height - sheet_style::margin + 1e-9) << i;
        EXPECT_LT(p.page, layout.pages);
        for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(overlap(p, layout.placed[j])) << j << " " << i;
      }
    }
}

TEST(WorksheetLayout, PaginatesWhenOnePageIsNotEnough) {
  const SheetLayout small = lay_out(sheet_for(shape_of(4, 6, 2, 3), true), paper_named("a4"), fixed_width);
  const SheetLayout large =
      lay_out(sheet_for(shape_of(16, 12, 3, 4), true), paper_named("a4"), fixed_width);
  EXPECT_GE(large.pages, 3); // three heads of two 16 × 16 grids alone fill more than two pages
  EXPECT_LT(small.pages, large.pages);
  // With one page that grows (SVG), everything is on page 0.
  const SheetLayout tall =
      lay_out(sheet_for(shape_of(16, 12, 3, 4), true), paper_named("a4"), fixed_width, true);
  EXPECT_EQ(tall.pages, 1);
  EXPECT_GT(tall.used_height, paper_named("a4").height);
}

TEST(WorksheetLayout, BlankAndAnswerSheetsShareTheLayout) {
  const Shape shape = shape_of(6, 8, 2, 3);
  const SheetLayout blank = lay_out(sheet_for(shape, false), paper_named("a4"), fixed_width);
  const SheetLayout answers = lay_out(sheet_for(shape, true), paper_named("a4"), fixed_width);
  ASSERT_EQ(blank.placed.size(), answers.placed.size());
  for (std::size_t i = 0; i < blank.placed.size(); ++i) {
    EXPECT_EQ(blank.placed[i].page, answers.placed[i].page);
    EXPECT_DOUBLE_EQ(blank.placed[i].x, answers.placed[i].x);
    EXPECT_DOUBLE_EQ(blank.placed[i].y, answers.placed[i].y);
  }
}

TEST(WorksheetLayout, TooLargeShapesAreRefusedWithOneLine) {
  for (const Shape& shape : {worked_example(), shape_of(17, 6, 2, 3), shape_of(4, 6, 4, 4)}) {
    SCOPED_TRACE(describe(shape));
    try {
      check_sheet_dimensions(shape, paper_named("a4"));
      lay_out(sheet_for(shape, true), paper_named("a4"), fixed_width);
      ADD_FAILURE() << "not refused";
    } catch (const WorksheetTooLarge& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("too large for a worksheet"), std::string::npos) << message;
      EXPECT_EQ(message.find('\n'), std::string::npos);
    }
  }
  EXPECT_NO_THROW(check_sheet_dimensions(shape_of(16, 12, 3, 4), paper_named("a4")));
}

TEST(WorksheetContent, BlankSheetLeavesResultsEmptyAnswersFillThem) {
  const Shape shape = shape_of(4, 6, 2, 3);
  for (bool answers : {false, true}) {
    const Worksheet sheet = sheet_for(shape, answers);
    int inputs = 0, results = 0;
    for (const SheetBlock& b : sheet.blocks) {
      if (b.kind != SheetBlock::Kind::grid) continue;
      const SheetGrid& g = b.grid;
      ASSERT_EQ(g.cells.size(), static_cast<std::size_t>(g.rows * g.cols)) << g.title;
      ASSERT_EQ(g.answers.size(), g.cells.size());
      for (std::size_t i = 0; i < g.cells.size(); ++i) {
        if (g.given || answers) EXPECT_EQ(g.cells[i], g.answers[i]) << g.title;
        else EXPECT_EQ(g.cells[i], "") << g.title;
      }
      (g.given ? inputs : results) += 1;
    }
    EXPECT_EQ(inputs, 3);                       // X, Wqkv, Wo
    EXPECT_EQ(results, 1 + 3 * shape.heads + 1); // QKV, S A Z per head, O
  }
}

TEST(WorksheetContent, SentenceLabelsNameTokensAndFeatures) {
  const ExampleSentence& e = example_sentence();
  TraceOptions options;
  options.values = ValueMode::sentence;
  const Worksheet sheet = make_worksheet(compute_trace(e.shape, options), single_head_of(e.shape),
                                         false, {e.tokens, e.features});
  const SheetGrid* x = nullptr;
  for (const SheetBlock& b : sheet.blocks)
    if (b.kind == SheetBlock::Kind::grid && b.grid.title.rfind("X", 0) == 0) x = &b.grid;
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->col_labels, e.tokens);
  EXPECT_EQ(x->row_labels, e.features);
}

TEST(CellFormat, AttentionTwoDecimalsIntegersWholeRealMinus) {
  Eigen::MatrixXf whole(1, 2), real(1, 2);
  whole << 3, -4;
  real << 0.5f, 1;
  EXPECT_EQ(cell_decimals("QKV", whole), 0);
  EXPECT_EQ(cell_decimals("S_2", whole), 0);
  EXPECT_EQ(cell_decimals("A_1", whole), 2);
  EXPECT_EQ(cell_decimals("Z_1", real), 2);
  EXPECT_EQ(cell_text(-4.0f, 0), "\u22124");
  EXPECT_EQ(cell_text(0.125f, 2), "0.12"); // 0.125f is exact: rounds half to even
  EXPECT_EQ(cell_text(0.3333f, 2), "0.33");
  EXPECT_EQ(cell_text(-0.004f, 2), "0.00");
  EXPECT_EQ(cell_text(-1.256f, 2), "\u22121.26");
}

} // namespace
} // namespace abh
