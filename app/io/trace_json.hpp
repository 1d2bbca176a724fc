#pragma once
// Every matrix of both computations as JSON, for scripts and for checking a
// worksheet: {"matrices": [{"panel", "name", "rows", "cols", "values"}]}.
// "panel" is "one-head" (the single-head comparison shape, the same inputs)
// or "heads" (the chosen shape); "values" are row-major. Integral values are
// written as JSON integers, others with the shortest text that reads back as
// the same float.

#include <cstdint>

#include <nlohmann/json.hpp>

#include "core/trace.hpp"

namespace abh {

// Elements both traces may hold together before --trace refuses the shape.
inline constexpr std::int64_t trace_json_element_limit = 1'000'000;

// Elements of the one-head and the multi-head trace of `shape` together.
// Throws ShapeError on overflow.
std::int64_t trace_json_elements(const Shape& shape);

// Throws ShapeError with one line when the shape is over the limit.
void check_trace_json_size(const Shape& shape);

// The matrices of one trace in screen order (X, Wqkv, QKV, S_h, A_h, Z_h per
// head, Z, Wo, O), each tagged with `panel`.
void append_trace_matrices(nlohmann::json& matrices, const AttentionTrace& trace,
                           const char* panel);

// Both computations: the one-head panel first, then the heads panel.
nlohmann::json trace_json(const AttentionTrace& one_head, const AttentionTrace& heads);

} // namespace abh
