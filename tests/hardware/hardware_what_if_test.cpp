// The hardware panel's what-if (core/hardware/what_if.hpp) and its state
// fields, and "measured here" stage by stage: each part of the trace timed
// warm on an injected clock, divided by the model only where both sides are
// measurable.

#include <cmath>
#include <stdexcept>

#include <gtest/gtest.h>

#include "app/io/host_cpu.hpp"
#include "app/io/state_json.hpp"
#include "core/hardware/measurement.hpp"
#include "core/hardware/real_layers.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/hardware/what_if.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::make_shape;

Shape llama_prefill() {
  Shape s = real_layers().at(2).shape; // Llama 3 8B decode at 32k
  s.queries = 0;
  return s;
}

TEST(HardwareWhatIf, DecodeAsksOneQueryAgainstTheWholeCache) {
  const Shape main = llama_prefill();
  EXPECT_EQ(phase_of(main), WhatIfPhase::prefill);
  EXPECT_EQ(what_if_shape(main, WhatIfPhase::follow, WhatIfHeads::follow), main);
  const Shape step = what_if_shape(main, WhatIfPhase::decode, WhatIfHeads::follow);
  EXPECT_EQ(step.query_count(), 1);
  EXPECT_EQ(step.seq, main.seq);
  EXPECT_EQ(step.kv_heads, 8);
  EXPECT_EQ(step, real_layers().at(2).shape);
  EXPECT_EQ(phase_of(step), WhatIfPhase::decode);
  EXPECT_EQ(what_if_shape(step, WhatIfPhase::prefill, WhatIfHeads::follow), main);
  EXPECT_EQ(what_if_text(main, main), "the main shape");
  EXPECT_NE(what_if_text(main, step).find("decode step at this cache (n = 32768)"), std::string::npos);
  EXPECT_NE(what_if_text(main, step).find("main shape is unchanged"), std::string::npos);
}

TEST(HardwareWhatIf, HeadsFollowTheVariantComparisonsRule) {
  const Shape gqa = real_layers().at(2).shape; // H 32, Hkv 8
  EXPECT_EQ(heads_of(gqa), WhatIfHeads::gqa);
  const Shape mha = what_if_shape(gqa, WhatIfPhase::follow, WhatIfHeads::mha);
  EXPECT_EQ(mha.kv_heads, 32);
  EXPECT_EQ(what_if_shape(gqa, WhatIfPhase::follow, WhatIfHeads::mqa).kv_heads, 1);
  // From MHA, GQA takes the divisor of H nearest H/4; the shape's own Hkv otherwise.
  EXPECT_EQ(what_if_shape(mha, WhatIfPhase::follow, WhatIfHeads::gqa).kv_heads, 8);
  EXPECT_EQ(what_if_shape(make_shape(16, 48, 12, 4, 12), WhatIfPhase::follow, WhatIfHeads::gqa).kv_heads, 3);
  EXPECT_EQ(what_if_shape(gqa, WhatIfPhase::follow, WhatIfHeads::gqa), gqa);
  // MHA reads 4× the cache GQA does.
  EXPECT_DOUBLE_EQ(kv_cache_elements(mha), 4 * kv_cache_elements(gqa));
  // H = 3 has no GQA: refused, naming why.
  try {
    what_if_shape(worked_example(), WhatIfPhase::follow, WhatIfHeads::gqa);
    ADD_FAILURE() << "GQA at H = 3 was accepted";
  } catch (const ShapeError& e) {
    EXPECT_NE(std::string(e.what()).find("no divisor"), std::string::npos) << e.what();
  }
}

TEST(HardwareWhatIf, KeysParseBackAndNothingElse) {
  for (WhatIfPhase p : {WhatIfPhase::follow, WhatIfPhase::prefill, WhatIfPhase::decode})
    EXPECT_EQ(parse_what_if_phase(what_if_key(p)), p);
  for (WhatIfHeads h : {WhatIfHeads::follow, WhatIfHeads::mha, WhatIfHeads::gqa, WhatIfHeads::mqa})
    EXPECT_EQ(parse_what_if_heads(what_if_key(h)), h);
  EXPECT_FALSE(parse_what_if_phase("Decode"));
  EXPECT_FALSE(parse_what_if_heads("mla"));
}

TEST(HardwareWhatIf, StateFileKeepsTheToggles) {
  AppState s;
  s.hardware.what_if_phase = "decode";
  s.hardware.what_if_heads = "mqa";
  const AppState back = state_from_json(state_to_json(s));
  EXPECT_EQ(back.hardware.what_if_phase, "decode");
  EXPECT_EQ(back.hardware.what_if_heads, "mqa");
  EXPECT_EQ(back, s);
  // A file without them follows the main shape.
  nlohmann::json old = state_to_json(AppState{});
  old["hardware"].erase("what_if_phase");
  old["hardware"].erase("what_if_heads");
  EXPECT_EQ(state_from_json(old).hardware.what_if_phase, "follow");
  EXPECT_EQ(state_from_json(old).hardware.what_if_heads, "follow");
}

TEST(HardwareWhatIf, StateFileRefusesBadTogglesInOneLine) {
  const std::vector<std::pair<const char*, nlohmann::json>> bad = {
      {"what_if_phase", "sideways"}, {"what_if_phase", 3}, {"what_if_heads", "mla"}, {"what_if_heads", nullptr}};
  for (const auto& [field, value] : bad) {
    nlohmann::json j = state_to_json(AppState{});
    j["hardware"][field] = value;
    try {
      state_from_json(j);
      ADD_FAILURE() << field << " = " << value.dump() << " was accepted";
    } catch (const std::runtime_error& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find(std::string("hardware.") + field), std::string::npos) << what;
      EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    }
  }
}

// A CPU model of fixed stage times, as the trace's parts see them.
Schedule fixed_cpu_model(double projection, double per_head_stage, double output) {
  Schedule s;
  for (Stage st : all_stages) {
    StageCost c;
    c.stage = st;
    c.seconds = st == Stage::projection ? projection : st == Stage::output ? output : per_head_stage;
    s.stages.push_back(c);
  }
  return s;
}

TEST(HardwareMeasuredHere, RatiosOnlyWhereBothSidesAreMeasurable) {
  // Projection 2 ms modelled, 3 ms measured; the heads' four stages 4 × 1 ms
  // against 6 ms; the output 50 µs modelled, under the floor.
  const Schedule model = fixed_cpu_model(2e-3, 1e-3, 50e-6);
  const std::vector<MeasuredPart> parts = compare_parts(model, {3e-3, 6e-3, 2e-3});
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].part, TracePart::projection);
  ASSERT_TRUE(parts[0].ratio);
  EXPECT_DOUBLE_EQ(*parts[0].ratio, 1.5);
  EXPECT_DOUBLE_EQ(parts[1].model_seconds, 4e-3);
  ASSERT_TRUE(parts[1].ratio);
  EXPECT_DOUBLE_EQ(*parts[1].ratio, 1.5);
  EXPECT_FALSE(parts[2].ratio) << "a 50 µs model is below the floor";
  EXPECT_NE(parts[2].text.find("—"), std::string::npos) << parts[2].text;
  EXPECT_NE(parts[0].text.find("×1.5"), std::string::npos) << parts[0].text;
  // A measured side under the floor is not divided either.
  EXPECT_FALSE(compare_parts(model, {50e-6, 6e-3, 2e-3})[0].ratio);
}

// A clock that moves by fixed steps, in the order the round reads it:
// start, after the projection, after the whole trace, after the output.
class FakeClock {
public:
  explicit FakeClock(std::vector<std::array<double, 3>> rounds) : rounds_(std::move(rounds)) {}
  double operator()() {
    const std::array<double, 3>& r = rounds_.at(std::min(call_ / 4, rounds_.size() - 1));
    const std::size_t phase = call_ % 4;
    if (phase > 0) now_ += r[phase - 1];
    ++call_;
    return now_;
  }
  std::size_t calls() const { return call_; }

private:
  std::vector<std::array<double, 3>> rounds_; // projection, whole trace, output
  std::size_t call_ = 0;
  double now_ = 100;
};

TEST(HardwareMeasuredHere, TracePartsAreWarmMediansOnTheInjectedClock) {
  // Round 1 is cold (discarded); then projection 2 ms, whole trace 10 ms,
  // output 1 ms, with one noisy round.
  auto clock = std::make_shared<FakeClock>(std::vector<std::array<double, 3>>{
      {0.5, 5.0, 0.5}, {2e-3, 10e-3, 1e-3}, {2e-3, 10e-3, 1e-3}, {9e-3, 30e-3, 4e-3}, {2e-3, 10e-3, 1e-3},
      {2e-3, 10e-3, 1e-3}});
  const std::vector<Timing> t =
      time_trace_parts(make_shape(8, 6, 2, 3, 2), {}, [clock] { return (*clock)(); });
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(clock->calls(), 6u * 4); // 1 discarded round and 5 timed
  for (const Timing& p : t) {
    EXPECT_EQ(p.warmups, 1);
    EXPECT_EQ(p.runs, 5);
  }
  EXPECT_NEAR(t[0].median_seconds, 2e-3, 1e-12);
  EXPECT_NEAR(t[1].median_seconds, 10e-3 - 2e-3 - 1e-3, 1e-12); // the whole less the other parts
  EXPECT_NEAR(t[2].median_seconds, 1e-3, 1e-12);
}

} // namespace
} // namespace abh
