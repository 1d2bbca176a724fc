// In-process: the counts panel's "Compare MHA · GQA · MQA · MLA at this
// width" section. Closed by default, opened by a click or by the state; its
// bars' labels are core's figures (compare_variants, model_figures) as
// number_format writes them, the current variant is marked, a second gallery
// model is chosen from its selector, and at 1280×720 no label runs past the
// panel's edge.

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "app/cli/variant_report.hpp"
#include "app/ui/app.hpp"
#include "core/model.hpp"
#include "core/number_format.hpp"
#include "core/variant_comparison.hpp"
#include "test_driver.hpp"
#include "tests/support/shapes.hpp"

namespace {

using abh::gui_test::TestDriver;

// Llama 3 8B's attention over a few tokens: the gallery shows it as that model.
abh::AppState llama_state(bool open) {
  abh::AppState state;
  state.shape = abh::test::make_shape(8, 4096, 32, 128, 8, true);
  state.view.compare_variants = open;
  return state;
}

// The labels the section must draw for `shape`, from core's figures.
void expect_variant_lines(const TestDriver& driver, const abh::Shape& shape) {
  const abh::VariantComparison c = abh::compare_variants(shape);
  ASSERT_EQ(c.variants.size(), 4u);
  for (const abh::VariantFigures& f : c.variants) {
    const std::string name = abh::variant_name(f.variant);
    const std::string side = f.shape.is_mla() ? "dc " + std::to_string(f.shape.mla.kv_rank) + " · dr " +
                                                    std::to_string(f.shape.mla.rope_dim)
                                              : "Hkv " + std::to_string(f.shape.kv_heads);
    EXPECT_EQ(driver.counts_line("compare kv: " + name + " "),
              "compare kv: " + name + " " +
                  abh::bytes_text(static_cast<double>(f.kv_cache_bytes_per_token.bf16)) + " · " + side);
    EXPECT_EQ(driver.counts_line("compare multiplies: " + name + " "),
              "compare multiplies: " + name + " " + abh::per_token_text(f.multiplies_per_token));
    EXPECT_EQ(driver.counts_line("compare scores: " + name + " "),
              "compare scores: " + name + " " + abh::compact_count_text(f.score_memory));
  }
  EXPECT_EQ(driver.counts_line("compare score dot products: "),
            "compare score dot products: " + abh::compact_count_text(c.variants[0].score_dot_products));
}

TEST(VariantBars, AClickOpensTheSectionAndItsLabelsAreCoresFigures) {
  std::string error;
  auto app = abh::gui_test::make_hidden_app(error, llama_state(false));
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  driver.frame(); // the model block appears from the second frame: the layout settles
  EXPECT_EQ(driver.counts_line("compare kv: "), "") << "closed by default";
  EXPECT_NE(driver.counts_line("score dot products: "), "") << "the counts' own lines stay";
  ASSERT_TRUE(driver.click_control("compare_variants"));
  driver.frame();
  EXPECT_TRUE(app->state().view.compare_variants);
  expect_variant_lines(driver, app->state().shape);
  // What the teacher points at: GQA is this shape, a quarter of MHA's cache.
  EXPECT_EQ(driver.counts_line("compare kv: GQA"), "compare kv: GQA 4.00 KiB · Hkv 8");
  EXPECT_EQ(driver.counts_line("compare kv: MHA"), "compare kv: MHA 16.00 KiB · Hkv 32");
  EXPECT_EQ(driver.counts_line("compare kv: MLA"), "compare kv: MLA 1.12 KiB · dc 512 · dr 64");

  ASSERT_TRUE(driver.click_control("compare_variants"));
  driver.frame();
  EXPECT_FALSE(app->state().view.compare_variants);
  EXPECT_EQ(driver.counts_line("compare kv: "), "") << "closed again";
}

TEST(VariantBars, TheSavedStateOpensItAndTheLabelsFollowTheShape) {
  std::string error;
  abh::AppState state;
  state.view.compare_variants = true; // the worked example: H = 3, no GQA
  auto app = abh::gui_test::make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  const abh::VariantComparison c = abh::compare_variants(abh::worked_example());
  ASSERT_EQ(c.variants.size(), 3u);
  EXPECT_EQ(driver.counts_line("compare absent: "), "compare absent: " + c.absent);
  EXPECT_EQ(driver.counts_line("compare kv: GQA"), "");
  EXPECT_EQ(driver.counts_line("compare kv: MHA"), "compare kv: MHA 144 B · Hkv 3");
  EXPECT_EQ(driver.counts_line("compare kv: MQA"), "compare kv: MQA 48 B · Hkv 1");

  abh::Shape wider = app->state().shape;
  wider.heads = 4;
  wider.kv_heads = 4;
  wider.head_dim = 9;
  app->state().shape = wider; // as a control would change it
  driver.frame();
  driver.frame();
  expect_variant_lines(driver, wider);
}

TEST(VariantBars, ASecondModelIsComparedAsAWholeModel) {
  std::string error;
  abh::AppState state = llama_state(true);
  auto app = abh::gui_test::make_hidden_app(error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  driver.frame(); // the layout settles
  EXPECT_EQ(driver.counts_line("compare model kv: "), "") << "no second model yet";
  ASSERT_TRUE(driver.click_control("compare_model"));
  driver.frame();
  driver.frame();
  ASSERT_TRUE(driver.click_control("compare_model:deepseek-v3"));
  driver.frame();
  EXPECT_EQ(app->state().view.compare_model, "deepseek-v3");
  // 32 layers × 8 × 256 × 2 B = 128 KiB; 61 MLA layers × 576 × 2 B = 68.62 KiB.
  EXPECT_EQ(driver.counts_line("compare model kv: Llama 3 8B"),
            "compare model kv: Llama 3 8B 128.00 KiB · 32 attention layers");
  EXPECT_EQ(driver.counts_line("compare model kv: DeepSeek V3"),
            "compare model kv: DeepSeek V3 " + abh::bytes_text(61.0 * 576 * 2) + " · 61 attention layers");
  const std::string params = driver.counts_line("compare model params: Llama 3 8B");
  EXPECT_EQ(params, "compare model params: Llama 3 8B " + abh::compact_count_text(std::int64_t{1342177280}));
}

TEST(VariantBars, At1280By720NoLabelRunsPastThePanel) {
  abh::AppConfig config;
  config.visible = false;
  config.persist = false;
  config.width = 1280;
  config.height = 720;
  abh::AppState state = llama_state(true);
  state.view.compare_model = "deepseek-v3";
  std::string error;
  auto app = abh::App::create(config, state, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  driver.frame();
  driver.frame();
  float header[4] = {};
  ASSERT_TRUE(driver.control_rect("compare_variants", header));
  int labels = 0;
  for (const auto& [name, r] : driver.probe().control_rects) {
    if (name.rfind("compare ", 0) != 0) continue;
    ++labels;
    EXPECT_LE(r[2], header[2] + 1) << name << " ends past the panel's edge";
    EXPECT_GE(r[0], header[0]) << name;
  }
  EXPECT_EQ(labels, 4 * 3 + 2 * 2);
}

} // namespace
