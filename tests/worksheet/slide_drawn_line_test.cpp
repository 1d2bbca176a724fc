// attention-by-hand --export slide.pdf|svg states how its drawing differs
// from the shape counted, in the line the PNG panels print (drawn_facts):
// MLA drawn as its per-head equivalent Wqkv with what it caches, one
// sequence of a batch; no line when the drawing is the shape.

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/drawn_facts.hpp"
#include "core/trace.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/test_files.hpp"
#include "tests/worksheet/document_tools.hpp"

namespace abh {
namespace {

using document_tools::pdf_text;
using document_tools::tool_output;
using test_support::Outcome;
using test_support::quote;
using test_support::run_binary;
using test_support::TempDir;

// The slide's text, from pdftotext or the SVG's text layer, on one line.
std::string slide_text(const std::string& name, const std::string& shape_flags) {
  TempDir dir;
  EXPECT_TRUE(dir.ok());
  const std::string path = dir / name;
  const Outcome r = run_binary("--export " + quote(path) + " " + shape_flags);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string text = name.ends_with(".pdf")
                         ? pdf_text(path, dir)
                         : tool_output("xmllint --xpath \"//*[local-name()='text']\" " + quote(path), dir);
  for (char& c : text)
    if (c == '\n') c = ' ';
  return text;
}

const std::string mla_flags =
    "--seq 8 --d-model 32 --heads 4 --head-dim 8 --mla-kv-rank 8 --mla-rope-dim 2";

TEST(SlideDrawnLine, MlaSaysItIsDrawnAsItsPerHeadEquivalentAndWhatItCaches) {
  Shape s = test::make_shape(8, 32, 4, 8, 4);
  s.mla = {0, 8, 2, MlaForm::naive};
  DrawnFacts facts = drawn_facts(s, drawn_shape(s), 4);
  facts.mla_multiplied_out = true;
  const std::string line = drawn_line(facts);
  ASSERT_NE(line.find("per-head equivalent Wqkv"), std::string::npos) << line;
  ASSERT_NE(line.find("dc+dr = 8+2 = 10 per token"), std::string::npos) << line;
  for (const char* name : {"mla.pdf", "mla.svg"}) {
    SCOPED_TRACE(name);
    const std::string text = slide_text(name, mla_flags);
    // pdftotext may break the line where it is long: its clauses each appear.
    for (const char* clause : {"MLA drawn as its per-head equivalent Wqkv", "dc+dr = 8+2 = 10 per token",
                               "RoPE's rotation is not drawn", "counts are for the full size"})
      EXPECT_NE(text.find(clause), std::string::npos) << clause << " in:\n" << text;
  }
}

TEST(SlideDrawnLine, ABatchSaysOneSequenceIsDrawnAndAPlainShapeSaysNothing) {
  const std::string batch = slide_text("batch.pdf", test::small_shape_flags + " --batch 3");
  EXPECT_NE(batch.find("drawn: sequence 1 of 3; counts are for the full size"), std::string::npos)
      << batch;
  const std::string plain = slide_text("plain.pdf", test::small_shape_flags);
  EXPECT_EQ(plain.find("counts are for the full size"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("MLA"), std::string::npos) << plain;
}

} // namespace
} // namespace abh
