#pragma once
// Rebuilds ImGui's font atlas at a pixel size: DejaVu Sans when installed
// (fonts-dejavu-core), else ImGui's built-in font. Call between frames.

namespace abh {

// Returns false if the TTF could not be loaded (the built-in font is used).
bool rebuild_font_atlas(float pixel_size);

} // namespace abh
