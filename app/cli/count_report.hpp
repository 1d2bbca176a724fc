#pragma once
// The --report output: single-head vs multi-head counts, as a table or JSON.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/counts.hpp"
#include "core/shape.hpp"

namespace abh {

// `stages`: the stages listed under "stages" (an MLA program has its own).
nlohmann::json counts_json(const Counts& counts,
                           const std::vector<Stage>& stages = {all_stages.begin(), all_stages.end()});
// {"shape", "single", "multi"} as documented in README.md; `model` (the
// figures of model_figures_json and the layer kind chosen) adds "model".
nlohmann::json count_report_json(const Shape& shape, const nlohmann::json& model = nullptr);
// A table for people: per stage, single vs multi, with which totals grow with H;
// `model_lines` (one per line) are printed under the heading.
std::string count_report_text(const Shape& shape, const std::string& model_lines = "");

} // namespace abh
