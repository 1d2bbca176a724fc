// count_report_json: exactly the documented keys, values equal to count().

#include <cstdint>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/cli/count_report.hpp"
#include "core/counts.hpp"

namespace abh {
namespace {

using Json = nlohmann::json;
using Keys = std::set<std::string>;

Keys keys_of(const Json& j) {
  Keys keys;
  if (!j.is_object()) return keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.insert(it.key());
  return keys;
}

const Keys count_keys{"dot_products", "multiplies", "adds", "exps", "divides"};

void expect_integer(const Json& j, const std::string& key, std::int64_t expected) {
  ASSERT_TRUE(j.contains(key)) << key;
  ASSERT_TRUE(j.at(key).is_number_integer()) << key << " = " << j.at(key).dump();
  EXPECT_EQ(j.at(key).get<std::int64_t>(), expected) << key;
}

void expect_counts_json(const Json& j, const Counts& c) {
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(keys_of(j), (Keys{"params", "stages", "totals", "memory"}));
  EXPECT_EQ(keys_of(j.at("params")), (Keys{"wqkv", "wo"}));
  expect_integer(j.at("params"), "wqkv", c.params.wqkv);
  expect_integer(j.at("params"), "wo", c.params.wo);
  const Json& stages = j.at("stages");
  EXPECT_EQ(keys_of(stages),
            (Keys{"projection", "scores", "scale", "softmax", "weighted_sum", "output"}));
  for (Stage stage : all_stages) {
    SCOPED_TRACE(std::string(stage_key(stage)));
    const Json& s = stages.at(std::string(stage_key(stage)));
    EXPECT_EQ(keys_of(s), count_keys);
    expect_integer(s, "dot_products", c[stage].dot_products);
    expect_integer(s, "multiplies", c[stage].multiplies);
    expect_integer(s, "adds", c[stage].adds);
    expect_integer(s, "exps", c[stage].exps);
    expect_integer(s, "divides", c[stage].divides);
  }
  const Json& totals = j.at("totals");
  // README documents these totals; matmul_multiplies are the multiplies
  // inside the four matmuls.
  EXPECT_EQ(keys_of(totals),
            (Keys{"multiplies", "adds", "exps", "divides", "flops", "matmul_multiplies"}));
  expect_integer(totals, "multiplies", c.totals.multiplies);
  expect_integer(totals, "adds", c.totals.adds);
  expect_integer(totals, "exps", c.totals.exps);
  expect_integer(totals, "divides", c.totals.divides);
  expect_integer(totals, "flops", c.totals.flops);
  expect_integer(totals, "matmul_multiplies", c.totals.matmul_multiplies);
  const Json& memory = j.at("memory");
  EXPECT_EQ(keys_of(memory),
            (Keys{"scores_elements", "kv_cache_elements", "kv_cache_bytes_per_token"}));
  expect_integer(memory, "scores_elements", c.memory.scores_elements);
  expect_integer(memory, "kv_cache_elements", c.memory.kv_cache_elements);
  const Json& kv_bytes = memory.at("kv_cache_bytes_per_token");
  EXPECT_EQ(keys_of(kv_bytes), (Keys{"fp32", "bf16", "int8"}));
  expect_integer(kv_bytes, "fp32", 4 * c.memory.kv_cache_per_token);
  expect_integer(kv_bytes, "bf16", 2 * c.memory.kv_cache_per_token);
  expect_integer(kv_bytes, "int8", c.memory.kv_cache_per_token);
}

void expect_report(const Shape& shape) {
  SCOPED_TRACE(describe(shape));
  const Json j = count_report_json(shape);
  ASSERT_TRUE(j.is_object());
  // variant_comparison is checked in variant_report_cli_test.cpp.
  Keys expected{"shape", "single", "multi", "variant_comparison"};
  if (j.contains("variant_comparison_notes")) expected.insert("variant_comparison_notes");
  EXPECT_EQ(keys_of(j), expected);
  const Json& s = j.at("shape");
  EXPECT_EQ(keys_of(s), (Keys{"seq", "d_model", "heads", "head_dim", "kv_heads", "causal"}));
  expect_integer(s, "seq", shape.seq);
  expect_integer(s, "d_model", shape.d_model);
  expect_integer(s, "heads", shape.heads);
  expect_integer(s, "head_dim", shape.head_dim);
  expect_integer(s, "kv_heads", shape.kv_heads);
  ASSERT_TRUE(s.at("causal").is_boolean());
  EXPECT_EQ(s.at("causal").get<bool>(), shape.causal);
  expect_counts_json(j.at("single"), count(single_head_of(shape)));
  expect_counts_json(j.at("multi"), count(shape));
  // The JSON text parses back to the same document.
  EXPECT_EQ(Json::parse(j.dump(2)), j);
}

TEST(ReportJson, WorkedExample) {
  expect_report(worked_example());
  const Json j = count_report_json(worked_example());
  EXPECT_EQ(j["single"]["stages"]["scores"]["dot_products"], 1600);
  EXPECT_EQ(j["multi"]["stages"]["scores"]["dot_products"], 4800);
  EXPECT_EQ(j["single"]["stages"]["scores"]["multiplies"], 57600);
  EXPECT_EQ(j["multi"]["stages"]["scores"]["multiplies"], 57600);
}

TEST(ReportJson, RandomShapesCausalGqaMqa) {
  std::mt19937_64 rng(2024);
  auto pick = [&](std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  };
  for (int i = 0; i < 40; ++i) {
    Shape s;
    s.seq = pick(1, 5000);
    s.d_model = pick(1, 4096);
    s.heads = pick(1, 64);
    s.head_dim = pick(1, 256);
    std::vector<std::int64_t> divisors;
    for (std::int64_t k = 1; k <= s.heads; ++k)
      if (s.heads % k == 0) divisors.push_back(k);
    s.kv_heads = divisors[static_cast<std::size_t>(pick(0, static_cast<std::int64_t>(divisors.size()) - 1))];
    s.causal = (rng() & 1) != 0;
    expect_report(s);
  }
}

TEST(ReportJson, LargeValuesStayExactIntegers) {
  Shape s;
  s.seq = 1'000'000;
  s.d_model = 8192;
  s.heads = 64;
  s.head_dim = 128;
  s.kv_heads = 8;
  expect_report(s);
  const Json j = count_report_json(s);
  EXPECT_EQ(j["multi"]["stages"]["scores"]["multiplies"].get<std::int64_t>(),
            std::int64_t{64} * 1'000'000 * 1'000'000 * 128);
}

// The checker above must be able to fail: a wrong value, an extra key and a
// count that is not an integer are each reported.
Json checked_json;
Counts checked_counts;

TEST(ReportJson, TheCheckerFindsAWrongValueAnExtraKeyAndANonInteger) {
  checked_counts = count(worked_example());
  checked_json = counts_json(checked_counts);
  checked_json["stages"]["scale"]["multiplies"] = checked_counts[Stage::scale].multiplies + 1;
  EXPECT_NONFATAL_FAILURE(expect_counts_json(checked_json, checked_counts), "multiplies");

  checked_json = counts_json(checked_counts);
  checked_json["totals"]["flops_per_token"] = 1;
  EXPECT_NONFATAL_FAILURE(expect_counts_json(checked_json, checked_counts), "flops_per_token");

  checked_json = counts_json(checked_counts);
  checked_json["params"]["wo"] = 1.5;
  EXPECT_FATAL_FAILURE(expect_counts_json(checked_json, checked_counts), "wo");

  // And the untouched JSON passes.
  expect_counts_json(counts_json(checked_counts), checked_counts);
}

TEST(ReportText, ShowsTheWorkedExampleNumbers) {
  const std::string text = count_report_text(worked_example());
  for (const char* needle : {"1,600", "4,800", "57,600", "n=40 d=36 H=3 dh=12", "dh=36"})
    EXPECT_NE(text.find(needle), std::string::npos) << needle;
  for (Stage stage : all_stages)
    EXPECT_NE(text.find(std::string(stage_title(stage))), std::string::npos) << stage_key(stage);
}

} // namespace
} // namespace abh
