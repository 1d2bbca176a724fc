// AppState to and from JSON (no window): a round trip keeps everything, and
// every refusal is one line naming what is wrong.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/shapes.hpp"
#include "app/io/state_json.hpp"
#include "tests/support/test_files.hpp"

namespace {

using abh::AppState;
using abh::state_from_json;
using abh::state_to_json;
using nlohmann::json;

AppState unusual_state() {
  AppState s;
  s.shape = abh::test::make_shape(17, 24, 4, 9, 2, true);
  s.trace.values = abh::ValueMode::gaussian;
  s.trace.seed = 12345678901ULL;
  s.trace.layout = abh::WqkvLayout::blocks;
  s.view.theme = abh::Theme::light;
  s.view.ui_size = 27.5f;
  s.view.keep_wqkv_height = false;
  s.view.show_values = false;
  s.view.memory_budget = 123456789;
  s.model = {.key = "gemma-4-31b", .layer_kind = 1};
  s.export_options = {.scale = 3, .panel = "counts", .caption = false, .folder = "/tmp/somewhere",
                      .caption_text = "Slide 2: heads", .counts = true};
  s.step = {.on = true, .granularity = abh::Granularity::multiply, .steps_per_second = 12.5f,
            .position = {.stage = 1, .fine_steps = {40, 33}}};
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

// The trace budget has a stated range (app_state.hpp): a file cannot ask for
// a trace the size of a machine's memory, nor one too small to draw anything.
TEST(StateJson, MemoryBudgetOutsideItsRangeIsRefused) {
  for (const std::int64_t budget : {std::int64_t{1}, abh::min_memory_budget - 1,
                                    abh::max_memory_budget + 1, std::int64_t{64} << 30}) {
    json j = state_to_json(AppState{});
    j["view"]["memory_budget"] = budget;
    expect_one_line_refusal(j, "memory_budget");
  }
  for (const std::int64_t budget : {abh::min_memory_budget, abh::max_memory_budget}) {
    json j = state_to_json(AppState{});
    j["view"]["memory_budget"] = budget;
    EXPECT_EQ(state_from_json(j).view.memory_budget, budget);
  }
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

TEST(StateJson, RefusesAStepPositionOutsideTheProgram) {
  {
    json j = state_to_json(AppState{});
    j["step"]["stage"] = 99;
    expect_one_line_refusal(j, "step");
  }
  {
    json j = state_to_json(AppState{});
    j["step"]["fine_steps"] = {0, std::int64_t{1} << 60};
    expect_one_line_refusal(j, "step");
  }
  {
    json j = state_to_json(AppState{});
    j["step"]["fine_steps"] = {1};
    expect_one_line_refusal(j, "step.fine_steps");
  }
  {
    json j = state_to_json(AppState{});
    j["step"]["granularity"] = "word";
    expect_one_line_refusal(j, "step.granularity");
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

TEST(StateJson, TheChosenModelRoundTrips) {
  AppState s;
  s.model = {.key = "llama-3-8b", .layer_kind = 0};
  const json j = state_to_json(s);
  EXPECT_EQ(j["model"]["key"], "llama-3-8b");
  EXPECT_EQ(state_from_json(json::parse(j.dump(2))).model, s.model);
  EXPECT_EQ(state_from_json(json::object()).model, abh::ModelPick{}) << "no model: custom";
  json bad = j;
  bad["model"]["key"] = 7;
  expect_one_line_refusal(bad, "model.key");
  bad = j;
  bad["model"]["layer_kind"] = -1;
  expect_one_line_refusal(bad, "model.layer_kind");
  bad = j;
  bad["model"] = "llama-3-8b";
  expect_one_line_refusal(bad, "model");
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

// The one-line message of load_state_file, or "" when it accepted.
std::string load_refusal(const std::string& path) {
  try {
    abh::load_state_file(path);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

void expect_file_refused(const std::string& path, const std::string& mentions) {
  const std::string m = load_refusal(path);
  EXPECT_EQ(m.rfind("cannot read " + path, 0), 0u) << m;
  EXPECT_NE(m.find(mentions), std::string::npos) << "\"" << m << "\" should mention " << mentions;
  EXPECT_EQ(m.find('\n'), std::string::npos) << m;
}

// Numbers are taken as written or refused: never truncated, wrapped or cast
// out of range.
TEST(StateJson, NumbersThatAreNotWholeOrOutOfRangeAreRefused) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  struct Case {
    const char* section;
    const char* field;
    const char* value; // as written in the file
    const char* mentions;
  };
  const Case cases[] = {
      {"shape", "seq", "40.7", "shape.seq"},
      {"shape", "seq", "40.0", "shape.seq"},
      {"shape", "seq", "1e30", "shape.seq"},
      {"shape", "seq", "9223372036854775808", "shape.seq"},
      {"shape", "kv_heads", "1.5", "shape.kv_heads"},
      {"shape", "heads", "-9223372036854775809", "shape.heads"},
      {"", "seed", "-1", "seed"},
      {"", "seed", "1.5", "seed"},
      {"", "seed", "1e30", "seed"},
      {"view", "memory_budget", "1e30", "view.memory_budget"},
      {"view", "memory_budget", "1073741824.5", "view.memory_budget"},
      {"view", "ui_size", "1e300", "view.ui_size"},
      {"export", "scale", "2.5", "export.scale"},
      {"export", "scale", "4294967298", "export.scale"},
      {"hardware", "replay_seconds", "1e300", "hardware.replay_seconds"},
  };
  int i = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.field) + " = " + c.value);
    const std::string path = dir / ("case" + std::to_string(i++) + ".json");
    std::string text = state_to_json(AppState{}).dump();
    json j = state_to_json(AppState{});
    if (*c.section) j[c.section][c.field] = "VALUE";
    else j[c.field] = "VALUE";
    text = j.dump();
    text.replace(text.find("\"VALUE\""), 7, c.value);
    abh::test_support::write_file(path, text);
    expect_file_refused(path, c.mentions);
  }
}

// A number too large for a double is a refusal naming the file, not a
// library exception without the path.
TEST(StateJson, ANumberBeyondDoubleNamesTheFile) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "huge.json";
  abh::test_support::write_file(path, R"({"shape": {"seq": 1e400}})");
  expect_file_refused(path, "1e400");
  const std::string elsewhere = dir / "huge_elsewhere.json";
  abh::test_support::write_file(elsewhere, R"({"notes": [1e400]})");
  expect_file_refused(elsewhere, "number");
}

// Files larger than the stated limit are refused before they are parsed.
TEST(StateJson, AFileOverTheSizeLimitIsRefused) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir / "large.json";
  std::string text = state_to_json(AppState{}).dump();
  text.insert(1, std::string(abh::max_json_file_bytes, ' '));
  abh::test_support::write_file(path, text);
  expect_file_refused(path, "MiB");
  const std::string at_limit = dir / "at_limit.json";
  std::string fits = state_to_json(AppState{}).dump();
  fits.insert(1, std::string(abh::max_json_file_bytes - fits.size(), ' '));
  abh::test_support::write_file(at_limit, fits);
  EXPECT_EQ(load_refusal(at_limit), "");
}

// Something that is not a regular file (here a folder) is refused in one line.
TEST(StateJson, AFolderIsRefused) {
  abh::test_support::TempDir dir;
  ASSERT_TRUE(dir.ok());
  expect_file_refused(dir.path(), "not a regular file");
}

} // namespace
