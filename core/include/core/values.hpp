#pragma once
// The input values of a trace: X, Wqkv and Wo, deterministic from a seed.
// Each element is a hash of (seed, matrix, part, row, column), so values do
// not depend on the rest of the shape: more tokens add columns of X, and
// changing heads at a fixed H·dh keeps exactly the same weights.

#include <cstdint>
#include <string_view>

#include <Eigen/Core>

#include "core/shape.hpp"

namespace abh {

enum class ValueMode {
  small_integers, // X, Wqkv, Wo from {-3, …, 3}: one dot product checks by hand
  gaussian,       // X ~ N(0,1); weights ~ N(0,1)/√fan-in, as real initialisations
};
std::string_view value_mode_key(ValueMode mode); // "small_integers" | "gaussian"

struct Inputs {
  Eigen::MatrixXf X;           // d × n
  Eigen::MatrixXf Wqkv_blocks; // (da + 2·Hkv·dh) × d, rows in [Q; K; V] order
  Eigen::MatrixXf Wo;          // d × da
};

Inputs make_inputs(const Shape& shape, ValueMode mode, std::uint64_t seed);

} // namespace abh
