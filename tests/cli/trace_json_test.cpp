// attention-by-hand --trace --json: every matrix of both computations, named
// as on screen, equal to the core trace; a size limit; the example sentence.

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/shapes.hpp"
#include "app/io/trace_json.hpp"
#include "core/example_sentence.hpp"
#include "core/trace.hpp"
#include "tests/support/run_binary.hpp"

namespace abh {
namespace {

using test_support::line_count;
using test_support::Outcome;
using test_support::run_binary;
using Json = nlohmann::json;

Json trace_of(const std::string& args) {
  const Outcome r = run_binary("--trace --json " + args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  Json j;
  EXPECT_NO_THROW(j = Json::parse(r.out)) << r.out.substr(0, 200);
  return j;
}

std::vector<const NamedMatrix*> screen_order(const AttentionTrace& t) {
  std::vector<const NamedMatrix*> out{&t.X, &t.Wqkv, &t.QKV};
  for (const HeadTrace& h : t.heads) out.insert(out.end(), {&h.S, &h.A, &h.Z});
  out.insert(out.end(), {&t.Z, &t.Wo, &t.O});
  return out;
}

// The JSON lists the one-head panel, then the heads panel, each in screen
// order, with values equal to the core's trace (to float rounding).
void expect_matches(const Json& j, const Shape& shape, const TraceOptions& options) {
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j.size(), 1u);
  const Json& matrices = j.at("matrices");
  const AttentionTrace one = compute_trace(single_head_of(shape), options);
  const AttentionTrace many = compute_trace(shape, options);
  std::vector<std::pair<std::string, const NamedMatrix*>> expected;
  for (const NamedMatrix* m : screen_order(one)) expected.emplace_back("one-head", m);
  for (const NamedMatrix* m : screen_order(many)) expected.emplace_back("heads", m);
  ASSERT_EQ(matrices.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const Json& m = matrices.at(i);
    const auto& [panel, matrix] = expected[i];
    SCOPED_TRACE(panel + " " + matrix->name);
    EXPECT_EQ(m.at("panel"), panel);
    EXPECT_EQ(m.at("name"), matrix->name);
    ASSERT_EQ(m.at("rows").get<Eigen::Index>(), matrix->values.rows());
    ASSERT_EQ(m.at("cols").get<Eigen::Index>(), matrix->values.cols());
    const Json& values = m.at("values");
    ASSERT_EQ(values.size(), static_cast<std::size_t>(matrix->values.size()));
    for (Eigen::Index r = 0; r < matrix->values.rows(); ++r)
      for (Eigen::Index c = 0; c < matrix->values.cols(); ++c) {
        const double want = matrix->values(r, c);
        const double got = values.at(static_cast<std::size_t>(r * matrix->values.cols() + c)).get<double>();
        ASSERT_NEAR(got, want, 1e-6 * std::max(1.0, std::abs(want))) << r << "," << c;
      }
  }
}

Shape shape_of(std::int64_t n, std::int64_t d, std::int64_t H, std::int64_t dh, std::int64_t kv) {
  return test::make_shape(n, d, H, dh, kv);
}

TEST(TraceJson, NamesDimensionsAndValuesOfBothPanels) {
  expect_matches(trace_of("--seq 4 --d-model 6 --heads 2 --head-dim 3"), shape_of(4, 6, 2, 3, 2),
                 TraceOptions{});
}

TEST(TraceJson, ValueModesSeedsLayoutsAndVariants) {
  TraceOptions gaussian;
  gaussian.values = ValueMode::gaussian;
  gaussian.seed = 7;
  gaussian.layout = WqkvLayout::blocks;
  expect_matches(trace_of("--seq 5 --d-model 8 --heads 4 --head-dim 2 --kv-heads 2 --values "
                          "gaussian --seed 7 --layout blocks"),
                 shape_of(5, 8, 4, 2, 2), gaussian);
  Shape causal = shape_of(6, 6, 3, 2, 3);
  causal.causal = true;
  TraceOptions small;
  small.values = ValueMode::small_integers;
  expect_matches(trace_of("--seq 6 --d-model 6 --heads 3 --head-dim 2 --causal --values "
                          "small_integers"),
                 causal, small);
}

TEST(TraceJson, ByHandOperandsAreJsonIntegers) {
  const Json j = trace_of("--seq 4 --d-model 6 --heads 2 --head-dim 3");
  for (const Json& m : j.at("matrices")) {
    const std::string name = m.at("name");
    if (name != "X" && name != "Wqkv" && name != "QKV" && name != "Wo" && name.rfind("S_", 0) != 0)
      continue;
    for (const Json& v : m.at("values")) ASSERT_TRUE(v.is_number_integer()) << name << " " << v;
  }
}

TEST(TraceJson, TheExampleSentence) {
  TraceOptions sentence;
  sentence.values = ValueMode::sentence;
  expect_matches(trace_of("--example sentence"), example_sentence().shape, sentence);
}

TEST(TraceJson, RefusesShapesOverTheLimitWithOneLine) {
  // The largest n at d 36, H 3, dh 12 under the limit is accepted; one more is refused.
  Shape shape = worked_example();
  while (trace_json_elements(shape) <= trace_json_element_limit) ++shape.seq;
  const Outcome over = run_binary("--trace --json --seq " + std::to_string(shape.seq));
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_TRUE(over.out.empty());
  EXPECT_EQ(line_count(over.err), 1u) << over.err;
  EXPECT_NE(over.err.find("too large for --trace"), std::string::npos) << over.err;
  const Outcome under = run_binary("--trace --json --seq " + std::to_string(shape.seq - 1));
  EXPECT_EQ(under.exit_code, 0) << under.err;
  EXPECT_TRUE(Json::accept(under.out));
}

TEST(TraceJson, FlagMistakesGetOneLineAndExitTwo) {
  for (const std::string args :
       {"--trace", "--trace --json --report", "--trace --json --worksheet x.pdf",
        "--trace --json --example sentence --seq 8", "--trace --json --example sentence --values gaussian",
        "--trace --json --example paragraph", "--answers", "--paper a4"}) {
    SCOPED_TRACE(args);
    const Outcome r = run_binary(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty());
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("attention-by-hand: ", 0), 0u) << r.err;
  }
  EXPECT_NE(run_binary("--trace --json --example sentence --seq 8").err.find("drop --seq"),
            std::string::npos);
}

} // namespace
} // namespace abh
