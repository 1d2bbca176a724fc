// Hand-computed cases, one or more per model.

#include <cmath>

#include <gtest/gtest.h>

#include "core/hardware/roofline.hpp"
#include "core/hardware/systolic.hpp"
#include "core/hardware/tiling.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::chip;
using test::make_shape;
using test::stage;

TEST(HardwareSystolic, ScaleSimWorkedExample) {
  // One head: 512×512 scores, head_dim 64, on one 128×128 weight-stationary
  // array: ceil(64/128)·ceil(512/128) = 4 folds of 2·128 + 128 + 512 − 2 = 894.
  const SystolicFolds f = weight_stationary(128, 128, 512, 64, 512);
  EXPECT_EQ(f.folds, 4);
  EXPECT_EQ(f.cycles_per_fold, 894);
  EXPECT_EQ(f.cycles(), 3576);
  EXPECT_EQ(best_orientation(128, 128, 512, 64, 512).cycles(), 3576);
}

TEST(HardwareTpu, WorkedExampleThroughTheModel) {
  HardwareSpec one = chip("TPU v5e");
  one.units.value = 1; // a single MXU
  one.matrix_efficiency.value = 1;
  one.peak_bf16.value = 128 * 128 * 2 * one.clock.value;
  const Schedule s = model_tpu(make_shape(512, 64, 1, 64, 1), {Dtype::bf16, false}, one);
  EXPECT_DOUBLE_EQ(stage(s, Stage::scores).compute_seconds, 3576 / one.clock.value);
}

TEST(HardwareTpu, FoldsSpreadOverTheFourMxus) {
  const HardwareSpec& v5e = chip("TPU v5e");
  // 4 heads × 4 folds = 16 folds over 4 MXUs: 4 rounds of 894 cycles.
  const Schedule s = model_tpu(make_shape(512, 256, 4, 64, 4), {Dtype::bf16, false}, v5e);
  EXPECT_NEAR(stage(s, Stage::scores).compute_seconds,
              4 * 894 / v5e.clock.value / v5e.matrix_efficiency.value, 1e-12);
  // int8 runs twice as many MACs per cycle.
  const Schedule i8 = model_tpu(make_shape(512, 256, 4, 64, 4), {Dtype::int8, false}, v5e);
  EXPECT_NEAR(stage(i8, Stage::scores).compute_seconds, stage(s, Stage::scores).compute_seconds / 2, 1e-12);
}

TEST(HardwareTpu, WavesAreRoundsOfOutputTilesOverTheMxus) {
  const HardwareSpec& v5e = chip("TPU v5e");
  const auto mxus = static_cast<std::int64_t>(v5e.units.value);
  const auto side = static_cast<std::int64_t>(v5e.array_rows.value);
  // Scores of 4 heads, 512×512, dh 64: 4 folds per head (16 over the MXUs:
  // 4 rounds) but (512/side)² output tiles per head, which the events replay.
  for (bool fused : {false, true}) {
    const Schedule s = model_tpu(make_shape(512, 256, 4, 64, 4), {Dtype::bf16, fused}, v5e);
    for (const StageCost& st : s.stages)
      EXPECT_EQ(st.waves, ceil_div(st.grid.tiles(), mxus)) << stage_key(st.stage);
    if (!fused) {
      const std::int64_t fold_rounds = ceil_div(4 * best_orientation(side, side, 512, 64, 512).folds, mxus);
      const std::int64_t tile_rounds = ceil_div(4 * (512 / side) * (512 / side), mxus);
      ASSERT_NE(fold_rounds, tile_rounds); // the shape tells the two apart
      EXPECT_EQ(stage(s, Stage::scores).waves, tile_rounds);
    }
  }
}

TEST(HardwareGpu, WaveQuantisationSteps) {
  EXPECT_EQ(waves(132, 132), 1);
  EXPECT_EQ(waves(133, 132), 2);
  EXPECT_EQ(waves(264, 132), 2);
  const HardwareSpec& h100 = chip("H100");
  // seq 128: one 128×128 score tile per head, so tiles = heads.
  const Schedule full = model_gpu(make_shape(128, 512, 132, 64, 132), {Dtype::bf16, false}, h100);
  const Schedule one_more = model_gpu(make_shape(128, 512, 133, 64, 133), {Dtype::bf16, false}, h100);
  EXPECT_EQ(stage(full, Stage::scores).waves, 1);
  EXPECT_EQ(stage(one_more, Stage::scores).waves, 2);
  EXPECT_DOUBLE_EQ(stage(one_more, Stage::scores).compute_seconds,
                   2 * stage(full, Stage::scores).compute_seconds);
}

TEST(HardwareGpu, ScoreTileTimeByHand) {
  const HardwareSpec& h100 = chip("H100");
  const Schedule s = model_gpu(make_shape(256, 64, 1, 64, 1), {Dtype::bf16, false}, h100);
  const StageCost& sc = stage(s, Stage::scores);
  EXPECT_EQ(sc.grid.tiles(), 4);
  EXPECT_EQ(sc.waves, 1);
  // One 128×128 tile, 64 multiplies + 63 adds per score, on one SM.
  const double per_sm = 989e12 * 0.75 / 132;
  EXPECT_NEAR(sc.compute_seconds, 128.0 * 128 * 127 / per_sm, 1e-15);
  EXPECT_DOUBLE_EQ(sc.overhead_seconds, 4e-6);
  EXPECT_DOUBLE_EQ(sc.flops, 256.0 * 256 * 127);
}

TEST(HardwareCpu, CacheBlockingFromL2) {
  const HardwareSpec& epyc = chip("EPYC");
  // 3 · T² · 4 B ≤ 1 MiB → T = 295, rounded down to 8 lanes: 288.
  EXPECT_EQ(cpu_block_side(epyc, Dtype::fp32), 288);
  EXPECT_EQ(cpu_block_side(epyc, Dtype::bf16), 416);
  // seq 2304 = 8 blocks: 64 cache-blocked score tiles (they set the traffic);
  // the threads share the 2304² scores evenly in 8×8 micro-tiles.
  const Schedule s = model_cpu(make_shape(288 * 8, 64, 1, 64, 1), {Dtype::fp32, false}, epyc);
  EXPECT_EQ(stage(s, Stage::scores).grid.tiles(), 64);
  const double per_core = 96 * 2.4e9 * 8 * 2 * 2 * 0.7 / 96;
  EXPECT_NEAR(stage(s, Stage::scores).compute_seconds, 2304.0 * 2304 * 127 / 96 / per_core, 1e-12);
  // A 16×16 output has 4 micro-tiles: only 4 cores work.
  const Schedule tiny = model_cpu(make_shape(16, 16, 1, 16, 1), {Dtype::fp32, false}, epyc);
  EXPECT_NEAR(stage(tiny, Stage::scores).compute_seconds, 64.0 * 31 / per_core, 1e-15);
}

TEST(HardwareNpu, SramTilingAndSpill) {
  const HardwareSpec& npu = chip("Lunar Lake");
  // 8 MiB over 6 engines, three bf16 blocks: T = 482 → 480 (32-aligned).
  EXPECT_EQ(npu_tile_side(npu, Dtype::bf16), 480);
  const auto main_bytes = [&](std::int64_t seq) {
    const Schedule s = model_npu(make_shape(seq, 384, 6, 64, 6), {Dtype::bf16, false}, npu);
    const double compulsory = (6.0 + 6.0) * 64 * double(seq) * 2 + 6.0 * double(seq) * double(seq) * 2;
    return stage(s, Stage::scores).bytes / compulsory;
  };
  // The engines work on one head at a time (its score grid has ≥ 6 tiles):
  // its k and q, 2·64·n·2 B, fit 8 MiB at n = 16384, not at n = 65536.
  EXPECT_DOUBLE_EQ(main_bytes(16384), 1.0);
  EXPECT_GT(main_bytes(65536), 1.0);
}

TEST(HardwareLpu, ChipsToHoldWeightsAndKvCache) {
  const HardwareSpec& groq = chip("Groq");
  // d = 4096, H = 32, dh = 128: weights 4·4096² = 67.1 M elements = 134 MB (bf16);
  // KV cache at n = 32768: 2·32·128·32768 = 268 M elements = 537 MB → 3 chips of 230 MB.
  const Shape s = make_shape(32768, 4096, 32, 128, 32);
  const LpuChips c = lpu_chips(s, groq, Dtype::bf16);
  EXPECT_EQ(c.compute, 1);
  EXPECT_EQ(c.total, 3);
  const Schedule sch = model_lpu(s, {Dtype::bf16, true}, groq);
  EXPECT_EQ(sch.chips, 3);
  ASSERT_TRUE(sch.energy_joules.has_value());
  EXPECT_DOUBLE_EQ(*sch.energy_joules, 300 * 3 * sch.total_seconds);
}

TEST(HardwareEnergy, OnlyWherePowerIsKnown) {
  const Shape s = make_shape(1024, 512, 8, 64, 8);
  const Schedule gpu = model_gpu(s, {Dtype::bf16, false}, chip("H100"));
  ASSERT_TRUE(gpu.energy_joules.has_value());
  EXPECT_DOUBLE_EQ(*gpu.energy_joules, 700 * gpu.total_seconds);
  EXPECT_FALSE(model_tpu(s, {Dtype::bf16, false}, chip("TPU v5e")).energy_joules.has_value());
}

TEST(HardwareRoofline, SlowerOfComputeAndMemoryPlusOverhead) {
  StageCost st;
  st.compute_seconds = 2e-6;
  st.traffic = {{"L2", MemoryRole::shared, 1e6, 1e12, 0}, {"HBM", MemoryRole::main, 9e6, 3e12, 0}};
  st.overhead_seconds = 1e-6;
  finish_stage(st);
  EXPECT_DOUBLE_EQ(st.memory_seconds, 3e-6);
  EXPECT_DOUBLE_EQ(st.seconds, 4e-6);
  EXPECT_EQ(st.bound, Bound::memory);
  st.overhead_seconds = 5e-6;
  finish_stage(st);
  EXPECT_EQ(st.bound, Bound::overhead);
}

} // namespace
} // namespace abh
