// The model gallery: the fixture parses into the figures worked by hand; every
// malformed or inconsistent entry is one line naming the model and field; the
// real assets/models.json parses and every entry validates; state files
// round-trip the variant fields and refuse bad ones.

#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/io/models_json.hpp"
#include "app/io/state_json.hpp"
#include "core/counts.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using nlohmann::json;

const char* const fixture = "tests/data/models_fixture.json";

json fixture_json() { return json::parse(test_support::read_file(fixture)); }

TEST(ModelsJson, FixtureParsesWithItsFigures) {
  const std::vector<GalleryModel> models = read_models_file(fixture);
  ASSERT_EQ(models.size(), 4u);
  EXPECT_EQ(models[0].model.key, "tiny-gqa");
  EXPECT_EQ(models[1].pattern, "5 sliding : 1 global, 2 linear");
  EXPECT_EQ(models[1].unverified, (std::vector<std::string>{"layer_kinds[0].window"}));
  EXPECT_FALSE(models[3].model.causal);
  EXPECT_TRUE(models[0].model.causal);
  const json gqa = model_figures_json(models[0].model);
  EXPECT_EQ(gqa["kv_cache_bytes_per_token"], (json{{"fp32", 1024}, {"bf16", 512}, {"int8", 256}}));
  EXPECT_EQ(gqa["attention_params"], 4 * ((8 * 16 + 2 * 2 * 16) * 64 + 64 * 128));
  const json hybrid = model_figures_json(models[1].model);
  EXPECT_EQ(hybrid["attention_layers"], 6);
  EXPECT_EQ(hybrid["kv_cache_bytes_per_token"]["int8"], 96);
  const Model& mla = models[2].model;
  EXPECT_EQ(mla.layer_kinds[0].v_head_dim, 8);
  EXPECT_EQ(model_figures_json(mla)["kv_cache_bytes_per_token"]["bf16"], 2 * 2 * (10 + 4));
}

TEST(ModelsJson, FindsByKeyNameOrUniquePart) {
  const std::vector<GalleryModel> models = read_models_file(fixture);
  EXPECT_EQ(find_model(models, "TINY-MLA").model.key, "tiny-mla");
  EXPECT_EQ(find_model(models, "tiny hybrid").model.key, "tiny-hybrid");
  EXPECT_EQ(find_model(models, "encod").model.key, "tiny-encoder");
  EXPECT_THROW(find_model(models, "llama"), std::runtime_error);
  try {
    find_model(models, "tiny");
    ADD_FAILURE();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("several"), std::string::npos);
  }
}

TEST(ModelsJson, MalformedEntriesAreRefusedInOneLine) {
  struct Bad {
    const char* name;
    std::function<void(json&)> change;
    const char* says;
  };
  const std::vector<Bad> bad{
      {"unknown model key", [](json& j) { j["models"][0]["heads"] = 3; }, "unknown key \"heads\""},
      {"unknown kind key", [](json& j) { j["models"][0]["layer_kinds"][0]["rope"] = 1; }, "unknown key \"rope\""},
      {"unknown top key", [](json& j) { j["extra"] = 1; }, "unknown key \"extra\""},
      {"Hkv not dividing H", [](json& j) { j["models"][0]["layer_kinds"][0]["kv_heads"] = 3; }, "does not divide"},
      {"window over context", [](json& j) { j["models"][1]["layer_kinds"][0]["window"] = 9999; }, "larger than the context"},
      {"zero kv rank", [](json& j) { j["models"][2]["layer_kinds"][0]["mla"]["kv_rank"] = 0; }, "rank of zero"},
      {"zero rope rank", [](json& j) { j["models"][2]["layer_kinds"][0]["mla"]["rope_dim"] = 0; }, "rank of zero"},
      {"nope + rope ≠ head_dim", [](json& j) { j["models"][2]["layer_kinds"][0]["mla"]["nope_dim"] = 9; }, "nope_dim + rope_dim"},
      {"missing heads", [](json& j) { j["models"][0]["layer_kinds"][0].erase("heads"); }, "missing \"heads\""},
      {"negative count", [](json& j) { j["models"][0]["layer_kinds"][0]["count"] = -1; }, "count"},
      {"counts not summing", [](json& j) { j["models"][0]["layers"] = 5; }, "sum to 4"},
      {"unknown kind", [](json& j) { j["models"][0]["layer_kinds"][0]["kind"] = "local"; }, "global, sliding or linear"},
      {"bad key", [](json& j) { j["models"][0]["key"] = "Tiny GQA"; }, "lowercase"},
      {"duplicate key", [](json& j) { j["models"][1]["key"] = "tiny-gqa"; }, "twice"},
      {"wrong schema", [](json& j) { j["schema"] = 2; }, "schema"},
      {"models not a list", [](json& j) { j["models"] = 1; }, "list"},
      {"text not text", [](json& j) { j["models"][0]["name"] = 5; }, "name"},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.name);
    json j = fixture_json();
    b.change(j);
    try {
      models_from_json(j);
      ADD_FAILURE() << "accepted";
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(b.says), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
  EXPECT_THROW(read_models_file("tests/data/no_such_models.json"), std::runtime_error);
}

// The shipped gallery (written separately) parses, and every entry it holds
// validates and has figures; passes for any number of entries from one.
TEST(ModelsJson, ShippedGalleryParsesAndEveryEntryValidates) {
  const std::string path = "assets/models.json";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  std::vector<GalleryModel> models;
  ASSERT_NO_THROW(models = read_models_file(path));
  ASSERT_GE(models.size(), 1u);
  for (const GalleryModel& g : models) {
    SCOPED_TRACE(g.model.key);
    EXPECT_NO_THROW(validate_model(g.model));
    const json figures = model_figures_json(g.model);
    EXPECT_GT(figures["attention_layers"].get<std::int64_t>(), 0);
    EXPECT_GT(figures["kv_cache_bytes_per_token"]["int8"].get<std::int64_t>(), 0);
    EXPECT_FALSE(g.sources.empty() && g.unverified.empty()) << "no source and nothing marked unverified";
  }
}

// The whole-model KV cache per token at bf16, worked out by hand from each
// model's public config in docs/models.md: the app must compute the same.
TEST(ModelsJson, ShippedKvCachePerTokenMatchesTheConfigArithmetic) {
  const std::vector<std::pair<std::string, std::int64_t>> by_hand{
      {"gpt-2-small", 12 * 2 * 12 * 64 * 2},          {"gpt-2-xl", 48 * 2 * 25 * 64 * 2},
      {"bert-base", 12 * 2 * 12 * 64 * 2},            {"llama-2-7b", 32 * 2 * 32 * 128 * 2},
      {"llama-3-8b", 32 * 2 * 8 * 128 * 2},           {"llama-3-70b", 80 * 2 * 8 * 128 * 2},
      {"mistral-7b-v0.1", 32 * 2 * 8 * 128 * 2},      {"gemma-3-12b", 48 * 2 * 8 * 256 * 2},
      {"gemma-4-31b", 50 * 2 * 16 * 256 * 2 + 10 * 2 * 4 * 512 * 2},
      {"gemma-4-e2b", 12 * 2 * 1 * 256 * 2 + 3 * 2 * 1 * 512 * 2},
      {"gpt-oss-120b", 36 * 2 * 8 * 64 * 2},          {"qwen3.6-27b", 16 * 2 * 4 * 256 * 2},
      {"deepseek-v3", 61 * (512 + 64) * 2},           {"kimi-k2.6", 61 * (512 + 64) * 2},
      {"glm-5.1", 78 * (512 + 64) * 2}};
  const std::vector<GalleryModel> models = read_models_file("assets/models.json");
  for (const auto& [key, bytes] : by_hand) {
    SCOPED_TRACE(key);
    const json figures = model_figures_json(find_model(models, key).model);
    EXPECT_EQ(figures["kv_cache_bytes_per_token"]["bf16"].get<std::int64_t>(), bytes);
    EXPECT_EQ(figures["kv_cache_bytes_per_token"]["fp32"].get<std::int64_t>(), 2 * bytes);
  }
}

TEST(StateJsonVariants, VariantFieldsRoundTrip) {
  AppState s;
  s.shape = test::with_mla(test::with_variant(test::make_shape(9, 8, 4, 6, 4, true), 1, 2, 5, 3), 7,
                           5, 2, MlaForm::absorbed);
  const json j = state_to_json(s);
  EXPECT_EQ(j["shape"]["mla"]["form"], "absorbed");
  EXPECT_EQ(state_from_json(j).shape, s.shape);
  // A default shape writes none of the variant fields.
  EXPECT_FALSE(state_to_json(AppState{})["shape"].contains("queries"));
  EXPECT_FALSE(state_to_json(AppState{})["shape"].contains("mla"));
}

TEST(StateJsonVariants, BadVariantFieldsAreRefused) {
  const std::vector<std::pair<json, const char*>> bad{
      {{{"shape", {{"seq", 4}, {"queries", 5}}}}, "shape.queries"},
      {{{"shape", {{"batch", 0}}}}, "shape.batch"},
      {{{"shape", {{"window", -1}}}}, "shape.window"},
      {{{"shape", {{"window", "wide"}}}}, "shape.window"},
      {{{"shape", {{"v_head_dim", -3}}}}, "shape.v_head_dim"},
      {{{"shape", {{"mla", 3}}}}, "shape.mla"},
      {{{"shape", {{"mla", {{"kv_rank", 4}, {"form", "folded"}}}}}}, "naive or absorbed"},
      {{{"shape", {{"heads", 4}, {"kv_heads", 2}, {"mla", {{"kv_rank", 4}}}}}}, "shape.kv_heads"},
      {{{"shape", {{"mla", {{"rope_dim", 2}}}}}}, "shape.mla.kv_rank"},
  };
  for (const auto& [j, says] : bad) {
    SCOPED_TRACE(j.dump());
    try {
      state_from_json(j);
      ADD_FAILURE() << "accepted";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  }
}

} // namespace
} // namespace abh
