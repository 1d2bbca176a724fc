#include "app/io/trace_json.hpp"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

#include "core/checked_int.hpp"
#include "core/number_format.hpp"

namespace abh {

std::int64_t trace_json_elements(const Shape& shape) {
  const auto floats = static_cast<std::int64_t>(sizeof(float));
  return checked_add(trace_bytes(shape) / floats, trace_bytes(single_head_of(shape)) / floats);
}

void check_trace_json_size(const Shape& shape) {
  const std::int64_t elements = trace_json_elements(shape);
  if (elements > trace_json_element_limit)
    throw ShapeError("shape too large for --trace: its matrices hold " + with_separators(elements) +
                     " elements, over the " + with_separators(trace_json_element_limit) +
                     " limit");
}

namespace {

nlohmann::json value_json(float v) {
  if (std::isfinite(v) && v == std::round(v) && std::fabs(v) < 16777216.0f)
    return static_cast<std::int64_t>(v);
  // fmt writes the shortest text that reads back as this float; as a double
  // that text prints the same again.
  return std::strtod(fmt::format("{}", v).c_str(), nullptr);
}

nlohmann::json matrix_json(const NamedMatrix& m, const char* panel) {
  nlohmann::json values = nlohmann::json::array();
  for (Eigen::Index r = 0; r < m.values.rows(); ++r)
    for (Eigen::Index c = 0; c < m.values.cols(); ++c) values.push_back(value_json(m.values(r, c)));
  return {{"panel", panel},
          {"name", m.name},
          {"rows", m.values.rows()},
          {"cols", m.values.cols()},
          {"values", std::move(values)}};
}

} // namespace

void append_trace_matrices(nlohmann::json& matrices, const AttentionTrace& t, const char* panel) {
  for (const NamedMatrix* m : {&t.X, &t.Wqkv, &t.QKV}) matrices.push_back(matrix_json(*m, panel));
  for (const HeadTrace& head : t.heads)
    for (const NamedMatrix* m : {&head.S, &head.A, &head.Z}) matrices.push_back(matrix_json(*m, panel));
  for (const NamedMatrix* m : {&t.Z, &t.Wo, &t.O}) matrices.push_back(matrix_json(*m, panel));
}

nlohmann::json trace_json(const AttentionTrace& one_head, const AttentionTrace& heads) {
  nlohmann::json matrices = nlohmann::json::array();
  append_trace_matrices(matrices, one_head, "one-head");
  append_trace_matrices(matrices, heads, "heads");
  return {{"matrices", std::move(matrices)}};
}

} // namespace abh
