#include "app/ui/panels/hardware_teaching.hpp"

#include <imgui.h>

#include "app/ui/theme.hpp"
#include "core/hardware/bound_reason.hpp"
#include "core/hardware/real_layers.hpp"

namespace abh {

void item_tooltip(PanelContext& ctx, const std::string& text) {
  if (ctx.exporting || text.empty() || !ImGui::IsItemHovered()) return;
  ImGui::SetTooltip("%s", text.c_str());
  if (ctx.probe) ctx.probe->tooltips.push_back(text);
}

void glossary_line(PanelContext& ctx) {
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize("Words (hover): tile use bound overhead").x + em(2))
    ImGui::NewLine();
  ImGui::TextDisabled("Words (hover):");
  const std::pair<const char*, const char*> words[] = {
      {"tile", tile_definition}, {"use", use_definition}, {"bound", bound_definition}, {"overhead", overhead_definition}};
  for (const auto& [word, definition] : words) {
    ImGui::SameLine();
    ImGui::TextUnformatted(word);
    // A dotted underline marks a word with a definition.
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    for (float x = a.x; x < b.x; x += 4) ImGui::GetWindowDrawList()->AddLine(ImVec2(x, b.y), ImVec2(x + 2, b.y), muted_colour());
    record_item(ctx, std::string("word ") + word);
    item_tooltip(ctx, definition);
  }
}

void real_layer_hint(PanelContext& ctx, const std::vector<Schedule>& schedules) {
  if (!all_overhead_bound(schedules)) return;
  ImGui::PushStyleColor(ImGuiCol_Text, grows_colour());
  ImGui::TextWrapped("Every machine here spends its time starting work, not doing it: this shape is "
                     "too small to tell them apart. Try a real layer:");
  ImGui::PopStyleColor();
  for (const RealLayer& layer : real_layers()) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(layer.label.c_str()).x + em(1.5f)) ImGui::NewLine();
    if (ImGui::Button(layer.label.c_str())) {
      ctx.state.shape = layer.shape;
      if (layer.dtype) ctx.state.hardware.dtype = std::string(dtype_key(*layer.dtype));
      if (layer.fused) ctx.state.hardware.fused = true;
    }
    record_item(ctx, "real layer " + layer.key);
    item_tooltip(ctx, describe(layer.shape) + " (undo returns here)");
  }
}

} // namespace abh
