#include "app/ui/theme.hpp"

#include <cmath>

namespace abh {

ImU32 head_colour(std::int64_t head, Part part, float alpha) {
  // Hues spread by the golden angle so neighbouring heads never look alike.
  const float hue = std::fmod(0.58f + 0.381966f * static_cast<float>(head), 1.0f);
  const float value = part == Part::q ? 0.70f : part == Part::k ? 0.85f : 1.0f;
  const float saturation = part == Part::q ? 0.85f : part == Part::k ? 0.60f : 0.38f;
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(hue, saturation, value, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, alpha));
}

namespace {
bool is_light() { return ImGui::GetStyle().Colors[ImGuiCol_WindowBg].x > 0.5f; }
} // namespace

void apply_theme(Theme theme, float scale) {
  ImGuiStyle style;
  if (theme == Theme::dark) ImGui::StyleColorsDark(&style);
  else ImGui::StyleColorsLight(&style);
  style.WindowRounding = 4;
  style.FrameRounding = 3;
  style.GrabRounding = 3;
  style.WindowBorderSize = 1;
  // Opaque panels: nothing shows through, and a software rasteriser (Mesa's
  // llvmpipe under Xvfb) blends less.
  style.Colors[ImGuiCol_WindowBg].w = 1.0f;
  style.Colors[ImGuiCol_ChildBg].w = 0.0f;
  style.ScaleAllSizes(scale);
  ImGui::GetStyle() = style;
}

ImU32 text_colour() { return ImGui::GetColorU32(ImGuiCol_Text); }
ImU32 muted_colour() { return ImGui::GetColorU32(ImGuiCol_TextDisabled); }
ImU32 grows_colour() { return is_light() ? IM_COL32(200, 90, 0, 255) : IM_COL32(255, 160, 60, 255); }
ImU32 same_colour() { return is_light() ? IM_COL32(20, 130, 60, 255) : IM_COL32(110, 220, 140, 255); }
ImU32 error_colour() { return is_light() ? IM_COL32(190, 20, 20, 255) : IM_COL32(255, 110, 110, 255); }
// Outside the heatmaps' colours (blue–white–red, dark purple–yellow).
ImU32 mark_output_colour() { return IM_COL32(0, 200, 90, 255); }
ImU32 mark_source_colour() { return IM_COL32(255, 170, 0, 255); }

} // namespace abh
