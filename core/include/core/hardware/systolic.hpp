#pragma once
// SCALE-Sim's weight-stationary timing on an R × C systolic array: a weight
// tile of R (reduction) × C (outputs) is loaded, T rows of activations stream
// through in a diagonal wave, and each fold takes 2R + C + T − 2 cycles.

#include <cstdint>

#include "core/checked_int.hpp"

namespace abh {

struct SystolicFolds {
  std::int64_t folds = 0;          // ceil(k / R) · ceil(cols / C)
  std::int64_t cycles_per_fold = 0; // 2R + C + T − 2
  std::int64_t cycles() const { return checked_mul(folds, cycles_per_fold); } // ShapeError on overflow
};

// (T × k)·(k × cols) on one R × C array, weight-stationary; ShapeError when
// a count overflows 64 bits.
SystolicFolds weight_stationary(std::int64_t R, std::int64_t C, std::int64_t T, std::int64_t k,
                                std::int64_t cols);

// The cheaper orientation of an m × n output with reduction k: stream the m
// rows against n columns of weights, or the transpose (a compiler's choice).
SystolicFolds best_orientation(std::int64_t R, std::int64_t C, std::int64_t m, std::int64_t k,
                               std::int64_t n);

} // namespace abh
