// attention-by-hand --worksheet: the PDF and SVG it writes, read back with
// poppler's pdftotext and pdfinfo and libxml2's xmllint (scripts/
// install-deps.sh installs them; a missing tool fails these tests).

#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/worksheet/cell_format.hpp"
#include "core/counts.hpp"
#include "core/number_format.hpp"
#include "tests/support/refusal.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/test_files.hpp"
#include "tests/worksheet/document_tools.hpp"

namespace abh {
namespace {

using test_support::line_count;
using test_support::Outcome;
using test_support::quote;
using test_support::read_file;
using test_support::run_binary;
using test_support::TempDir;
using Json = nlohmann::json;
using document_tools::add_formatted;
using document_tools::heads_matrices;
using document_tools::minus;
using document_tools::numeric_tokens;
using document_tools::pdf_text;
using document_tools::tool_output;
using document_tools::Tokens;

bool is_input(const std::string& name) { return name == "X" || name == "Wqkv" || name == "Wo"; }


Shape parse_small_shape() {
  Shape s;
  s.seq = 4;
  s.d_model = 6;
  s.heads = 2;
  s.head_dim = 3;
  s.kv_heads = 2;
  return s;
}

TEST(WorksheetFiles, BlankSheetGivesInputsAndQuestionsAndNoResults) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const Outcome r = run_binary("--worksheet " + quote(dir / "blank.pdf") + " " + test::small_shape_flags);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string text = pdf_text(dir / "blank.pdf", dir);
  EXPECT_NE(text.find("worksheet"), std::string::npos);
  EXPECT_EQ(text.find("(answers)"), std::string::npos);
  std::size_t questions = 0;
  for (std::size_t at = 0; (at = text.find("how many", at)) != std::string::npos; ++at) ++questions;
  EXPECT_EQ(questions, 4u); // dot products and multiplies, for one head and for H heads
  // Every input value is on the sheet; no decimal number is (results only).
  Tokens inputs;
  for (const Json& m : heads_matrices(test::small_shape_flags))
    if (is_input(m.at("name"))) add_formatted(inputs, m);
  ASSERT_EQ(inputs.size(), 3u); // −1, 0 and 1
  const Tokens found = numeric_tokens(text);
  for (const auto& [token, n] : inputs) EXPECT_GE(found.count(token) ? found.at(token) : 0, n) << token;
  for (const auto& [token, n] : found) EXPECT_EQ(token.find('.'), std::string::npos) << token;
}

// The answer sheet differs from the blank one by exactly the result cells
// (every value of --trace --json's heads panel but the inputs and the
// stacked Z, as the sheet formats them) and the four counts.
TEST(WorksheetFiles, AnswerSheetAddsExactlyTheResultsAndTheCounts) {
  for (const std::string paper : {"a4", "letter"}) {
    SCOPED_TRACE(paper);
    TempDir dir;
    ASSERT_TRUE(dir.ok());
    ASSERT_EQ(run_binary("--worksheet " + quote(dir / "blank.pdf") + " --paper " + paper + " " +
                         test::small_shape_flags).exit_code, 0);
    ASSERT_EQ(run_binary("--worksheet " + quote(dir / "answers.pdf") + " --answers --paper " +
                         paper + " " + test::small_shape_flags).exit_code, 0);
    const Tokens added = minus(numeric_tokens(pdf_text(dir / "answers.pdf", dir)),
                               numeric_tokens(pdf_text(dir / "blank.pdf", dir)));
    Tokens expected;
    for (const Json& m : heads_matrices(test::small_shape_flags))
      if (!is_input(m.at("name")) && m.at("name") != "Z") add_formatted(expected, m);
    const Shape shape = parse_small_shape();
    for (const Shape& s : {single_head_of(shape), shape}) {
      ++expected[with_separators(count(s)[Stage::scores].dot_products)];
      ++expected[with_separators(count(s)[Stage::scores].multiplies)];
    }
    EXPECT_EQ(added, expected);
    EXPECT_NE(pdf_text(dir / "answers.pdf", dir).find("(answers)"), std::string::npos);
  }
}

TEST(WorksheetFiles, PaperSizesAndPages) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(run_binary("--worksheet " + quote(dir / "a4.pdf") + " " + test::small_shape_flags).exit_code, 0);
  ASSERT_EQ(run_binary("--worksheet " + quote(dir / "letter.pdf") + " --paper letter " + test::small_shape_flags)
                .exit_code, 0);
  EXPECT_NE(tool_output("pdfinfo " + quote(dir / "a4.pdf"), dir).find("595.276 x 841.89 pts"),
            std::string::npos);
  EXPECT_NE(tool_output("pdfinfo " + quote(dir / "letter.pdf"), dir).find("612 x 792 pts"),
            std::string::npos);
  // A larger exercise paginates.
  ASSERT_EQ(run_binary("--worksheet " + quote(dir / "large.pdf") +
                       " --seq 16 --d-model 12 --heads 3 --head-dim 4").exit_code, 0);
  const std::string info = tool_output("pdfinfo " + quote(dir / "large.pdf"), dir);
  static const std::regex pages(R"(Pages:\s+([0-9]+))");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(info, match, pages)) << info;
  EXPECT_GT(std::stoi(match[1]), 2);
}

TEST(WorksheetFiles, SvgIsWellFormedXml) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string svg = dir / "sheet.svg";
  ASSERT_EQ(run_binary("--worksheet " + quote(svg) + " --answers " + test::small_shape_flags).exit_code, 0);
  tool_output("xmllint --noout " + quote(svg), dir);
  EXPECT_NE(tool_output("xmllint --xpath 'name(/*)' " + quote(svg), dir).find("svg"),
            std::string::npos);
  // And xmllint does reject a truncated file, so the check above can fail.
  const std::string text = read_file(svg);
  test_support::write_file(dir / "cut.svg", text.substr(0, text.size() / 2));
  EXPECT_NE(std::system(("xmllint --noout " + quote(dir / "cut.svg") + " 2>/dev/null").c_str()), 0);
}

TEST(WorksheetFiles, ExampleSentenceNamesItsTokens) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_EQ(run_binary("--worksheet " + quote(dir / "s.pdf") + " --example sentence").exit_code, 0);
  const std::string text = pdf_text(dir / "s.pdf", dir);
  for (const char* word : {"the", "cat", "sat", "on", "mat", "example sentence"})
    EXPECT_NE(text.find(word), std::string::npos) << word;
}

TEST(WorksheetFiles, RefusalsAreOneLineAndLeaveNoFile) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  test_support::write_file(dir / "kept.pdf", "an older sheet");
  test_support::write_file(dir / "a_file", "x");
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--worksheet " + quote(dir / "kept.pdf"), "too large for a worksheet"},
           {"--worksheet " + quote(dir / "kept.pdf") + " --seq 17 --d-model 6 --heads 2 --head-dim 3",
            "too large for a worksheet"},
           {"--worksheet " + quote(dir / "a_file/sheet.pdf") + " " + test::small_shape_flags, "cannot write"},
           {"--worksheet " + quote(dir / "missing/sheet.pdf") + " " + test::small_shape_flags, "cannot write"},
           {"--worksheet " + quote(dir / "sheet.png") + " " + test::small_shape_flags, "must end in .pdf or .svg"},
           {"--worksheet " + quote(dir / "s.pdf") + " --paper a3 " + test::small_shape_flags, "--paper"}}) {
    SCOPED_TRACE(c.args);
    test_support::expect_refused(run_binary(c.args), c.message);
  }
  EXPECT_EQ(read_file(dir / "kept.pdf"), "an older sheet");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename();
    EXPECT_TRUE(name == "kept.pdf" || name == "a_file") << name;
  }
}

} // namespace
} // namespace abh
