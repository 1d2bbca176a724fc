#include "app/session/trace_snapshot.hpp"


#include <chrono>
#include <cmath>

namespace abh {

DisplayMatrix make_display_matrix(const NamedMatrix& m, Colormap map) {
  DisplayMatrix d;
  d.source = &m;
  d.map = map;
  const Eigen::MatrixXf& v = m.values;
  const Eigen::Index fr = (v.rows() + display_max_side - 1) / display_max_side;
  const Eigen::Index fc = (v.cols() + display_max_side - 1) / display_max_side;
  if (fr > 1 || fc > 1) {
    // Block means in one pass over the source, column by column.
    d.block_means = Eigen::MatrixXf::Zero((v.rows() + fr - 1) / fr, (v.cols() + fc - 1) / fc);
    Eigen::MatrixXf count = Eigen::MatrixXf::Zero(d.block_means.rows(), d.block_means.cols());
    for (Eigen::Index c = 0; c < v.cols(); ++c) {
      float* out = d.block_means.col(c / fc).data();
      float* seen = count.col(c / fc).data();
      const float* in = v.col(c).data();
      for (Eigen::Index r = 0; r < v.rows(); ++r) {
        out[r / fr] += in[r];
        seen[r / fr] += 1;
      }
    }
    d.block_means.array() /= count.array();
  }
  if (map == Colormap::sequential) {
    // Probabilities: 0 to the largest weight, so long sequences still show a pattern.
    d.lo = 0;
    d.hi = v.size() && v.maxCoeff() > 0 ? v.maxCoeff() : 1.0f;
  } else {
    // ±2.5 RMS (at most the largest magnitude): typical values get strong
    // colours and a rare outlier does not wash the rest out.
    const float largest = v.size() ? v.cwiseAbs().maxCoeff() : 1.0f;
    const float rms = v.size() ? std::sqrt(v.squaredNorm() / static_cast<float>(v.size())) : 1.0f;
    const float extent = std::min(largest, 2.5f * rms);
    d.lo = -(extent > 0 ? extent : 1.0f);
    d.hi = -d.lo;
  }
  return d;
}

namespace {

// Probabilities (softmax outputs) get the sequential colormap, signed values
// the diverging one. Heads beyond the cap are not drawn: the panels say so.
void add_display(TraceSnapshot& s, const AttentionTrace& t) {
  for (const TraceMatrix& m : trace_matrices(t)) {
    if (m.head >= max_heads_drawn) continue;
    const Colormap map = m.stage == Stage::softmax ? Colormap::sequential : Colormap::diverging;
    s.display.emplace(m.matrix, make_display_matrix(*m.matrix, map));
  }
}

} // namespace

std::int64_t snapshot_bytes(const ComputeKey& key) {
  return checked_add(trace_bytes(key.shape), trace_bytes(single_head_of(key.shape)));
}

std::shared_ptr<TraceSnapshot> build_snapshot(const ComputeKey& key, std::int64_t budget,
                                              const std::atomic<bool>* cancel,
                                              std::atomic<float>* progress) {
  const auto start = std::chrono::steady_clock::now();
  auto s = std::make_shared<TraceSnapshot>();
  s->key = key;
  const Shape single_shape = single_head_of(key.shape);
  try {
    check_trace_budget_bytes(snapshot_bytes(key), budget);
  } catch (const ShapeError& e) {
    s->hidden_reason = e.what();
    return s;
  }
  // One set of inputs serves both when the single head has the same Wqkv
  // rows (multi-head attention): values depend only on their position.
  s->started = start;
  const auto since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
  };
  const Inputs inputs = make_inputs(key.shape, key.trace.values, key.trace.seed);
  s->inputs_ms = since(start);
  auto multi = std::make_shared<AttentionTrace>();
  const auto multi_start = std::chrono::steady_clock::now();
  compute_trace(*multi, key.shape, key.trace, inputs, cancel, progress);
  s->multi_trace_ms = since(multi_start);
  auto single = std::make_shared<AttentionTrace>();
  const auto single_start = std::chrono::steady_clock::now();
  if (single_shape.wqkv_rows() == key.shape.wqkv_rows())
    compute_trace(*single, single_shape, key.trace, inputs, cancel, nullptr);
  else
    compute_trace(*single, single_shape, key.trace, cancel, nullptr);
  s->single_trace_ms = since(single_start);
  const auto reduce_start = std::chrono::steady_clock::now();
  add_display(*s, *multi);
  add_display(*s, *single);
  s->reduce_ms = since(reduce_start);
  s->multi = std::move(multi);
  s->single = std::move(single);
  s->finished = std::chrono::steady_clock::now();
  s->compute_ms = std::chrono::duration<double, std::milli>(s->finished - start).count();
  return s;
}

} // namespace abh
