#pragma once
// What the hardware panel adds for a student: the panel's words with their
// definitions on hover, and, where every machine only pays start-up costs, a
// hint with one-click real layers. Texts and shapes come from core
// (core/hardware/bound_reason.hpp, core/hardware/real_layers.hpp).

#include <string>
#include <vector>

#include "app/ui/panels/panel_context.hpp"
#include "core/hardware/schedule.hpp"

namespace abh {

// Shows `text` as the tooltip of the last item when it is hovered (never
// while exporting) and tells a test driver it did.
void item_tooltip(PanelContext& ctx, const std::string& text);

// "Words: tile · use · bound · overhead", each word with its definition on hover.
void glossary_line(PanelContext& ctx);

// When every schedule is overhead-bound: a visible line saying so and one
// button per real layer, which sets the shape (an ordinary, undoable edit).
void real_layer_hint(PanelContext& ctx, const std::vector<Schedule>& schedules);

} // namespace abh
