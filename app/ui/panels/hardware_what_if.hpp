#pragma once
// The hardware panel's what-if row: [prefill | decode step] and
// [MHA | GQA | MQA] change the shape the machines run, never the main shape
// (core/hardware/what_if.hpp). Both follow the main shape until clicked; the
// state file keeps the choice (HardwareOptions::what_if_*).

#include <optional>

#include "app/ui/panels/panel_context.hpp"
#include "core/hardware/hardware_spec.hpp"
#include "core/shape.hpp"

namespace abh {

// The shape the machines run: the main shape with the state's what-if
// applied, or nothing when it does not apply (GQA at H = 3).
std::optional<Shape> what_if_of(const AppState& state);

// Draws the row and a line saying what the machines run (`what_if`, or the
// main shape when it is empty, saying why) and how many bytes of K and V
// cache that reads at `dtype`.
void what_if_row(PanelContext& ctx, const std::optional<Shape>& what_if, Dtype dtype);

} // namespace abh
