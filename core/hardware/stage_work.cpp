#include "core/hardware/stage_work.hpp"

#include "core/counts.hpp"

namespace abh {

namespace {

double d(std::int64_t v) { return static_cast<double>(v); }

StageWork from_counts(Stage stage, const StageCounts& c) {
  StageWork w;
  w.key = std::string(stage_key(stage));
  w.flops = d(c.multiplies) + d(c.adds) + d(c.exps) + d(c.divides);
  return w;
}

} // namespace

double StageWork::tiled_reads(std::int64_t tile_rows, std::int64_t tile_cols, double tiles) const {
  const double tr = d(tile_rows), tc = d(tile_cols);
  return tiles * (read_per_element * tr * tc + read_per_row * tr + read_per_col * tc + read_per_tile);
}

double weight_elements(const Shape& s) {
  const Counts c = count(s);
  return d(c.params.wqkv) + d(c.params.wo);
}

double kv_cache_elements(const Shape& s) { return d(count(s).memory.kv_cache_elements); }

std::vector<StageWork> stage_work(const Shape& s, bool fused) {
  const Counts c = count(s);
  const double n = d(s.seq), dm = d(s.d_model), H = d(s.heads), dh = d(s.head_dim),
               Hkv = d(s.kv_heads), da = d(s.attention_width()), rows = d(s.wqkv_rows()),
               P = d(s.scored_pairs());
  std::vector<StageWork> out;

  // Projection QKV = Wqkv·X: (rows × d)·(d × n).
  StageWork proj = from_counts(Stage::projection, c[Stage::projection]);
  proj.matrix_flops = proj.flops;
  proj.rows = s.wqkv_rows(), proj.cols = s.seq, proj.k = s.d_model;
  proj.outputs = rows * n;
  proj.read_per_row = dm, proj.read_per_col = dm;
  proj.main_reads = rows * dm + dm * n, proj.main_writes = rows * n;
  proj.working_set = proj.main_reads;
  out.push_back(proj);

  // One n × n grid per head for S and A.
  const auto score_grid = [&](StageWork& w) {
    w.batch = s.heads, w.rows = s.seq, w.cols = s.seq, w.triangular = s.causal;
    w.outputs = H * P;
  };
  const double qkv_elements = (H + 2 * Hkv) * dh * n;

  if (fused) {
    // Z_h = v_h·softmax(k_hᵀq_h/√dh) per block of queries: K and V of the head
    // stream through on chip, S and A never leave it.
    StageWork att;
    att.key = "attention";
    for (Stage st : {Stage::scores, Stage::scale, Stage::softmax, Stage::weighted_sum}) {
      const StageCounts& sc = c[st];
      att.flops += d(sc.multiplies) + d(sc.adds) + d(sc.exps) + d(sc.divides);
    }
    att.matrix_flops = d(c[Stage::scores].multiplies) + d(c[Stage::scores].adds) +
                       d(c[Stage::weighted_sum].multiplies) + d(c[Stage::weighted_sum].adds);
    att.vector_ops = d(c[Stage::scale].multiplies) + d(c[Stage::softmax].adds) +
                     d(c[Stage::softmax].divides);
    att.special_ops = d(c[Stage::softmax].exps);
    att.batch = s.heads, att.rows = s.head_dim, att.cols = s.seq, att.k = s.seq;
    att.outputs = H * dh * n;
    att.read_per_col = dh;      // the block of queries
    att.read_per_tile = 2 * dh * n; // all keys and values of its head
    att.main_reads = qkv_elements, att.main_writes = H * dh * n;
    att.working_set = (1 + 2.0) * dh * n;
    out.push_back(att);
  } else {
    StageWork sco = from_counts(Stage::scores, c[Stage::scores]);
    sco.matrix_flops = sco.flops;
    score_grid(sco);
    sco.k = s.head_dim;
    sco.read_per_row = dh, sco.read_per_col = dh;
    sco.main_reads = (H + Hkv) * dh * n, sco.main_writes = H * P;
    sco.working_set = 2 * dh * n;
    out.push_back(sco);

    StageWork sca = from_counts(Stage::scale, c[Stage::scale]);
    sca.vector_ops = sca.flops;
    score_grid(sca);
    sca.read_per_element = 1;
    sca.main_reads = H * P, sca.main_writes = H * P;
    sca.working_set = P;
    out.push_back(sca);

    StageWork sm = from_counts(Stage::softmax, c[Stage::softmax]);
    sm.vector_ops = d(c[Stage::softmax].adds) + d(c[Stage::softmax].divides);
    sm.special_ops = d(c[Stage::softmax].exps);
    score_grid(sm);
    sm.read_per_element = 1;
    sm.main_reads = H * P, sm.main_writes = H * P;
    sm.working_set = P;
    out.push_back(sm);

    // Z_h = v_h·A_h: (dh × n)·(n × n).
    StageWork ws = from_counts(Stage::weighted_sum, c[Stage::weighted_sum]);
    ws.matrix_flops = ws.flops;
    ws.batch = s.heads, ws.rows = s.head_dim, ws.cols = s.seq, ws.k = s.seq;
    ws.outputs = H * dh * n;
    ws.read_per_row = P / n, ws.read_per_col = P / n; // rows of v_h, columns of A_h
    ws.main_reads = H * P + Hkv * dh * n, ws.main_writes = H * dh * n;
    ws.working_set = P + dh * n;
    out.push_back(ws);
  }

  // Output O = Wo·Z: (d × da)·(da × n).
  StageWork o = from_counts(Stage::output, c[Stage::output]);
  o.matrix_flops = o.flops;
  o.rows = s.d_model, o.cols = s.seq, o.k = s.attention_width();
  o.outputs = dm * n;
  o.read_per_row = da, o.read_per_col = da;
  o.main_reads = dm * da + da * n, o.main_writes = dm * n;
  o.working_set = o.main_reads;
  out.push_back(o);
  return out;
}

} // namespace abh
