// In-process: the hardware panel at the worked example points a student to a
// real layer (one click, undoable), explains its words on hover, keeps every
// control reachable in a 1280×720 window, and runs a what-if (decode step,
// MHA/GQA/MQA) without changing the main shape.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "app/ui/app.hpp"
#include "core/hardware/bound_reason.hpp"
#include "core/hardware/real_layers.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/number_format.hpp"
#include "test_driver.hpp"

namespace {

using abh::App;
using abh::gui_test::TestDriver;

std::unique_ptr<App> hardware_app(int width, int height, std::string& error,
                                  abh::AppState state = {}) { // the worked example
  abh::AppConfig config;
  config.visible = false;
  config.width = width;
  config.height = height;
  config.persist = false;
  state.hardware.shown = true;
  return App::create(config, state, error);
}

// The first line of the hardware panel starting with `prefix`, or "".
std::string hardware_line(const TestDriver& driver, const std::string& prefix) {
  for (const std::string& line : driver.probe().hardware_lines)
    if (line.rfind(prefix, 0) == 0) return line;
  return "";
}

// The first frames settle the layout (the controls panel measures its height).
void settle(TestDriver& driver) {
  for (int i = 0; i < 3; ++i) driver.frame();
}

bool shown(const TestDriver& driver, const std::string& text) {
  for (const std::string& t : driver.probe().tooltips)
    if (t.find(text) != std::string::npos) return true;
  return false;
}

bool inside(const std::array<float, 4>& r, const std::array<float, 4>& box) {
  return r[0] >= box[0] - 0.5f && r[1] >= box[1] - 0.5f && r[2] <= box[2] + 0.5f && r[3] <= box[3] + 0.5f;
}

// Scrolls the hardware panel with the wheel until the named control lies
// inside it; false when it cannot (or is no longer drawn).
bool scroll_into_view(TestDriver& driver, const std::string& name) {
  for (int i = 0; i < 80; ++i) {
    const auto& rects = driver.probe().control_rects;
    const auto it = rects.find(name), panel = rects.find("hardware window");
    if (it == rects.end() || panel == rects.end()) return false;
    const std::array<float, 4> r = it->second, window = panel->second;
    if (inside(r, window)) return true;
    const float notch = r[3] > window[3] ? -1.0f : r[1] < window[1] ? 1.0f : 0.0f;
    if (notch == 0.0f) return false; // beside the panel: no scrolling reaches it
    driver.mouse((window[0] + window[2]) / 2, window[1] + 4, false, notch);
    driver.frame();
  }
  return false;
}

TEST(HardwarePanel, RealLayerButtonSetsGpt2SmallAndUndoRestores) {
  std::string error;
  auto app = hardware_app(1600, 900, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const abh::RealLayer& gpt2 = abh::real_layers().front();
  ASSERT_EQ(gpt2.key, "gpt-2-small-prefill");

  ASSERT_TRUE(driver.click_control("real layer " + gpt2.key)) << "no hint at the worked example";
  EXPECT_EQ(app->state().shape, gpt2.shape);
  for (int i = 0; i < 3; ++i) driver.frame(); // the session records the settled edit
  float r[4];
  EXPECT_FALSE(driver.control_rect("real layer " + gpt2.key, r))
      << "at a real layer some machine does real work: no hint";

  ASSERT_TRUE(app->session().can_undo());
  app->session().undo();
  EXPECT_EQ(app->state().shape, abh::worked_example());
  driver.frame();
  EXPECT_TRUE(driver.control_rect("real layer " + gpt2.key, r)) << "back at the worked example, the hint returns";
}

TEST(HardwarePanel, WordsExplainThemselvesOnHover) {
  std::string error;
  auto app = hardware_app(1600, 900, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const std::vector<std::pair<std::string, const char*>> words = {
      {"word tile", abh::tile_definition},
      {"word use", abh::use_definition},
      {"word bound", abh::bound_definition},
      {"word overhead", abh::overhead_definition},
      {"tiles GPU", abh::tile_definition},
      {"bound LPU", abh::overhead_definition}, // the worked example is overhead-bound
  };
  for (const auto& [control, definition] : words) {
    ASSERT_TRUE(driver.hover_control(control)) << control;
    EXPECT_TRUE(shown(driver, definition)) << control;
  }
  ASSERT_TRUE(scroll_into_view(driver, "roofline GPU"));
  ASSERT_TRUE(driver.hover_control("roofline GPU"));
  EXPECT_TRUE(shown(driver, "ops per byte")) << "the chart explains its axes or the dot under the pointer";
  driver.mouse(2, 2, false); // over the controls panel: no hardware tooltip
  driver.frame();
  EXPECT_TRUE(driver.probe().tooltips.empty());
}

TEST(HardwarePanel, EveryToolbarControlIsInsideA1280x720Window) {
  std::string error;
  auto app = hardware_app(1280, 720, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  std::vector<std::string> controls = {"hardware datatype", "hardware fused", "hardware one head",
                                       "hardware log time", "hardware play", "hardware step",
                                       "hardware scrub", "hardware replay", "hardware edit specs",
                                       "word tile", "word use", "word bound", "word overhead",
                                       "hardware what-if prefill", "hardware what-if decode",
                                       "hardware what-if mha", "hardware what-if gqa", "hardware what-if mqa"};
  for (const char* kind : {"CPU", "GPU", "TPU", "NPU", "LPU"}) controls.push_back(std::string("hardware chip ") + kind);
  for (const abh::RealLayer& layer : abh::real_layers()) controls.push_back("real layer " + layer.key);
  for (const std::string& name : controls) {
    float r[4] = {};
    ASSERT_TRUE(driver.control_rect(name, r)) << name << " was not drawn";
    EXPECT_GE(r[0], 0) << name;
    EXPECT_GE(r[1], 0) << name;
    EXPECT_LE(r[2], 1280) << name;
    EXPECT_LE(r[3], 720) << name;
  }
  // Reachable means clickable: "edit specs" opens the editor.
  float r[4];
  EXPECT_FALSE(driver.control_rect("hardware spec editor", r));
  ASSERT_TRUE(driver.click_control("hardware edit specs"));
  driver.frame();
  EXPECT_TRUE(driver.control_rect("hardware spec editor", r));
}

bool hardware_control(const std::string& name) {
  for (const char* prefix : {"hardware ", "tiles ", "word ", "bound ", "use ", "why ", "roofline ", "real layer "})
    if (name.rfind(prefix, 0) == 0) return name != "hardware window";
  return false;
}

// Every control the panel records, the why-lines and rooflines of every
// machine too, can be brought inside the panel by scrolling it with the wheel.
void expect_every_control_reachable(abh::AppState state, const char* what) {
  SCOPED_TRACE(what);
  std::string error;
  auto app = hardware_app(1280, 720, error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  std::vector<std::string> names;
  for (const auto& [name, rect] : driver.probe().control_rects)
    if (hardware_control(name)) names.push_back(name);
  for (const char* kind : {"CPU", "GPU", "TPU", "NPU", "LPU"})
    for (const char* part : {"why ", "roofline ", "tiles ", "hardware chip "})
      EXPECT_NE(std::find(names.begin(), names.end(), part + std::string(kind)), names.end()) << part << kind;
  const std::array<float, 4> window = driver.probe().control_rects.at("hardware window");
  EXPECT_GE(window[0], 0);
  EXPECT_LE(window[2], 1280);
  EXPECT_LE(window[3], 720);
  int scrolled_to = 0; // controls first drawn outside the panel
  for (const std::string& name : names) {
    if (!inside(driver.probe().control_rects.at(name), window)) ++scrolled_to;
    EXPECT_TRUE(scroll_into_view(driver, name)) << name << " cannot be scrolled into the 1280×720 panel";
    EXPECT_EQ(driver.probe().control_rects.at("hardware window"), window) << "the panel itself stays put";
  }
  EXPECT_GT(scrolled_to, 0) << "the panel is taller than 720 pixels: some control is reached by scrolling";
}

TEST(HardwarePanel, EveryControlIsReachableAt1280x720) {
  expect_every_control_reachable({}, "worked example");
  abh::AppState llama;
  llama.shape = abh::real_layers().at(2).shape;
  llama.hardware.dtype = "bf16";
  llama.hardware.fused = true;
  expect_every_control_reachable(llama, "Llama 3 8B decode at 32k");
  llama.hardware.what_if_heads = "mha"; // the what-if row grows a "follow the main shape" button
  expect_every_control_reachable(llama, "Llama 3 8B decode at 32k, what if MHA");
}

// A clock for "measured here" that moves by fixed steps in the order a
// round reads it: start, after the projection, after the whole trace, after
// the output. Called from the timing thread.
std::function<double()> stepping_clock(double projection, double whole, double output) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto now = std::make_shared<std::atomic<double>>(1000);
  return [=] {
    const int phase = calls->fetch_add(1) % 4;
    const double step = phase == 1 ? projection : phase == 2 ? whole : phase == 3 ? output : 0;
    return now->fetch_add(step) + step;
  };
}

TEST(HardwarePanel, MeasuredHereComparesWarmMediansStageByStage) {
  abh::AppState state;
  state.shape = abh::real_layers().front().shape; // GPT-2 small prefill: every part modelled over 100 µs
  std::string error;
  auto app = hardware_app(1600, 900, error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  // Projection 20 ms, the heads 80 ms (the whole trace less the other two), output 50 µs.
  driver.inputs().clock = stepping_clock(20e-3, 100e-3 + 50e-6, 50e-6);
  app->wait_for_trace();
  std::string projection;
  for (int i = 0; i < 600 && projection.empty(); ++i) {
    driver.frame();
    projection = hardware_line(driver, "measured projection: ");
    if (projection.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(projection, "") << "the fake clock's timing never arrived";
  EXPECT_NE(projection.find("measured " + abh::seconds_text(20e-3) + ", ×"), std::string::npos) << projection;
  const std::string heads = hardware_line(driver, "measured scores … weighted sum: ");
  EXPECT_NE(heads.find("measured " + abh::seconds_text(80e-3) + ", ×"), std::string::npos) << heads;
  const std::string output = hardware_line(driver, "measured output: ");
  EXPECT_NE(output.find("measured " + abh::seconds_text(50e-6) + ", —"), std::string::npos)
      << "50 µs is under the floor: no ratio. " << output;
  EXPECT_EQ(hardware_line(driver, "measured ").find("905"), std::string::npos);
}

abh::AppState llama_prefill_state() {
  abh::AppState s;
  s.shape = abh::real_layers().at(2).shape;
  s.shape.queries = 0; // a prefill of all 32768 tokens
  s.hardware.dtype = "bf16";
  s.hardware.fused = true;
  return s;
}

TEST(HardwarePanel, DecodeWhatIfMakesTheGpusMemoryBoundAndLeavesTheMainShape) {
  for (const char* gpu : {"NVIDIA H100 SXM", "NVIDIA H200 SXM"}) {
    SCOPED_TRACE(gpu);
    // Fused at fp32: eager bf16 on the H200 streams 32k keys in less than its
    // two framework calls take (overhead-bound, as measured).
    abh::AppState state = llama_prefill_state();
    state.hardware.dtype = "fp32";
    state.hardware.chips = {gpu};
    std::string error;
    auto app = hardware_app(1600, 900, error, state);
    ASSERT_TRUE(app) << error;
    TestDriver driver(*app);
    settle(driver);
    EXPECT_EQ(hardware_line(driver, "the main shape"), "the main shape · K and V cache read: " +
                                                          abh::bytes_text(abh::kv_cache_elements(state.shape) * 4) +
                                                          " at fp32");
    EXPECT_EQ(hardware_line(driver, "bound GPU: "), "bound GPU: compute") << "a 32k prefill computes";
    ASSERT_TRUE(driver.click_control("hardware what-if decode"));
    driver.frame();
    EXPECT_EQ(hardware_line(driver, "bound GPU: "), "bound GPU: memory");
    EXPECT_NE(hardware_line(driver, "what if: decode step at this cache (n = 32768)"), "");
    EXPECT_EQ(app->state().shape, state.shape) << "the what-if leaves the main shape";
    EXPECT_EQ(app->state().hardware.what_if_phase, "decode");
    ASSERT_TRUE(driver.click_control("hardware what-if follow"));
    driver.frame();
    EXPECT_EQ(app->state().hardware.what_if_phase, "follow");
    EXPECT_EQ(hardware_line(driver, "bound GPU: "), "bound GPU: compute");
  }
}

// The hint's decode button sets the layer as it is served (bf16, fused): the
// H100 then streams the cache, memory-bound, and the model needs several LPUs.
TEST(HardwarePanel, TheDecodeRealLayerIsServedFusedInBf16AndMemoryBound) {
  std::string error;
  auto app = hardware_app(1600, 900, error);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const abh::RealLayer& decode = abh::real_layers().at(2);
  ASSERT_EQ(decode.key, "llama-3-8b-decode-32k");
  ASSERT_TRUE(driver.click_control("real layer " + decode.key));
  EXPECT_EQ(app->state().shape, decode.shape);
  EXPECT_EQ(app->state().hardware.dtype, "bf16");
  EXPECT_TRUE(app->state().hardware.fused);
  settle(driver);
  EXPECT_EQ(hardware_line(driver, "bound GPU: "), "bound GPU: memory");
  EXPECT_EQ(hardware_line(driver, "bound TPU: "), "bound TPU: memory");
  // The shape is Llama 3 8B's layer: the whole model takes many LPU chips.
  const std::string lpu = hardware_line(driver, "whole model LPU: ");
  EXPECT_EQ(lpu.rfind("whole model LPU: whole Llama 3 8B: ", 0), 0u) << lpu;
  EXPECT_NE(lpu.find("chips"), std::string::npos) << lpu;
  EXPECT_NE(hardware_line(driver, "whole model GPU: ").find("fits on 1 device"), std::string::npos);
}

TEST(HardwarePanel, GqaReadsAQuarterOfMhasCacheInThePanel) {
  abh::AppState state = llama_prefill_state();
  state.hardware.what_if_phase = "decode";
  std::string error;
  auto app = hardware_app(1600, 900, error, state);
  ASSERT_TRUE(app) << error;
  TestDriver driver(*app);
  settle(driver);
  const double gqa_bytes = abh::kv_cache_elements(abh::real_layers().at(2).shape) * 2;
  const std::string gqa_text = "K and V cache read: " + abh::bytes_text(gqa_bytes) + " at bf16";
  EXPECT_NE(hardware_line(driver, "what if: decode step").find(gqa_text), std::string::npos)
      << hardware_line(driver, "what if");
  ASSERT_TRUE(driver.click_control("hardware what-if mha"));
  driver.frame();
  const std::string mha = hardware_line(driver, "what if: decode step");
  EXPECT_NE(mha.find("MHA Hkv 32"), std::string::npos) << mha;
  EXPECT_NE(mha.find("K and V cache read: " + abh::bytes_text(4 * gqa_bytes) + " at bf16"), std::string::npos) << mha;
  ASSERT_TRUE(driver.click_control("hardware what-if gqa"));
  driver.frame();
  EXPECT_NE(hardware_line(driver, "what if: decode step").find(gqa_text), std::string::npos);
  EXPECT_EQ(app->state().shape.kv_heads, 8) << "the main shape keeps its heads";
}

} // namespace
