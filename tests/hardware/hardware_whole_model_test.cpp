// Whole models on each machine: weights, KV cache and live activations over
// every attention layer of the fixture gallery, counted by hand, the devices
// (LPU: chips) they need, and the --hardware-report's whole_model section.

#include <gtest/gtest.h>

#include "app/cli/hardware_report.hpp"
#include "app/io/models_json.hpp"
#include "core/hardware/whole_model.hpp"
#include "hardware_test_support.hpp"
#include "tests/support/run_binary.hpp"

namespace abh {
namespace {

using nlohmann::json;

const std::string fixture = "tests/data/models_fixture.json";

Model fixture_model(const std::string& key) {
  for (const GalleryModel& m : read_models_file(fixture))
    if (m.model.key == key) return m.model;
  throw std::runtime_error("no model " + key);
}

Shape context(std::int64_t seq) {
  Shape s;
  s.seq = seq;
  return s;
}

HardwareSpec with_capacity(HardwareSpec spec, double bytes) {
  for (MemoryLevel& m : spec.memory)
    if (m.role == MemoryRole::main) m.capacity.value = bytes;
  return spec;
}

// tiny-gqa: 4 causal layers, d 64, H 8, Hkv 2, dh 16, at n = 1024 in bf16.
// Per layer: Wqkv (128 + 2·32)·64 = 12,288 and Wo 64·128 = 8,192 elements;
// KV 2·2·16 = 64 per token; unfused, the largest stage is softmax: S in and
// A out, each 8·1024·1025/2 = 4,198,400 scores.
TEST(WholeModel, CountsEveryLayerByHand) {
  const WholeModelBytes b = whole_model_bytes(fixture_model("tiny-gqa"), context(1024), Dtype::bf16, false);
  EXPECT_DOUBLE_EQ(b.weights, 4.0 * (12288 + 8192) * 2);
  EXPECT_DOUBLE_EQ(b.kv_cache, 4.0 * 1024 * 64 * 2);
  EXPECT_DOUBLE_EQ(b.largest_layer_activations, 8396800.0 * 2);
  EXPECT_DOUBLE_EQ(b.activations, 4 * 8396800.0 * 2);
  EXPECT_DOUBLE_EQ(b.held(ArchKind::gpu), b.weights + b.kv_cache + b.largest_layer_activations);
  EXPECT_DOUBLE_EQ(b.held(ArchKind::lpu), b.weights + b.kv_cache + b.activations);
}

// tiny-hybrid at n = 4096: 3 of the 5 sliding layers keep w = 512 tokens of
// Hkv·(dh + dv) = 16; the global layer 4096 tokens of 2·(8 + 16) = 48.
TEST(WholeModel, SlidingLayersKeepTheirWindowAndSharedLayersNone) {
  const WholeModelBytes b = whole_model_bytes(fixture_model("tiny-hybrid"), context(4096), Dtype::fp32, true);
  EXPECT_DOUBLE_EQ(b.kv_cache, (3.0 * 512 * 16 + 4096.0 * 48) * 4);
}

TEST(WholeModel, DevicesFollowOneDevicesMemory) {
  const WholeModelBytes b = whole_model_bytes(fixture_model("tiny-gqa"), context(1024), Dtype::bf16, false);
  const double gpu_bytes = 163840 + 524288 + 16793600.0; // 17,481,728
  const double lpu_bytes = 163840 + 524288 + 67174400.0; // 67,862,528
  const MachineFit h200 = machine_fit(b, test::chip("h200"));
  EXPECT_TRUE(h200.fits);
  EXPECT_EQ(h200.devices, 1);
  const MachineFit small_gpu = machine_fit(b, with_capacity(test::chip("h200"), 1e6));
  EXPECT_DOUBLE_EQ(small_gpu.bytes, gpu_bytes);
  EXPECT_FALSE(small_gpu.fits);
  EXPECT_EQ(small_gpu.devices, 18);
  const MachineFit lpu = machine_fit(b, with_capacity(test::chip("groq"), 1e7));
  EXPECT_DOUBLE_EQ(lpu.bytes, lpu_bytes);
  EXPECT_EQ(lpu.devices, 7);
  EXPECT_NE(machine_fit_line(lpu).find("needs 7 chips"), std::string::npos) << machine_fit_line(lpu);
  EXPECT_NE(machine_fit_line(h200).find("fits on 1 device"), std::string::npos) << machine_fit_line(h200);
  const MachineFit unknown = machine_fit(b, with_capacity(test::chip("h200"), 0));
  EXPECT_FALSE(unknown.fits);
  EXPECT_NE(machine_fit_line(unknown).find("not published"), std::string::npos);
}

TEST(WholeModel, ReportJsonHasOneEntryPerMachine) {
  const json j = whole_model_json(fixture_model("tiny-gqa"), context(1024), "bf16", false, {},
                                  test::shipped_specs(), test::fixed_cpu_specs().front());
  EXPECT_EQ(j["model"], "tiny-gqa");
  EXPECT_EQ(j["context"], 1024);
  EXPECT_DOUBLE_EQ(j["bytes"]["weights"].get<double>(), 163840);
  EXPECT_DOUBLE_EQ(j["bytes"]["kv_cache"].get<double>(), 524288);
  ASSERT_EQ(j["machines"].size(), 5u);
  EXPECT_EQ(j["machines"][4]["kind"], "LPU");
  for (const json& m : j["machines"]) {
    EXPECT_TRUE(m["text"].get<std::string>().starts_with(m["chip"].get<std::string>()));
    EXPECT_GE(m["devices"].get<int>(), 1);
  }
  EXPECT_THROW(whole_model_json(fixture_model("tiny-gqa"), context(1024), "fp64", false, {},
                                test::shipped_specs(), test::fixed_cpu_specs().front()),
               std::runtime_error);
}

TEST(WholeModel, HardwareReportCommandLine) {
  const test_support::Outcome r = test_support::run_binary(
      "--hardware-report --models " + fixture + " --model tiny-gqa --seq 1024 --dtype bf16");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json j = json::parse(r.out);
  ASSERT_TRUE(j.contains("whole_model")) << r.out;
  EXPECT_DOUBLE_EQ(j["whole_model"]["bytes"]["weights"].get<double>(), 163840);
  EXPECT_EQ(j["whole_model"]["machines"].size(), 5u);
  for (const json& m : j["whole_model"]["machines"])
    EXPECT_NE(r.err.find(m["text"].get<std::string>()), std::string::npos) << r.err;
  const test_support::Outcome plain = test_support::run_binary("--hardware-report --seq 64");
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_FALSE(json::parse(plain.out).contains("whole_model"));
  const test_support::Outcome bad =
      test_support::run_binary("--hardware-report --models " + fixture + " --model no-such-model");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(test_support::line_count(bad.err), 1u) << bad.err;
}

} // namespace
} // namespace abh
