#pragma once
// The --report output: single-head vs multi-head counts, as a table or JSON.

#include <string>

#include <nlohmann/json.hpp>

#include "core/counts.hpp"
#include "core/shape.hpp"

namespace abh {

nlohmann::json counts_json(const Counts& counts);
// {"shape", "single", "multi"} as documented in README.md.
nlohmann::json count_report_json(const Shape& shape);
// A table for people: per stage, single vs multi, with which totals grow with H.
std::string count_report_text(const Shape& shape);

} // namespace abh
