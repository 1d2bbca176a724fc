#pragma once
// Core values as JSON: the one spelling of a shape that the reports, state
// files and export sidecars share.

#include <nlohmann/json.hpp>

#include "core/shape.hpp"

namespace abh {

nlohmann::json shape_json(const Shape& shape);

} // namespace abh
