#pragma once
// One finished computation as the panels draw it: the single-head and
// multi-head traces of one choice, plus each matrix reduced for display.
// Large shapes keep only what is drawn (streamed display traces).

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <Eigen/Core>

#include "app/io/app_state.hpp"
#include "app/session/colormap.hpp"
#include "core/display_trace.hpp"
#include "core/trace.hpp"

namespace abh {

// A matrix as drawn: block means, at most `display_max_side` per side, and
// the value range the colormap spans.
struct DisplayMatrix {
  const NamedMatrix* source = nullptr; // the trace's matrix; empty for a streamed S_h or A_h
  std::int64_t rows = 0, cols = 0;     // of the full matrix
  // Null when the matrix is small enough to draw as is; shared by the
  // snapshots that show the same trace (a first part and its completion).
  std::shared_ptr<const Eigen::MatrixXf> block_means;
  Colormap map = Colormap::diverging;
  float lo = -1, hi = 1;
  // A streamed S_h or A_h: hover recomputes its cells from this trace.
  const DisplayTrace* streamed = nullptr;
  std::int64_t head = -1;

  bool reduced() const { return block_means != nullptr; }
  const Eigen::MatrixXf& drawn() const { return reduced() ? *block_means : source->values; }
  // Every cell is held in `source` (else cell_value recomputes it).
  bool stored() const { return !streamed; }
};

// The exact value of a cell of the full matrix, held or recomputed.
float cell_value(const DisplayMatrix& m, std::int64_t row, std::int64_t col);

inline constexpr Eigen::Index display_max_side = 512;

// Heads drawn at most; the panels count the rest as hidden.
inline constexpr std::int64_t max_heads_drawn = 16;

DisplayMatrix make_display_matrix(const NamedMatrix& m, Colormap map);

// Traces of shapes with more than display_max_side tokens are streamed
// (core/display_trace.hpp): their S and A are drawn as block means anyway,
// and only those are kept.
bool streamed_shape(const Shape& shape);
// Bytes the snapshot holds for one trace of `shape` (full or streamed);
// ShapeError when too many to count.
std::int64_t held_bytes(const Shape& shape);

struct TraceSnapshot {
  ComputeKey key;
  std::shared_ptr<const AttentionTrace> single, multi; // null when hidden
  // The choice `single` answers. A first part (single_pending) shows the
  // new multi-head trace with an older choice's one-head trace, or none,
  // while the new one is computed; complete snapshots have single_key == key.
  ComputeKey single_key;
  bool single_pending = false;
  // Streamed shapes: the display traces that single and multi point into.
  std::shared_ptr<const DisplayTrace> single_streamed, multi_streamed;
  std::string hidden_reason; // why there are no matrices (over the memory budget)
  std::map<const NamedMatrix*, DisplayMatrix> display;
  double compute_ms = 0;     // both traces and their display matrices
  double multi_trace_ms = 0; // compute_trace of the chosen shape alone
  // Where compute_ms went (benchmark mode reports them).
  double inputs_ms = 0, single_trace_ms = 0, reduce_ms = 0;
  // When the worker started and finished it (steady clock).
  std::chrono::steady_clock::time_point started, finished;

  // The display trace `t` belongs to, or null when `t` holds every cell.
  const DisplayTrace* streamed(const AttentionTrace& t) const;
  // Where a cell of a matrix of `t` comes from (recomputed for a streamed trace).
  CellDerivation derive(const AttentionTrace& t, const NamedMatrix& m, std::int64_t row,
                        std::int64_t col) const;

  const DisplayMatrix* find(const NamedMatrix& m) const {
    const auto it = display.find(&m);
    return it == display.end() ? nullptr : &it->second;
  }
};

// Bytes of both traces (the chosen shape and its single head); ShapeError
// when too many to count.
std::int64_t snapshot_bytes(const ComputeKey& key);

// The key whose traces are drawn for `key` within `budget` bytes: `key`
// itself when it fits, else its shape reduced (core/drawn_facts.hpp
// reduced_drawing: heads beyond the drawn cap, then tokens); nullopt when
// nothing fits or its size cannot be counted.
std::optional<ComputeKey> drawable_key(const ComputeKey& key, std::int64_t budget);

// Receives the first part of a snapshot: its multi-head trace, drawn, with
// no one-head trace yet (single_pending).
using FirstPart = std::function<void(std::shared_ptr<const TraceSnapshot>)>;

// Computes both traces and their display matrices (of drawable_key: the
// panels state how they differ from the shape); throws TraceCancelled.
// With `first_part`, the multi-head trace is handed over as soon as it is
// drawn, before the one-head trace is computed.
std::shared_ptr<TraceSnapshot> build_snapshot(const ComputeKey& key, std::int64_t budget,
                                              const std::atomic<bool>* cancel,
                                              std::atomic<float>* progress,
                                              const FirstPart& first_part = {});

// `first` (a first part) showing `older`'s one-head trace, with its display
// matrices, until its own is computed; `first` unchanged when `older` has none.
std::shared_ptr<const TraceSnapshot> with_older_single(std::shared_ptr<const TraceSnapshot> first,
                                                       const TraceSnapshot* older);

} // namespace abh
