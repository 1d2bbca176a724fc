#pragma once
// SCALE-Sim's weight-stationary timing on an R × C systolic array: a weight
// tile of R (reduction) × C (outputs) is loaded, T rows of activations stream
// through in a diagonal wave, and each fold takes 2R + C + T − 2 cycles.
// Where each fold streams fewer rows than the array is tall (a decode step's
// few query columns), the array is bound by loading weights instead: the MXU
// double-buffers them, so the next fold's R rows load while this one streams
// and a fold costs max(R, T) cycles, with one fill of R + C − 2 for the run.

#include <cstdint>

#include "core/checked_int.hpp"

namespace abh {

struct SystolicFolds {
  std::int64_t folds = 0;           // ceil(k / R) · ceil(cols / C)
  std::int64_t cycles_per_fold = 0; // 2R + C + T − 2; double-buffered: max(R, T)
  std::int64_t fill = 0;            // cycles once per run: 0; double-buffered: R + C − 2
  // ShapeError on overflow.
  std::int64_t cycles() const { return checked_add(checked_mul(folds, cycles_per_fold), fill); }
};

// (T × k)·(k × cols) on one R × C array, weight-stationary; ShapeError when
// a count overflows 64 bits.
SystolicFolds weight_stationary(std::int64_t R, std::int64_t C, std::int64_t T, std::int64_t k,
                                std::int64_t cols);
// The same with the weights double-buffered (each fold's load hidden behind
// the previous fold's stream).
SystolicFolds weight_stationary_buffered(std::int64_t R, std::int64_t C, std::int64_t T, std::int64_t k,
                                         std::int64_t cols);

// The cheaper orientation of an m × n output with reduction k: stream the m
// rows against n columns of weights, or the transpose (a compiler's choice).
SystolicFolds best_orientation(std::int64_t R, std::int64_t C, std::int64_t m, std::int64_t k,
                               std::int64_t n, bool double_buffered = false);

} // namespace abh
