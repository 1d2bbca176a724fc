// attention-by-hand --export slide.pdf|slide.svg: the comparison slide as a
// vector document, read back with pdftotext, pdfinfo and xmllint.

#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/counts.hpp"
#include "core/number_format.hpp"
#include "tests/support/refusal.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/test_files.hpp"
#include "tests/worksheet/document_tools.hpp"

namespace abh {
namespace {

using document_tools::add_formatted;
using document_tools::numeric_tokens;
using document_tools::pdf_text;
using document_tools::tool_output;
using document_tools::trace_matrices_json;
using document_tools::Tokens;
using test_support::line_count;
using test_support::Outcome;
using test_support::quote;
using test_support::read_file;
using test_support::run_binary;
using test_support::TempDir;
using Json = nlohmann::json;

const std::string caption = "Same Wqkv, two slicings";

// Every value of both panels' matrices, as the slide prints them.
Tokens every_value(const std::string& shape_args) {
  Tokens values;
  for (const Json& m : trace_matrices_json(shape_args)) add_formatted(values, m);
  return values;
}

void expect_holds(const std::string& text, const std::vector<std::string>& phrases) {
  for (const std::string& phrase : phrases)
    EXPECT_NE(text.find(phrase), std::string::npos) << phrase << " in:\n" << text;
}

// At least as many occurrences of each number as the matrices hold.
void expect_values(const Tokens& found, const Tokens& expected) {
  ASSERT_GT(expected.size(), 3u);
  for (const auto& [token, n] : expected)
    EXPECT_GE(found.count(token) ? found.at(token) : 0, n) << token;
}

const std::vector<std::string> titles = {"1 head (dh = 6)", "2 heads (dh = 3 each)",
                                         "Wqkv 18×6", "S_1 4×4", "A_2 4×4", "Z_2 3×4", "O 6×4"};

TEST(SlideFiles, PdfIsA16By9PageWithTitlesCaptionValuesAndCounts) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string pdf = dir / "slide.pdf";
  const Outcome r = run_binary("--export " + quote(pdf) + " --panel comparison --counts --caption " +
                               quote(caption) + " " + test::small_shape_flags);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(tool_output("pdfinfo " + quote(pdf), dir).find("1600 x 900 pts"), std::string::npos);
  const std::string text = pdf_text(pdf, dir);
  std::vector<std::string> phrases = titles;
  phrases.insert(phrases.end(), {caption, "Counts", "score dot products", "score memory"});
  expect_holds(text, phrases);
  Tokens expected = every_value(test::small_shape_flags);
  const Shape shape = [] {
    Shape s;
    s.seq = 4, s.d_model = 6, s.heads = 2, s.head_dim = 3, s.kv_heads = 2;
    return s;
  }();
  for (const Shape& s : {single_head_of(shape), shape})
    ++expected[with_separators(count(s).totals.matmul_multiplies)];
  expect_values(numeric_tokens(text), expected);
  EXPECT_EQ(text.find("values not printed"), std::string::npos);
}

TEST(SlideFiles, SvgIsWellFormedXmlWithTheSameText) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string svg = dir / "slide.svg"; // the comparison is the default for .svg
  const Outcome r = run_binary("--export " + quote(svg) + " --caption " + quote(caption) + " " + test::small_shape_flags);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  tool_output("xmllint --noout " + quote(svg), dir);
  EXPECT_NE(tool_output("xmllint --xpath 'string(/*/@viewBox)' " + quote(svg), dir).find("0 0 1600 900"),
            std::string::npos);
  // The text layer, through the XML parser: every <text> element's content.
  const std::string text = tool_output(
      "xmllint --xpath \"//*[local-name()='text']/text()\" " + quote(svg) + " | sed 's/\\xe2\\x88\\x92/-/g'", dir);
  expect_holds(text, titles);
  expect_holds(text, {caption});
  EXPECT_EQ(text.find("Counts"), std::string::npos); // no --counts
  // xmllint prints the text nodes back to back: compare per element instead.
  const std::string lines = tool_output(
      "xmllint --xpath \"//*[local-name()='text']\" " + quote(svg) +
          " | sed -e 's/<[^>]*>/ /g' -e 's/\\xe2\\x88\\x92/-/g'",
      dir);
  expect_values(numeric_tokens(lines), every_value(test::small_shape_flags));
}

TEST(SlideFiles, RefusalsAreOneLineExitTwoAndLeaveNoFile) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  test_support::write_file(dir / "kept.pdf", "an older slide");
  test_support::write_file(dir / "a_file", "x");
  struct Case {
    std::string args, message;
  };
  for (const Case& c : std::vector<Case>{
           {"--export " + quote(dir / "a_file/slide.pdf") + " " + test::small_shape_flags, "cannot write"},
           {"--export " + quote(dir / "missing/slide.svg") + " " + test::small_shape_flags, "cannot write"},
           {"--export " + quote(dir / "kept.pdf") + " --panel counts " + test::small_shape_flags, "only --panel comparison"},
           {"--export " + quote(dir / "kept.pdf") + " --seq 60000 --d-model 64 --heads 8 --head-dim 8",
            "budget"}}) {
    SCOPED_TRACE(c.args);
    test_support::expect_refused(run_binary(c.args), c.message);
  }
  EXPECT_EQ(read_file(dir / "kept.pdf"), "an older slide");
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    const std::string name = entry.path().filename();
    EXPECT_TRUE(name == "kept.pdf" || name == "a_file") << name;
  }
}

// GPT-2 small (n 1024, d 768, 12 heads of 64): block means keep both files
// small, and the slide says the values are not printed.
TEST(SlideFiles, LargeShapeStaysSmallAndSaysValuesAreNotPrinted) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string large = "--seq 1024 --d-model 768 --heads 12 --head-dim 64";
  for (const char* name : {"large.pdf", "large.svg"}) {
    SCOPED_TRACE(name);
    const std::string path = dir / name;
    const Outcome r = run_binary("--export " + quote(path) + " --counts " + large);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto bytes = std::filesystem::file_size(path);
    EXPECT_LT(bytes, 5u << 20);
    EXPECT_GT(bytes, 10u << 10);
    const std::string text = std::string(name).ends_with(".pdf")
                                 ? pdf_text(path, dir)
                                 : tool_output("xmllint --xpath \"//*[local-name()='text']\" " + quote(path), dir);
    expect_holds(text, {"values not printed", "more heads", "Wqkv 2304×768", "S_1 1024×1024"});
  }
}

} // namespace
} // namespace abh
