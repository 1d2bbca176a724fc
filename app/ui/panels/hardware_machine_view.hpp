#pragma once
// Draws one machine of the hardware panel at a moment of its schedule: its
// units lit by the compute events running then, the tiles of the current
// stage, and its memory levels glowing while bytes cross them. Reads a
// Schedule from core; holds nothing.

#include <imgui.h>

#include "core/hardware/schedule.hpp"

namespace abh {

// One colour per stage, the same in every machine's bar, units and tiles.
ImU32 stage_colour(Stage stage, float alpha = 1.0f);

struct MachineView {
  const Schedule& schedule;
  double now; // model seconds at the playhead
};

// Units of one chip as a grid; a TPU's MXUs as systolic grids with the
// diagonal wave of a fold.
void draw_units(ImDrawList* list, const MachineView& m, ImVec2 min, ImVec2 max);
// The tiles of the stage running now, lit in the order the machine computes them.
void draw_tiles(ImDrawList* list, const MachineView& m, ImVec2 min, float size);
// Memory levels, innermost first.
void draw_memory(ImDrawList* list, const MachineView& m, ImVec2 min, ImVec2 max);

} // namespace abh
