#include "core/trace.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "blas_multiply.hpp"
#include "core/checked_int.hpp"
#include "core/mla_trace.hpp"
#include "core/number_format.hpp"

namespace abh {

std::string NamedMatrix::title() const {
  return name + " " + std::to_string(values.rows()) + "×" + std::to_string(values.cols());
}

Eigen::Block<const Eigen::MatrixXf> AttentionTrace::q(std::int64_t head) const {
  const std::int64_t nq = shape.query_count();
  return QKV.values.block(heads[static_cast<std::size_t>(head)].q_row, shape.seq - nq,
                          shape.head_dim, nq);
}
Eigen::Block<const Eigen::MatrixXf> AttentionTrace::k(std::int64_t head) const {
  return QKV.values.block(heads[static_cast<std::size_t>(head)].k_row, 0, shape.head_dim,
                          shape.seq);
}
Eigen::Block<const Eigen::MatrixXf> AttentionTrace::v(std::int64_t head) const {
  return QKV.values.block(heads[static_cast<std::size_t>(head)].v_row, 0, shape.value_dim(),
                          shape.seq);
}

Eigen::MatrixXf AttentionTrace::scaled_scores(std::int64_t head) const {
  Eigen::MatrixXf scaled = heads[static_cast<std::size_t>(head)].S.values * scale;
  for (Eigen::Index query = 0; query < scaled.cols(); ++query)
    for (Eigen::Index key = 0; key < scaled.rows(); ++key)
      if (masked(key, query)) scaled(key, query) = -std::numeric_limits<float>::infinity();
  return scaled;
}

Shape drawn_shape(const Shape& shape) {
  Shape drawn = shape;
  drawn.mla = MlaRanks{};
  return drawn;
}

namespace {

// The stored matrix a program's MatrixRef names, for one head; null for views.
const NamedMatrix* stored(const AttentionTrace& t, const MatrixRef& ref, const HeadTrace* head) {
  const std::string_view name = ref.name;
  if (ref.scope == HeadScope::query_head && head) {
    if (name == "S") return &head->S;
    if (name == "A") return &head->A;
    if (name == "Z") return &head->Z;
    return nullptr; // q_h: rows of QKV
  }
  if (ref.scope != HeadScope::none) return nullptr; // k_h, v_h: rows of QKV
  if (name == "X") return &t.X;
  if (name == "Wqkv") return &t.Wqkv;
  if (name == "QKV") return &t.QKV;
  if (name == "Z") return &t.Z;
  if (name == "Wo") return &t.Wo;
  if (name == "O") return &t.O;
  return nullptr;
}

} // namespace

std::vector<TraceMatrix> trace_matrices(const AttentionTrace& t) {
  std::vector<TraceMatrix> out;
  auto add = [&](const MatrixRef& ref, std::optional<Stage> stage) {
    const bool per_head = ref.scope == HeadScope::query_head;
    const std::size_t heads = per_head ? t.heads.size() : 1;
    for (std::size_t h = 0; h < heads; ++h) {
      const NamedMatrix* m = stored(t, ref, per_head ? &t.heads[h] : nullptr);
      if (!m) continue;
      bool seen = false;
      for (const TraceMatrix& e : out) seen = seen || e.matrix == m;
      if (!seen) out.push_back({m, stage, per_head ? static_cast<std::int64_t>(h) : -1});
    }
  };
  // An operand first met here is given, or was put together from the
  // previous stage's outputs (Z from the Z_h).
  std::optional<Stage> previous;
  for (const StageSpec& stage : attention_program(t.shape).stages) {
    for (const MatrixRef& operand : stage.operands)
      add(operand, operand.given ? std::nullopt : previous);
    add(stage.output, stage.id);
    previous = stage.id;
  }
  if (t.mla)
    for (const TraceMatrix& m : t.mla->matrices()) out.push_back(m);
  return out;
}

const NamedMatrix* find_matrix(const AttentionTrace& trace, std::string_view name) {
  for (const TraceMatrix& m : trace_matrices(trace))
    if (m.matrix->name == name) return m.matrix;
  return nullptr;
}

std::int64_t trace_bytes(const Shape& s) {
  const std::int64_t n = s.seq, nq = s.query_count(), d = s.d_model, da = s.value_width();
  const std::int64_t rows = s.wqkv_rows();
  std::int64_t floats = checked_mul(d, n);                            // X
  floats = checked_add(floats, checked_mul(rows, d));                 // Wqkv
  floats = checked_add(floats, checked_mul(rows, n));                 // QKV
  floats = checked_add(floats, checked_product(2, s.heads, n, nq));   // S, A per head
  floats = checked_add(floats, checked_product(2, da, nq));           // Z per head, Z
  floats = checked_add(floats, checked_mul(d, da));                   // Wo
  floats = checked_add(floats, checked_mul(d, nq));                   // O
  floats = checked_add(floats, mla_trace_floats(s));                  // MLA's latent path
  return checked_mul(floats, static_cast<std::int64_t>(sizeof(float)));
}

void check_trace_budget(const Shape& shape, std::int64_t budget_bytes) {
  check_trace_budget_bytes(trace_bytes(shape), budget_bytes);
}

void check_trace_budget_bytes(std::int64_t bytes, std::int64_t budget_bytes) {
  if (bytes > budget_bytes)
    throw ShapeError("shape too large to materialise: its matrices need " +
                     bytes_text(static_cast<double>(bytes)) + ", over the " +
                     bytes_text(static_cast<double>(budget_bytes)) +
                     " budget (counts are still exact)");
}

namespace {

void check_cancel(const std::atomic<bool>* cancel) {
  if (cancel && cancel->load(std::memory_order_relaxed)) throw TraceCancelled();
}

void report(std::atomic<float>* progress, double fraction) {
  if (progress) progress->store(static_cast<float>(fraction), std::memory_order_relaxed);
}

// Columns of queries handled together: their S and A blocks (n × 128 floats)
// stay in L2 cache from the score product through softmax to v·A.
constexpr Eigen::Index query_block = 128;

// Below this many multiply-adds per head the heads run on the calling thread:
// waking a second one costs more than it saves (the worked example's whole
// trace is about 60 000).
constexpr double parallel_min_work = 1 << 21;

using blas::multiply;

// One head, one block of query columns [first, first + count): S, A and Z.
// The block's queries see keys first_key(first) … last_key(first+count−1)
// (both grow with the column), so the products skip the rest; masked
// entries of S and A are exactly zero. The queries are the last n_q tokens.
void attend_block(const AttentionTrace& t, HeadTrace& head, Eigen::Index first, Eigen::Index count) {
  const Shape& shape = t.shape;
  const Eigen::Index n = shape.seq, nq = shape.query_count(), dh = shape.head_dim,
                     dv = shape.value_dim(), ld = t.QKV.values.rows();
  const Eigen::Index key0 = shape.first_key(first), keys = shape.last_key(first + count - 1) - key0 + 1;
  const float scale = t.scale;
  const float* qkv = t.QKV.values.data();
  head.S.values.middleCols(first, count).setZero();
  head.A.values.middleCols(first, count).setZero();
  // S block = k_hᵀ · q_h over the visible keys, read straight from QKV's rows.
  multiply(true, keys, count, dh, qkv + head.k_row + key0 * ld, ld,
           qkv + head.q_row + (n - nq + first) * ld, ld, head.S.values.data() + first * n + key0, n);
  auto S = head.S.values.block(key0, first, keys, count);
  auto A = head.A.values.block(key0, first, keys, count);
  for (Eigen::Index c = 0; c < count; ++c) {
    const Eigen::Index query = first + c;
    const Eigen::Index lo = shape.first_key(query) - key0, valid = shape.last_key(query) - key0 - lo + 1;
    auto s = S.col(c).segment(lo, valid).array();
    auto a = A.col(c).segment(lo, valid).array();
    const float top = s.maxCoeff() * scale; // scale > 0: max of scaled = scaled max
    a = (s * scale - top).exp();
    a /= a.sum();
    S.col(c).head(lo).setZero();
    S.col(c).tail(keys - lo - valid).setZero();
  }
  // Z_h block = v_h · A block (dv × count).
  multiply(false, dv, count, keys, qkv + head.v_row + key0 * ld, ld, A.data(), n,
           head.Z.values.data() + first * dv, dv);
}

void resize_named(NamedMatrix& m, const char* name, Eigen::Index rows, Eigen::Index cols) {
  m.name = name;
  m.values.resize(rows, cols);
}

// "S_2" for head index 1: heads are numbered from 1 on screen.
void resize_head_named(NamedMatrix& m, const char* base, Eigen::Index head, Eigen::Index rows,
                       Eigen::Index cols) {
  m.name = base;
  m.name += '_';
  m.name += std::to_string(head + 1);
  m.values.resize(rows, cols);
}

// For each row of Wqkv in [Q; K; V] block order, its row in `shape`'s layout.
std::vector<Eigen::Index> layout_rows(const Shape& shape, WqkvLayout layout) {
  std::vector<Eigen::Index> rows(static_cast<std::size_t>(shape.wqkv_rows()));
  for (const WqkvBand& band : wqkv_bands(shape, layout)) {
    const std::int64_t block_row = band_first_row(shape, WqkvLayout::blocks, band.part, band.head);
    for (std::int64_t i = 0; i < band_rows(shape, band.part); ++i)
      rows[static_cast<std::size_t>(block_row + i)] = band.first_row + i;
  }
  return rows;
}

// QKV of `t` from `source`'s QKV, the same rows in block order.
void reorder_qkv(AttentionTrace& t, const AttentionTrace& source) {
  if (source.QKV.values.rows() != t.Wqkv.values.rows() || source.QKV.values.cols() != t.X.values.cols())
    throw ShapeError("a trace reuses the QKV of one with other weights");
  const std::vector<Eigen::Index> to = layout_rows(t.shape, t.options.layout),
                                  from = layout_rows(source.shape, source.options.layout);
  const Eigen::MatrixXf& src = source.QKV.values;
  Eigen::MatrixXf& dst = t.QKV.values;
#pragma omp parallel for if (src.size() > (1 << 20))
  for (Eigen::Index c = 0; c < src.cols(); ++c)
    for (std::size_t b = 0; b < to.size(); ++b) dst(to[b], c) = src(from[b], c);
}

} // namespace

void project_inputs(AttentionTrace& t, const Shape& shape, const TraceOptions& options,
                    const Inputs& in, const std::atomic<bool>* cancel,
                    std::atomic<float>* progress, const AttentionTrace* same_weights) {
  validate_fields(shape); // the inputs are allocated: the sizes are real
  t.shape = drawn_shape(shape);
  const Eigen::Index n = shape.seq, d = shape.d_model, H = shape.heads;
  const Eigen::Index da = H * shape.value_dim(), rows = shape.wqkv_rows();
  t.options = options;
  t.scale = 1.0f / std::sqrt(static_cast<float>(shape.head_dim));

  resize_named(t.X, "X", d, n);
  t.X.values = in.X;
  resize_named(t.Wqkv, "Wqkv", rows, d);
  for (const WqkvBand& band : wqkv_bands(t.shape, options.layout))
    t.Wqkv.values.middleRows(band.first_row, band_rows(t.shape, band.part)) =
        in.Wqkv_blocks.middleRows(band_first_row(t.shape, WqkvLayout::blocks, band.part, band.head),
                                  band_rows(t.shape, band.part));
  resize_named(t.Wo, "Wo", d, da);
  t.Wo.values = in.Wo;
  report(progress, 0.05);
  check_cancel(cancel);

  resize_named(t.QKV, "QKV", rows, n);
  t.mla.reset();
  if (shape.is_mla())
    t.mla = trace_mla_latent(t, shape, in);
  else if (same_weights)
    reorder_qkv(t, *same_weights);
  else
    multiply(false, rows, n, d, t.Wqkv.values.data(), rows, t.X.values.data(), d,
             t.QKV.values.data(), rows);
  report(progress, 0.35);

  t.heads.resize(static_cast<std::size_t>(H));
  for (Eigen::Index h = 0; h < H; ++h) {
    HeadTrace& head = t.heads[static_cast<std::size_t>(h)];
    head.head = h;
    head.kv_head = shape.kv_head_of(h);
    head.q_row = band_first_row(shape, options.layout, Part::q, h);
    head.k_row = band_first_row(shape, options.layout, Part::k, head.kv_head);
    head.v_row = band_first_row(shape, options.layout, Part::v, head.kv_head);
    resize_head_named(head.S, "S", h, 0, 0);
    resize_head_named(head.A, "A", h, 0, 0);
    resize_head_named(head.Z, "Z", h, 0, 0);
  }
}

void combine_heads(AttentionTrace& t) {
  const Eigen::Index d = t.shape.d_model, nq = t.shape.query_count(), dv = t.shape.value_dim();
  const Eigen::Index da = t.shape.heads * dv;
  resize_named(t.Z, "Z", da, nq);
  for (const HeadTrace& head : t.heads) t.Z.values.middleRows(head.head * dv, dv) = head.Z.values;
  resize_named(t.O, "O", d, nq);
  multiply(false, d, nq, da, t.Wo.values.data(), d, t.Z.values.data(), da, t.O.values.data(), d);
}

void compute_trace(AttentionTrace& t, const Shape& shape, const TraceOptions& options,
                   const Inputs& in, const std::atomic<bool>* cancel,
                   std::atomic<float>* progress, const AttentionTrace* same_weights) {
  project_inputs(t, shape, options, in, cancel, progress, same_weights);
  const Eigen::Index n = shape.seq, nq = shape.query_count(), H = shape.heads,
                     dh = shape.head_dim, dv = shape.value_dim();
  for (HeadTrace& head : t.heads) {
    head.S.values.resize(n, nq);
    head.A.values.resize(n, nq);
    head.Z.values.resize(dv, nq);
  }

  // Every (head, block of queries) is independent: the threads share them
  // all, so one wide head keeps both cores as busy as many narrow ones.
  const Eigen::Index blocks = (nq + query_block - 1) / query_block;
  const bool parallel = static_cast<double>(n) * static_cast<double>(nq) *
                            static_cast<double>(dh) >= parallel_min_work;
  std::atomic<bool> cancelled{false};
  std::atomic<Eigen::Index> done{0};
#pragma omp parallel for schedule(dynamic) if (parallel)
  for (Eigen::Index job = 0; job < H * blocks; ++job) {
    if (cancelled.load() || (cancel && cancel->load())) {
      cancelled = true;
      continue;
    }
    const Eigen::Index h = job / blocks, first = (job % blocks) * query_block;
    attend_block(t, t.heads[static_cast<std::size_t>(h)], first, std::min(query_block, nq - first));
    report(progress, 0.35 + 0.55 * static_cast<double>(done.fetch_add(1) + 1) /
                                static_cast<double>(H * blocks));
  }
  if (cancelled) throw TraceCancelled();
  combine_heads(t);
  report(progress, 1.0);
}

void compute_trace(AttentionTrace& trace, const Shape& shape, const TraceOptions& options,
                   const std::atomic<bool>* cancel, std::atomic<float>* progress) {
  validate(shape);
  compute_trace(trace, shape, options, make_inputs(shape, options.values, options.seed), cancel,
                progress);
}

AttentionTrace compute_trace(const Shape& shape, const TraceOptions& options) {
  AttentionTrace trace;
  compute_trace(trace, shape, options);
  return trace;
}

} // namespace abh
