#pragma once
// A plain-loop reference of the whole attention, in double, that counts each
// scalar operation it actually performs. Tests compare its values with the
// Eigen trace and its counts with the closed formulas of counts.hpp.

#include <array>
#include <cstdint>
#include <vector>

#include "core/counts.hpp"
#include "core/shape.hpp"
#include "core/values.hpp"

namespace abh {

struct NaiveAttention {
  using Matrix = std::vector<std::vector<double>>; // [row][col]
  Matrix QKV;                  // rows in [Q; K; V] block order
  std::vector<Matrix> S, A, Z; // per head
  Matrix O;
  std::array<StageCounts, stage_count> performed{}; // operations executed, per Stage
  std::int64_t softmax_max_subtracts = 0; // stability shifts, outside DESIGN's table
};

NaiveAttention naive_attention(const Shape& shape, const Inputs& inputs);

} // namespace abh
