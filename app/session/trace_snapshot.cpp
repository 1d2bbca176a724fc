#include "app/session/trace_snapshot.hpp"

#include <chrono>
#include <cmath>

#include "core/drawn_facts.hpp"

namespace abh {

namespace {

// The colour range of a matrix from its statistics. Probabilities: 0 to the
// largest weight, so long sequences still show a pattern. Signed values:
// ±2.5 RMS (at most the largest magnitude), so typical values get strong
// colours and a rare outlier does not wash the rest out.
void set_range(DisplayMatrix& d, const ReducedMatrix& r) {
  if (d.map == Colormap::sequential) {
    d.lo = 0;
    d.hi = r.max > 0 ? r.max : 1.0f;
  } else {
    const float extent = std::min(r.max_abs, 2.5f * static_cast<float>(r.rms()));
    d.lo = -(extent > 0 ? extent : 1.0f);
    d.hi = -d.lo;
  }
}

DisplayMatrix from_reduced(ReducedMatrix&& r, Colormap map, const NamedMatrix& source) {
  DisplayMatrix d;
  d.source = &source;
  d.map = map;
  d.rows = r.grid.rows;
  d.cols = r.grid.cols;
  set_range(d, r);
  if (r.grid.reduced()) d.block_means = std::make_shared<const Eigen::MatrixXf>(std::move(r.means));
  return d;
}

} // namespace

DisplayMatrix make_display_matrix(const NamedMatrix& m, Colormap map) {
  return from_reduced(reduce_matrix(m.name, m.values, display_max_side), map, m);
}

float cell_value(const DisplayMatrix& m, std::int64_t row, std::int64_t col) {
  if (!m.streamed) return m.source->values(row, col);
  return m.map == Colormap::sequential ? attention_value(*m.streamed, m.head, row, col)
                                       : score_value(*m.streamed, m.head, row, col);
}

const DisplayTrace* TraceSnapshot::streamed(const AttentionTrace& t) const {
  for (const auto& d : {multi_streamed, single_streamed})
    if (d && &d->linear == &t) return d.get();
  return nullptr;
}

CellDerivation TraceSnapshot::derive(const AttentionTrace& t, const NamedMatrix& m,
                                     std::int64_t row, std::int64_t col) const {
  if (const DisplayTrace* d = streamed(t)) return derive_display_cell(*d, m, row, col);
  return derive_cell(t, m, row, col);
}

bool streamed_shape(const Shape& shape) {
  return shape.seq > display_max_side && display_trace_supports(shape);
}

std::int64_t held_bytes(const Shape& shape) {
  return streamed_shape(shape) ? display_trace_bytes(shape, display_max_side) : trace_bytes(shape);
}

namespace {

// Probabilities (softmax outputs) get the sequential colormap, signed values
// the diverging one. Heads beyond the cap are not drawn: the panels say so.
Colormap colormap_of(const TraceMatrix& m) {
  return m.stage == Stage::softmax ? Colormap::sequential : Colormap::diverging;
}

void add_display(TraceSnapshot& s, const AttentionTrace& t) {
  for (const TraceMatrix& m : trace_matrices(t)) {
    if (m.head >= max_heads_drawn) continue;
    s.display.emplace(m.matrix, make_display_matrix(*m.matrix, colormap_of(m)));
  }
}

// A streamed trace: S_h and A_h from their reductions, the rest reduced here.
void add_display(TraceSnapshot& s, const std::shared_ptr<DisplayTrace>& t) {
  for (const TraceMatrix& m : trace_matrices(t->linear)) {
    if (m.head >= max_heads_drawn) continue;
    DisplayHead* head = m.head >= 0 ? &t->heads[static_cast<std::size_t>(m.head)] : nullptr;
    const HeadTrace* linear_head = m.head >= 0 ? &t->linear.heads[static_cast<std::size_t>(m.head)] : nullptr;
    ReducedMatrix* reduced = !head ? nullptr
                             : m.matrix == &linear_head->S ? &head->S
                             : m.matrix == &linear_head->A ? &head->A
                                                            : nullptr;
    if (!reduced) {
      s.display.emplace(m.matrix, make_display_matrix(*m.matrix, colormap_of(m)));
      continue;
    }
    // The grids are copied: the display trace keeps its own for tests and hover ranges.
    DisplayMatrix d = from_reduced(ReducedMatrix(*reduced), colormap_of(m), *m.matrix);
    d.streamed = t.get();
    d.head = m.head;
    s.display.emplace(m.matrix, std::move(d));
  }
}

double ms_since(std::chrono::steady_clock::time_point from) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - from).count();
}

} // namespace

std::int64_t snapshot_bytes(const ComputeKey& key) {
  return checked_add(held_bytes(key.shape), held_bytes(single_head_of(key.shape)));
}

std::optional<ComputeKey> drawable_key(const ComputeKey& key, std::int64_t budget) {
  const auto fits = [&](const Shape& shape) {
    ComputeKey k = key;
    k.shape = shape;
    try {
      return snapshot_bytes(k) <= budget;
    } catch (const ShapeError&) {
      return false;
    }
  };
  try {
    if (snapshot_bytes(key) <= budget) return key;
  } catch (const ShapeError&) {
    return std::nullopt; // a shape too large to count is not drawn, reduced or not
  }
  try {
    const std::optional<Shape> shape = reduced_drawing(key.shape, max_heads_drawn, fits);
    if (!shape) return std::nullopt;
    ComputeKey drawn = key;
    drawn.shape = *shape;
    return drawn;
  } catch (const ShapeError&) {
    return std::nullopt;
  }
}

std::shared_ptr<TraceSnapshot> build_snapshot(const ComputeKey& asked, std::int64_t budget,
                                              const std::atomic<bool>* cancel,
                                              std::atomic<float>* progress,
                                              const FirstPart& first_part) {
  const auto start = std::chrono::steady_clock::now();
  auto s = std::make_shared<TraceSnapshot>();
  s->key = asked;
  s->single_key = asked;
  s->started = start;
  const std::optional<ComputeKey> drawable = drawable_key(asked, budget);
  if (!drawable) {
    s->hidden_reason = "not even one token of this shape fits the memory budget";
    try {
      check_trace_budget_bytes(snapshot_bytes(asked), budget);
    } catch (const ShapeError& e) {
      s->hidden_reason = e.what();
    }
    return s;
  }
  const ComputeKey& key = *drawable;
  const Shape single_shape = single_head_of(key.shape);
  // One set of inputs serves both when the single head has the same Wqkv
  // rows (multi-head attention): values depend only on their position. The
  // one head's QKV is then the multi-head QKV's rows, reordered.
  const Inputs inputs = make_inputs(key.shape, key.trace.values, key.trace.seed);
  const bool shared_inputs = single_shape.wqkv_rows() == key.shape.wqkv_rows();
  s->inputs_ms = ms_since(start);
  const auto multi_start = std::chrono::steady_clock::now();
  double reduce_ms = 0;
  const auto hand_over_first_part = [&] {
    if (!first_part) return;
    auto first = std::make_shared<TraceSnapshot>(*s);
    first->single_pending = true;
    first->finished = std::chrono::steady_clock::now();
    first->compute_ms = std::chrono::duration<double, std::milli>(first->finished - start).count();
    first_part(std::move(first));
  };
  if (streamed_shape(key.shape)) {
    auto multi = std::make_shared<DisplayTrace>();
    compute_display_trace(*multi, key.shape, key.trace, inputs, display_max_side, cancel, progress);
    s->multi_trace_ms = ms_since(multi_start);
    auto reduce_start = std::chrono::steady_clock::now();
    add_display(*s, multi);
    reduce_ms += ms_since(reduce_start);
    s->multi = std::shared_ptr<const AttentionTrace>(multi, &multi->linear);
    s->multi_streamed = multi;
    s->reduce_ms = reduce_ms;
    hand_over_first_part();
    const auto single_start = std::chrono::steady_clock::now();
    auto single = std::make_shared<DisplayTrace>();
    if (shared_inputs)
      compute_display_trace(*single, single_shape, key.trace, inputs, display_max_side, cancel, nullptr,
                            {}, &multi->linear);
    else
      compute_display_trace(*single, single_shape, key.trace,
                            make_inputs(single_shape, key.trace.values, key.trace.seed),
                            display_max_side, cancel, nullptr);
    s->single_trace_ms = ms_since(single_start);
    reduce_start = std::chrono::steady_clock::now();
    add_display(*s, single);
    reduce_ms += ms_since(reduce_start);
    s->single = std::shared_ptr<const AttentionTrace>(single, &single->linear);
    s->single_streamed = std::move(single);
  } else {
    auto multi = std::make_shared<AttentionTrace>();
    compute_trace(*multi, key.shape, key.trace, inputs, cancel, progress);
    s->multi_trace_ms = ms_since(multi_start);
    auto reduce_start = std::chrono::steady_clock::now();
    add_display(*s, *multi);
    reduce_ms += ms_since(reduce_start);
    s->multi = multi;
    s->reduce_ms = reduce_ms;
    hand_over_first_part();
    const auto single_start = std::chrono::steady_clock::now();
    auto single = std::make_shared<AttentionTrace>();
    if (shared_inputs)
      compute_trace(*single, single_shape, key.trace, inputs, cancel, nullptr, multi.get());
    else
      compute_trace(*single, single_shape, key.trace, cancel, nullptr);
    s->single_trace_ms = ms_since(single_start);
    reduce_start = std::chrono::steady_clock::now();
    add_display(*s, *single);
    reduce_ms += ms_since(reduce_start);
    s->single = std::move(single);
  }
  s->reduce_ms = reduce_ms;
  s->finished = std::chrono::steady_clock::now();
  s->compute_ms = std::chrono::duration<double, std::milli>(s->finished - start).count();
  return s;
}

std::shared_ptr<const TraceSnapshot> with_older_single(std::shared_ptr<const TraceSnapshot> first,
                                                       const TraceSnapshot* older) {
  if (!older || !older->single || !first) return first;
  auto s = std::make_shared<TraceSnapshot>(*first);
  s->single = older->single;
  s->single_streamed = older->single_streamed;
  s->single_key = older->single_key;
  for (const TraceMatrix& m : trace_matrices(*older->single))
    if (const DisplayMatrix* d = older->find(*m.matrix)) s->display.emplace(m.matrix, *d);
  return s;
}

} // namespace abh
