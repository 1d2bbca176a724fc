#pragma once
// The heatmap colormaps, as 256-entry tables. The fragment shader samples the
// same table as a texture, so C++ (tests, legends) and GPU agree exactly.

#include <array>
#include <cstdint>

namespace abh {

struct Rgba8 {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
  bool operator==(const Rgba8&) const = default;
};

enum class Colormap {
  diverging,  // signed values: blue (negative), white (0), red (positive)
  sequential, // probabilities 0…1: dark to bright (viridis-like)
};

using ColormapTable = std::array<Rgba8, 256>;
const ColormapTable& colormap_table(Colormap map);

// Position of `value` in the table for a range [lo, hi], clamped to 0…1.
float colormap_position(float value, float lo, float hi);
// The table entry the shader shows for `value` (nearest entry).
Rgba8 colormap_color(Colormap map, float value, float lo, float hi);

} // namespace abh
