#include "app/ui/panels/slicing_panel.hpp"

#include <imgui.h>

#include "app/ui/theme.hpp"
#include "core/cell_explain.hpp"
#include "core/number_format.hpp"

namespace abh {

void SlicingPanel::draw(PanelContext& ctx, const PipelineLayout& layout, ImVec2 fit_extent) {
  const Shape shape = multi_ ? ctx.state.shape : single_head_of(ctx.state.shape);
  // The memory this panel's matrices take, against the budget that decides
  // whether they are materialised at all.
  std::string memory;
  try {
    memory = bytes_text(static_cast<double>(trace_bytes(shape)));
  } catch (const ShapeError&) {
    memory = "too many bytes to count";
  }
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()), "%s   Wqkv %lld×%lld",
                     describe(shape).c_str(), static_cast<long long>(shape.wqkv_rows()),
                     static_cast<long long>(shape.d_model));
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()),
                     "matrices %s (budget for both panels: %s)", memory.c_str(),
                     bytes_text(static_cast<double>(ctx.state.view.memory_budget)).c_str());
  if (!ctx.snapshot || !ctx.snapshot->multi) {
    canvas_.forget_drawn();
    if (ctx.snapshot && !ctx.snapshot->hidden_reason.empty()) {
      ImGui::TextWrapped("Matrices hidden: %s.", ctx.snapshot->hidden_reason.c_str());
    } else {
      ImGui::TextUnformatted("computing…");
    }
    return;
  }
  canvas_.show_values = ctx.state.view.show_values;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const CanvasHover hover = canvas_.draw(multi_ ? "##heads_canvas" : "##single_canvas", layout,
                                         ctx.view, fit_extent, avail, ctx.renderer, ctx.textures);
  if (hover.matrix && !ctx.exporting) {
    ImGui::BeginTooltip();
    for (const std::string& line : explain_cell(*hover.matrix->trace, *hover.matrix->display->source,
                                                hover.row, hover.col))
      ImGui::TextUnformatted(line.c_str());
    ImGui::TextDisabled("wheel: zoom · drag: pan · double-click: fit");
    ImGui::EndTooltip();
  }
}

} // namespace abh
