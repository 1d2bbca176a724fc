// The calibrated GPU model: the held-out targets against the measured H200
// (tests/hardware/calib/), the fit reproducing the shipped figures, and each
// calibrated behaviour on fixed shapes with the shipped (fixed) specs.

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "core/hardware/calibration.hpp"
#include "core/hardware/gpu_kernels.hpp"
#include "core/hardware/roofline.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::chip;
using test::stage;
using test::make_shape;

CsvTable calib(const std::string& name) {
  std::ifstream in("tests/hardware/calib/" + name);
  std::ostringstream s;
  s << in.rdbuf();
  return parse_csv(s.str());
}

const HardwareSpec& h200() { return chip("H200"); }

Shape layer(std::int64_t n, std::int64_t d, std::int64_t heads, bool causal = false) {
  Shape s = make_shape(n, d, heads, d / heads, heads);
  s.causal = causal;
  return s;
}

double attention_part(const Schedule& s) { return test::attention_seconds(s); }

TEST(HardwareCalibration, HeldOutRowsMeetTheTargets) {
  const CsvTable prefill = calib("h200_prefill.csv"), decode = calib("h200_decode.csv");
  ASSERT_EQ(prefill.rows.size(), 77u);
  std::vector<Comparison> all = prefill_comparisons(prefill, h200());
  const std::vector<Comparison> dec = decode_comparisons(decode, h200());
  all.insert(all.end(), dec.begin(), dec.end());
  std::map<std::string, std::vector<Comparison>> held_out;
  for (const Comparison& c : all)
    if (!c.fit) held_out[c.stage].push_back(c);
  ASSERT_GE(held_out.size(), 10u);
  for (const auto& [name, cs] : held_out) {
    const RatioSummary s = summarise(cs);
    EXPECT_GE(s.within, 0.85) << name << ": " << s.within << " of " << s.count << " within 1.5×";
  }
  const RatioSummary softmax = summarise(held_out["softmax"]);
  EXPECT_GT(softmax.geomean, 0.8);
  EXPECT_LT(softmax.geomean, 1.25);
  const std::vector<HeadTrend> trends = head_trends(prefill, h200());
  ASSERT_GE(trends.size(), 4u);
  for (const HeadTrend& t : trends) {
    EXPECT_GT(t.model / t.measured, 1 / 1.5) << t.row;
    EXPECT_LT(t.model / t.measured, 1.5) << t.row;
  }
}

TEST(HardwareCalibration, RefitOnTheFitRowsReproducesTheShippedFigures) {
  const CalibrationFit fit = fit_gpu_calibration(h200(), calib("h200_ceilings.csv"),
                                                 calib("h200_prefill.csv"), calib("h200_decode.csv"));
  ASSERT_GE(fit.fields.size(), 10u);
  for (const std::string& key : fit.fields) {
    const FigureField* f = find_figure_field(key);
    ASSERT_NE(f, nullptr) << key;
    const double shipped = (h200().*(f->member)).value, refit = (fit.spec.*(f->member)).value;
    EXPECT_NEAR(refit / shipped, 1, 0.05) << key << ": shipped " << shipped << ", refit " << refit;
  }
}

TEST(HardwareCalibration, CsvErrorsNameTheLineOrColumn) {
  EXPECT_THROW(parse_csv("a,b\n1,2,3\n"), std::invalid_argument);
  const CsvTable t = parse_csv("a,b\n1,x\n");
  EXPECT_EQ(t.number(0, "a"), 1);
  EXPECT_THROW(t.number(0, "b"), std::invalid_argument);
  EXPECT_THROW(t.number(0, "c"), std::invalid_argument);
}

TEST(HardwareCalibration, SoftmaxCostsFp32MathPerElementAndDependsOnRowLength) {
  const auto softmax = [](std::int64_t n, std::int64_t heads, Dtype dtype) {
    return stage(run_model(layer(n, 1024, heads), {dtype, false}, h200()), Stage::softmax);
  };
  // bf16 halves the bytes but not the fp32 math: it barely beats fp32.
  const double bf16 = softmax(4096, 16, Dtype::bf16).seconds, fp32 = softmax(4096, 16, Dtype::fp32).seconds;
  EXPECT_GT(bf16 / fp32, 0.9);
  EXPECT_LE(bf16 / fp32, 1.0);
  EXPECT_EQ(softmax(4096, 16, Dtype::bf16).bound, Bound::compute);
  // Far slower than streaming its bytes at the full HBM bandwidth.
  const double bytes = 2.0 * 16 * 4096 * 4096 * 2;
  EXPECT_GT(bf16, 2 * bytes / 4.8e12);
  // Rows longer than a warp holds pay a per-row reduction: per element, a
  // 4096-long row costs more than a 1024-long one.
  const double per_long = softmax(4096, 16, Dtype::bf16).seconds / (16.0 * 4096 * 4096);
  const double per_short = softmax(1024, 256, Dtype::bf16).seconds / (256.0 * 1024 * 1024);
  EXPECT_GT(per_long, 1.3 * per_short);
}

TEST(HardwareCalibration, LargeProductsReachAnAchievableFractionOfPeak) {
  const Schedule s = run_model(layer(16384, 3072, 24), {Dtype::bf16, false}, h200());
  const StageCost& p = stage(s, Stage::projection);
  const double tflops = p.flops / p.seconds / 1e12;
  EXPECT_GT(tflops, 650); // no L2 cap at ~350 TFLOP/s
  EXPECT_LT(tflops, 800); // and not above the 8192³ product the card reached
  EXPECT_EQ(p.bound, Bound::compute);
}

TEST(HardwareCalibration, NarrowHeadsPayPaddingAndTheirStores) {
  const auto scores = [](std::int64_t dh, Dtype dtype) {
    Shape s = make_shape(4096, 1024, 1024 / dh, dh, 1024 / dh);
    return stage(run_model(s, {dtype, false}, h200()), Stage::scores);
  };
  // dh 8 pads to the 16-wide tensor-core step: no faster per score than dh 16.
  const StageCost s8 = scores(8, Dtype::bf16), s16 = scores(16, Dtype::bf16);
  EXPECT_GT(s8.seconds / 2, 0.95 * s16.seconds / 1); // twice the scores, at least twice the time
  // The stores of S follow the one k-step: slower than streaming S at full bandwidth.
  const double s_bytes = 128.0 * 4096 * 4096 * 2;
  EXPECT_GT(s8.seconds, s_bytes / 4.8e12 * 1.2);
  EXPECT_EQ(pad_to_step(8, Dtype::bf16), 16);
  EXPECT_EQ(pad_to_step(24, Dtype::bf16), 32);
  EXPECT_EQ(pad_to_step(12, Dtype::fp32), 16);
}

TEST(HardwareCalibration, OverheadIsEagerOrGraph) {
  const Shape small = layer(64, 64, 2);
  const Schedule eager = run_model(small, {Dtype::bf16, false, false}, h200());
  const Schedule graph = run_model(small, {Dtype::bf16, false, true}, h200());
  for (std::size_t i = 0; i < eager.stages.size(); ++i) {
    EXPECT_EQ(eager.stages[i].overhead_seconds, h200().framework_overhead.value);
    EXPECT_EQ(graph.stages[i].overhead_seconds, h200().launch_overhead.value);
    EXPECT_NE(eager.stages[i].formula.find("eager"), std::string::npos);
    EXPECT_NE(graph.stages[i].formula.find("graph"), std::string::npos);
    EXPECT_EQ(eager.stages[i].bound, Bound::overhead);
  }
  EXPECT_GE(h200().framework_overhead.value, 10e-6);
  EXPECT_LE(h200().framework_overhead.value, 25e-6);
  HardwareSpec plain = h200();
  plain.framework_overhead.value = 0; // no eager figure: the launch overhead
  EXPECT_EQ(operator_overhead(plain, false), plain.launch_overhead.value);
}

TEST(HardwareCalibration, FusedKernelExistsOnlyWhereFlashRuns) {
  EXPECT_TRUE(fused_kernel(h200(), Dtype::bf16, 128).flash);
  EXPECT_TRUE(fused_kernel(h200(), Dtype::bf16, 256).flash);
  EXPECT_FALSE(fused_kernel(h200(), Dtype::bf16, 512).flash);
  EXPECT_FALSE(fused_kernel(h200(), Dtype::fp32, 64).flash);
  HardwareSpec small_smem = h200();
  small_smem.memory[0].capacity.value = 64 * 1024; // a flash tile of dh 256 no longer fits
  EXPECT_FALSE(fused_kernel(small_smem, Dtype::bf16, 256).flash);
  EXPECT_NE(fused_kernel(small_smem, Dtype::bf16, 256).name.find("shared memory"), std::string::npos);

  // dh 512: the fallback is slower than the unfused path; dh 128: fused wins.
  const auto fused_vs_unfused = [](std::int64_t heads) {
    const Shape s = layer(16384, 1024, heads);
    const Schedule fused = run_model(s, {Dtype::bf16, true}, h200());
    const Schedule unfused = run_model(s, {Dtype::bf16, false}, h200());
    return attention_part(fused) / attention_part(unfused);
  };
  EXPECT_GT(fused_vs_unfused(2), 1.5);
  EXPECT_LT(fused_vs_unfused(8), 0.5);
  const Schedule fallback = run_model(layer(4096, 1024, 2), {Dtype::bf16, true}, h200());
  EXPECT_NE(stage(fallback, Stage::attention).kernel.find("fallback"), std::string::npos);
}

TEST(HardwareCalibration, FusedEfficiencyIsPerChip) {
  // An FA2-class chip (half the fused efficiency) takes longer at a wide head.
  HardwareSpec fa2 = h200();
  fa2.fused_efficiency.value = h200().fused_efficiency.value / 2;
  const Shape s = layer(16384, 1024, 4);
  const double fast = stage(run_model(s, {Dtype::bf16, true}, h200()), Stage::attention).seconds;
  const double slow = stage(run_model(s, {Dtype::bf16, true}, fa2), Stage::attention).seconds;
  EXPECT_GT(slow / fast, 1.6);
}

TEST(HardwareCalibration, CausalSavesOnlyWhenFused) {
  const Shape full = layer(8192, 1024, 8), causal = layer(8192, 1024, 8, true);
  const double unfused_full = attention_part(run_model(full, {Dtype::bf16, false}, h200()));
  const double unfused_causal = attention_part(run_model(causal, {Dtype::bf16, false}, h200()));
  EXPECT_GE(unfused_causal, unfused_full); // all n² scores, then a mask
  const double fused_full = attention_part(run_model(full, {Dtype::bf16, true}, h200()));
  const double fused_causal = attention_part(run_model(causal, {Dtype::bf16, true}, h200()));
  EXPECT_GT(fused_causal / fused_full, 0.45); // triangular tiles, uneven blocks
  EXPECT_LT(fused_causal / fused_full, 0.75);
}

TEST(HardwareCalibration, BlocksGoToUnitsAsTheyFree) {
  // 4 equal blocks on 4 units: one block's pairs; on 3 units: two.
  EXPECT_EQ(dispatch_pairs(1, 512, 128, false, 4), 128.0 * 512);
  EXPECT_EQ(dispatch_pairs(1, 512, 128, false, 3), 2 * 128.0 * 512);
  // Causal blocks hold 128, 256, 384, 512 keys, taken in order by whichever
  // of 2 units frees first: 128 + 384 and 256 + 512.
  EXPECT_EQ(dispatch_pairs(1, 512, 128, true, 2), 128.0 * 768);
}

TEST(HardwareCalibration, DecodeStreamsTheKvCache) {
  const double bw = kv_stream_bandwidth(h200());
  EXPECT_GT(bw, 0.85 * 4.8e12);
  EXPECT_LE(bw, 4.8e12);
  const double mha = decode_kv_bytes(32, 262144, 128, Dtype::bf16);
  const double gqa = decode_kv_bytes(8, 262144, 128, Dtype::bf16);
  EXPECT_EQ(mha, 4.0 * gqa);
  EXPECT_EQ(mha, 4294967296.0);
  const double overheads = 2 * h200().framework_overhead.value;
  EXPECT_DOUBLE_EQ(decode_step_seconds(h200(), mha, false), mha / bw + overheads);
  EXPECT_DOUBLE_EQ(decode_step_seconds(h200(), 0, true), 2 * h200().launch_overhead.value);
  EXPECT_EQ(decode_launches(chip("Groq")), 1);
}

TEST(HardwareCalibration, EnergyFollowsTheBound) {
  const double power = 700;
  StageCost overhead_bound;
  overhead_bound.seconds = 20e-6, overhead_bound.overhead_seconds = 19e-6;
  overhead_bound.compute_seconds = 1e-6;
  EXPECT_LT(stage_joules(overhead_bound, power), 0.35 * power * overhead_bound.seconds);
  StageCost compute_bound;
  compute_bound.seconds = 1e-3, compute_bound.compute_seconds = 1e-3;
  EXPECT_DOUBLE_EQ(stage_joules(compute_bound, power), power * 1e-3);
  StageCost memory_bound;
  memory_bound.seconds = 1e-3, memory_bound.memory_seconds = 1e-3;
  const double j = stage_joules(memory_bound, power);
  EXPECT_GT(j, 0.5 * power * 1e-3);
  EXPECT_LT(j, power * 1e-3);
  // Every shipped machine has a power figure (published or assumed), so all five compare.
  for (const HardwareSpec& s : test::shipped_specs()) {
    ASSERT_TRUE(s.power.has_value()) << s.chip;
    const Schedule sch = run_model(layer(1024, 512, 8), {Dtype::bf16, false}, s);
    ASSERT_TRUE(sch.energy_joules.has_value()) << s.chip;
    EXPECT_LT(*sch.energy_joules, s.power->value * sch.total_seconds * sch.chips * 1.0000001) << s.chip;
  }
}

TEST(HardwareCalibration, TpuFusedTilesTakeTheWholeHeadWidth) {
  const Shape s = make_shape(4096, 1024, 4, 256, 4);
  const StageCost fused = stage(run_model(s, {Dtype::bf16, true}, chip("TPU v5e")), Stage::attention);
  EXPECT_EQ(fused.grid.tile_rows, 256); // not 128: K and V stream through once per query block
  EXPECT_EQ(fused.grid.row_tiles(), 1);
}

TEST(HardwareCalibration, CpuSoftmaxRunsInCache) {
  const HardwareSpec& epyc = chip("EPYC");
  const StageCost fits = stage(run_model(layer(2048, 512, 8), {Dtype::fp32, false}, epyc), Stage::softmax);
  EXPECT_EQ(fits.bytes, 0);
  const StageCost spills = stage(run_model(layer(32768, 512, 8), {Dtype::fp32, false}, epyc), Stage::softmax);
  EXPECT_GT(spills.bytes, 0);
}

TEST(HardwareCalibration, LpuHoldsActivationsAndCountsChipsForAModel) {
  const HardwareSpec& groq = chip("Groq");
  // Unfused, the H·n² scores must sit in SRAM too: 16 · 16384² · 2 B = 8.6 GB.
  const Shape big = layer(16384, 1024, 16);
  const LpuChips unfused = lpu_chips(big, groq, Dtype::bf16, false);
  EXPECT_GE(unfused.total, static_cast<int>(16.0 * 16384 * 16384 * 2 / 230e6));
  EXPECT_LT(lpu_chips(big, groq, Dtype::bf16, true).total, unfused.total);
  // Scores held on storage chips cross the links: slower than if they fitted.
  const StageCost scores = stage(run_model(big, {Dtype::bf16, false}, groq), Stage::scores);
  EXPECT_EQ(scores.bound, Bound::memory);
  // A whole model: 8 B parameters in 16 bits is 16 GB, 70 chips of 230 MB.
  EXPECT_EQ(chips_for_bytes(groq, 16e9), 70);
  EXPECT_EQ(chips_for_bytes(groq, 1), 1);
  EXPECT_THROW(chips_for_bytes(groq, 1e30), ShapeError);
}

} // namespace
} // namespace abh
