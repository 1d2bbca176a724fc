// What every model must reproduce, checked on every shipped chip and on
// fixed descriptions of "this machine" (a VM without L3, 1 core, 2 cores
// AVX2, a 64-core AVX-512 server, nothing known).

#include <algorithm>

#include <gtest/gtest.h>

#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::attention_seconds;
using test::every_spec;
using test::make_shape;
using test::stage;

TEST(HardwareBehaviour, UnfusedAttentionGrowsWithHeadsAtFixedWidth) {
  for (const HardwareSpec& spec : every_spec()) {
    double previous = 0;
    for (std::int64_t heads : {1, 2, 4, 8, 16, 32, 64}) {
      const Shape s = make_shape(8192, 1024, heads, 1024 / heads, heads);
      const double t = attention_seconds(run_model(s, {Dtype::bf16, false}, spec));
      EXPECT_GT(t, previous) << spec.chip << " H=" << heads;
      previous = t;
    }
  }
}

// The spec's ridge point: FLOPs per main-memory byte where compute time
// (at the sustained matrix rate) equals memory time.
double ridge_flops_per_byte(const HardwareSpec& spec, Dtype dtype) {
  return spec.peak(dtype) * spec.matrix_efficiency.value / spec.level(MemoryRole::main)->bandwidth.value;
}

TEST(HardwareBehaviour, ScoresAreBoundAsTheRidgePointSays) {
  // A score costs 2·dh − 1 FLOPs and writes 2 bytes (bf16). Heads whose
  // scores sit at a quarter of the spec's ridge or below are memory-bound;
  // at four times the ridge or above, compute-bound. Each spec has at least
  // one such head between 1 and 256.
  const auto intensity = [](std::int64_t dh) { return (2.0 * double(dh) - 1) / 2; };
  for (const HardwareSpec& spec : every_spec()) {
    const double ridge = ridge_flops_per_byte(spec, Dtype::bf16);
    int checked = 0;
    for (std::int64_t dh = 1; dh <= 256; dh *= 2) {
      const bool below = intensity(dh) <= ridge / 4, above = intensity(dh) >= 4 * ridge;
      if (!below && !above) continue;
      // (LPU: one head of 7168: S and A fit one chip's SRAM, off the links.)
      const bool lpu = spec.kind == ArchKind::lpu;
      const std::int64_t heads = lpu ? 1 : 8, n = lpu ? 7168 : 4096;
      const Schedule s = run_model(make_shape(n, 64, heads, dh, heads), {Dtype::bf16, false}, spec);
      EXPECT_EQ(stage(s, Stage::scores).bound, below ? Bound::memory : Bound::compute)
          << spec.chip << " dh=" << dh << " ridge=" << ridge;
      ++checked;
    }
    EXPECT_GT(checked, 0) << spec.chip << " ridge=" << ridge;
  }
  // A wide head is not, on the GPU (fused: the n² never leaves the chip).
  const Schedule wide =
      run_model(make_shape(4096, 1024, 8, 128, 8), {Dtype::bf16, true}, test::chip("H100"));
  EXPECT_EQ(stage(wide, Stage::attention).bound, Bound::compute);
}

TEST(HardwareBehaviour, FusingRemovesTheScoreTraffic) {
  for (const HardwareSpec& spec : every_spec()) {
    if (spec.kind == ArchKind::lpu) continue; // no main memory off chip
    const Shape s = make_shape(4096, 1024, 16, 64, 16);
    const Schedule unfused = run_model(s, {Dtype::bf16, false}, spec);
    const Schedule fused = run_model(s, {Dtype::bf16, true}, spec);
    const double n2 = 16.0 * 4096 * 4096 * 2; // H·n² bf16 elements
    double unfused_bytes = 0;
    for (Stage id : {Stage::scores, Stage::scale, Stage::softmax, Stage::weighted_sum})
      unfused_bytes += stage(unfused, id).bytes;
    // S written, read+written twice, A read; a CPU scales and softmaxes in cache.
    EXPECT_GE(unfused_bytes, (spec.kind == ArchKind::cpu ? 2 : 6) * n2) << spec.chip;
    EXPECT_LT(stage(fused, Stage::attention).bytes, unfused_bytes / 4) << spec.chip;
    if (spec.kind != ArchKind::npu) { // an NPU scratchpad re-reads K and V per query block
      EXPECT_LT(stage(fused, Stage::attention).bytes, n2 / 8) << spec.chip;
    }
    EXPECT_LT(fused.total_seconds, unfused.total_seconds) << spec.chip;
  }
  // Where it fits on chip, exactly q, k, v in and Z out.
  const Schedule h100 =
      run_model(make_shape(4096, 1024, 16, 64, 16), {Dtype::bf16, true}, test::chip("H100"));
  EXPECT_DOUBLE_EQ(stage(h100, Stage::attention).bytes, (3.0 * 16 * 64 * 4096 + 16.0 * 64 * 4096) * 2);
}

TEST(HardwareBehaviour, TinyShapesAreOverheadBound) {
  // 8 tokens, 2 heads of 4: a few hundred operations, nanoseconds on any
  // machine here, so each stage's launch or fork/join dominates.
  const Shape tiny = make_shape(8, 8, 2, 4, 2);
  for (const HardwareSpec& spec : every_spec())
    for (bool fused : {false, true}) {
      const Schedule s = run_model(tiny, {Dtype::fp32, fused}, spec);
      for (const StageCost& st : s.stages)
        EXPECT_EQ(st.bound, Bound::overhead) << spec.chip << " " << stage_key(st.stage);
    }
  // The worked example too, on every datasheet chip (a slow one-core CPU
  // would compute its projection for longer than a fork/join takes).
  for (const HardwareSpec& spec : test::shipped_specs())
    for (bool fused : {false, true}) {
      const Schedule s = run_model(worked_example(), {Dtype::fp32, fused}, spec);
      for (const StageCost& st : s.stages)
        EXPECT_EQ(st.bound, Bound::overhead) << spec.chip << " " << stage_key(st.stage);
    }
}

TEST(HardwareBehaviour, MoreWorkNeverTakesLessTime) {
  std::vector<std::int64_t> seqs;
  for (std::int64_t n = 1; n <= 1200; n += 7) seqs.push_back(n);
  for (std::int64_t n : {127, 128, 129, 255, 256, 257, 287, 288, 289, 319, 320, 321, 479, 480, 481,
                         2047, 2048, 2049, 4095, 4096, 4097, 8191, 8192, 8193, 16384, 32768, 65536})
    seqs.push_back(n);
  std::sort(seqs.begin(), seqs.end());
  for (const HardwareSpec& spec : every_spec())
    for (Dtype dtype : {Dtype::fp32, Dtype::bf16, Dtype::int8})
      for (bool fused : {false, true})
        for (bool causal : {false, true}) {
          double previous = 0;
          for (std::int64_t n : seqs) {
            Shape s = make_shape(n, 512, 8, 64, 8);
            s.causal = causal;
            const double t = run_model(s, {dtype, fused}, spec).total_seconds;
            ASSERT_GE(t, previous) << spec.chip << " " << dtype_key(dtype) << " fused=" << fused
                                   << " causal=" << causal << " n=" << n;
            previous = t;
          }
        }
}

TEST(HardwareBehaviour, MoreHeadsNeverTakeLessTime) {
  for (const HardwareSpec& spec : every_spec()) {
    double previous = 0;
    for (std::int64_t heads = 1; heads <= 300; heads += 1) {
      const double t =
          run_model(make_shape(1024, 512, heads, 64, heads), {Dtype::bf16, false}, spec).total_seconds;
      ASSERT_GE(t, previous) << spec.chip << " H=" << heads;
      previous = t;
    }
  }
}

TEST(HardwareEvents, BoundedOrderedAndCoverEveryTile) {
  for (const HardwareSpec& spec : every_spec())
    for (const Shape& s : {worked_example(), make_shape(8192, 8192, 64, 128, 64)}) {
      const Schedule sch = run_model(s, {Dtype::bf16, false}, spec);
      EXPECT_LE(sch.events.size(), max_events) << spec.chip;
      std::vector<std::int64_t> tiles(sch.stages.size(), 0);
      double last = 0;
      for (const ScheduleEvent& e : sch.events) {
        EXPECT_GE(e.start, last);
        EXPECT_LE(e.end, sch.total_seconds * (1 + 1e-9));
        last = e.start;
        if (e.kind == EventKind::compute) tiles[static_cast<std::size_t>(e.stage)] += e.tile_count;
      }
      for (std::size_t i = 0; i < sch.stages.size(); ++i)
        EXPECT_EQ(tiles[i], sch.stages[i].grid.tiles()) << spec.chip << " " << stage_key(sch.stages[i].stage);
    }
}

TEST(HardwareEvents, SoftmaxRunsOnTheVectorUnit) {
  const Schedule s = run_model(make_shape(512, 256, 4, 64, 4), {Dtype::bf16, false}, test::chip("TPU"));
  for (const ScheduleEvent& e : s.events) {
    if (e.kind != EventKind::compute) continue;
    const Stage id = s.stages[static_cast<std::size_t>(e.stage)].stage;
    EXPECT_EQ(e.vector_unit, id == Stage::scale || id == Stage::softmax) << stage_key(id);
  }
}

} // namespace
} // namespace abh
