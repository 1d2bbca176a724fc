// What every model must reproduce (issue 4, item 2), checked on every chip.

#include <gtest/gtest.h>

#include "core/hardware/this_machine.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::attention_seconds;
using test::make_shape;
using test::stage;

std::vector<HardwareSpec> every_spec() {
  std::vector<HardwareSpec> all = test::shipped_specs();
  all.push_back(this_machine_cpu());
  return all;
}

TEST(HardwareBehaviour, UnfusedAttentionGrowsWithHeadsAtFixedWidth) {
  for (const HardwareSpec& spec : every_spec()) {
    double previous = 0;
    for (std::int64_t heads : {1, 2, 4, 8, 16, 32, 64}) {
      const Shape s = make_shape(8192, heads, 1024 / heads, 1024);
      const double t = attention_seconds(run_model(s, {Dtype::bf16, false}, spec));
      EXPECT_GT(t, previous) << spec.chip << " H=" << heads;
      previous = t;
    }
  }
}

TEST(HardwareBehaviour, SmallHeadDimScoresAreMemoryBound) {
  for (const HardwareSpec& spec : every_spec()) {
    // Two FLOPs per byte written: below every ridge point but the LPU's.
    const std::int64_t dh = spec.kind == ArchKind::lpu ? 1 : 8;
    const Schedule s = run_model(make_shape(4096, 8, dh, 64), {Dtype::bf16, false}, spec);
    EXPECT_EQ(stage(s, Stage::scores).bound, Bound::memory) << spec.chip;
  }
  // A wide head is not, on the GPU (fused: the n² never leaves the chip).
  const Schedule wide =
      run_model(make_shape(4096, 8, 128, 1024), {Dtype::bf16, true}, test::chip("H100"));
  EXPECT_EQ(stage(wide, Stage::attention).bound, Bound::compute);
}

TEST(HardwareBehaviour, FusingRemovesTheScoreTraffic) {
  for (const HardwareSpec& spec : every_spec()) {
    if (spec.kind == ArchKind::lpu) continue; // no main memory off chip
    const Shape s = make_shape(4096, 16, 64, 1024);
    const Schedule unfused = run_model(s, {Dtype::bf16, false}, spec);
    const Schedule fused = run_model(s, {Dtype::bf16, true}, spec);
    const double n2 = 16.0 * 4096 * 4096 * 2; // H·n² bf16 elements
    double unfused_bytes = 0;
    for (Stage id : {Stage::scores, Stage::scale, Stage::softmax, Stage::weighted_sum})
      unfused_bytes += stage(unfused, id).bytes;
    EXPECT_GE(unfused_bytes, 6 * n2) << spec.chip; // S written, read+written twice, A read
    EXPECT_LT(stage(fused, Stage::attention).bytes, unfused_bytes / 4) << spec.chip;
    if (spec.kind != ArchKind::npu) { // an NPU scratchpad re-reads K and V per query block
      EXPECT_LT(stage(fused, Stage::attention).bytes, n2 / 8) << spec.chip;
    }
    EXPECT_LT(fused.total_seconds, unfused.total_seconds) << spec.chip;
  }
  // Where it fits on chip, exactly q, k, v in and Z out.
  const Schedule h100 =
      run_model(make_shape(4096, 16, 64, 1024), {Dtype::bf16, true}, test::chip("H100"));
  EXPECT_DOUBLE_EQ(stage(h100, Stage::attention).bytes, (3.0 * 16 * 64 * 4096 + 16.0 * 64 * 4096) * 2);
}

TEST(HardwareBehaviour, TinyShapesAreOverheadBound) {
  for (const HardwareSpec& spec : every_spec())
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
            Shape s = make_shape(n, 8, 64, 512);
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
          run_model(make_shape(1024, heads, 64, 512), {Dtype::bf16, false}, spec).total_seconds;
      ASSERT_GE(t, previous) << spec.chip << " H=" << heads;
      previous = t;
    }
  }
}

TEST(HardwareEvents, BoundedOrderedAndCoverEveryTile) {
  for (const HardwareSpec& spec : every_spec())
    for (const Shape& s : {worked_example(), make_shape(8192, 64, 128, 8192)}) {
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
  const Schedule s = run_model(make_shape(512, 4, 64, 256), {Dtype::bf16, false}, test::chip("TPU"));
  for (const ScheduleEvent& e : s.events) {
    if (e.kind != EventKind::compute) continue;
    const Stage id = s.stages[static_cast<std::size_t>(e.stage)].stage;
    EXPECT_EQ(e.vector_unit, id == Stage::scale || id == Stage::softmax) << stage_key(id);
  }
}

} // namespace
} // namespace abh
