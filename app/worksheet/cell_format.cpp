#include "app/worksheet/cell_format.hpp"

#include <cmath>

#include <fmt/format.h>

namespace abh {

int cell_decimals(const std::string& name, const Eigen::MatrixXf& values) {
  const bool attention = name == "A" || name.rfind("A_", 0) == 0;
  const bool whole = (values.array() == values.array().round()).all();
  return attention || !whole ? worksheet_decimals : 0;
}

std::string cell_text(float value, int decimals) {
  std::string text = fmt::format("{:.{}f}", static_cast<double>(value), decimals);
  if (text.front() != '-') return text;
  if (text.find_first_not_of("-0.") == std::string::npos) return text.substr(1); // "-0.00"
  return "\u2212" + text.substr(1);
}

} // namespace abh
