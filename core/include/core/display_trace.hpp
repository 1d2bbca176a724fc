#pragma once
// The trace as the heatmaps draw it, streamed: each head is computed in
// blocks of queries, and its S and A are reduced straight to block means and
// block maxima at the drawn resolution; only those, each query's softmax
// statistics, and the matrices linear in n (X, Wqkv, QKV, Z_h, Z, Wo, O) are
// kept. Any cell of S_h or A_h is recomputed exactly on demand from QKV: one
// dot product, and for A the column's stored maximum and sum of exps.
//
// Memory: floats for the matrices linear in n, plus 4 grids of at most
// max_side² per head, plus 2·n per head; never H·n².

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/cell_explain.hpp"
#include "core/trace.hpp"

namespace abh {

// How a rows × cols matrix is cut into blocks of block_rows × block_cols
// cells (the last block of a row or column may be smaller) so that neither
// side has more than max_side blocks.
struct BlockGrid {
  std::int64_t rows = 0, cols = 0;             // the full matrix
  std::int64_t block_rows = 1, block_cols = 1; // cells per block
  std::int64_t grid_rows() const { return (rows + block_rows - 1) / block_rows; }
  std::int64_t grid_cols() const { return (cols + block_cols - 1) / block_cols; }
  bool reduced() const { return block_rows > 1 || block_cols > 1; }
};
BlockGrid display_grid(std::int64_t rows, std::int64_t cols, std::int64_t max_side);

// A matrix as drawn: its block means and block maxima, and statistics over
// every cell (for the colour range).
struct ReducedMatrix {
  std::string name; // "S_2"
  BlockGrid grid;
  Eigen::MatrixXf means, maxima; // grid_rows × grid_cols
  float max = -std::numeric_limits<float>::infinity(); // largest cell
  float max_abs = 0;                                    // largest magnitude
  double sum_squares = 0;                               // Σ cell²
  std::string title() const; // "S_2 1024×1024": the full matrix's size
  double rms() const;
};

// The same reduction of a matrix held in full.
ReducedMatrix reduce_matrix(const std::string& name, const Eigen::MatrixXf& values,
                            std::int64_t max_side);

struct DisplayHead {
  ReducedMatrix S, A;        // n × n, reduced; masked cells count as 0
  Eigen::VectorXf score_max; // per query: largest S/√dh over its visible keys
  Eigen::VectorXf exp_sum;   // per query: Σ exp(S/√dh − score_max) over its visible keys
};

struct DisplayTrace {
  // Every matrix linear in n, as compute_trace makes it; its heads' S and A
  // are empty (0 × 0): the reduced ones are in `heads`.
  AttentionTrace linear;
  std::vector<DisplayHead> heads;
  std::int64_t max_side = 0;
};

// Bytes a display trace of this shape holds; ShapeError on overflow.
std::int64_t display_trace_bytes(const Shape& shape, std::int64_t max_side);

// Whether the display trace computes this shape: a prefill (n_q = n) with
// equal q/k and v widths, no window and no MLA. Other shapes take the full trace.
bool display_trace_supports(const Shape& shape);

// Computes the display trace from inputs already made; ShapeError for a shape
// it does not support. `head_done` (if given)
// is called, from a worker thread, with each head's index once its S, A and
// Z_h are complete. Cancellation and progress as compute_trace;
// `same_weights` as for project_inputs (trace.hpp).
void compute_display_trace(DisplayTrace& trace, const Shape& shape, const TraceOptions& options,
                           const Inputs& inputs, std::int64_t max_side,
                           const std::atomic<bool>* cancel = nullptr,
                           std::atomic<float>* progress = nullptr,
                           const std::function<void(std::int64_t head)>& head_done = {},
                           const AttentionTrace* same_weights = nullptr);

// Exact cells, from QKV and the stored softmax statistics (0 where masked).
float score_value(const DisplayTrace& trace, std::int64_t head, std::int64_t key,
                  std::int64_t query);
float attention_value(const DisplayTrace& trace, std::int64_t head, std::int64_t key,
                      std::int64_t query);
// Column `query` of A_h over its visible keys, recomputed: n dot products.
Eigen::VectorXf attention_column(const DisplayTrace& trace, std::int64_t head, std::int64_t query);

// Where a cell comes from, as derive_cell says for a full trace; S_h, A_h and
// Z_h cells are recomputed from QKV. `matrix` is a NamedMatrix of trace.linear.
CellDerivation derive_display_cell(const DisplayTrace& trace, const NamedMatrix& matrix,
                                   std::int64_t row, std::int64_t col);

} // namespace abh
