// GPU: each stage is a kernel with its own per-operator overhead (eager
// framework or captured graph). Matrix products run 128×128 output tiles (or
// smaller ones when that fills more SMs) in waves over the SMs, K padded to the tensor-core step; their main loop
// overlaps operand loads with the multiplies (tensor cores; fp32 SIMT kernels
// do not), then the epilogue stores the tile. Operands come from HBM once
// while an L2 panel holds them. Element-wise stages stream at the achieved
// bandwidth; softmax costs fp32 math per element whatever the storage type,
// plus a per-row cost for rows too long for one warp. Unfused causal
// attention computes all n² scores and masks them. Fused attention runs a
// flash kernel when one exists (16-bit, dh ≤ its limit, tile in shared
// memory) and the slower memory-efficient fallback otherwise; its query
// blocks go to SMs as they free, so causal blocks of few keys finish early.

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/hardware/events.hpp"
#include "core/hardware/gpu_kernels.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/roofline.hpp"
#include "core/hardware/tiling.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

inline constexpr std::int64_t gpu_tile = 128;       // a CUTLASS-style output tile
inline constexpr std::pair<std::int64_t, std::int64_t> gemm_tiles[] = {{128, 128}, {128, 64}, {64, 64}};
inline constexpr std::int64_t warp_softmax_row = 1024; // longest row one warp's softmax holds

double d(std::int64_t v) { return static_cast<double>(v); }

struct Gpu {
  const HardwareSpec& spec;
  Dtype dtype;
  std::int64_t units;
  double overhead;
  std::string overhead_name;
  double b() const { return dtype_bytes(dtype); }
  double matrix_rate() const { return spec.peak(dtype) * spec.matrix_efficiency.value; }
  double vector_rate() const { return spec.vector_flops.value * spec.vector_efficiency.value; }
};

// What a stage spends: compute, main-memory reads and writes (seconds).
// `epilogue`: the writes follow the main loop instead of overlapping it;
// `serial_reads`: the reads do not overlap the compute either.
struct Parts {
  double compute = 0, read_bytes = 0, write_bytes = 0;
  double read_seconds = 0, write_seconds = 0;
  bool epilogue = false, serial_reads = false;
  double overhead = 0;
};

void finish_gpu_stage(StageCost& st, const Parts& p, const Gpu& g) {
  for (LevelTraffic& t : st.traffic) {
    if (t.role == MemoryRole::main) {
      t.bytes = p.read_bytes + p.write_bytes;
      const double s = p.read_seconds + p.write_seconds;
      if (s > 0) t.bandwidth = t.bytes / s;
    }
    t.seconds = t.bandwidth > 0 ? t.bytes / t.bandwidth : 0;
  }
  st.bytes = p.read_bytes + p.write_bytes;
  st.compute_seconds = p.compute;
  st.memory_seconds = p.read_seconds + p.write_seconds;
  st.overhead_seconds = p.overhead;
  double body = 0;
  std::string shape_of;
  if (p.serial_reads) {
    body = p.compute + p.read_seconds + p.write_seconds;
    shape_of = "compute " + seconds_text(p.compute) + " + reads " + seconds_text(p.read_seconds) +
               " + stores " + seconds_text(p.write_seconds);
  } else if (p.epilogue) {
    body = std::max(p.compute, p.read_seconds) + p.write_seconds;
    shape_of = "max(compute " + seconds_text(p.compute) + ", reads " + seconds_text(p.read_seconds) +
               ") + stores " + seconds_text(p.write_seconds);
  } else {
    body = std::max(p.compute, st.memory_seconds);
    shape_of = "max(compute " + seconds_text(p.compute) + ", memory " + seconds_text(st.memory_seconds) + ")";
  }
  st.seconds = body + p.overhead;
  if (p.overhead > body) st.bound = Bound::overhead;
  else st.bound = st.memory_seconds > p.compute ? Bound::memory : Bound::compute;
  st.formula = shape_of + " + overhead (" + g.overhead_name + ") " + seconds_text(p.overhead) +
               " = " + seconds_text(st.seconds);
}

// HBM reads of a batched product when L2 holds panels of W×W outputs' operands.
double gemm_reads(const StageWork& w, const Gpu& g) {
  const MemoryLevel* l2 = g.spec.level(MemoryRole::shared);
  const double compulsory = w.main_reads;
  if (l2 == nullptr || l2->capacity.value <= 0 || w.k <= 0) return compulsory;
  const double side = std::max(1.0, l2->capacity.value / 2 / (2 * d(w.k) * g.b()));
  const double per_batch = 2 * d(w.k) * d(w.rows) * d(w.cols) / side;
  return std::max(compulsory, per_batch * d(w.batch));
}

StageCost gemm_stage(const StageWork& w, const Gpu& g) {
  StageCost st;
  st.stage = w.stage;
  st.flops = w.flops;
  // The library picks the tile that finishes soonest: 128×128, or smaller
  // ones when a big tile leaves SMs idle (few tiles, long K).
  double best = -1;
  for (const auto& [rows, cols] : gemm_tiles) {
    TileGrid grid = tile_grid(w, rows, cols);
    grid.triangular = false; // unfused causal: all n² scores, masked afterwards
    const std::int64_t n_waves = waves(grid.tiles(), g.units);
    const double tm = d(std::min(rows, pad_to_step(w.rows, g.dtype)));
    const double tn = d(std::min(cols, pad_to_step(w.cols, g.dtype)));
    const double per_tile = 2 * tm * tn * d(pad_to_step(w.k, g.dtype)) / (g.matrix_rate() / d(g.units));
    const double t = d(n_waves) * per_tile;
    if (best >= 0 && t >= best) continue;
    best = t;
    st.grid = grid;
    st.waves = n_waves;
  }
  add_tiled_traffic(st, w, g.spec, g.b(), d(w.batch));
  Parts p;
  p.compute = best;
  p.read_bytes = gemm_reads(w, g) * g.b();
  p.write_bytes = d(w.batch) * d(w.rows) * d(w.cols) * g.b();
  if (w.batch == 1) p.write_bytes = w.main_writes * g.b();
  p.read_seconds = p.read_bytes / stream_bandwidth(g.spec);
  p.write_seconds = p.write_bytes / store_bandwidth(g.spec);
  p.epilogue = true;
  p.serial_reads = g.dtype == Dtype::fp32;
  p.overhead = g.overhead;
  st.kernel = "matrix product";
  finish_gpu_stage(st, p, g);
  return st;
}

StageCost elementwise_stage(const StageWork& w, const Gpu& g, bool causal) {
  StageCost st;
  st.stage = w.stage;
  st.flops = w.flops;
  st.vector_unit = true;
  st.grid = tile_grid(w, gpu_tile, gpu_tile);
  st.grid.triangular = false;
  st.waves = waves(st.grid.tiles(), g.units);
  add_tiled_traffic(st, w, g.spec, g.b(), d(w.batch));
  const double elements = d(w.batch) * d(w.rows) * d(w.cols); // all n², masked or not
  const double per_output = w.outputs > 0 ? elements / w.outputs : 1;
  Parts p;
  p.read_bytes = w.main_reads * per_output * g.b();
  p.write_bytes = elements * g.b();
  p.overhead = g.overhead;
  const bool mask = causal && w.stage == Stage::scale;
  if (mask) {
    // The mask is one more element-wise operator over all n² scores.
    p.read_bytes += elements * g.b();
    p.write_bytes += elements * g.b();
    p.overhead += g.overhead;
  }
  p.read_seconds = p.read_bytes / stream_bandwidth(g.spec);
  p.write_seconds = p.write_bytes / stream_bandwidth(g.spec);
  if (w.stage == Stage::softmax && g.spec.softmax_ops.value > 0) {
    // fp32 math per element; a row longer than a warp holds needs a block's reductions.
    p.compute = elements * g.spec.softmax_ops.value / g.vector_rate();
    if (w.cols > warp_softmax_row)
      p.compute += d(w.batch) * d(w.rows) * g.spec.softmax_row_seconds.value / d(g.units);
    st.kernel = w.cols > warp_softmax_row ? "softmax: block per row" : "softmax: warp per row";
  } else {
    p.compute = per_output * (w.vector_ops / g.vector_rate() +
                              w.special_ops / (g.spec.special_ops.value * g.spec.vector_efficiency.value));
    st.kernel = mask ? "element-wise, then the causal mask" : "element-wise";
  }
  finish_gpu_stage(st, p, g);
  return st;
}

StageCost fused_stage(const StageWork& w, const Shape& shape, const Gpu& g) {
  const FusedKernel k = fused_kernel(g.spec, g.dtype, shape.head_dim);
  StageCost st;
  st.stage = w.stage;
  st.flops = w.flops;
  st.kernel = k.name;
  st.grid = tile_grid(w, w.rows, k.block);
  st.waves = waves(st.grid.tiles(), g.units);
  add_tiled_traffic(st, w, g.spec, g.b(), d(w.batch));
  // Chip-wide seconds per query-key pair: the two products, or the per-score
  // softmax work when that is slower (the kernel overlaps them).
  double per_pair = 0;
  if (k.flash) {
    const double eff = g.spec.fused_efficiency.value > 0 ? g.spec.fused_efficiency.value
                                                         : g.spec.matrix_efficiency.value;
    per_pair = std::max(4 * d(pad_to_step(shape.head_dim, g.dtype)) / (g.spec.peak(g.dtype) * eff),
                        g.spec.fused_score_ops.value / g.vector_rate());
  } else {
    double rate = g.matrix_rate();
    if (g.spec.fallback_flops.value > 0) rate = std::min(rate, g.spec.fallback_flops.value);
    per_pair = std::max(4 * d(shape.head_dim) / rate, g.spec.fallback_score_ops.value / g.vector_rate());
  }
  Parts p;
  if (shape.is_prefill())
    p.compute = dispatch_pairs(w.batch, shape.seq, k.block, shape.causal, g.units) * per_pair * d(g.units);
  else // n_q < n: every (sequence, head)'s few queries against its keys, spread over the SMs
    p.compute = d(w.batch) * d(shape.scored_pairs()) * per_pair;
  p.read_bytes = w.main_reads * g.b();
  p.write_bytes = w.main_writes * g.b();
  p.read_seconds = p.read_bytes / stream_bandwidth(g.spec);
  p.write_seconds = p.write_bytes / stream_bandwidth(g.spec);
  p.overhead = g.overhead;
  finish_gpu_stage(st, p, g);
  return st;
}

// A decode step (n_q = 1), fused: flash-decoding splits the keys over the
// SMs and combines the partial softmaxes (decode_launches kernels); it
// streams the KV cache at the calibrated kv_stream_bandwidth.
StageCost decode_stage(const StageWork& w, const Gpu& g, bool graph) {
  StageCost st;
  st.stage = w.stage;
  st.flops = w.flops;
  st.kernel = "flash-decoding";
  st.grid = tile_grid(w, w.rows, w.cols);
  st.waves = waves(st.grid.tiles(), g.units);
  add_tiled_traffic(st, w, g.spec, g.b(), d(w.batch));
  Parts p;
  const double special_rate = g.spec.special_ops.value * g.spec.vector_efficiency.value;
  p.compute = (w.matrix_flops + w.vector_ops) / g.vector_rate() +
              (special_rate > 0 ? w.special_ops / special_rate : 0);
  p.read_bytes = w.main_reads * g.b();
  p.write_bytes = w.main_writes * g.b();
  const double kv_bytes = w.kv_reads * g.b();
  p.read_seconds = kv_bytes / kv_stream_bandwidth(g.spec) +
                   (p.read_bytes - kv_bytes) / stream_bandwidth(g.spec);
  p.write_seconds = p.write_bytes / stream_bandwidth(g.spec);
  p.overhead = decode_launches(g.spec) * operator_overhead(g.spec, graph);
  finish_gpu_stage(st, p, g);
  return st;
}

} // namespace

Schedule model_gpu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  const std::int64_t units = whole_figure(spec.units.value, 1, 1'000'000, spec.chip + ": units");
  const Gpu g{spec, opt.dtype, units, operator_overhead(spec, opt.graph),
              std::string(overhead_label(spec, opt.graph))};
  Schedule s = empty_schedule(opt, spec, d(units));
  for (const StageWork& w : stage_work(shape, opt.fused)) {
    if (w.stage == Stage::attention && shape.query_count() == 1 && !shape.is_prefill()) s.stages.push_back(decode_stage(w, g, opt.graph));
    else if (w.stage == Stage::attention) s.stages.push_back(fused_stage(w, shape, g));
    else if (w.is_matmul()) s.stages.push_back(gemm_stage(w, g));
    else s.stages.push_back(elementwise_stage(w, g, shape.causal));
  }
  emit_all_events(s, units);
  finish_schedule(s, spec);
  return s;
}

} // namespace abh
