#include "app/ui/panels/hardware_roofline.hpp"

#include <algorithm>
#include <cmath>

#include "app/ui/panels/hardware_machine_view.hpp"
#include "app/ui/theme.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// A log10 axis over whole decades.
struct LogAxis {
  double lo = 0, hi = 1; // decades
  float a = 0, b = 1;    // pixels of lo and hi
  float at(double v) const {
    const double t = (std::log10(std::max(v, 1e-300)) - lo) / std::max(1e-9, hi - lo);
    return a + static_cast<float>(t) * (b - a);
  }
};

// "10⁻²", "10³"
std::string decade_text(int decade) {
  static const char* const digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out = decade < 0 ? "10⁻" : "10";
  for (char c : std::to_string(std::abs(decade))) out += digits[c - '0'];
  return out;
}

} // namespace

std::string draw_roofline(const RooflineChart& c, const char* id, ImVec2 size) {
  const Roof& roof = c.roof;
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 min = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  const bool hovered = c.hover && ImGui::IsItemHovered();
  const ImVec2 max(min.x + size.x, min.y + size.y);
  const float font = ImGui::GetFontSize();

  // Extent: the ridge and every dot, with a decade of margin.
  double x_lo = roof.ridge() > 0 ? roof.ridge() : 1, x_hi = x_lo;
  double y_hi = std::max(roof.matrix_flops, roof.vector_flops), y_lo = y_hi;
  for (const RooflinePoint& p : c.points) {
    if (p.intensity <= 0 || p.achieved <= 0) continue;
    x_lo = std::min(x_lo, p.intensity);
    x_hi = std::max(x_hi, p.intensity);
    y_lo = std::min(y_lo, p.achieved);
  }
  if (roof.bandwidth > 0) y_lo = std::min(y_lo, roof.bandwidth * x_lo);
  if (y_hi <= 0) return "";
  // The plot leaves a line of text above and below for its labels.
  const ImVec2 p0(min.x + 1, min.y + font * 1.1f), p1(max.x - 1, max.y - font * 1.1f);
  LogAxis x{std::floor(std::log10(x_lo)) - 1, std::ceil(std::log10(x_hi)) + 1, p0.x, p1.x};
  LogAxis y{std::floor(std::log10(y_lo) - 0.15), std::ceil(std::log10(y_hi * 1.01)), p1.y, p0.y};

  list->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_FrameBg));
  list->PushClipRect(p0, p1, true);
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border, 0.5f);
  for (double d = x.lo + 1; d < x.hi; ++d) list->AddLine(ImVec2(x.at(std::pow(10, d)), p0.y), ImVec2(x.at(std::pow(10, d)), p1.y), grid);
  for (double d = y.lo + 1; d < y.hi; ++d) list->AddLine(ImVec2(p0.x, y.at(std::pow(10, d))), ImVec2(p1.x, y.at(std::pow(10, d))), grid);

  // The roof: bandwidth × intensity up to the ridge, then the matrix peak.
  const ImU32 roof_colour = text_colour();
  const double x_left = std::pow(10, x.lo), x_right = std::pow(10, x.hi);
  if (roof.bandwidth > 0 && roof.matrix_flops > 0) {
    const double ridge = roof.ridge();
    list->AddLine(ImVec2(x.at(x_left), y.at(roof.bandwidth * x_left)), ImVec2(x.at(ridge), y.at(roof.matrix_flops)), roof_colour, 2);
    list->AddLine(ImVec2(x.at(ridge), y.at(roof.matrix_flops)), ImVec2(x.at(x_right), y.at(roof.matrix_flops)), roof_colour, 2);
  }
  if (roof.vector_flops > 0 && roof.vector_flops < roof.matrix_flops) { // dashed: element-wise ceiling
    const float vy = y.at(roof.vector_flops);
    for (float px = p0.x; px < p1.x; px += font * 0.6f)
      list->AddLine(ImVec2(px, vy), ImVec2(std::min(p1.x, px + font * 0.3f), vy), muted_colour(), 1.5f);
  }

  // One dot per stage; nearest to the pointer gets the tooltip.
  const float r = font * 0.32f;
  std::string tip;
  float nearest = r * 2.5f;
  for (const RooflinePoint& p : c.points) {
    if (p.intensity <= 0 || p.achieved <= 0) continue;
    const ImVec2 at(x.at(p.intensity), y.at(p.achieved));
    list->AddCircleFilled(at, r, stage_colour(p.stage));
    list->AddCircle(at, r, ImGui::GetColorU32(ImGuiCol_WindowBg), 0, 1.0f);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const float dist = std::hypot(mouse.x - at.x, mouse.y - at.y);
    if (hovered && dist < nearest) {
      nearest = dist;
      tip = std::string(stage_key(p.stage)) + ": " + value_text(p.intensity) + " ops per byte, " +
            rate_text(p.achieved, "op") + " achieved (" + std::string(bound_key(p.bound)) + "-bound)";
    }
  }
  list->PopClipRect();

  // Labels: the peak above the plot, the axis ends below it.
  const std::string peak = "peak " + rate_text(roof.matrix_flops, "op");
  list->AddText(ImVec2(p0.x, min.y), muted_colour(), peak.c_str());
  const std::string left = decade_text(static_cast<int>(x.lo)), right = decade_text(static_cast<int>(x.hi)) + " ops/B";
  list->AddText(ImVec2(p0.x, p1.y + 1), muted_colour(), left.c_str());
  list->AddText(ImVec2(p1.x - ImGui::CalcTextSize(right.c_str()).x, p1.y + 1), muted_colour(), right.c_str());

  if (hovered) {
    if (tip.empty())
      tip = "Roofline: x is ops per byte of " + roof.memory + " (arithmetic intensity), y the ops/s a stage "
            "achieves, both log scales. The roof is " + rate_text(roof.bandwidth, "B") + " × intensity up to "
            "the ridge at " + value_text(roof.ridge()) + " ops/B, then the peak " + rate_text(roof.matrix_flops, "op") +
            "; dashed: the element-wise peak " + rate_text(roof.vector_flops, "op") + ". A dot under the "
            "slope waits for memory, under the flat part for compute, far below both for overhead.";
    ImGui::SetTooltip("%s", tip.c_str());
  }
  return hovered ? tip : "";
}

} // namespace abh
