// The report's comparison of MHA, GQA, MQA and MLA at the shape's width,
// through the real binary: the JSON entries are core's figures for Llama 3
// 8B's width, a missing GQA and a comparison that cannot be counted are
// stated as notes while the report still succeeds, and the text report has
// its table with the current variant marked.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/variant_comparison.hpp"
#include "tests/support/report_json.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/shapes.hpp"

namespace {

using abh::test_support::Outcome;
using nlohmann::json;

const std::string llama_width = "--seq 8 --causal --d-model 4096 --heads 32 --head-dim 128 --kv-heads 8";

TEST(VariantReportCli, JsonEntriesAreCoresFiguresAtLlama3Width) {
  const json j = abh::test_support::report_json(llama_width);
  const abh::VariantComparison c =
      abh::compare_variants(abh::test::make_shape(8, 4096, 32, 128, 8, true));
  const json& entries = j["variant_comparison"];
  ASSERT_EQ(entries.size(), 4u) << entries;
  EXPECT_FALSE(j.contains("variant_comparison_notes"));
  for (std::size_t i = 0; i < 4; ++i) {
    const abh::VariantFigures& f = c.variants[i];
    const json& e = entries[i];
    SCOPED_TRACE(e.dump());
    EXPECT_EQ(e["name"], abh::variant_name(f.variant));
    EXPECT_EQ(e["kv_heads"], f.shape.kv_heads);
    EXPECT_EQ(e["current"], f.current);
    EXPECT_EQ(e["kv_cache_bytes_per_token"],
              (json{{"fp32", f.kv_cache_bytes_per_token.fp32},
                    {"bf16", f.kv_cache_bytes_per_token.bf16},
                    {"int8", f.kv_cache_bytes_per_token.int8}}));
    EXPECT_DOUBLE_EQ(e["multiplies_per_token"].get<double>(), f.multiplies_per_token);
    EXPECT_EQ(e["score_memory"], f.score_memory);
    EXPECT_EQ(e["score_dot_products"], f.score_dot_products);
    EXPECT_EQ(e["attention_params"], f.attention_params);
  }
  // What a teacher reads off: GQA is this shape, caches a quarter of MHA, and
  // every variant scores the same pairs.
  EXPECT_EQ(entries[1]["name"], "GQA");
  EXPECT_EQ(entries[1]["current"], true);
  EXPECT_EQ(entries[0]["kv_cache_bytes_per_token"]["bf16"], 4 * entries[1]["kv_cache_bytes_per_token"]["bf16"].get<int>());
  EXPECT_EQ(entries[3]["kv_cache_bytes_per_token"]["bf16"], 2 * (512 + 64));
  for (const json& e : entries) EXPECT_EQ(e["score_dot_products"], entries[0]["score_dot_products"]);
}

TEST(VariantReportCli, MissingGqaAndAnUncountableVariantAreNotesNotFailures) {
  const json prime = abh::test_support::report_json("--heads 3");
  EXPECT_EQ(prime["variant_comparison"].size(), 3u);
  ASSERT_EQ(prime["variant_comparison_notes"].size(), 1u);
  EXPECT_NE(prime["variant_comparison_notes"][0].get<std::string>().find("GQA: H = 3 has no divisor"),
            std::string::npos);

  // One head over 2²⁸ tokens counts; MLA at V3's ratios at this width does not.
  const std::string huge = "--seq 268435456 --d-model 1000 --heads 1 --head-dim 16";
  const json j = abh::test_support::report_json(huge);
  EXPECT_TRUE(j["variant_comparison"].empty());
  ASSERT_EQ(j["variant_comparison_notes"].size(), 1u) << j["variant_comparison_notes"];
  EXPECT_EQ(j["variant_comparison_notes"][0].get<std::string>().rfind("MLA at this width: ", 0), 0u);
  const Outcome text = abh::test_support::run_binary("--report " + huge);
  EXPECT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("not compared: MLA at this width"), std::string::npos) << text.out;
}

TEST(VariantReportCli, TextReportHasTheTableWithThisShapeMarked) {
  const Outcome r = abh::test_support::run_binary("--report " + llama_width);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t table = r.out.find("MHA · GQA · MQA · MLA at this width");
  ASSERT_NE(table, std::string::npos) << r.out;
  const std::string rows = r.out.substr(table);
  EXPECT_NE(rows.find("GQA * Hkv 8"), std::string::npos) << rows;
  EXPECT_NE(rows.find("MHA   Hkv 32"), std::string::npos) << rows;
  EXPECT_NE(rows.find("16.00 KiB"), std::string::npos) << rows;
  EXPECT_NE(rows.find("4.00 KiB"), std::string::npos) << rows;
  EXPECT_NE(rows.find("512 B"), std::string::npos) << rows;
  EXPECT_NE(rows.find("dc 512 · dr 64 · dq 1536"), std::string::npos) << rows;
  EXPECT_NE(rows.find("* this shape"), std::string::npos) << rows;
}

} // namespace
