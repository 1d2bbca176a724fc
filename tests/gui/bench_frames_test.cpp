// --bench-frames prints JSON timings (no assertion on their values: the
// machine decides those).

#include <string>

#include <gtest/gtest.h>

#include "gui_test_support.hpp"

namespace {

namespace t = abh::gui_test;

void expect_non_negative_number(const nlohmann::json& j, const char* group, const char* key) {
  ASSERT_TRUE(j.contains(group)) << j.dump();
  ASSERT_TRUE(j[group].contains(key)) << j.dump();
  const nlohmann::json& v = j[group][key];
  ASSERT_TRUE(v.is_number()) << group << "." << key << " = " << v.dump();
  EXPECT_GE(v.get<double>(), 0.0) << group << "." << key;
}

TEST(BenchFrames, PrintsFrameAndLatencyPercentiles) {
  const t::Outcome r = t::run_app("--bench-frames 30");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << "stdout is not JSON:\n" << r.out;
  EXPECT_EQ(j["frames"], 30);
  for (const char* group : {"frame_ms", "latency_ms", "complete_ms"})
    for (const char* key : {"median", "p95"}) expect_non_negative_number(j, group, key);
  EXPECT_GE(j["frame_ms"]["p95"].get<double>(), j["frame_ms"]["median"].get<double>());
  EXPECT_GE(j["latency_ms"]["p95"].get<double>(), j["latency_ms"]["median"].get<double>());
  EXPECT_GE(j["complete_ms"]["p95"].get<double>(), j["complete_ms"]["median"].get<double>());
  for (const char* part : {"queue", "inputs", "multi_trace", "single_trace", "reduce", "pickup"})
    expect_non_negative_number(j["latency_breakdown_ms"], part, "median");
  for (const char* part : {"ui", "upload", "render"})
    expect_non_negative_number(j["frame_breakdown_ms"], part, "median");
  ASSERT_TRUE(j["changes"].is_number_integer());
  EXPECT_GT(j["changes"].get<int>(), 0) << "the benchmark moves the controls";
}

TEST(BenchFrames, RefusesZeroFrames) {
  const t::Outcome r = t::run_app("--bench-frames 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(t::line_count(r.err), 1u) << r.err;
}

} // namespace
