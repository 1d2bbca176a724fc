#pragma once
// One machine's roofline chart, log-log: its roof (memory slope up to the
// ridge, then the matrix peak; the vector peak dashed) and one dot per stage
// at its arithmetic intensity and achieved ops/s, in the stage colours. The
// figures come from core (core/hardware/bound_reason.hpp); this only draws.

#include <string>
#include <vector>

#include <imgui.h>

#include "core/hardware/bound_reason.hpp"

namespace abh {

struct RooflineChart {
  const Roof& roof;
  const std::vector<RooflinePoint>& points;
  bool hover = true; // = true // tooltips on the chart and its dots (off while exporting)
};

// Draws the chart in [min, max) of the current window and reserves that space.
// Returns the stage under the pointer's tooltip text, "" when none.
std::string draw_roofline(const RooflineChart& chart, const char* id, ImVec2 size);

} // namespace abh
