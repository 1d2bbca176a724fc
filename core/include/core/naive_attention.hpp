#pragma once
// A plain-loop reference of the whole attention, in double, that counts each
// scalar operation it actually performs. Tests compare its values with the
// Eigen trace and its counts with the closed formulas of counts.hpp.
//
// Every variant of the shape runs here, stage by stage as program_stages
// lists them: the queries are the last n_q of n tokens (the K and V of the
// earlier tokens, and their projection, belong to earlier steps and are not
// counted); masks (causal, window) skip the pairs a query does not see; each
// of the B sequences is computed (they share the inputs: counts do not depend
// on values), and the matrices kept are sequence 0's; MLA runs its naive or
// absorbed stages.

#include <array>
#include <cstdint>
#include <vector>

#include "core/counts.hpp"
#include "core/shape.hpp"
#include "core/values.hpp"

namespace abh {

struct NaiveAttention {
  using Matrix = std::vector<std::vector<double>>; // [row][col]
  Matrix QKV;                  // H·dh + Hkv·(dh+dv) rows in [Q; K; V] block order, n columns
                               // (MLA: the per-head q, k, v it attends with)
  std::vector<Matrix> S, A, Z; // per head: S, A n × n_q; Z dv × n_q
  Matrix O;                    // d × n_q
  std::array<StageCounts, stage_count> performed{}; // operations executed, per Stage
  std::int64_t softmax_max_subtracts = 0; // stability shifts, outside DESIGN's table
};

NaiveAttention naive_attention(const Shape& shape, const Inputs& inputs);

} // namespace abh
