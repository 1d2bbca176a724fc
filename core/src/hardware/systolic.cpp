#include "core/hardware/systolic.hpp"

#include "core/checked_int.hpp"
#include "core/hardware/tiling.hpp"

namespace abh {

SystolicFolds weight_stationary(std::int64_t R, std::int64_t C, std::int64_t T, std::int64_t k,
                                std::int64_t cols) {
  return {checked_mul(ceil_div(k, R), ceil_div(cols, C)),
          checked_sub(checked_add(checked_add(checked_mul(2, R), C), T), 2)};
}

SystolicFolds best_orientation(std::int64_t R, std::int64_t C, std::int64_t m, std::int64_t k,
                               std::int64_t n) {
  const SystolicFolds a = weight_stationary(R, C, m, k, n);
  const SystolicFolds b = weight_stationary(R, C, n, k, m);
  return b.cycles() < a.cycles() ? b : a;
}

} // namespace abh
