#include "app/worksheet/worksheet_content.hpp"

#include <fmt/format.h>

#include "app/worksheet/cell_format.hpp"
#include "core/counts.hpp"
#include "core/number_format.hpp"
#include "core/wqkv_layout.hpp"

namespace abh {

namespace {

std::vector<std::string> numbered(std::int64_t count, const std::string& prefix = "") {
  std::vector<std::string> labels;
  for (std::int64_t i = 1; i <= count; ++i) labels.push_back(prefix + std::to_string(i));
  return labels;
}

std::string band_name(const WqkvBand& band) {
  return std::string(part_name(band.part)) + std::to_string(band.head + 1);
}

// A grid of `m` with its cells filled when `filled`.
SheetGrid grid_of(const NamedMatrix& m, std::string title, bool filled, bool given) {
  SheetGrid g;
  g.title = std::move(title);
  g.rows = m.values.rows();
  g.cols = m.values.cols();
  g.row_labels = numbered(g.rows);
  g.col_labels = numbered(g.cols);
  g.row_heads.assign(static_cast<std::size_t>(g.rows), -1);
  g.band_starts.assign(static_cast<std::size_t>(g.rows), false);
  g.given = given;
  const int decimals = cell_decimals(m.name, m.values);
  for (Eigen::Index r = 0; r < g.rows; ++r)
    for (Eigen::Index c = 0; c < g.cols; ++c) {
      g.answers.push_back(cell_text(m.values(r, c), decimals));
      g.cells.push_back(filled ? g.answers.back() : "");
    }
  return g;
}

// Rows of Wqkv and QKV: each labelled with its band ("q1", "k2"), coloured
// by the query head it serves, with a rule where a band starts.
void label_bands(SheetGrid& g, const Shape& shape, WqkvLayout layout) {
  for (const WqkvBand& band : wqkv_bands(shape, layout))
    for (std::int64_t r = 0; r < shape.head_dim; ++r) {
      const auto row = static_cast<std::size_t>(band.first_row + r);
      g.row_labels[row] = band_name(band);
      g.row_heads[row] = static_cast<int>(
          band.part == Part::q ? band.head : band.head * shape.queries_per_kv_head());
      g.band_starts[row] = r == 0 && band.first_row > 0;
    }
}

SheetBlock block(SheetGrid grid) {
  SheetBlock b;
  b.kind = SheetBlock::Kind::grid;
  b.grid = std::move(grid);
  return b;
}
SheetBlock text_block(SheetBlock::Kind kind, std::string text) {
  SheetBlock b;
  b.kind = kind;
  b.text = std::move(text);
  return b;
}

std::string values_text(const TraceOptions& options) {
  if (options.values == ValueMode::sentence) return "the example sentence";
  return std::string(value_mode_label(options.values)) + " values, seed " +
         std::to_string(options.seed);
}

std::string heads_text(const Shape& s) {
  return s.heads == 1 ? fmt::format("one head of dh = {}", s.head_dim)
                      : fmt::format("H = {} heads of dh = {}", s.heads, s.head_dim);
}

void add_questions(Worksheet& sheet, const Shape& shape, const Shape& one_head, bool answers) {
  sheet.blocks.push_back(text_block(SheetBlock::Kind::heading, "Counting"));
  std::vector<Shape> shapes{one_head};
  if (!(one_head == shape)) shapes.push_back(shape);
  char letter = 'a';
  for (const Shape& s : shapes) {
    const StageCounts scores = count(s)[Stage::scores];
    const std::string blank = "__________";
    auto answer = [&](std::int64_t v) { return answers ? with_separators(v) : blank; };
    sheet.blocks.push_back(text_block(
        SheetBlock::Kind::line,
        fmt::format("{}) With {}: how many score dot products k·q are there? {}", letter++,
                    heads_text(s), answer(scores.dot_products))));
    sheet.blocks.push_back(text_block(
        SheetBlock::Kind::line,
        fmt::format("{}) With {}: how many multiplies do those dot products take? {}", letter++,
                    heads_text(s), answer(scores.multiplies))));
  }
}

} // namespace

Worksheet make_worksheet(const AttentionTrace& t, const Shape& one_head, bool answers,
                         const SheetLabels& labels) {
  const Shape& s = t.shape;
  Worksheet sheet;
  sheet.title = std::string("Attention by hand: worksheet") + (answers ? " (answers)" : "");
  sheet.subtitle = fmt::format("n = {} tokens, d = {}, {}{}{} · {}", s.seq, s.d_model,
                               heads_text(s),
                               s.kv_heads != s.heads ? fmt::format(", {} kv heads", s.kv_heads) : "",
                               s.causal ? ", causal" : "", values_text(t.options));
  const std::vector<std::string> token_labels =
      labels.tokens.size() == static_cast<std::size_t>(s.seq) ? labels.tokens
                                                              : numbered(s.seq, "t");
  auto with_tokens = [&](SheetGrid g, bool rows_too) {
    g.col_labels = token_labels;
    if (rows_too) g.row_labels = token_labels;
    return g;
  };

  auto& blocks = sheet.blocks;
  blocks.push_back(text_block(SheetBlock::Kind::line,
                              "Columns are tokens, rows are features. QKV = Wqkv · X: row r of "
                              "Wqkv times each column of X."));
  blocks.push_back(text_block(
      SheetBlock::Kind::line,
      fmt::format("For each head h: S_h = k_hᵀ · q_h (row = key, column = query); A_h = softmax "
                  "of S_h / √{} down each column, to 2 decimals; Z_h = v_h · A_h.",
                  s.head_dim)));
  blocks.push_back(text_block(SheetBlock::Kind::line,
                              "O = Wo · Z, where Z stacks Z_1 … Z_H; write Z and O to 2 decimals."));
  if (s.causal)
    blocks.push_back(text_block(SheetBlock::Kind::line,
                                "Causal: a key after its query is masked, so S and A are 0 there."));

  blocks.push_back(text_block(SheetBlock::Kind::heading, "Given"));
  SheetGrid x = with_tokens(grid_of(t.X, "X: tokens as columns", true, true), false);
  if (labels.features.size() == static_cast<std::size_t>(s.d_model)) x.row_labels = labels.features;
  blocks.push_back(block(std::move(x)));
  SheetGrid wqkv = grid_of(t.Wqkv, "Wqkv", true, true);
  label_bands(wqkv, s, t.options.layout);
  blocks.push_back(block(std::move(wqkv)));
  SheetGrid wo = grid_of(t.Wo, "Wo", true, true);
  for (std::int64_t c = 0; c < wo.cols; ++c)
    wo.col_labels[static_cast<std::size_t>(c)] = "z" + std::to_string(c / s.head_dim + 1);
  blocks.push_back(block(std::move(wo)));

  blocks.push_back(text_block(SheetBlock::Kind::heading, "Compute"));
  SheetGrid qkv = with_tokens(grid_of(t.QKV, "QKV = Wqkv · X", answers, false), false);
  label_bands(qkv, s, t.options.layout);
  blocks.push_back(block(std::move(qkv)));
  for (const HeadTrace& head : t.heads) {
    const std::string h = std::to_string(head.head + 1);
    SheetGrid S = with_tokens(
        grid_of(head.S, "S_" + h + " = k_" + h + "ᵀ · q_" + h, answers, false), true);
    S.note = "rows: keys, columns: queries";
    SheetGrid A = with_tokens(grid_of(head.A, "A_" + h + " = softmax(S_" + h + " / √" +
                                                  std::to_string(s.head_dim) + ")",
                                      answers, false),
                              true);
    A.note = "each column sums to 1";
    SheetGrid Z = with_tokens(grid_of(head.Z, "Z_" + h + " = v_" + h + " · A_" + h, answers, false),
                              false);
    for (SheetGrid* g : {&S, &A, &Z}) {
      g->head = static_cast<int>(head.head);
      blocks.push_back(block(std::move(*g)));
    }
  }
  blocks.push_back(block(with_tokens(grid_of(t.O, "O = Wo · Z", answers, false), false)));
  add_questions(sheet, s, one_head, answers);
  return sheet;
}

} // namespace abh
