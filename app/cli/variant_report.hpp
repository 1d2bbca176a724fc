#pragma once
// The report's comparison of MHA, GQA, MQA and MLA at the shape's width
// (core/variant_comparison.hpp), as JSON and as a short table.

#include <string>

#include <nlohmann/json.hpp>

#include "core/shape.hpp"
#include "core/variant_comparison.hpp"

namespace abh {

// A per-token figure: "18,432" when whole, else to one decimal ("18,433.5");
// compact from 10⁹ ("1.5×10⁹").
std::string per_token_text(double value);

// Adds "variant_comparison": [{"name", "kv_heads", "current", "detail",
// "kv_cache_bytes_per_token": {"fp32", "bf16", "int8"}, "multiplies_per_token",
// "score_dot_products", "score_memory", "attention_params"}] (MHA, GQA, MQA,
// MLA) and, when a variant is missing or the comparison is refused (a variant
// of a valid shape can overflow), "variant_comparison_notes": one line each.
void add_variant_comparison(nlohmann::json& report, const Shape& shape);

// The table under the counts: one row per variant, the current one marked.
std::string variant_comparison_text(const Shape& shape);

} // namespace abh
