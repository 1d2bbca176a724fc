// Why a machine is bound, from fixed stage costs and a fixed spec (never the
// shipped specs, which are recalibrated, nor the host's): the roof, the
// roofline points and the one-line reason the hardware panel prints.

#include <gtest/gtest.h>

#include "core/hardware/bound_reason.hpp"
#include "core/hardware/real_layers.hpp"
#include "core/hardware/roofline.hpp"

namespace abh {
namespace {

HardwareSpec fixed_gpu() {
  HardwareSpec spec;
  spec.kind = ArchKind::gpu;
  spec.chip = "Fixed GPU";
  spec.peak_fp32.value = 50e12;
  spec.peak_bf16.value = 800e12;
  spec.vector_flops.value = 60e12;
  spec.memory = {{"shared memory", MemoryRole::shared, {}, {30e12, "fixed"}},
                 {"HBM3e", MemoryRole::main, {}, {4.8e12, "fixed"}}};
  return spec;
}

// A stage with `bytes` through shared memory and main memory.
StageCost stage(Stage id, double flops, double bytes, double compute, double overhead) {
  StageCost c;
  c.stage = id;
  c.flops = flops;
  c.bytes = bytes;
  c.compute_seconds = compute;
  c.overhead_seconds = overhead;
  c.traffic = {{"shared memory", MemoryRole::shared, bytes, 30e12, 0},
               {"HBM3e", MemoryRole::main, bytes, 4.8e12, 0}};
  finish_stage(c);
  return c;
}

Schedule schedule_of(std::vector<StageCost> stages, Dtype dtype = Dtype::bf16, int chips = 1) {
  Schedule s;
  s.kind = ArchKind::gpu;
  s.chip = "Fixed GPU";
  s.dtype = dtype;
  s.chips = chips;
  s.stages = std::move(stages);
  finish_schedule(s, fixed_gpu());
  return s;
}

TEST(BoundReason, MemoryBoundSoftmaxNamesItsBytesAndBandwidth) {
  const Schedule s = schedule_of({stage(Stage::scores, 2e9, 1e8, 3e-6, 4e-6),
                                  stage(Stage::softmax, 1e9, 8.6e9, 1e-4, 4e-6)});
  const BoundReason r = bound_reason(s, Shape{});
  EXPECT_EQ(r.bound, Bound::memory);
  EXPECT_EQ(r.stage, Stage::softmax);
  EXPECT_EQ(r.text, "softmax reads and writes H·n² scores: 8.01 GiB at 4.8 TB/s (HBM3e) = 1.79 ms");
}

TEST(BoundReason, CausalScoresAreCountedAsATriangle) {
  Shape causal;
  causal.causal = true;
  const Schedule s = schedule_of({stage(Stage::scale, 1e6, 8e9, 1e-6, 0)});
  EXPECT_EQ(bound_reason(s, causal).text,
            "scaling reads and writes H·n(n+1)/2 scores: 7.45 GiB at 4.8 TB/s (HBM3e) = 1.67 ms");
}

TEST(BoundReason, ComputeBoundStageNamesItsOpsAndRate) {
  const Schedule s = schedule_of({stage(Stage::scores, 3.2e9, 1e6, 1e-5, 4e-6)});
  const BoundReason r = bound_reason(s, Shape{});
  EXPECT_EQ(r.bound, Bound::compute);
  EXPECT_EQ(r.text, "kᵀ·q takes H·n² dot products of length dh: 3.2×10⁹ ops at 320 Top/s = 10 µs");
}

TEST(BoundReason, OverheadBoundRunComparesStartUpWithWork) {
  std::vector<StageCost> stages;
  for (Stage id : all_stages) stages.push_back(stage(id, 1000, 96e3, 1e-8, 4e-6));
  const Schedule s = schedule_of(stages);
  const BoundReason r = bound_reason(s, Shape{});
  EXPECT_EQ(r.bound, Bound::overhead);
  EXPECT_EQ(r.text, "overhead: 6 stages × 4 µs to start each = 24 µs, while their work takes 120 ns");
  EXPECT_TRUE(all_overhead_bound({s, s}));
  const Schedule busy = schedule_of({stage(Stage::softmax, 1e9, 8.6e9, 1e-4, 4e-6)});
  EXPECT_FALSE(all_overhead_bound({s, busy}));
  EXPECT_FALSE(all_overhead_bound({}));
}

TEST(MeasuredHere, RatioOnlyWhereBothSidesTimeTheWork) {
  const Schedule busy = schedule_of({stage(Stage::softmax, 1e9, 8.6e9, 1e-4, 4e-6)});
  ASSERT_EQ(dominant_bound(busy), Bound::memory);
  const std::optional<double> r = comparable_ratio(2 * busy.total_seconds + 1e-3, busy);
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(*r, (2 * busy.total_seconds + 1e-3) / busy.total_seconds);
  EXPECT_FALSE(comparable_ratio(0.5e-3, busy)) << "a host run under 1 ms is mostly start-up";
  std::vector<StageCost> tiny;
  for (Stage id : all_stages) tiny.push_back(stage(id, 1000, 96e3, 1e-8, 4e-6));
  EXPECT_FALSE(comparable_ratio(0.02, schedule_of(tiny))) << "an overhead-bound model times no work";
  EXPECT_FALSE(comparable_ratio(0.02, Schedule{}));
}

TEST(Roofline, RoofIsPeakAtTheDatatypeTimesChipsAndMainBandwidth) {
  const Schedule s = schedule_of({stage(Stage::scores, 2e9, 1e8, 3e-6, 4e-6)}, Dtype::bf16, 2);
  const Roof roof = machine_roof(s, fixed_gpu());
  EXPECT_DOUBLE_EQ(roof.matrix_flops, 1600e12);
  EXPECT_DOUBLE_EQ(roof.vector_flops, 120e12);
  EXPECT_DOUBLE_EQ(roof.bandwidth, 4.8e12);
  EXPECT_EQ(roof.memory, "HBM3e");
  EXPECT_DOUBLE_EQ(roof.ridge(), 1600e12 / 4.8e12);
}

TEST(Roofline, EachStageSitsAtItsIntensityAndAchievedRate) {
  const Schedule s = schedule_of({stage(Stage::scores, 2e9, 1e8, 3e-6, 4e-6),
                                  stage(Stage::softmax, 1e9, 0, 1e-4, 0)});
  const std::vector<RooflinePoint> p = roofline_points(s);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p[0].stage, Stage::scores);
  EXPECT_DOUBLE_EQ(p[0].intensity, 20.0);
  // max(3 µs compute, 1e8 B / 4.8 TB/s = 20.8 µs memory) + 4 µs launch.
  EXPECT_NEAR(p[0].achieved, 2e9 / (1e8 / 4.8e12 + 4e-6), 1e3);
  EXPECT_EQ(p[0].bound, Bound::memory);
  EXPECT_EQ(p[1].intensity, 0.0) << "no bytes through main memory: no place on the x axis";
}

TEST(RealLayers, AreValidRealShapes) {
  const std::vector<RealLayer>& layers = real_layers();
  ASSERT_EQ(layers.size(), 3u);
  const Shape& gpt2 = layers[0].shape;
  EXPECT_EQ(gpt2.seq, 1024);
  EXPECT_EQ(gpt2.d_model, 768);
  EXPECT_EQ(gpt2.heads, 12);
  EXPECT_EQ(gpt2.head_dim, 64);
  EXPECT_EQ(gpt2.kv_heads, 12);
  const Shape& llama = layers[1].shape;
  EXPECT_EQ(llama.attention_width(), 4096);
  EXPECT_EQ(llama.queries_per_kv_head(), 4);
  const Shape& decode = layers[2].shape;
  EXPECT_EQ(decode.seq, 32768);
  EXPECT_EQ(decode.query_count(), 1);
  EXPECT_EQ(decode.kv_heads, 8);
  EXPECT_EQ(decode.attention_width(), 4096);
  for (const RealLayer& l : layers) EXPECT_NO_THROW(validate(l.shape)) << l.key;
}

} // namespace
} // namespace abh
