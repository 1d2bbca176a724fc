#pragma once
// The UI font: DejaVu Sans, shipped in assets/fonts/ (data_files.hpp finds
// it), with the symbols the counts and titles use (· × √ ᵀ ² − … ▲ ▼ →).

#include <imgui.h>

namespace abh {

// Latin plus those symbols' blocks, for ImFontAtlas::AddFontFromFileTTF.
const ImWchar* ui_glyph_ranges();

// Rebuilds ImGui's font atlas at a pixel size. Call between frames. Returns
// false if the TTF could not be loaded; then ImGui's built-in font is used
// and stderr has said so in one line (symbols would show as boxes).
bool rebuild_font_atlas(float pixel_size);

} // namespace abh
