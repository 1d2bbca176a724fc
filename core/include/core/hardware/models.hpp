#pragma once
// One cost model per architecture: (shape, datatype, fused?, spec) → Schedule.
// Each is a small file; they share stage_work (what to do), tiling (waves of
// tiles), systolic (TPU folds), roofline (max of compute and memory) and
// events (the animation).

#include "core/hardware/schedule.hpp"
#include "core/shape.hpp"

namespace abh {

// Cores × SIMD lanes, output tiles blocked to fit each core's L2.
Schedule model_cpu(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec);
// 128×128 output tiles in waves over SMs, one launch per kernel.
Schedule model_gpu(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec);
// Weight-stationary folds on R×C MXUs (SCALE-Sim), softmax on the vector unit.
Schedule model_tpu(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec);
// MAC-array engines tiled to their SRAM share, spilling to LPDDR.
Schedule model_npu(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec);
// All in SRAM, compiler-scheduled; chips enough to hold weights and KV cache.
Schedule model_lpu(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec);

// Tile sides the models choose (exposed for tests and hover text).
std::int64_t cpu_block_side(const HardwareSpec& spec, Dtype dtype); // 3 blocks fit per-core L2
std::int64_t npu_tile_side(const HardwareSpec& spec, Dtype dtype);  // 3 blocks fit SRAM / engines
// LPU: chips whose SRAM holds the weights, the live activations and the KV
// cache, and those holding the weights and activations (the ones computing).
struct LpuChips {
  int total = 1;
  int compute = 1;
};
LpuChips lpu_chips(const Shape& shape, const HardwareSpec& spec, Dtype dtype, bool fused = false);
// Chips whose main memory (LPU: SRAM) holds `bytes`: ceil(bytes / capacity),
// at least 1. For a whole model pass the weights + KV cache + live activations
// of all layers. Throws ShapeError past a billion chips.
int chips_for_bytes(const HardwareSpec& spec, double bytes);
// Elements alive at once in the layer's largest stage, weights and the KV
// cache aside (each counted on its own): its inputs and outputs (unfused:
// the H·n² scores in and out of softmax).
double live_activation_elements(const Shape& shape, bool fused);

// The model of spec.kind. Throws std::invalid_argument with one line when
// spec_problem(spec) is not empty; ShapeError when counts overflow.
Schedule run_model(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec);

// A schedule with the spec's identity filled in (used by the models).
Schedule empty_schedule(const ModelOptions& options, const HardwareSpec& spec, double units);

} // namespace abh
