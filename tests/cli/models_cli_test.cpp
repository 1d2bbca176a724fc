// The command line's variants and models, through the real binary: decode
// steps, windows, batches and MLA flags; --model, --layer-kind and
// --list-models over a fixture gallery (--models FILE); the report's KV cache
// bytes; and every refusal as one line with exit code 2.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/cli/count_report.hpp"
#include "core/counts.hpp"
#include "tests/support/refusal.hpp"
#include "tests/support/report_json.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/shapes.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using abh::test_support::line_count;
using abh::test_support::Outcome;
using nlohmann::json;

const std::string models = " --models tests/data/models_fixture.json";

using abh::test_support::expect_refused;

// A decode step: one query against 32,768 cached keys, counted exactly.
TEST(ModelsCli, DecodeStepCountsExactly) {
  const json j = abh::test_support::report_json("--seq 32768 --queries 1 --causal --d-model 4096 --heads 32 --head-dim 128 --kv-heads 8");
  const json& multi = j["multi"];
  EXPECT_EQ(j["shape"]["queries"], 1);
  EXPECT_EQ(multi["stages"]["scores"]["dot_products"], 32 * 32768);
  EXPECT_EQ(multi["stages"]["scores"]["multiplies"], std::int64_t{32} * 32768 * 128);
  EXPECT_EQ(multi["stages"]["softmax"]["exps"], 32 * 32768);
  EXPECT_EQ(multi["stages"]["softmax"]["adds"], 32 * 32767);
  EXPECT_EQ(multi["stages"]["weighted_sum"]["multiplies"], std::int64_t{32} * 128 * 32768);
  EXPECT_EQ(multi["stages"]["projection"]["multiplies"], std::int64_t{(32 + 16) * 128} * 4096);
  EXPECT_EQ(multi["stages"]["output"]["multiplies"], std::int64_t{4096} * 4096);
  EXPECT_EQ(multi["memory"]["kv_cache_elements"], std::int64_t{2} * 8 * 128 * 32768);
  EXPECT_EQ(multi["memory"]["kv_cache_bytes_per_token"],
            (json{{"fp32", 8192}, {"bf16", 4096}, {"int8", 2048}}));
  // The report is count() of the same shape, stage for stage.
  abh::Shape shape = abh::test::make_shape(32768, 4096, 32, 128, 8, true);
  shape.queries = 1;
  EXPECT_EQ(multi, abh::counts_json(abh::count(shape)));
}

TEST(ModelsCli, WindowBatchAndVWidthReachTheCounts) {
  const json j = abh::test_support::report_json("--seq 10 --causal --window 3 --batch 2 --v-head-dim 5");
  abh::Shape s = abh::test::with_variant(abh::worked_example(), 0, 2, 3, 5);
  s.seq = 10;
  s.causal = true;
  EXPECT_EQ(j["multi"], abh::counts_json(abh::count(s)));
  EXPECT_EQ(j["multi"]["stages"]["scores"]["dot_products"], 2 * 3 * (1 + 2 + 3 * 8));
}

TEST(ModelsCli, MlaFlagsListTheFormsStages) {
  const std::string shape = "--seq 6 --causal --d-model 8 --heads 2 --kv-heads 2 --head-dim 5 "
                            "--mla-kv-rank 4 --mla-rope-dim 2 --mla-q-rank 3";
  const json naive = abh::test_support::report_json(shape);
  const json absorbed = abh::test_support::report_json(shape + " --mla-form absorbed");
  EXPECT_TRUE(naive["multi"]["stages"].contains("kv_up"));
  EXPECT_FALSE(naive["multi"]["stages"].contains("latent_scores"));
  EXPECT_TRUE(absorbed["multi"]["stages"].contains("latent_scores"));
  EXPECT_TRUE(absorbed["multi"]["stages"].contains("value_up"));
  EXPECT_EQ(absorbed["shape"]["mla"]["form"], "absorbed");
  EXPECT_EQ(naive["multi"]["memory"]["kv_cache_bytes_per_token"]["int8"], 4 + 2);
  EXPECT_EQ(naive["multi"]["stages"]["scores"]["dot_products"],
            absorbed["multi"]["stages"]["latent_scores"]["dot_products"]);
}

TEST(ModelsCli, ModelSetsTheShapeAndAddsTheModelSection) {
  const Outcome r = abh::test_support::run_binary("--report --json --model tiny-hybrid" + models);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("layer kind 1 of 3"), std::string::npos) << r.err; // says what it picked
  const json j = json::parse(r.out);
  EXPECT_EQ(j["shape"]["d_model"], 32);
  EXPECT_EQ(j["shape"]["heads"], 4);
  EXPECT_EQ(j["shape"]["kv_heads"], 1);
  EXPECT_EQ(j["shape"]["window"], 512);
  EXPECT_EQ(j["shape"]["causal"], true);
  const json& m = j["model"];
  for (const char* key : {"name", "layers", "attention_layers", "kv_cache_bytes_per_token",
                          "attention_params", "context"})
    EXPECT_TRUE(m.contains(key)) << key;
  EXPECT_EQ(m["name"], "Tiny Hybrid");
  EXPECT_EQ(m["layers"], 8);
  EXPECT_EQ(m["attention_layers"], 6);
  EXPECT_EQ(m["kv_cache_bytes_per_token"], (json{{"fp32", 384}, {"bf16", 192}, {"int8", 96}}));
  EXPECT_EQ(m["attention_params"], 17408);
  EXPECT_EQ(m["context"], 4096);
  EXPECT_EQ(m["layer_kind"]["index"], 1);
}

TEST(ModelsCli, LayerKindAndFlagsOverTheModel) {
  const json global = abh::test_support::report_json("--model TINY-HYBRID --layer-kind global --seq 64" + models);
  EXPECT_EQ(global["shape"]["kv_heads"], 2);
  EXPECT_EQ(global["shape"]["v_head_dim"], 16);
  EXPECT_FALSE(global["shape"].contains("window"));
  EXPECT_EQ(global["shape"]["seq"], 64);
  EXPECT_EQ(global["model"]["layer_kind"]["kind"], "global");
  const json second = abh::test_support::report_json("--model hybrid --layer-kind 2 --kv-heads 4" + models);
  EXPECT_EQ(second["shape"]["kv_heads"], 4); // a flag given overrides the model
  const json mla = abh::test_support::report_json("--model tiny-mla --mla-form absorbed --queries 1 --seq 100" + models);
  EXPECT_EQ(mla["shape"]["mla"]["kv_rank"], 10);
  EXPECT_EQ(mla["multi"]["memory"]["kv_cache_bytes_per_token"]["fp32"], 4 * (10 + 4));
  EXPECT_EQ(mla["model"]["kv_cache_bytes_per_token"]["fp32"], 2 * 4 * (10 + 4));
  EXPECT_EQ(mla["multi"]["stages"]["latent_scores"]["dot_products"], 4 * 100);
  const json encoder = abh::test_support::report_json("--model encoder" + models);
  EXPECT_EQ(encoder["shape"]["causal"], false);
}

// The text report names the score memory by the shape: one query row per
// head at decode, n per head in a prefill, B sequences when batched.
TEST(ModelsCli, TextReportNamesScoreMemoryByTheShape) {
  const auto scores_line = [](const std::string& args) {
    const Outcome r = abh::test_support::run_binary("--report --seq 64 --d-model 32 --heads 4 " + args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    const std::size_t at = r.out.find("  scores ");
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_NE(scores_line("").find("scores H·n² "), std::string::npos);
  EXPECT_NE(scores_line("--queries 1").find("scores H·n_q·n "), std::string::npos);
  const std::string batched = scores_line("--batch 3");
  EXPECT_NE(batched.find("scores B·H·n² "), std::string::npos) << batched;
  EXPECT_NE(batched.find(" 49,152 "), std::string::npos) << batched; // 3·4·64²
}

TEST(ModelsCli, TextReportNamesTheModel) {
  const Outcome r = abh::test_support::run_binary("--report --model tiny-gqa" + models);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("model: tiny-gqa: Tiny GQA"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("KV cache per token"), std::string::npos) << r.out;
}

TEST(ModelsCli, ListModels) {
  const Outcome names = abh::test_support::run_binary("--list-models" + models);
  ASSERT_EQ(names.exit_code, 0) << names.err;
  EXPECT_EQ(names.out, "Tiny GQA\nTiny Hybrid\nTiny MLA\nTiny Encoder\n");
  const Outcome figures = abh::test_support::run_binary("--list-models --json" + models);
  ASSERT_EQ(figures.exit_code, 0) << figures.err;
  const json list = json::parse(figures.out);
  ASSERT_EQ(list.size(), 4u);
  EXPECT_EQ(list[0]["name"], "Tiny GQA");
  EXPECT_EQ(list[0]["kv_cache_bytes_per_token"]["fp32"], 1024);
}

TEST(ModelsCli, RefusalsAreOneLine) {
  expect_refused(abh::test_support::run_binary("--report --model llama" + models), "unknown model");
  expect_refused(abh::test_support::run_binary("--report --model tiny" + models), "several");
  expect_refused(abh::test_support::run_binary("--report --model tiny-hybrid --layer-kind 3" + models), "linear");
  expect_refused(abh::test_support::run_binary("--report --model tiny-gqa --layer-kind sliding" + models), "no sliding");
  expect_refused(abh::test_support::run_binary("--report --model tiny-gqa --layer-kind 7" + models), "1 to 1");
  expect_refused(abh::test_support::run_binary("--report --layer-kind 1"), "--layer-kind needs --model");
  expect_refused(abh::test_support::run_binary("--report --model tiny-gqa --models tests/data/no_such.json"), "cannot read");
  expect_refused(abh::test_support::run_binary("--report --model tiny-gqa --kv-heads 3" + models), "--kv-heads");
  expect_refused(abh::test_support::run_binary("--report --seq 8 --queries 9"), "--queries");
  expect_refused(abh::test_support::run_binary("--report --batch 0"), "--batch");
  expect_refused(abh::test_support::run_binary("--report --window -1"), "--window");
  expect_refused(abh::test_support::run_binary("--report --mla-kv-rank 4 --kv-heads 1"), "--kv-heads");
  expect_refused(abh::test_support::run_binary("--report --mla-rope-dim 2"), "--mla-kv-rank");
  expect_refused(abh::test_support::run_binary("--report --mla-form folded"), "--mla-form");
  expect_refused(abh::test_support::run_binary("--list-models --report"), "choose one");
}

// A state file keeps the chosen model's key: a key the gallery has loads, an
// unknown one (or a layer kind it lacks) is one line and exit 2.
TEST(ModelsCli, AStateFilesModelKeyIsChecked) {
  abh::test_support::TempDir dir;
  const auto state = [&](const std::string& key, int kind) {
    const std::string path = dir / (key + std::to_string(kind) + ".json");
    abh::test_support::write_file(
        path, json{{"model", {{"key", key}, {"layer_kind", kind}}}}.dump());
    return " --load " + path;
  };
  EXPECT_EQ(abh::test_support::run_binary("--report" + state("tiny-gqa", 0) + models).exit_code, 0);
  expect_refused(abh::test_support::run_binary("--report" + state("no-such-model", 0) + models), "\"no-such-model\" is not in");
  expect_refused(abh::test_support::run_binary("--report" + state("tiny-hybrid", 2) + models), "no attention layer kind 3");
  expect_refused(abh::test_support::run_binary("--report" + state("tiny-gqa", 4) + models), "no attention layer kind 5");
}

} // namespace
