// Hand-computed cases, one or more per model.

#include <cmath>

#include <gtest/gtest.h>

#include "core/hardware/gpu_kernels.hpp"
#include "core/hardware/roofline.hpp"

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

// Expected values come from the spec under test, never from a datasheet
// copied into the test: editing assets/hardware.json cannot break them.

std::int64_t whole(const Figure& f) { return static_cast<std::int64_t>(std::llround(f.value)); }

TEST(HardwareGpu, WaveQuantisationSteps) {
  EXPECT_EQ(waves(132, 132), 1);
  EXPECT_EQ(waves(133, 132), 2);
  EXPECT_EQ(waves(264, 132), 2);
  const HardwareSpec& h100 = chip("H100");
  const std::int64_t sms = whole(h100.units);
  // seq 128: one 128×128 score tile per head, so tiles = heads.
  const Schedule full = model_gpu(make_shape(128, 512, sms, 64, sms), {Dtype::bf16, false}, h100);
  const Schedule one_more = model_gpu(make_shape(128, 512, sms + 1, 64, sms + 1), {Dtype::bf16, false}, h100);
  EXPECT_EQ(stage(full, Stage::scores).waves, 1);
  EXPECT_EQ(stage(full, Stage::scores).grid.tile_rows, 128);
  // One tile more would take a second full wave of 128×128 tiles; the
  // library takes 64×64 tiles instead: 4·(SMs + 1) of them, 5 quarter-waves.
  EXPECT_EQ(stage(one_more, Stage::scores).grid.tile_rows, 64);
  EXPECT_EQ(stage(one_more, Stage::scores).waves, 5);
  EXPECT_DOUBLE_EQ(stage(one_more, Stage::scores).compute_seconds,
                   1.25 * stage(full, Stage::scores).compute_seconds);
}

TEST(HardwareGpu, ScoreTileTimeByHand) {
  const HardwareSpec& h100 = chip("H100");
  const Schedule s = model_gpu(make_shape(256, 64, 1, 64, 1), {Dtype::bf16, false}, h100);
  const StageCost& sc = stage(s, Stage::scores);
  // Four 128×128 tiles would leave most SMs idle: sixteen 64×64 tiles, one wave.
  EXPECT_EQ(sc.grid.tiles(), 16);
  EXPECT_EQ(sc.waves, 1);
  // One 64×64 tile, 64 multiply-adds per score (K = 64, a whole number of
  // tensor-core steps), on one SM.
  const double per_sm = h100.peak_bf16.value * h100.matrix_efficiency.value / h100.units.value;
  EXPECT_NEAR(sc.compute_seconds, 64.0 * 64 * 128 / per_sm, 1e-15);
  EXPECT_DOUBLE_EQ(sc.overhead_seconds, h100.framework_overhead.value); // eager by default
  EXPECT_DOUBLE_EQ(sc.flops, 256.0 * 256 * 127);
  // q and k read once at the streaming bandwidth; the scores stored once, after the main loop.
  const double reads = 2.0 * 64 * 256 * 2, stores = 256.0 * 256 * 2;
  EXPECT_DOUBLE_EQ(sc.bytes, reads + stores);
  const double read_s = reads / stream_bandwidth(h100), store_s = stores / store_bandwidth(h100);
  EXPECT_DOUBLE_EQ(sc.memory_seconds, read_s + store_s);
  EXPECT_DOUBLE_EQ(sc.seconds, std::max(sc.compute_seconds, read_s) + store_s + sc.overhead_seconds);
}

TEST(HardwareCpu, CacheBlockingFromL2) {
  const HardwareSpec& epyc = chip("EPYC");
  const double l2 = epyc.level(MemoryRole::unit)->capacity.value;
  const std::int64_t lanes = whole(epyc.lanes), cores = whole(epyc.units);
  // 3 · T² · bytes ≤ L2, T rounded down to a multiple of the SIMD lanes.
  for (Dtype dtype : {Dtype::fp32, Dtype::bf16}) {
    const auto t = static_cast<std::int64_t>(std::sqrt(l2 / (3 * dtype_bytes(dtype))));
    EXPECT_EQ(cpu_block_side(epyc, dtype), t / lanes * lanes) << dtype_key(dtype);
  }
  const std::int64_t block = cpu_block_side(epyc, Dtype::fp32);
  EXPECT_LE(3.0 * double(block * block) * 4, l2);
  EXPECT_GT(3.0 * double((block + lanes) * (block + lanes)) * 4, l2);
  // seq = 8 blocks: 64 cache-blocked score tiles (they set the traffic); the
  // threads share the seq² scores evenly in lanes × lanes micro-tiles.
  const std::int64_t seq = block * 8;
  const Schedule s = model_cpu(make_shape(seq, 64, 1, 64, 1), {Dtype::fp32, false}, epyc);
  EXPECT_EQ(stage(s, Stage::scores).grid.tiles(), 64);
  const double per_core = epyc.peak_fp32.value * epyc.matrix_efficiency.value / epyc.units.value;
  EXPECT_NEAR(stage(s, Stage::scores).compute_seconds,
              double(seq) * double(seq) * 127 / double(cores) / per_core, 1e-12);
  // A 2·lanes square output has 4 micro-tiles: only 4 cores work.
  const std::int64_t two = 2 * lanes;
  const Schedule tiny = model_cpu(make_shape(two, 16, 1, 16, 1), {Dtype::fp32, false}, epyc);
  EXPECT_NEAR(stage(tiny, Stage::scores).compute_seconds,
              double(two * two) / 4 * 31 / per_core, 1e-15);
}

TEST(HardwareNpu, SramTilingAndSpill) {
  const HardwareSpec& npu = chip("Lunar Lake");
  const double sram = npu.level(MemoryRole::shared)->capacity.value;
  // The SRAM's share per engine holds three bf16 blocks; sides are 32-aligned.
  const auto t = static_cast<std::int64_t>(std::sqrt(sram / npu.units.value / (3 * 2)));
  EXPECT_EQ(npu_tile_side(npu, Dtype::bf16), t / 32 * 32);
  const auto main_bytes = [&](std::int64_t seq) {
    const Schedule s = model_npu(make_shape(seq, 384, 6, 64, 6), {Dtype::bf16, false}, npu);
    const double compulsory = (6.0 + 6.0) * 64 * double(seq) * 2 + 6.0 * double(seq) * double(seq) * 2;
    return stage(s, Stage::scores).bytes / compulsory;
  };
  // The engines work on one head at a time (its score grid has ≥ 6 tiles):
  // its k and q, 2·64·n·2 B, are read once while they fit the SRAM.
  const auto fitting = static_cast<std::int64_t>(sram / (2 * 64 * 2)) / 1024 * 1024;
  EXPECT_DOUBLE_EQ(main_bytes(fitting), 1.0);
  EXPECT_GT(main_bytes(fitting * 4), 1.0);
}

TEST(HardwareLpu, ChipsToHoldWeightsAndKvCache) {
  const HardwareSpec& groq = chip("Groq");
  const double sram = groq.level(MemoryRole::main)->capacity.value;
  // d = 4096, H = 32, dh = 128: weights 4·4096² elements; KV cache at
  // n = 32768: 2·32·128·32768 elements; bf16.
  const Shape s = make_shape(32768, 4096, 32, 128, 32);
  const double weights = 4.0 * 4096 * 4096 * 2, kv = 2.0 * 32 * 128 * 32768 * 2;
  // Fused, the live activations are the layer's inputs and outputs.
  const double activations = live_activation_elements(s, true) * 2;
  const LpuChips c = lpu_chips(s, groq, Dtype::bf16, true);
  EXPECT_EQ(c.compute, static_cast<int>(std::ceil(weights / sram)));
  EXPECT_EQ(c.total, static_cast<int>(std::ceil((weights + activations + kv) / sram)));
  EXPECT_GT(c.total, c.compute); // the shape needs chips for its KV cache alone
  const Schedule sch = model_lpu(s, {Dtype::bf16, true}, groq);
  EXPECT_EQ(sch.chips, c.total);
  ASSERT_TRUE(sch.energy_joules.has_value());
  ASSERT_TRUE(groq.power.has_value());
  EXPECT_LE(*sch.energy_joules, groq.power->value * c.total * sch.total_seconds);
}

TEST(HardwareEnergy, OnlyWherePowerIsKnown) {
  const Shape s = make_shape(1024, 512, 8, 64, 8);
  for (const HardwareSpec& spec : test::every_spec()) {
    const Schedule sch = run_model(s, {Dtype::bf16, false}, spec);
    ASSERT_EQ(sch.energy_joules.has_value(), spec.power.has_value()) << spec.chip;
    if (spec.power) {
      // Between idle power and full power for the whole run, stage by stage.
      double joules = 0;
      for (const StageCost& st : sch.stages) joules += st.joules;
      EXPECT_DOUBLE_EQ(*sch.energy_joules, joules * sch.chips) << spec.chip;
      const double full = spec.power->value * sch.chips * sch.total_seconds;
      EXPECT_LE(*sch.energy_joules, full * (1 + 1e-12)) << spec.chip;
      EXPECT_GE(*sch.energy_joules, idle_power_share * full * (1 - 1e-12)) << spec.chip;
    }
  }
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
