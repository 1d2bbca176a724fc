#include "core/display_trace.hpp"

#include <algorithm>
#include <cmath>

#include "core/checked_int.hpp"

namespace abh {

BlockGrid display_grid(std::int64_t rows, std::int64_t cols, std::int64_t max_side) {
  const std::int64_t side = std::max<std::int64_t>(1, max_side);
  return {rows, cols, std::max<std::int64_t>(1, (rows + side - 1) / side),
          std::max<std::int64_t>(1, (cols + side - 1) / side)};
}

std::string ReducedMatrix::title() const {
  return name + " " + std::to_string(grid.rows) + "×" + std::to_string(grid.cols);
}

double ReducedMatrix::rms() const {
  const double cells = static_cast<double>(grid.rows) * static_cast<double>(grid.cols);
  return cells > 0 ? std::sqrt(sum_squares / cells) : 0.0;
}

namespace {

using Index = Eigen::Index;

void start_reduction(ReducedMatrix& m, const std::string& name, std::int64_t rows,
                     std::int64_t cols, std::int64_t max_side) {
  m.name = name;
  m.grid = display_grid(rows, cols, max_side);
  m.means.setZero(m.grid.grid_rows(), m.grid.grid_cols());
  m.maxima.setConstant(m.grid.grid_rows(), m.grid.grid_cols(),
                       -std::numeric_limits<float>::infinity());
  m.max = -std::numeric_limits<float>::infinity();
  m.max_abs = 0;
  m.sum_squares = 0;
}

// Statistics of a part of a matrix, merged once the part is reduced.
struct PartStats {
  float max = -std::numeric_limits<float>::infinity(), max_abs = 0;
  double sum_squares = 0;
};

// Adds columns [first, first + block.cols()) of the matrix, whose rows
// block.rows() … grid.rows − 1 are zero (masked, not stored), into the sums
// (`means`) and maxima of the grid columns they fall in.
PartStats accumulate(ReducedMatrix& m, const Eigen::Ref<const Eigen::MatrixXf>& block,
                     Index first) {
  const BlockGrid& g = m.grid;
  const Index stored = block.rows();
  PartStats part;
  if (block.size() > 0) {
    part.max = block.maxCoeff();
    part.max_abs = block.cwiseAbs().maxCoeff();
    part.sum_squares = static_cast<double>(block.squaredNorm());
  }
  if (stored < g.rows && block.cols() > 0) {
    part.max = std::max(part.max, 0.0f);
  }
  for (Index c = 0; c < block.cols(); ++c) {
    const Index gc = (first + c) / g.block_cols;
    for (Index gr = 0; gr < g.grid_rows(); ++gr) {
      const Index r0 = gr * g.block_rows, r1 = std::min<Index>(r0 + g.block_rows, g.rows);
      if (r0 >= stored) {
        m.maxima(gr, gc) = std::max(m.maxima(gr, gc), 0.0f);
        continue;
      }
      const auto segment = block.col(c).segment(r0, std::min(r1, stored) - r0);
      m.means(gr, gc) += segment.sum();
      float top = segment.maxCoeff();
      if (r1 > stored) top = std::max(top, 0.0f);
      m.maxima(gr, gc) = std::max(m.maxima(gr, gc), top);
    }
  }
  return part;
}

void merge(ReducedMatrix& m, const PartStats& part) {
  m.max = std::max(m.max, part.max);
  m.max_abs = std::max(m.max_abs, part.max_abs);
  m.sum_squares += part.sum_squares;
}

// Sums to means: each block's cell count divides its sum.
void finish_reduction(ReducedMatrix& m) {
  const BlockGrid& g = m.grid;
  for (Index gc = 0; gc < g.grid_cols(); ++gc) {
    const Index cols = std::min<Index>(g.block_cols, g.cols - gc * g.block_cols);
    for (Index gr = 0; gr < g.grid_rows(); ++gr) {
      const Index rows = std::min<Index>(g.block_rows, g.rows - gr * g.block_rows);
      m.means(gr, gc) /= static_cast<float>(rows * cols);
    }
  }
  if (g.rows * g.cols == 0) m.max = 0;
}

void check_cancel(const std::atomic<bool>* cancel) {
  if (cancel && cancel->load(std::memory_order_relaxed)) throw TraceCancelled();
}

void report(std::atomic<float>* progress, double fraction) {
  if (progress) progress->store(static_cast<float>(fraction), std::memory_order_relaxed);
}

// About 128 queries a block (their S and A columns stay in cache from the
// score product to v·A), a whole number of display blocks wide, so no two
// blocks of queries write the same grid column.
Index query_block_width(std::int64_t block_cols) {
  return static_cast<Index>(block_cols * std::max<std::int64_t>(1, 128 / block_cols));
}

// One head, queries [first, first + count): S and A into the scratch
// matrices, the softmax statistics, Z_h's columns, and the reductions.
void attend_block(DisplayTrace& t, Index h, const Eigen::MatrixXf& k_transposed, Index first,
                  Index count, Eigen::MatrixXf& S, Eigen::MatrixXf& A, PartStats& s_part,
                  PartStats& a_part) {
  const AttentionTrace& lin = t.linear;
  HeadTrace& head = t.linear.heads[static_cast<std::size_t>(h)];
  DisplayHead& out = t.heads[static_cast<std::size_t>(h)];
  const Index n = lin.shape.seq;
  const bool causal = lin.shape.causal;
  const Index keys = causal ? first + count : n;
  const float scale = lin.scale;
  S.resize(keys, count);
  A.resize(keys, count);
  S.noalias() = k_transposed.topRows(keys) * lin.q(h).middleCols(first, count);
  for (Index c = 0; c < count; ++c) {
    const Index query = first + c;
    const Index valid = causal ? query + 1 : n;
    auto s = S.col(c).head(valid).array();
    auto a = A.col(c).head(valid).array();
    const float top = s.maxCoeff() * scale;
    a = (s * scale - top).exp();
    const float sum = a.sum();
    a /= sum;
    out.score_max(query) = top;
    out.exp_sum(query) = sum;
    S.col(c).tail(keys - valid).setZero();
    A.col(c).tail(keys - valid).setZero();
  }
  head.Z.values.middleCols(first, count).noalias() = lin.v(h).leftCols(keys) * A;
  s_part = accumulate(out.S, S, first);
  a_part = accumulate(out.A, A, first);
}

} // namespace

ReducedMatrix reduce_matrix(const std::string& name, const Eigen::MatrixXf& values,
                            std::int64_t max_side) {
  ReducedMatrix m;
  start_reduction(m, name, values.rows(), values.cols(), max_side);
  if (!m.grid.reduced() && values.size() > 0) { // one cell a block: the matrix itself
    m.means = values;
    m.maxima = values;
    m.max = values.maxCoeff();
    m.max_abs = values.cwiseAbs().maxCoeff();
    m.sum_squares = static_cast<double>(values.squaredNorm());
    return m;
  }
  merge(m, accumulate(m, values, 0));
  finish_reduction(m);
  return m;
}

std::int64_t display_trace_bytes(const Shape& s, std::int64_t max_side) {
  const std::int64_t n = s.seq, d = s.d_model, da = checked_mul(s.heads, s.head_dim);
  const std::int64_t rows = s.wqkv_rows();
  const BlockGrid g = display_grid(n, n, max_side);
  std::int64_t floats = checked_mul(d, n);                              // X
  floats = checked_add(floats, checked_mul(rows, d));                   // Wqkv
  floats = checked_add(floats, checked_mul(rows, n));                   // QKV
  floats = checked_add(floats, checked_product(2, da, n));              // Z per head, Z
  floats = checked_add(floats, checked_mul(d, da));                     // Wo
  floats = checked_add(floats, checked_mul(d, n));                      // O
  const std::int64_t grids = checked_product(4, g.grid_rows(), g.grid_cols()); // S, A: means, maxima
  floats = checked_add(floats, checked_mul(s.heads, checked_add(grids, checked_mul(2, n))));
  return checked_mul(floats, static_cast<std::int64_t>(sizeof(float)));
}

bool display_trace_supports(const Shape& shape) {
  return shape.query_count() == shape.seq && shape.window == 0 &&
         shape.value_dim() == shape.head_dim && !shape.is_mla();
}

void compute_display_trace(DisplayTrace& t, const Shape& shape, const TraceOptions& options,
                           const Inputs& in, std::int64_t max_side,
                           const std::atomic<bool>* cancel, std::atomic<float>* progress,
                           const std::function<void(std::int64_t head)>& head_done,
                           const AttentionTrace* same_weights) {
  validate(shape);
  if (!display_trace_supports(shape))
    throw ShapeError("the streamed display draws prefill attention without a window, MLA or a "
                     "separate value width; this shape needs the full trace");
  const Index n = shape.seq, H = shape.heads, dh = shape.head_dim;
  AttentionTrace& lin = t.linear;
  t.max_side = max_side;
  project_inputs(lin, shape, options, in, cancel, progress, same_weights);
  check_cancel(cancel);

  t.heads.resize(static_cast<std::size_t>(H));
  std::vector<Eigen::MatrixXf> k_transposed(static_cast<std::size_t>(H));
  for (Index h = 0; h < H; ++h) {
    HeadTrace& head = lin.heads[static_cast<std::size_t>(h)];
    head.Z.values.resize(dh, n);
    DisplayHead& out = t.heads[static_cast<std::size_t>(h)];
    start_reduction(out.S, head.S.name, n, n, max_side);
    start_reduction(out.A, head.A.name, n, n, max_side);
    out.score_max.resize(n);
    out.exp_sum.resize(n);
    k_transposed[static_cast<std::size_t>(h)] = lin.k(h).transpose();
  }

  // Every (head, block of queries) is a job; the threads take them in head
  // order, so heads finish one after another.
  const Index width = query_block_width(display_grid(n, n, max_side).block_cols);
  const Index blocks = (n + width - 1) / width;
  std::vector<std::atomic<Index>> left(static_cast<std::size_t>(H));
  for (auto& l : left) l = blocks;
  std::atomic<bool> cancelled{false};
  std::atomic<Index> done{0};
#pragma omp parallel
  {
    Eigen::MatrixXf S, A; // this thread's scratch
#pragma omp for schedule(dynamic)
    for (Index job = 0; job < H * blocks; ++job) {
      if (cancelled.load() || (cancel && cancel->load())) {
        cancelled = true;
        continue;
      }
      const Index h = job / blocks, first = (job % blocks) * width;
      PartStats s_part, a_part;
      attend_block(t, h, k_transposed[static_cast<std::size_t>(h)], first,
                   std::min(width, n - first), S, A, s_part, a_part);
      bool last = false;
#pragma omp critical(abh_display_merge)
      {
        DisplayHead& out = t.heads[static_cast<std::size_t>(h)];
        merge(out.S, s_part);
        merge(out.A, a_part);
        if (--left[static_cast<std::size_t>(h)] == 0) {
          finish_reduction(out.S);
          finish_reduction(out.A);
          last = true;
        }
      }
      if (last && head_done) head_done(h);
      report(progress, 0.35 + 0.55 * static_cast<double>(done.fetch_add(1) + 1) /
                                  static_cast<double>(H * blocks));
    }
  }
  if (cancelled) throw TraceCancelled();
  combine_heads(lin);
  report(progress, 1.0);
}

} // namespace abh
