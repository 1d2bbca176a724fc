#include "core/hardware/systolic.hpp"

#include <algorithm>

#include "core/checked_int.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

SystolicFolds weight_stationary(std::int64_t R, std::int64_t C, std::int64_t T, std::int64_t k,
                                std::int64_t cols) {
  return {checked_mul(ceil_div(k, R), ceil_div(cols, C)),
          checked_sub(checked_add(checked_add(checked_mul(2, R), C), T), 2), 0};
}

SystolicFolds weight_stationary_buffered(std::int64_t R, std::int64_t C, std::int64_t T, std::int64_t k,
                                         std::int64_t cols) {
  return {checked_mul(ceil_div(k, R), ceil_div(cols, C)), std::max(R, T), checked_sub(checked_add(R, C), 2)};
}

SystolicFolds best_orientation(std::int64_t R, std::int64_t C, std::int64_t m, std::int64_t k,
                               std::int64_t n, bool double_buffered) {
  const auto fold = double_buffered ? weight_stationary_buffered : weight_stationary;
  const SystolicFolds a = fold(R, C, m, k, n);
  const SystolicFolds b = fold(R, C, n, k, m);
  return b.cycles() < a.cycles() ? b : a;
}

} // namespace abh
