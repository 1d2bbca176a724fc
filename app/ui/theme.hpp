#pragma once
// Colours and sizes: one colour per head everywhere (q, k, v are three shades
// of it), dark and light themes, sizes in font units.

#include <cstdint>

#include <imgui.h>

#include "app/io/app_state.hpp"
#include "core/wqkv_layout.hpp"

namespace abh {

// The colour of a head; part picks the shade (q darkest, v lightest).
ImU32 head_colour(std::int64_t head, Part part = Part::q, float alpha = 1.0f);

// Applies the theme to the current ImGui style at `scale` × the base sizes.
void apply_theme(Theme theme, float scale);

// The UI sizes (font pixels) at which every control stays reachable in a
// window of the default size; settings outside are clamped.
inline constexpr float min_ui_size = 12.0f, max_ui_size = 28.0f;

// `x` font heights in pixels: layouts in em scale with the UI size.
inline float em(float x) { return x * ImGui::GetFontSize(); }

// Colours that must read on both themes.
ImU32 text_colour();
ImU32 muted_colour();
ImU32 grows_colour();  // a count that grows with H
ImU32 same_colour();   // a count that stays the same
ImU32 error_colour();
ImU32 mark_output_colour(); // the cell the stepper or the pointer is on
ImU32 mark_source_colour(); // the rows and columns it reads

} // namespace abh
