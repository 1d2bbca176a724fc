// AppState to and from JSON (no window): a round trip keeps everything, and
// every refusal is one line naming what is wrong.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/io/state_json.hpp"
#include "tests/support/test_files.hpp"

namespace {

using abh::AppState;
using abh::state_from_json;
using abh::state_to_json;
using nlohmann::json;

AppState unusual_state() {
  AppState s;
  s.shape = {.seq = 17, .d_model = 24, .heads = 4, .head_dim = 9, .kv_heads = 2, .causal = true};
  s.trace.values = abh::ValueMode::gaussian;
  s.trace.seed = 12345678901ULL;
  s.trace.layout = abh::WqkvLayout::blocks;
  s.view.theme = abh::Theme::light;
  s.view.ui_size = 27.5f;
  s.view.keep_wqkv_height = false;
  s.view.show_values = false;
  s.view.memory_budget = 123456789;
  s.export_options = {.scale = 3, .panel = "counts", .caption = false, .folder = "/tmp/somewhere"};
  return s;
}

// The one-line message of state_from_json, or "" when it accepted.
std::string refusal(const json& j) {
  try {
    state_from_json(j);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

void expect_one_line_refusal(const json& j, const std::string& mentions) {
  const std::string message = refusal(j);
  EXPECT_FALSE(message.empty()) << "accepted: " << j.dump();
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NE(message.find(mentions), std::string::npos)
      << "\"" << message << "\" should mention \"" << mentions << "\" for " << j.dump();
}

TEST(StateJson, DefaultStateRoundTrips) {
  EXPECT_EQ(state_from_json(state_to_json(AppState{})), AppState{});
}

TEST(StateJson, EveryFieldRoundTrips) {
  const AppState s = unusual_state();
  EXPECT_EQ(state_from_json(state_to_json(s)), s);
  // And through text, as a file holds it.
  EXPECT_EQ(state_from_json(json::parse(state_to_json(s).dump(2))), s);
}

TEST(StateJson, MissingFieldsKeepDefaults) {
  EXPECT_EQ(state_from_json(json::object()), AppState{});
  const AppState s = state_from_json(json{{"shape", {{"heads", 4}, {"head_dim", 9}}}});
  EXPECT_EQ(s.shape.heads, 4);
  EXPECT_EQ(s.shape.head_dim, 9);
  EXPECT_EQ(s.shape.kv_heads, 4) << "kv_heads defaults to heads (multi-head attention)";
  EXPECT_EQ(s.shape.seq, abh::Shape{}.seq);
}

TEST(StateJson, AnExportSidecarLoads) {
  // Sidecars carry "image" and "drawn_matrices" too; they are ignored.
  json j = state_to_json(unusual_state());
  j["image"] = {{"file", "x.png"}, {"width", 10}, {"height", 10}};
  j["drawn_matrices"] = json::array();
  EXPECT_EQ(state_from_json(j), unusual_state());
}

TEST(StateJson, SelectedHeadOutOfRangeFallsBackToZero) {
  json j = state_to_json(AppState{});
  j["view"]["memory_budget"] = 1;
  EXPECT_THROW(state_from_json(j), std::runtime_error);
}

TEST(StateJson, RefusesANonObject) {
  expect_one_line_refusal(json::array({1, 2}), "object");
  expect_one_line_refusal(json(42), "object");
  expect_one_line_refusal(json("text"), "object");
  expect_one_line_refusal(json(nullptr), "object");
}

TEST(StateJson, RefusesFieldsOfTheWrongType) {
  for (const char* field : {"seq", "d_model", "heads", "head_dim", "kv_heads", "causal"}) {
    json j = state_to_json(AppState{});
    j["shape"][field] = json::array();
    expect_one_line_refusal(j, field);
  }
  {
    json j = state_to_json(AppState{});
    j["shape"]["heads"] = "three";
    expect_one_line_refusal(j, "heads");
  }
  for (const char* field : {"values", "seed", "layout"}) {
    json j = state_to_json(AppState{});
    j[field] = json::object();
    expect_one_line_refusal(j, field);
  }
  for (const char* field :
       {"theme", "ui_size", "keep_wqkv_height", "show_values", "memory_budget"}) {
    json j = state_to_json(AppState{});
    j["view"][field] = json::array();
    expect_one_line_refusal(j, field);
  }
  for (const char* field : {"scale", "panel", "caption", "folder"}) {
    json j = state_to_json(AppState{});
    j["export"][field] = json::array();
    expect_one_line_refusal(j, field);
  }
}

TEST(StateJson, RefusesAnInvalidShape) {
  struct Case {
    const char* field;
    std::int64_t value;
    const char* mentions;
  };
  for (const Case& c : {Case{"heads", 0, "shape.heads"}, Case{"seq", 0, "shape.seq"}, Case{"d_model", -1, "shape.d_model"},
                        Case{"head_dim", 0, "shape.head_dim"}, Case{"kv_heads", 0, "shape.kv_heads"},
                        Case{"kv_heads", 2, "shape.kv_heads"}}) {
    json j = state_to_json(AppState{});
    j["shape"][c.field] = c.value;
    expect_one_line_refusal(j, c.mentions);
    expect_one_line_refusal(j, "shape");
  }
}

TEST(StateJson, RefusesCountsThatOverflow) {
  json j = state_to_json(AppState{});
  j["shape"]["seq"] = std::int64_t{1} << 40;
  j["shape"]["d_model"] = std::int64_t{1} << 40;
  expect_one_line_refusal(j, "shape");
}

TEST(StateJson, RefusesUnknownNames) {
  {
    json j = state_to_json(AppState{});
    j["values"] = "uniform";
    expect_one_line_refusal(j, "values");
  }
  {
    json j = state_to_json(AppState{});
    j["layout"] = "interleaved";
    expect_one_line_refusal(j, "layout");
  }
}

TEST(StateJson, RefusesOutOfRangeSizes) {
  for (float size : {7.0f, 65.0f, -1.0f}) {
    json j = state_to_json(AppState{});
    j["view"]["ui_size"] = size;
    expect_one_line_refusal(j, "ui_size");
  }
  for (int scale : {0, 4, -2}) {
    json j = state_to_json(AppState{});
    j["export"]["scale"] = scale;
    expect_one_line_refusal(j, "scale");
  }
}

TEST(StateJson, RefusesSectionsThatAreNotObjects) {
  // {"shape": 5} is not a shape; loading it as the worked example would hide
  // a damaged file.
  for (const char* section : {"shape", "view", "export"}) {
    json j = state_to_json(AppState{});
    j[section] = 5;
    expect_one_line_refusal(j, section);
    j[section] = json::array();
    expect_one_line_refusal(j, section);
  }
}

TEST(StateJson, LoadStateFileReadsAFile) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "state.json";
  abh::test_support::write_file(path, state_to_json(unusual_state()).dump(2));
  EXPECT_EQ(abh::load_state_file(path), unusual_state());
}

TEST(StateJson, LoadStateFileErrorsNameThePathInOneLine) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  auto message = [](const std::string& path) -> std::string {
    try {
      abh::load_state_file(path);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  const std::string missing = dir / "missing.json";
  const std::string broken = dir / "broken.json";
  const std::string zero_heads = dir / "zero_heads.json";
  abh::test_support::write_file(broken, "{\"shape\": {\"heads\": ");
  json j = state_to_json(AppState{});
  j["shape"]["heads"] = 0;
  abh::test_support::write_file(zero_heads, j.dump());

  for (const auto& [path, mentions] : {std::pair{missing, "no such file"},
                                       std::pair{broken, "not valid JSON"},
                                       std::pair{zero_heads, "heads"}}) {
    const std::string m = message(path);
    EXPECT_EQ(m.rfind("cannot read " + path, 0), 0u) << m;
    EXPECT_NE(m.find(mentions), std::string::npos) << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
  }
}

} // namespace
