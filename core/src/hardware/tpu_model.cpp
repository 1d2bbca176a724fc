// TPU: the compiler (XLA) feeds each matmul to the MXUs as weight-stationary
// folds: a weight tile sits in the R×C array while activations stream through
// in a diagonal wave (SCALE-Sim: 2R + C + T − 2 cycles per fold). Folds are
// spread over the MXUs; softmax and scaling run on the vector unit. VMEM is
// the on-chip scratchpad, HBM beyond it.

#include <algorithm>
#include <cmath>

#include "core/checked_int.hpp"
#include "core/hardware/events.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/roofline.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/hardware/systolic.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

namespace {

// Cycles of all matmul work of a stage on `arrays` MXUs: its folds, spread
// in rounds over the arrays (double-buffered: weight loads hidden, one fill).
struct MatmulCycles {
  std::int64_t folds = 0, rounds = 0, cycles = 0;
};

MatmulCycles matmul_cycles(std::int64_t R, std::int64_t C, std::int64_t arrays, std::int64_t batch,
                           std::int64_t m, std::int64_t k, std::int64_t n, bool double_buffered) {
  const SystolicFolds f = best_orientation(R, C, m, k, n, double_buffered);
  MatmulCycles c;
  c.folds = checked_mul(batch, f.folds);
  c.rounds = waves(c.folds, arrays);
  c.cycles = checked_add(checked_mul(c.rounds, f.cycles_per_fold), f.fill);
  return c;
}

// The per-head products that read the cache: scores and v·A, or both fused.
bool reads_cache_per_head(const StageWork& w) {
  return w.stage == Stage::attention || w.stage == Stage::scores || w.stage == Stage::weighted_sum;
}

} // namespace

Schedule model_tpu(const Shape& shape, const ModelOptions& opt, const HardwareSpec& spec) {
  const std::int64_t arrays = whole_figure(spec.units.value, 1, 1'000'000, spec.chip + ": units");
  const std::int64_t R = whole_figure(spec.array_rows.value, 1, 65536, spec.chip + ": array_rows");
  const std::int64_t C = whole_figure(spec.array_cols.value, 1, 65536, spec.chip + ": array_cols");
  // Datatypes other than bf16 change the passes per fold (int8: 2 per cycle;
  // fp32: several bf16 passes), as the peaks say.
  const double cycle = 1 / spec.clock.value * spec.peak_bf16.value / spec.peak(opt.dtype) /
                       spec.matrix_efficiency.value;
  const double vector_rate = spec.vector_flops.value * spec.vector_efficiency.value;
  const double special_rate = spec.special_ops.value * spec.vector_efficiency.value;

  // The query heads sharing a kv head (GQA: H/Hkv) sit side by side as the
  // stationary columns of the products that read the cache, so each K and V
  // streams through once for the group. At a decode step that is a few
  // columns of the fold (use n_q·H/Hkv of C): the folds are bound by loading
  // their weights, one row a cycle as the cache streams, and HBM sets the pace.
  const std::int64_t group = shape.queries_per_kv_head();
  const std::int64_t columns = checked_mul(shape.query_count(), group);
  const std::int64_t kv_batch = checked_mul(shape.batch, shape.kv_heads);
  const bool decode = shape.query_count() == 1 && !shape.is_prefill();

  Schedule s = empty_schedule(opt, spec, static_cast<double>(arrays));
  for (const StageWork& w : stage_work(shape, opt.fused)) {
    StageCost st;
    st.stage = w.stage;
    st.flops = w.flops;
    double cycles = 0;
    if (w.stage == Stage::attention) {
      // kᵀq then v·A per kv head and sequence, both on the MXUs, over the
      // keys the queries see.
      const std::int64_t keys = keys_seen(shape);
      const MatmulCycles sc = matmul_cycles(R, C, arrays, kv_batch, keys, shape.head_dim, columns, decode);
      const MatmulCycles ws = matmul_cycles(R, C, arrays, kv_batch, shape.value_dim(), keys, columns, decode);
      cycles = static_cast<double>(checked_add(sc.cycles, ws.cycles));
    } else if (w.is_matmul() && reads_cache_per_head(w)) {
      const MatmulCycles mc = matmul_cycles(R, C, arrays, kv_batch, w.rows, w.k, checked_mul(w.cols, group), decode);
      cycles = static_cast<double>(mc.cycles);
    } else if (w.is_matmul()) {
      const MatmulCycles mc = matmul_cycles(R, C, arrays, w.batch, w.rows, w.k, w.cols, false);
      cycles = static_cast<double>(mc.cycles);
    }
    // Waves are rounds of output tiles over the arrays (what the events
    // replay, as on every machine); the time comes from the folds' cycles.
    // Fused: a tile takes the whole dh of its queries (its K and V stream
    // through once), and the heads run concurrently.
    st.grid = w.stage == Stage::attention ? tile_grid(w, w.rows, C) : tile_grid(w, R, C);
    st.waves = waves(st.grid.tiles(), arrays);
    st.compute_seconds = cycles * cycle + w.vector_ops / vector_rate + w.special_ops / special_rate;
    st.vector_unit = !w.is_matmul();
    add_tiled_traffic(st, w, spec, dtype_bytes(opt.dtype), static_cast<double>(w.batch));
    st.overhead_seconds = spec.launch_overhead.value;
    finish_stage(st);
    s.stages.push_back(st);
  }
  emit_all_events(s, arrays);
  finish_schedule(s, spec);
  return s;
}

} // namespace abh
