// Decode and batch on every architecture: stage_work's bytes for batches,
// decode steps, GQA, windows and MLA against hand counts, and a Llama 3 8B
// decode step against a 32k cache on every shipped machine.

#include <gtest/gtest.h>

#include "core/hardware/bound_reason.hpp"
#include "core/hardware/gpu_kernels.hpp"
#include "core/hardware/real_layers.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/hardware/systolic.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::make_shape;

StageWork stage_of(const std::vector<StageWork>& work, Stage stage) {
  for (const StageWork& w : work)
    if (w.stage == stage) return w;
  throw std::runtime_error("no such stage");
}

Shape decode(Shape s, std::int64_t batch = 1) {
  s.queries = 1;
  s.batch = batch;
  return s;
}

TEST(StageWorkBytes, BatchReadsWeightsOnceAndActivationsPerSequence) {
  Shape s = make_shape(8, 16, 4, 4, 2); // qkv_rows = 16 + 2·8 = 32
  s.batch = 3;
  const std::vector<StageWork> w = stage_work(s, false);
  const StageWork& projection = stage_of(w, Stage::projection);
  EXPECT_DOUBLE_EQ(projection.main_reads, 32 * 16 + 3 * 16 * 8); // Wqkv once, X per sequence
  EXPECT_DOUBLE_EQ(projection.main_writes, 3 * 32 * 8);
  EXPECT_EQ(projection.batch, 3);
  const StageWork& scores = stage_of(w, Stage::scores);
  EXPECT_DOUBLE_EQ(scores.main_reads, 3 * (2 * 4 * 8 + 4 * 4 * 8)); // k per kv head, q per head
  EXPECT_DOUBLE_EQ(scores.kv_reads, 3 * 2 * 4 * 8);
  EXPECT_DOUBLE_EQ(scores.outputs, 3 * 4 * 64);
  EXPECT_EQ(scores.batch, 12); // B·H
  const StageWork& output = stage_of(w, Stage::output);
  EXPECT_DOUBLE_EQ(output.main_reads, 16 * 16 + 3 * 16 * 8); // Wo once, Z per sequence
  // The flops follow the batch exactly.
  Shape one = s;
  one.batch = 1;
  EXPECT_DOUBLE_EQ(scores.flops, 3 * stage_of(stage_work(one, false), Stage::scores).flops);
}

TEST(StageWorkBytes, DecodeReadsTheWholeCacheAndScoresNPerHead) {
  const Shape gqa = decode(make_shape(16, 16, 4, 4, 1, true));
  const StageWork& fused = stage_of(stage_work(gqa, true), Stage::attention);
  EXPECT_DOUBLE_EQ(fused.kv_reads, 1 * 16 * (4 + 4)); // Hkv·n·(dh + dv)
  EXPECT_DOUBLE_EQ(fused.main_reads, 4 * 4 * 1 + 1 * 16 * 8); // q, then K and V
  EXPECT_DOUBLE_EQ(fused.main_writes, 4 * 4 * 1);             // Z
  EXPECT_DOUBLE_EQ(fused.read_per_tile, 8 * 16 / 4.0); // the 4 query heads of the group share it
  const StageWork& scores = stage_of(stage_work(gqa, false), Stage::scores);
  EXPECT_DOUBLE_EQ(scores.outputs, 4 * 16); // n·n_q per head
  EXPECT_FALSE(scores.triangular);
  // GQA reads H/Hkv fewer cache bytes than MHA; a batch reads one cache per sequence.
  Shape mha = gqa;
  mha.kv_heads = 4;
  EXPECT_DOUBLE_EQ(stage_of(stage_work(mha, true), Stage::attention).kv_reads, 4 * fused.kv_reads);
  EXPECT_DOUBLE_EQ(stage_of(stage_work(decode(gqa, 5), true), Stage::attention).kv_reads, 5 * fused.kv_reads);
}

TEST(StageWorkBytes, AWindowReadsAtMostWKeys) {
  Shape s = decode(make_shape(16, 16, 4, 4, 1, true));
  s.window = 4;
  EXPECT_EQ(keys_seen(s), 4);
  const StageWork& fused = stage_of(stage_work(s, true), Stage::attention);
  EXPECT_DOUBLE_EQ(fused.kv_reads, 1 * 4 * 8);
  EXPECT_DOUBLE_EQ(fused.read_per_tile, 8 * 4 / 4.0);
  EXPECT_DOUBLE_EQ(stage_of(stage_work(s, false), Stage::scores).outputs, 4 * 4);
  Shape prefill = s;
  prefill.queries = 0; // every key is some query's
  EXPECT_EQ(keys_seen(prefill), 16);
}

TEST(StageWorkBytes, AbsorbedMlaReadsTheLatentOnce) {
  Shape s = decode(make_shape(16, 48, 4, 12, 4, true), 2);
  s.v_head_dim = 8;
  s.mla = {0, 10, 4, MlaForm::absorbed}; // dc + dr = 14 per token
  validate(s);
  const StageWork& fused = stage_of(stage_work(s, true), Stage::latent_attention);
  EXPECT_DOUBLE_EQ(fused.kv_reads, 2 * 16 * 14);
  EXPECT_DOUBLE_EQ(fused.kv_reads, kv_cache_elements(s));
  EXPECT_DOUBLE_EQ(fused.main_reads, 2 * (4 * 14 * 1 + 16 * 14)); // the queries, then [c; k_rope]
}

TEST(DecodeEveryMachine, Llama3DecodeAt32kIsMemoryBoundOnEveryGpu) {
  const Shape& layer = real_layers().at(2).shape;
  ASSERT_EQ(layer.query_count(), 1);
  const double kv_bytes = stage_of(stage_work(layer, true), Stage::attention).kv_reads * 2;
  EXPECT_DOUBLE_EQ(kv_bytes, 2.0 * 8 * 32768 * 128 * 2); // 134 MB of bf16 K and V
  Shape mha = layer;
  mha.kv_heads = 32;
  EXPECT_DOUBLE_EQ(stage_of(stage_work(mha, true), Stage::attention).kv_reads * 2, 4 * kv_bytes);
  int gpus = 0;
  for (const HardwareSpec& spec : test::shipped_specs()) {
    // Decode serving replays a captured graph; eager, the H200's two
    // framework calls (2 × 18.8 µs) outlast its 28 µs stream.
    const Schedule s = run_model(layer, {Dtype::bf16, true, true}, spec);
    const StageCost& attention = s.stages.at(1);
    ASSERT_EQ(attention.stage, Stage::attention) << spec.chip;
    if (spec.kind == ArchKind::lpu) {
      // 84 MB of weights and a 134 MB cache: one layer just fits a 230 MB chip.
      EXPECT_EQ(s.chips, lpu_chips(layer, spec, Dtype::bf16, true).total);
      continue;
    }
    // Every machine streams the cache once, plus the queries and outputs.
    EXPECT_DOUBLE_EQ(attention.bytes, kv_bytes + 2 * 32 * 128 * 2) << spec.chip;
    // Every machine with a memory beyond its chip waits for it.
    EXPECT_EQ(attention.bound, Bound::memory) << spec.chip << ": " << attention.formula;
    if (spec.kind != ArchKind::gpu) continue;
    ++gpus;
    EXPECT_EQ(dominant_bound(s), Bound::memory) << spec.chip;
    // The calibrated decode step, plus the queries and outputs at streaming bandwidth.
    const double step = decode_step_seconds(spec, kv_bytes, true);
    EXPECT_GE(attention.seconds, step) << spec.chip;
    EXPECT_LE(attention.seconds, step * 1.01) << spec.chip;
    EXPECT_EQ(attention.kernel, "flash-decoding");
  }
  EXPECT_EQ(gpus, 2);
}

TEST(DecodeEveryMachine, BatchAmortisesWeightsNotTheCache) {
  const Shape one = real_layers().at(2).shape;
  Shape eight = one;
  eight.batch = 8;
  const HardwareSpec& h200 = test::chip("h200");
  const Schedule a = run_model(one, {Dtype::bf16, true}, h200);
  const Schedule b = run_model(eight, {Dtype::bf16, true}, h200);
  // The projection's bytes are almost all weights; the attention's all cache.
  EXPECT_LT(b.stages.at(0).bytes, 1.01 * a.stages.at(0).bytes);
  EXPECT_NEAR(b.stages.at(1).bytes / a.stages.at(1).bytes, 8.0, 1e-9);
}

// The main memory of a spec and the time to stream `bytes` from it.
double main_seconds(const HardwareSpec& spec, double bytes) {
  const MemoryLevel* main = spec.level(MemoryRole::main);
  if (main == nullptr) throw std::runtime_error(spec.chip + " has no main memory");
  return bytes / main->bandwidth.value;
}

TEST(DecodeEveryMachine, TpuDecodeStepStreamsTheCacheAtHbmBandwidth) {
  const Shape& layer = real_layers().at(2).shape; // Llama 3 8B, one query against 32k keys
  const HardwareSpec& v5e = test::chip("TPU v5e");
  const double kv_bytes = kv_cache_elements(layer) * 2;
  for (bool fused : {true, false}) {
    SCOPED_TRACE(fused ? "fused" : "unfused");
    const Schedule s = run_model(layer, {Dtype::bf16, fused}, v5e);
    EXPECT_EQ(dominant_bound(s), Bound::memory);
    double cache_seconds = 0;
    for (const StageCost& st : s.stages) {
      if (st.stage == Stage::projection || st.stage == Stage::output) continue;
      if (st.stage == Stage::scale || st.stage == Stage::softmax) continue; // no cache read
      EXPECT_EQ(st.bound, Bound::memory) << stage_key(st.stage) << ": " << st.formula;
      // The MXUs use n_q·H/Hkv = 4 of 128 columns: under the stream's time.
      EXPECT_LT(st.compute_seconds, st.memory_seconds) << stage_key(st.stage);
      cache_seconds += st.seconds;
    }
    // Within 10% of the cache's bytes over HBM bandwidth.
    const double stream = main_seconds(v5e, kv_bytes);
    EXPECT_GE(cache_seconds, stream);
    EXPECT_LE(cache_seconds, 1.1 * stream);
  }
}

TEST(DecodeEveryMachine, TpuGroupsTheQueryHeadsOfAKvHeadAsColumns) {
  // MHA streams every head's K and V; GQA streams each kv head's once for its
  // 4 query heads, so its decode step reads and computes 4× less of the cache.
  const Shape& gqa = real_layers().at(2).shape;
  Shape mha = gqa;
  mha.kv_heads = mha.heads;
  const HardwareSpec& v5e = test::chip("TPU v5e");
  const StageCost a = run_model(gqa, {Dtype::bf16, true}, v5e).stages.at(1);
  const StageCost b = run_model(mha, {Dtype::bf16, true}, v5e).stages.at(1);
  ASSERT_EQ(a.stage, Stage::attention);
  EXPECT_NEAR(b.compute_seconds / a.compute_seconds, 4.0, 0.15); // up to the fills
  EXPECT_EQ(b.bound, Bound::memory);
  // A prefill fills the columns: the grouping changes no fold count there,
  // only lengthens each fold's stream over which its fill is spread.
  Shape prefill = gqa;
  prefill.seq = 2048;
  prefill.queries = 0;
  Shape prefill_mha = prefill;
  prefill_mha.kv_heads = prefill.heads;
  const double grouped = run_model(prefill, {Dtype::bf16, true}, v5e).stages.at(1).compute_seconds;
  const double per_head = run_model(prefill_mha, {Dtype::bf16, true}, v5e).stages.at(1).compute_seconds;
  EXPECT_LE(grouped, per_head);
  EXPECT_GE(grouped, 0.85 * per_head);
}

TEST(DecodeEveryMachine, DoubleBufferedFoldsCostTheirWeightLoads) {
  // One query column against 32768 keys of dh 128 on a 128×128 array: one
  // fold streaming the keys, or 256 folds of one row each, bound by loading
  // their 128 weight rows; either way about one key a cycle.
  const SystolicFolds scores = best_orientation(128, 128, 32768, 128, 1, true);
  EXPECT_EQ(scores.cycles(), 32768 + 128 + 128 - 2);
  const SystolicFolds values = best_orientation(128, 128, 128, 32768, 1, true);
  EXPECT_EQ(values.folds, 256);
  EXPECT_EQ(values.cycles(), 256 * 128 + 128 + 128 - 2);
  // Without double-buffering every one-row fold pays the whole fill.
  EXPECT_EQ(best_orientation(128, 128, 128, 32768, 1).cycles(), 256 * (2 * 128 + 128 + 1 - 2));
}

TEST(DecodeEveryMachine, NpuDecodeStepStreamsTheCacheFromLpddr) {
  const Shape& layer = real_layers().at(2).shape;
  const HardwareSpec& npu = test::chip("NPU");
  const double kv_bytes = kv_cache_elements(layer) * 2;
  const StageCost a = run_model(layer, {Dtype::bf16, true}, npu).stages.at(1);
  ASSERT_EQ(a.stage, Stage::attention);
  EXPECT_EQ(a.bound, Bound::memory) << a.formula;
  const double stream = main_seconds(npu, kv_bytes);
  EXPECT_GE(a.seconds, stream);
  EXPECT_LE(a.seconds, 1.1 * stream) << a.formula;
}

TEST(DecodeEveryMachine, LpuDecodeStepReadsTheCacheFromSram) {
  // The LPU's cache sits in SRAM beside the weights (one chip holds this
  // layer): it streams at SRAM bandwidth, far under the GPUs' HBM time.
  const Shape& layer = real_layers().at(2).shape;
  const HardwareSpec& groq = test::chip("Groq");
  const Schedule s = run_model(layer, {Dtype::bf16, true}, groq);
  const StageCost& a = s.stages.at(1);
  ASSERT_EQ(a.stage, Stage::attention);
  const double kv_bytes = kv_cache_elements(layer) * 2;
  EXPECT_GE(a.memory_seconds, main_seconds(groq, kv_bytes));
  const double h200 = run_model(layer, {Dtype::bf16, true, true}, test::chip("h200")).stages.at(1).seconds;
  EXPECT_LT(a.seconds, h200 / 4);
}

} // namespace
} // namespace abh
