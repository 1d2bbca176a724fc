// In-process: the controls' model picker and prefill / decode switch.
// Choosing Llama 3 8B sets its shape as one undoable change, decode sets
// n_q = 1, the counts panel gives the whole model's KV cache, and a gallery
// that cannot be read leaves the app running with the reason on screen.

#include <string>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "test_driver.hpp"
#include "tests/support/test_files.hpp"

namespace {

using abh::App;
using abh::gui_test::TestDriver;

// Opens a combo and clicks one of its items. A popup places its items only
// from its second frame: two frames before the item is pointed at.
bool choose_item(TestDriver& app, const std::string& combo, const std::string& item) {
  if (!app.click_control(combo)) return false;
  app.frame();
  app.frame();
  return app.click_control(item);
}

bool choose_model(TestDriver& app, const std::string& key) {
  return choose_item(app, "model", "model:" + key);
}

abh::AppState small_seq_state() {
  abh::AppState state;
  state.shape.seq = 8; // the model's width, drawn over a few tokens
  return state;
}

TEST(ModelPicker, ChoosingLlama3SetsItsShapeAndUndoRestoresThePrevious) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, small_seq_state());
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  const abh::Shape before = app->state().shape;
  EXPECT_EQ(app->state().model.key, "") << "the worked example is no model: custom";

  ASSERT_TRUE(choose_model(driver, "llama-3-8b"));
  driver.frame();
  const abh::Shape& s = app->state().shape;
  EXPECT_EQ(s.heads, 32);
  EXPECT_EQ(s.kv_heads, 8);
  EXPECT_EQ(s.head_dim, 128);
  EXPECT_EQ(s.d_model, 4096);
  EXPECT_EQ(s.seq, 8) << "seq stays drawable: the model's context is not taken";
  EXPECT_TRUE(s.causal);
  EXPECT_EQ(app->state().model.key, "llama-3-8b");
  EXPECT_TRUE(app->session().refusal.empty()) << app->session().refusal;

  driver.frame();
  ASSERT_TRUE(app->session().can_undo());
  app->session().undo();
  driver.frame();
  EXPECT_EQ(app->state().shape, before);
  EXPECT_EQ(app->state().model.key, "") << "undo brings back the custom shape";
  app->session().redo();
  driver.frame();
  EXPECT_EQ(app->state().shape.kv_heads, 8);
  EXPECT_EQ(app->state().model.key, "llama-3-8b") << "redo brings the model back with its shape";
}

TEST(ModelPicker, TheCountsPanelGivesTheWholeModelsKvCache) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, small_seq_state());
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  EXPECT_EQ(driver.counts_line("model: "), "") << "no model block for a custom shape";
  ASSERT_TRUE(choose_model(driver, "llama-3-8b"));
  driver.frame();
  const std::string block = driver.counts_line("model: ");
  // 32 layers × 8 kv heads × (128 + 128) × 2 bytes = 128 KiB; × 8,192 tokens = 1 GiB.
  EXPECT_NE(block.find("Llama 3 8B: 32 attention layers of 32"), std::string::npos) << block;
  EXPECT_NE(block.find("KV cache per token 128.00 KiB (bf16)"), std::string::npos) << block;
  EXPECT_NE(block.find("at full context 8,192 tokens: 1.00 GiB"), std::string::npos) << block;
}

TEST(ModelPicker, DecodeSetsOneQueryAndPrefillAllOfThem) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, small_seq_state());
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  ASSERT_TRUE(driver.click_control("decode"));
  driver.frame();
  EXPECT_EQ(app->state().shape.queries, 1);
  EXPECT_EQ(app->state().shape.seq, 8) << "the KV cache keeps n = seq";
  // 3 heads, one query each against 8 keys (causal: the last query sees all 8).
  EXPECT_NE(driver.counts_line("score dot products: ").find("/ 24"), std::string::npos)
      << driver.counts_line("score dot products: ");
  driver.frame();
  app->session().undo();
  driver.frame();
  EXPECT_EQ(app->state().shape.queries, 0) << "decode is undoable";
  ASSERT_TRUE(driver.click_control("decode"));
  ASSERT_TRUE(driver.click_control("prefill"));
  driver.frame();
  EXPECT_EQ(app->state().shape.queries, 0);
}

TEST(ModelPicker, ALayerKindOfAModelWithTwoSetsItsShape) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, small_seq_state());
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  ASSERT_TRUE(choose_model(driver, "gemma-4-31b"));
  driver.frame();
  EXPECT_EQ(app->state().shape.kv_heads, 16) << "the first attention kind: sliding";
  EXPECT_GT(app->state().shape.window, 0);
  ASSERT_TRUE(choose_item(driver, "layer_kind", "layer_kind:1"));
  driver.frame();
  EXPECT_EQ(app->state().shape.kv_heads, 4);
  EXPECT_EQ(app->state().shape.head_dim, 512);
  EXPECT_EQ(app->state().shape.window, 0) << "the global kind has no window";
  EXPECT_EQ(app->state().model.layer_kind, 1);
}

TEST(ModelPicker, AGalleryThatCannotBeReadLeavesTheAppRunningWithTheReason) {
  abh::test_support::TempDir dir;
  abh::AppConfig config;
  config.visible = false;
  config.persist = false;
  config.models_path = dir.path() + "/missing.json";
  std::string error;
  auto app = App::create(config, small_seq_state(), error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  driver.frame();
  float rect[4] = {};
  EXPECT_TRUE(driver.control_rect("model_error", rect)) << "the reason is shown in the controls";
  EXPECT_FALSE(driver.control_rect("model", rect)) << "no picker without models";
  EXPECT_TRUE(driver.control_rect("decode", rect)) << "the decode switch stays";
}

} // namespace
