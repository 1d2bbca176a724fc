#pragma once
// How a worksheet writes a number in a cell: attention weights (A) with two
// decimals; a matrix whose values are all whole numbers as integers; any
// other matrix with two decimals. Negative numbers take a real minus sign
// (U+2212); a value that rounds to zero is written without one.

#include <string>

#include <Eigen/Core>

namespace abh {

inline constexpr int worksheet_decimals = 2;

// Decimals for every cell of the matrix named `name` ("A_2", "QKV").
int cell_decimals(const std::string& name, const Eigen::MatrixXf& values);

// "−3", "0.25", "−0.07".
std::string cell_text(float value, int decimals);

} // namespace abh
