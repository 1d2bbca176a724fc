// The --hardware-report JSON, spec loading and saving, and this machine's CPU.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "app/cli/hardware_report.hpp"
#include "app/io/host_cpu.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using nlohmann::json;

std::string specs_path() { return default_hardware_specs_path(); }

// The report over the shipped specs, with a fixed CPU as "this machine".
json report(const Shape& shape, const std::string& dtype, bool fused,
            const std::vector<std::string>& chips) {
  return hardware_report_json(shape, dtype, fused, chips, test::shipped_specs(),
                              test::fixed_cpu_specs().front());
}

TEST(HardwareReport, StructureUnfused) {
  const json j = report(worked_example(), "bf16", false, {});
  EXPECT_EQ(j["shape"]["seq"], 40);
  EXPECT_EQ(j["dtype"], "bf16");
  EXPECT_EQ(j["fused"], false);
  ASSERT_EQ(j["architectures"].size(), 5u);
  const char* kinds[] = {"CPU", "GPU", "TPU", "NPU", "LPU"};
  for (std::size_t i = 0; i < 5; ++i) {
    const json& a = j["architectures"][i];
    EXPECT_EQ(a["kind"], kinds[i]);
    EXPECT_TRUE(a["chip"].is_string());
    EXPECT_GE(a["chips"].get<int>(), 1);
    EXPECT_TRUE(a["energy_joules"].is_null() || a["energy_joules"].is_number());
    ASSERT_EQ(a["stages"].size(), 6u);
    double total = 0;
    for (const char* key : {"projection", "scores", "scale", "softmax", "weighted_sum", "output"}) {
      const json& st = a["stages"][key];
      for (const char* field : {"seconds", "flops", "bytes"}) EXPECT_TRUE(st[field].is_number());
      EXPECT_TRUE(st["bound"] == "compute" || st["bound"] == "memory" || st["bound"] == "overhead");
      total += st["seconds"].get<double>();
    }
    EXPECT_NEAR(a["total_seconds"].get<double>(), total, 1e-12);
    EXPECT_EQ(a.size(), 6u); // exactly kind, chip, chips, stages, total_seconds, energy_joules
  }
  // Stage FLOPs are abh::count's: 57,600 score multiplies + 52,800 adds.
  EXPECT_EQ(j["architectures"][1]["stages"]["scores"]["flops"], 57600 + 52800);
  EXPECT_EQ(j["architectures"][1]["chip"], "NVIDIA H100 SXM");
  // Every shipped machine has a power figure, published or assumed.
  EXPECT_TRUE(j["architectures"][2]["energy_joules"].is_number());
}

TEST(HardwareReport, FusedAndChipChoice) {
  const json j = report(worked_example(), "int8", true, {"h200", "apple m4"});
  const json& gpu = j["architectures"][1];
  EXPECT_EQ(gpu["chip"], "NVIDIA H200 SXM");
  EXPECT_EQ(j["architectures"][3]["chip"], "Apple M4 Neural Engine");
  ASSERT_EQ(gpu["stages"].size(), 3u);
  EXPECT_TRUE(gpu["stages"].contains("attention"));
  EXPECT_FALSE(gpu["stages"].contains("softmax"));
  const json here = report(worked_example(), "fp32", false, {"this machine"});
  EXPECT_NE(here["architectures"][0]["chip"].get<std::string>().find("This machine"), std::string::npos);
}

TEST(HardwareReport, BadInputIsOneLine) {
  const auto message = [](auto&& call) -> std::string {
    try {
      call();
    } catch (const std::exception& e) {
      return e.what();
    }
    return "";
  };
  const std::string chip = message([] { report(worked_example(), "fp32", false, {"Z80"}); });
  EXPECT_NE(chip.find("Z80"), std::string::npos);
  EXPECT_EQ(chip.find('\n'), std::string::npos);
  const std::string ambiguous = message([] { report(worked_example(), "fp32", false, {"NVIDIA"}); });
  EXPECT_NE(ambiguous.find("ambiguous"), std::string::npos);
  const std::string dtype = message([] { report(worked_example(), "fp8", false, {}); });
  EXPECT_NE(dtype.find("fp8"), std::string::npos);
}

class HardwareSpecs : public ::testing::Test {
protected:
  test::TempDir dir; // unique per test: parallel runs never share a file
  std::string path = dir.path() + "/hardware.json";
  void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
  void write(const std::string& text) { std::ofstream(path) << text; }
  std::string load_error() {
    try {
      load_hardware_specs(path);
    } catch (const HardwareSpecError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(HardwareSpecs, ShippedFileLoadsWithSources) {
  const auto& specs = test::shipped_specs();
  EXPECT_GE(specs.size(), 7u);
  for (const HardwareSpec& s : specs) {
    EXPECT_EQ(spec_problem(s), "") << s.chip;
    EXPECT_FALSE(s.peak_bf16.source.empty()) << s.chip;
    EXPECT_FALSE(s.tradeoff.empty()) << s.chip;
  }
  // Every figure says where it comes from.
  for (const HardwareSpec& s : specs) {
    for (const FigureField& f : figure_fields())
      EXPECT_FALSE((s.*f.member).source.empty()) << s.chip << " " << f.key;
    for (const MemoryLevel& m : s.memory) {
      EXPECT_FALSE(m.capacity.source.empty()) << s.chip << " " << m.name;
      EXPECT_FALSE(m.bandwidth.source.empty()) << s.chip << " " << m.name;
    }
  }
}

// Figures derived from other figures of the same spec agree with them: a
// vector rate worked out at another clock, or a peak that the array size and
// clock do not give, is a copy error.
TEST_F(HardwareSpecs, ShippedFiguresAgreeWithEachOther) {
  for (const HardwareSpec& s : test::shipped_specs()) {
    const double clock = s.clock.value;
    if (s.kind == ArchKind::gpu) { // one element-wise op per lane per cycle
      EXPECT_NEAR(s.vector_flops.value / (s.units.value * s.lanes.value * clock), 1, 0.01) << s.chip;
    }
    if (s.kind == ArchKind::tpu) { // R × C MACs per MXU per cycle, 2 FLOPs each
      EXPECT_NEAR(s.peak_bf16.value / (s.units.value * s.array_rows.value * s.array_cols.value * 2 * clock),
                  1, 0.01) << s.chip;
    }
    if (s.kind == ArchKind::npu && s.macs.source.rfind("computed", 0) != 0) { // 2 × MACs × clock
      EXPECT_NEAR(s.peak_int8.value / (2 * s.macs.value * clock), 1, 0.01) << s.chip;
    }
    // A rate the vendor does not publish is assumed, not "computed" from a datasheet.
    for (const Figure* f : {&s.peak_bf16, &s.peak_int8}) {
      if (f->source.rfind("computed", 0) == 0) {
        EXPECT_EQ(f->source.find("ISA"), std::string::npos) << s.chip << ": " << f->source;
      }
    }
  }
}

TEST_F(HardwareSpecs, MissingFile) {
  std::filesystem::remove(path);
  EXPECT_NE(load_error().find("cannot read hardware specs"), std::string::npos);
}

TEST_F(HardwareSpecs, BadJson) {
  write("{\"chips\": [");
  EXPECT_NE(load_error().find("not valid JSON"), std::string::npos);
}

TEST_F(HardwareSpecs, MissingAndNegativeFields) {
  json doc = json::parse(std::ifstream(specs_path()));
  json chip = doc["chips"][1];
  chip.erase("peak_bf16");
  write(json{{"chips", {chip}}}.dump());
  const std::string missing = load_error();
  EXPECT_NE(missing.find("peak_bf16"), std::string::npos) << missing;
  EXPECT_EQ(missing.find('\n'), std::string::npos);
  chip = doc["chips"][1];
  chip["memory"][2]["bandwidth"]["value"] = -1;
  write(json{{"chips", {chip}}}.dump());
  EXPECT_NE(load_error().find("negative"), std::string::npos);
  chip = doc["chips"][1];
  chip["kind"] = "QPU";
  write(json{{"chips", {chip}}}.dump());
  EXPECT_NE(load_error().find("kind"), std::string::npos);
}

TEST_F(HardwareSpecs, SaveThenLoadRoundTrips) {
  std::vector<HardwareSpec> specs = test::shipped_specs();
  specs[1].launch_overhead = {7e-6, "edited in the UI"};
  save_hardware_specs(path, specs);
  const auto back = load_hardware_specs(path);
  ASSERT_EQ(back.size(), specs.size());
  EXPECT_EQ(spec_to_json(back[1]), spec_to_json(specs[1]));
  EXPECT_EQ(back[1].launch_overhead.source, "edited in the UI");
  EXPECT_EQ(back[2].power.has_value(), specs[2].power.has_value());
}

TEST(HardwareThisMachine, FromCpuinfoText) {
  const std::string text =
      "processor\t: 0\nmodel name\t: Test CPU\ncpu MHz\t\t: 3000.000\nphysical id\t: 0\n"
      "core id\t\t: 0\nflags\t\t: fpu sse sse2 avx avx2 fma\n\n"
      "processor\t: 1\nmodel name\t: Test CPU\ncpu MHz\t\t: 3000.000\nphysical id\t: 0\n"
      "core id\t\t: 1\nflags\t\t: fpu sse sse2 avx avx2 fma\n";
  CpuDescription cpu = parse_cpuinfo(text);
  EXPECT_EQ(cpu.model, "Test CPU");
  EXPECT_EQ(cpu.cores, 2);
  EXPECT_EQ(cpu.logical, 2);
  EXPECT_EQ(cpu.mhz, 3000);
  cpu.l2_per_core = 2 * test::MiB;
  const HardwareSpec s = this_machine_spec(cpu);
  EXPECT_EQ(s.chip, "This machine (Test CPU)");
  EXPECT_EQ(s.units.value, 2);
  EXPECT_EQ(s.clock.value, 3e9);
  EXPECT_EQ(s.lanes.value, 8);
  EXPECT_DOUBLE_EQ(s.peak_fp32.value, 2 * 3e9 * 8 * 2 * 2);
  EXPECT_EQ(s.level(MemoryRole::unit)->capacity.value, 2 * test::MiB);
  EXPECT_EQ(spec_problem(s), "");
  const HardwareSpec avx512 = this_machine_spec(parse_cpuinfo("processor : 0\nflags : avx512f avx2 fma\n"));
  EXPECT_EQ(avx512.lanes.value, 16);
  const HardwareSpec none = this_machine_spec(parse_cpuinfo(""));
  EXPECT_NE(none.units.source.find("assumed"), std::string::npos);
  EXPECT_EQ(spec_problem(none), "");
}

TEST(HardwareThisMachine, MissingCachesAreAssumedNeverAbsent) {
  for (const CpuDescription& cpu : test::fixed_cpus()) {
    const HardwareSpec s = this_machine_spec(cpu);
    EXPECT_EQ(spec_problem(s), "") << cpu.model;
    const MemoryLevel* l2 = s.level(MemoryRole::unit);
    const MemoryLevel* l3 = s.level(MemoryRole::shared);
    ASSERT_NE(l2, nullptr) << cpu.model;
    ASSERT_NE(l3, nullptr) << cpu.model;
    EXPECT_GT(l2->capacity.value, 0) << cpu.model;
    EXPECT_GT(l3->capacity.value, 0) << cpu.model;
    if (cpu.l3 > 0) {
      EXPECT_EQ(l3->capacity.value, cpu.l3) << cpu.model;
      EXPECT_EQ(l3->capacity.source, cpu.cache_source) << cpu.model;
    } else {
      EXPECT_EQ(l3->capacity.source.rfind("assumed ", 0), 0u) << l3->capacity.source;
      EXPECT_NE(l3->capacity.source.find("MiB"), std::string::npos) << l3->capacity.source;
    }
  }
}

TEST(HardwareThisMachine, UnusableFiguresAreAssumed) {
  CpuDescription cpu;
  cpu.mhz = 1e300; // no such clock
  cpu.cores = -3;
  cpu.l2_per_core = 1e300;
  cpu.l3 = -1;
  const HardwareSpec s = this_machine_spec(cpu);
  EXPECT_EQ(spec_problem(s), "");
  EXPECT_NE(s.clock.source.find("assumed"), std::string::npos);
  EXPECT_NE(s.units.source.find("assumed"), std::string::npos);
  EXPECT_NE(s.level(MemoryRole::unit)->capacity.source.find("assumed"), std::string::npos);
}

// The probe may read the host; the only thing asserted is that what it
// builds is a usable spec, whatever the host says.
TEST(HardwareThisMachine, HostProbeBuildsAUsableSpec) {
  EXPECT_EQ(spec_problem(host_cpu_spec()), "");
}

} // namespace
} // namespace abh
