#include "app/session/colormap.hpp"

#include <algorithm>
#include <cmath>

namespace abh {

namespace {

struct Stop {
  float at;
  float r, g, b;
};

template <std::size_t N>
ColormapTable build(const std::array<Stop, N>& stops) {
  ColormapTable table{};
  for (std::size_t i = 0; i < table.size(); ++i) {
    const float t = static_cast<float>(i) / 255.0f;
    std::size_t k = 1;
    while (k < N - 1 && stops[k].at < t) ++k;
    const Stop& a = stops[k - 1];
    const Stop& b = stops[k];
    const float f = std::clamp((t - a.at) / (b.at - a.at), 0.0f, 1.0f);
    auto channel = [f](float x, float y) {
      return static_cast<std::uint8_t>(std::lround(255.0f * (x + (y - x) * f)));
    };
    table[i] = {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b), 255};
  }
  return table;
}

} // namespace

const ColormapTable& colormap_table(Colormap map) {
  // ColorBrewer RdBu (reversed: blue low, red high) and viridis, 5 stops each.
  static const ColormapTable diverging = build(std::array<Stop, 5>{{
      {0.00f, 0.020f, 0.188f, 0.380f},
      {0.25f, 0.263f, 0.576f, 0.765f},
      {0.50f, 0.969f, 0.969f, 0.969f},
      {0.75f, 0.839f, 0.376f, 0.302f},
      {1.00f, 0.404f, 0.000f, 0.122f},
  }});
  static const ColormapTable sequential = build(std::array<Stop, 5>{{
      {0.00f, 0.267f, 0.005f, 0.329f},
      {0.25f, 0.231f, 0.322f, 0.545f},
      {0.50f, 0.129f, 0.569f, 0.549f},
      {0.75f, 0.369f, 0.788f, 0.384f},
      {1.00f, 0.993f, 0.906f, 0.144f},
  }});
  return map == Colormap::diverging ? diverging : sequential;
}

float colormap_position(float value, float lo, float hi) {
  if (!(hi > lo)) return 0.5f;
  return std::clamp((value - lo) / (hi - lo), 0.0f, 1.0f);
}

Rgba8 colormap_color(Colormap map, float value, float lo, float hi) {
  const auto index = static_cast<std::size_t>(std::lround(colormap_position(value, lo, hi) * 255.0f));
  return colormap_table(map)[index];
}

} // namespace abh
