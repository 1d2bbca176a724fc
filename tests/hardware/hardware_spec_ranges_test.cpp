// Every spec figure has a physical range: out-of-range, infinite, NaN or
// denormal figures are refused with one line naming chip and field, in files,
// in the editor's rule and in the models' integer arithmetic.

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <gtest/gtest.h>

#include "core/hardware/systolic.hpp"
#include "core/hardware/tiling.hpp"
#include "hardware_test_support.hpp"
#include "tests/support/run_binary.hpp"

namespace abh {
namespace {

using nlohmann::json;
using test::chip;
using test::make_shape;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double denormal = 4.9e-324;

std::vector<double> bad_values(const FigureRange& r) {
  std::vector<double> v = {inf, -inf, nan, 1e300, r.max * 2, -1};
  if (r.min > 0) v.insert(v.end(), {denormal, r.min / 2, 0});
  return v;
}

void expect_names(const std::string& problem, const std::string& chip_name, const std::string& field) {
  EXPECT_NE(problem.find(chip_name), std::string::npos) << problem;
  EXPECT_NE(problem.find(field), std::string::npos) << problem;
  EXPECT_EQ(problem.find('\n'), std::string::npos) << problem;
}

TEST(HardwareSpecRanges, EveryFigureOutOfRangeIsRefused) {
  for (const HardwareSpec& good : test::every_spec()) {
    ASSERT_EQ(spec_problem(good), "") << good.chip;
    for (const FigureField& f : figure_fields())
      for (double v : bad_values(f.range)) {
        HardwareSpec s = good;
        (s.*f.member).value = v;
        expect_names(spec_problem(s), good.chip, std::string(f.key));
      }
    for (std::size_t i = 0; i < good.memory.size(); ++i) {
      for (double v : bad_values(bandwidth_range)) {
        HardwareSpec s = good;
        s.memory[i].bandwidth.value = v;
        expect_names(spec_problem(s), good.chip, "memory " + good.memory[i].name + " bandwidth");
      }
      for (double v : bad_values(capacity_range)) {
        HardwareSpec s = good;
        s.memory[i].capacity.value = v;
        expect_names(spec_problem(s), good.chip, "memory " + good.memory[i].name + " capacity");
      }
    }
    HardwareSpec s = good;
    s.power = Figure{inf, "test"};
    expect_names(spec_problem(s), good.chip, "power");
  }
}

TEST(HardwareSpecRanges, ModelsStayFiniteAtTheEdgesOfEveryRange) {
  // Every figure at its minimum, then at its maximum: the schedule is finite.
  const Shape shape = make_shape(1024, 512, 8, 64, 8);
  for (const HardwareSpec& good : test::shipped_specs())
    for (bool at_max : {false, true}) {
      HardwareSpec s = good;
      for (const FigureField& f : figure_fields())
        if (!f.optional || (s.*f.member).value > 0)
          (s.*f.member).value = std::max(at_max ? f.range.max : f.range.min, f.optional ? 1.0 : 0.0);
      for (MemoryLevel& m : s.memory) {
        m.bandwidth.value = at_max ? bandwidth_range.max : bandwidth_range.min;
        if (m.capacity.value > 0) m.capacity.value = at_max ? capacity_range.max : 1;
      }
      ASSERT_EQ(spec_problem(s), "") << good.chip;
      const Schedule sch = run_model(shape, {Dtype::bf16, false}, s);
      EXPECT_TRUE(std::isfinite(sch.total_seconds)) << good.chip << " max=" << at_max;
      EXPECT_TRUE(std::isfinite(sch.utilisation)) << good.chip << " max=" << at_max;
    }
}

TEST(HardwareSpecRanges, ModelsCalledDirectlyCheckTheirIntegers) {
  const Shape shape = make_shape(256, 64, 2, 32, 2);
  HardwareSpec cpu = chip("EPYC");
  cpu.lanes.value = 1e300;
  EXPECT_THROW(model_cpu(shape, {}, cpu), std::invalid_argument);
  cpu = chip("EPYC");
  cpu.memory[0].capacity.value = 1e300; // L2: a block side beyond any integer
  EXPECT_THROW(model_cpu(shape, {}, cpu), std::invalid_argument);
  HardwareSpec npu = chip("Lunar Lake");
  npu.memory[0].capacity.value = 1e300;
  EXPECT_THROW(model_npu(shape, {}, npu), std::invalid_argument);
  HardwareSpec tpu = chip("TPU v5e");
  tpu.array_rows.value = 1e300;
  EXPECT_THROW(model_tpu(shape, {}, tpu), std::invalid_argument);
  tpu = chip("TPU v5e");
  tpu.units.value = nan;
  EXPECT_THROW(model_tpu(shape, {}, tpu), std::invalid_argument);
  HardwareSpec gpu = chip("H100");
  gpu.units.value = 1e19;
  EXPECT_THROW(model_gpu(shape, {}, gpu), std::invalid_argument);
}

TEST(HardwareSpecRanges, SystolicAndTileCountsRefuseToWrap) {
  constexpr std::int64_t big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(ceil_div(big, 2), big / 2 + 1);
  EXPECT_EQ(ceil_div(big, big), 1);
  EXPECT_THROW(weight_stationary(big / 2, 128, 128, 64, 64), ShapeError); // 2R overflows
  EXPECT_THROW(weight_stationary(128, 128, big - 10, 64, 64), ShapeError); // 2R + C + T overflows
  const SystolicFolds f{big / 2, 3};
  EXPECT_THROW((void)f.cycles(), ShapeError);
  TileGrid g;
  g.rows = g.cols = big;
  g.tile_rows = g.tile_cols = 1;
  EXPECT_THROW((void)g.per_batch(), ShapeError);
  g.triangular = true;
  EXPECT_THROW((void)g.per_batch(), ShapeError);
}

TEST(HardwareSpecRanges, EditorRuleRefusesAndLeavesTheFigure) {
  HardwareSpec s = chip("H100");
  const Figure before = s.peak_bf16;
  const FigureField& field = *find_figure_field("peak_bf16");
  for (double v : {inf, nan, 1e300, denormal, 0.0, -5.0}) {
    const std::string problem = set_figure(s.*field.member, s.chip, field.key, v, field.range);
    expect_names(problem, s.chip, "peak_bf16");
    EXPECT_EQ(s.peak_bf16.value, before.value);
    EXPECT_EQ(s.peak_bf16.source, before.source);
  }
  EXPECT_EQ(set_figure(s.peak_bf16, s.chip, "peak_bf16", 500e12, field.range), "");
  EXPECT_EQ(s.peak_bf16.value, 500e12);
  EXPECT_EQ(s.peak_bf16.source, "edited in the app");
}

class HardwareSpecFiles : public ::testing::Test {
protected:
  test::TempDir dir;
  std::string path = dir.path() + "/hardware.json";
  void SetUp() override { ASSERT_FALSE(dir.path().empty()); }
  std::string load_error() {
    try {
      load_hardware_specs(path);
    } catch (const HardwareSpecError& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(HardwareSpecFiles, OutOfRangeFigureInAFileIsOneLine) {
  json doc = json::parse(std::ifstream(default_hardware_specs_path()));
  doc["chips"][1]["clock"]["value"] = 1e300;
  std::ofstream(path) << doc.dump();
  const std::string error = load_error();
  expect_names(error, doc["chips"][1]["chip"].get<std::string>(), "clock");
}

TEST_F(HardwareSpecFiles, SavingAnOutOfRangeSpecWritesNothing) {
  save_hardware_specs(path, test::shipped_specs());
  const std::string saved = test_support::read_file(path);
  std::vector<HardwareSpec> specs = test::shipped_specs();
  specs[1].peak_bf16.value = inf; // would be written as null
  EXPECT_THROW(save_hardware_specs(path, specs), HardwareSpecError);
  EXPECT_EQ(test_support::read_file(path), saved);
  EXPECT_EQ(load_error(), "");
}

// The user's saved file is broken: the app and --hardware-report fall back to
// the shipped specs with one warning line and leave the file as it was.
class BrokenUserSpecs : public ::testing::Test {
protected:
  std::string user = user_hardware_specs_path();
  const std::string broken = "{\"version\": 1, \"chips\": [{\"chip\": \"X\", \"clock\": null}]}\n";
  void SetUp() override {
    std::filesystem::create_directories(std::filesystem::path(user).parent_path());
    std::ofstream(user) << broken;
  }
  void TearDown() override { std::filesystem::remove(user); }
};

TEST_F(BrokenUserSpecs, LoadFallsBackToTheShippedSpecs) {
  const LoadedSpecs loaded = load_app_hardware_specs();
  EXPECT_EQ(loaded.path, default_hardware_specs_path());
  EXPECT_EQ(loaded.specs.size(), test::shipped_specs().size());
  EXPECT_NE(loaded.warning.find(user), std::string::npos) << loaded.warning;
  EXPECT_EQ(loaded.warning.find('\n'), std::string::npos) << loaded.warning;
  EXPECT_EQ(test_support::read_file(user), broken);
}

TEST_F(BrokenUserSpecs, HardwareReportStillRuns) {
  const test_support::Outcome r = test_support::run_binary("--hardware-report");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(test_support::line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(user), std::string::npos) << r.err;
  EXPECT_TRUE(json::parse(r.out, nullptr, false).contains("architectures")) << r.out;
  EXPECT_EQ(test_support::read_file(user), broken);
}

TEST_F(BrokenUserSpecs, SavingOverItKeepsACopyFirst) {
  const std::string first = keep_unloadable_copy(user);
  const std::string second = keep_unloadable_copy(user);
  EXPECT_EQ(first, user + ".unloadable");
  EXPECT_EQ(second, user + ".unloadable-2");
  EXPECT_EQ(test_support::read_file(first), broken);
  EXPECT_EQ(test_support::read_file(second), broken);
  std::filesystem::remove(first);
  std::filesystem::remove(second);
}

TEST(HardwareSpecFallback, AGoodUserFileIsUsed) {
  const std::string user = user_hardware_specs_path();
  std::filesystem::create_directories(std::filesystem::path(user).parent_path());
  std::vector<HardwareSpec> specs = test::shipped_specs();
  specs.resize(1);
  save_hardware_specs(user, specs);
  const LoadedSpecs loaded = load_app_hardware_specs();
  std::filesystem::remove(user);
  EXPECT_EQ(loaded.path, user);
  EXPECT_EQ(loaded.warning, "");
  EXPECT_EQ(loaded.specs.size(), 1u);
}

} // namespace
} // namespace abh
