#pragma once
// One finished computation as the panels draw it: the single-head and
// multi-head traces of one choice, plus each matrix reduced for display.

#include <chrono>
#include <map>
#include <memory>
#include <string>

#include <Eigen/Core>

#include "app/io/app_state.hpp"
#include "app/session/colormap.hpp"
#include "core/trace.hpp"

namespace abh {

// A matrix as drawn: block means of the full matrix, at most
// `display_max_side` per side, and the value range the colormap spans.
struct DisplayMatrix {
  const NamedMatrix* source = nullptr; // full values (hover reads these)
  Eigen::MatrixXf block_means;         // empty when the matrix is small enough to draw as is
  Colormap map = Colormap::diverging;
  float lo = -1, hi = 1;

  bool reduced() const { return block_means.size() > 0; }
  const Eigen::MatrixXf& drawn() const { return reduced() ? block_means : source->values; }
};

inline constexpr Eigen::Index display_max_side = 512;

// Heads drawn at most; the panels count the rest as hidden.
inline constexpr std::int64_t max_heads_drawn = 16;

DisplayMatrix make_display_matrix(const NamedMatrix& m, Colormap map);

struct TraceSnapshot {
  ComputeKey key;
  std::shared_ptr<const AttentionTrace> single, multi; // null when hidden
  std::string hidden_reason; // why there are no matrices (over the memory budget)
  std::map<const NamedMatrix*, DisplayMatrix> display;
  double compute_ms = 0;     // both traces and their display matrices
  double multi_trace_ms = 0; // compute_trace of the chosen shape alone
  // Where compute_ms went (benchmark mode reports them).
  double inputs_ms = 0, single_trace_ms = 0, reduce_ms = 0;
  // When the worker started and finished it (steady clock).
  std::chrono::steady_clock::time_point started, finished;

  const DisplayMatrix* find(const NamedMatrix& m) const {
    const auto it = display.find(&m);
    return it == display.end() ? nullptr : &it->second;
  }
};

// Bytes of both traces (the chosen shape and its single head); ShapeError
// when too many to count.
std::int64_t snapshot_bytes(const ComputeKey& key);

// Computes both traces and their display matrices; throws TraceCancelled.
std::shared_ptr<TraceSnapshot> build_snapshot(const ComputeKey& key, std::int64_t budget,
                                              const std::atomic<bool>* cancel,
                                              std::atomic<float>* progress);

} // namespace abh
