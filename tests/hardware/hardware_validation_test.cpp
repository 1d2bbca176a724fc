// The GPU model against published H100 attention forward-pass speeds
// (FlashAttention-3 paper, Figure 5; see docs/hardware-validation.md). The
// table in that document is this test's output (scripts/hardware_validation.sh).
// The fused efficiency is calibrated on an H200 whose PyTorch picks an
// FA3-class kernel, so the fused model is held to FA3 (FA2 is printed).

#include <cstdio>

#include <gtest/gtest.h>

#include "app/io/hardware_specs_json.hpp"
#include "core/hardware/models.hpp"

namespace abh {
namespace {

// FlashAttention benchmark convention: batch·seq = 16k tokens, H·dh = 2048;
// FLOPs = 4·n²·dh·H·batch (the two matmuls). Batch folds into heads here.
double predicted_tflops(const HardwareSpec& h100, std::int64_t seq, std::int64_t dh, bool fused) {
  const std::int64_t batch = 16384 / seq, heads = 2048 / dh;
  Shape s;
  s.seq = seq, s.head_dim = dh, s.heads = batch * heads, s.kv_heads = s.heads, s.d_model = 2048;
  const Schedule sch = run_model(s, {Dtype::bf16, fused}, h100);
  double seconds = 0;
  for (const StageCost& st : sch.stages)
    if (st.stage != Stage::projection && st.stage != Stage::output) seconds += st.seconds;
  const double flops = 4.0 * double(seq) * double(seq) * double(dh) * double(s.heads);
  return flops / seconds / 1e12;
}

struct Published {
  std::int64_t dh, seq;
  double standard, fa2, fa3; // TFLOP/s; 0 = out of memory
};

// Read off the bar labels of FA3 paper Figure 5 (non-causal, hdim 64 and 128).
const Published published[] = {
    {64, 512, 52, 282, 333},   {64, 1024, 63, 306, 392},  {64, 2048, 67, 318, 460},
    {64, 4096, 72, 321, 476},  {64, 8192, 73, 322, 496},  {64, 16384, 0, 324, 497},
    {128, 512, 74, 309, 497},  {128, 1024, 100, 350, 565}, {128, 2048, 119, 362, 625},
    {128, 4096, 133, 368, 638}, {128, 8192, 139, 370, 646}, {128, 16384, 0, 370, 648},
};

TEST(HardwareValidation, H100AgainstPublishedAtLongSequences) {
  const auto specs = load_hardware_specs(default_hardware_specs_path());
  const HardwareSpec* h100 = find_chip(specs, "H100");
  ASSERT_NE(h100, nullptr);
  std::printf("| dh | seq | standard: model | published | ratio | fused: model | FA2 | ratio | FA3 | ratio |\n");
  std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
  for (const Published& p : published) {
    const double unfused = predicted_tflops(*h100, p.seq, p.dh, false);
    const double fused = predicted_tflops(*h100, p.seq, p.dh, true);
    char standard[64] = "OOM | –";
    if (p.standard > 0) std::snprintf(standard, sizeof standard, "%.0f | %.2f", p.standard, unfused / p.standard);
    std::printf("| %lld | %lld | %.0f | %s | %.0f | %.0f | %.2f | %.0f | %.2f |\n",
                static_cast<long long>(p.dh), static_cast<long long>(p.seq), unfused, standard, fused,
                p.fa2, fused / p.fa2, p.fa3, fused / p.fa3);
    if (p.seq < 2048) continue;
    if (p.standard > 0) {
      // The paper's standard attention folds the scale into the first product;
      // the model follows the eager kernels measured on the H200 (a separate
      // scale pass, block softmax for rows past 1024), so it runs slower.
      EXPECT_LT(unfused / p.standard, 2.0) << p.dh << " " << p.seq;
      EXPECT_GT(unfused / p.standard, 0.4) << p.dh << " " << p.seq;
    }
    EXPECT_LT(fused / p.fa3, 1.5) << p.dh << " " << p.seq;
    EXPECT_GT(fused / p.fa3, 1 / 1.5) << p.dh << " " << p.seq;
  }
}

} // namespace
} // namespace abh
