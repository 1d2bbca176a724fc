#include "app/ui/panels/slicing_panel.hpp"

#include <optional>

#include <imgui.h>

#include "app/ui/theme.hpp"
#include "core/cell_explain.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// The shape this panel draws: from the snapshot on screen, so a header never
// describes matrices that are still being computed.
std::optional<Shape> drawn_shape(const PanelContext& ctx, bool multi) {
  if (!ctx.snapshot) return std::nullopt;
  return multi ? ctx.snapshot->key.shape : single_head_of(ctx.snapshot->key.shape);
}

} // namespace

std::string SlicingPanel::title(const PanelContext& ctx) const {
  const std::string id = std::string("###") + name();
  if (!multi_) return "One head" + id;
  if (!ctx.snapshot) return "Heads" + id;
  const Shape& s = ctx.snapshot->key.shape;
  const std::string heads = std::to_string(s.heads) + (s.heads == 1 ? " head" : " heads");
  if (s.kv_heads == s.heads) return heads + " (same Wqkv)" + id;
  const std::int64_t group = s.queries_per_kv_head();
  return heads + ", " + std::to_string(s.kv_heads) + " kv (Wqkv shrinks: " +
         std::to_string(group) + " query heads share one k and v)" + id;
}

void SlicingPanel::draw(PanelContext& ctx) {
  const std::optional<Shape> shape = drawn_shape(ctx, multi_);
  if (shape) {
    std::string memory;
    try {
      memory = bytes_text(static_cast<double>(trace_bytes(*shape)));
    } catch (const ShapeError&) {
      memory = "too many bytes to count";
    }
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()), "%s   Wqkv %lld×%lld",
                       describe(*shape).c_str(), static_cast<long long>(shape->wqkv_rows()),
                       static_cast<long long>(shape->d_model));
    if (!ctx.exporting)
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()),
                         "matrices %s (budget for both panels: %s)", memory.c_str(),
                         bytes_text(static_cast<double>(ctx.state.view.memory_budget)).c_str());
  }
  if (ctx.session.computing() && !ctx.exporting) {
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(muted_colour()), "  computing the new shape…");
  }
  if (!ctx.snapshot || !ctx.snapshot->multi) {
    canvas_.forget_drawn();
    if (ctx.snapshot && !ctx.snapshot->hidden_reason.empty())
      ImGui::TextWrapped("Matrices hidden: %s.", ctx.snapshot->hidden_reason.c_str());
    else
      ImGui::TextUnformatted("computing…");
    return;
  }
  canvas_.show_values = ctx.state.view.show_values;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  layouts_->update(ctx.snapshot, avail);
  const PipelineLayout& layout = multi_ ? layouts_->multi() : layouts_->single();
  // Each panel fits its own matrices: the one-head panel keeps its size when
  // only the heads change.
  const CanvasHover hover = canvas_.draw(multi_ ? "##heads_canvas" : "##single_canvas", layout,
                                         ctx.view, ImVec2(layout.width, layout.height), avail,
                                         ctx.renderer, ctx.textures);
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
