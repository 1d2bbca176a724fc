#include "app/ui/panels/slicing_panel.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include <imgui.h>

#include "app/ui/theme.hpp"
#include "core/cell_explain.hpp"
#include "core/cell_mapping.hpp"
#include "core/drawn_facts.hpp"
#include "core/mla_trace.hpp"
#include "core/number_format.hpp"

namespace abh {

namespace {

// The shape this panel draws: from the snapshot on screen, so a header never
// describes matrices that are still being computed.
std::optional<Shape> drawn_shape(const PanelContext& ctx, bool multi) {
  if (!ctx.snapshot) return std::nullopt;
  return multi ? ctx.snapshot->key.shape : single_head_of(ctx.snapshot->single_key.shape);
}

// Outlines a cell and the rows and columns it was computed from.
void mark_derivation(std::vector<CanvasMark>& marks, const NamedMatrix* output, std::int64_t row,
                     std::int64_t col, const CellDerivation& d) {
  if (output) marks.push_back({output, row, col, 1, 1, true});
  for (const CellSource& s : d.sources) {
    if (s.is_row) marks.push_back({s.matrix, s.index, s.first, 1, s.count, false});
    else marks.push_back({s.matrix, s.first, s.index, s.count, 1, false});
  }
}

ImVec4 muted() { return ImGui::ColorConvertU32ToFloat4(muted_colour()); }

} // namespace

std::string SlicingPanel::title(const PanelContext& ctx) const {
  const std::string id = std::string("###") + name();
  const bool mla = ctx.snapshot && ctx.snapshot->key.shape.is_mla();
  // The one-head comparison of MLA is plain attention with MLA's weights multiplied out.
  if (!multi_) return (mla ? "One head: MLA's per-head equivalent" : "One head") + id;
  if (!ctx.snapshot) return "Heads" + id;
  const Shape& s = ctx.snapshot->key.shape;
  const std::string heads = std::to_string(s.heads) + (s.heads == 1 ? " head" : " heads");
  if (mla) return heads + " (MLA: one cached latent C_KV, up-projected per head)" + id;
  if (s.kv_heads == s.heads) return heads + " (same Wqkv)" + id;
  const std::int64_t group = s.queries_per_kv_head();
  return heads + ", " + std::to_string(s.kv_heads) + " kv (Wqkv shrinks: " +
         std::to_string(group) + " query heads share one k and v)" + id;
}

// The current step of this panel: what is computed, the running sum, and the
// counters, outlined in the matrices.
void SlicingPanel::draw_step(PanelContext& ctx, const AttentionTrace& trace) {
  const Stepper* stepper = ctx.session.steps.stepper();
  // An older choice's one-head trace has other cells than the step's.
  if (!ctx.session.steps.on || !stepper || (!multi_ && ctx.snapshot->single_pending)) return;
  const StepPanel which = multi_ ? StepPanel::multi_head : StepPanel::single_head;
  // A streamed trace holds no S or A cells: the step is described without values.
  const StepDescription d =
      stepper->describe(which, ctx.snapshot->streamed(trace) ? nullptr : &trace);
  for (const std::string& line : d.lines) ImGui::TextWrapped("%s", line.c_str());
  const StepperPosition& p = d.position;
  ImGui::TextColored(muted(), "%s: dot products %s / %s · multiplies %s / %s",
                     std::string(d.stage_title).c_str(), count_text(p.stage_done.dot_products).c_str(),
                     count_text(p.stage_total.dot_products).c_str(),
                     count_text(p.stage_done.multiplies).c_str(),
                     count_text(p.stage_total.multiplies).c_str());
  ImGui::TextColored(muted(), "all stages: dot products %s / %s · multiplies %s / %s",
                     count_text(p.program_done.dot_products).c_str(),
                     count_text(p.program_total.dot_products).c_str(),
                     count_text(p.program_done.multiplies).c_str(),
                     count_text(p.program_total.multiplies).c_str());
  if (ctx.probe) {
    std::vector<std::string>& lines = ctx.probe->step_lines[name()];
    lines = d.lines;
    lines.push_back("dot products " + count_text(p.stage_done.dot_products) + " / " +
                    count_text(p.stage_total.dot_products));
    lines.push_back("multiplies " + count_text(p.stage_done.multiplies) + " / " +
                    count_text(p.stage_total.multiplies));
  }
  if (d.derivation && p.cell)
    mark_derivation(canvas_.marks, find_matrix(trace, d.matrix), p.cell->row, p.cell->col,
                    *d.derivation);
}

CanvasView& SlicingPanel::view_of(PanelContext& ctx) {
  const bool together = ctx.state.view.zoom_together;
  if (!together && was_together_) own_view_ = ctx.view;
  if (own_view_.resets != ctx.view.resets) { // "reset view" refits this panel too
    own_view_ = CanvasView{};
    own_view_.resets = ctx.view.resets;
  }
  was_together_ = together;
  return together ? ctx.view : own_view_;
}

CanvasView SlicingPanel::follow_view(PanelContext& ctx, const CanvasView& shown,
                                     const PipelineLayout& layout, ImVec2 size,
                                     const std::vector<CanvasMark>& step, const CanvasMark* centre) {
  if (shown.fit || follow_.resets_seen != ctx.view.resets) {
    follow_.offset = ImVec2(0, 0);
    follow_.resets_seen = ctx.view.resets;
    follow_.followed = {};
    follow_.reading = false;
  }
  CanvasView v = shown;
  v.pan = ImVec2(v.pan.x + follow_.offset.x, v.pan.y + follow_.offset.y);
  if (ctx.exporting) return v; // an export shows the view as it is
  size = ImVec2(std::max(size.x, 50.0f), std::max(size.y, 50.0f)); // as the canvas draws
  // The kinds of matrix the step reads and writes ("S", "QKV"): the same in
  // both panels, so zooming together both choose the same cells.
  std::vector<std::string> kinds;
  for (const CanvasMark& m : step)
    if (m.matrix && std::find(kinds.begin(), kinds.end(), matrix_kind(m.matrix->name)) == kinds.end())
      kinds.push_back(matrix_kind(m.matrix->name));
  const std::vector<const PipelineLayout*> both = {&layouts_->single(), &layouts_->multi()};
  if (follow_.reads_seen != ctx.view.reads) {
    follow_.reads_seen = ctx.view.reads;
    // The first panel to take a press sets the zoom; zooming together, the
    // other keeps it and only centres.
    ImVec2 cell = canvas_.reading_cell(both, kinds);
    if (v.read_zoomed == ctx.view.reads && !v.fit) {
      cell = MatrixCanvas::cell_pixels(v);
    } else if (v.fit && v.cells_per_em > 0) { // cells the fit made large enough stay so
      const ImVec2 fitted = MatrixCanvas::cell_pixels(v);
      cell = ImVec2(std::max(cell.x, fitted.x), std::max(cell.y, fitted.y));
    }
    MatrixCanvas::zoom_to_read(v, layout, size, cell, centre);
    v.read_zoomed = ctx.view.reads;
    follow_.offset = v.pan; // the shared pan starts again from the content's corner
    follow_.followed = {};
    follow_.reading = true;
    follow_.kinds = kinds;
  } else if (follow_.reading && !step.empty() && kinds != follow_.kinds) {
    // A step into other matrices: the cells their values need, on the step.
    MatrixCanvas::zoom_to_read(v, layout, size, canvas_.reading_cell(both, kinds), &step.front());
    follow_.offset = v.pan;
    follow_.followed = {};
    follow_.kinds = kinds;
  }
  const bool new_step = !step.empty() && (step.front().matrix != follow_.followed.matrix ||
                                          step.front().row != follow_.followed.row ||
                                          step.front().col != follow_.followed.col);
  if (new_step) {
    const ImVec2 before = v.pan;
    if (MatrixCanvas::keep_in_view(v, layout, size, step))
      follow_.offset = ImVec2(follow_.offset.x + v.pan.x - before.x, follow_.offset.y + v.pan.y - before.y);
    follow_.followed = step.front();
  }
  return v;
}

void SlicingPanel::keep_view(CanvasView& shown, const CanvasView& drawn) {
  if (drawn.fit) follow_.offset = ImVec2(0, 0); // double-click: fit again
  shown = drawn;
  shown.pan = ImVec2(drawn.pan.x - follow_.offset.x, drawn.pan.y - follow_.offset.y);
}

// The matrices' rectangles and the hovered cell, for a test driver.
void SlicingPanel::record(PanelContext& ctx, const CanvasHover& hover) const {
  if (!ctx.probe || ctx.exporting) return;
  auto& matrices = ctx.probe->matrices[name()];
  matrices.clear();
  for (const MatrixCanvas::DrawnRect& d : canvas_.drawn())
    matrices[d.name] = {{d.min.x, d.min.y, d.max.x, d.max.y}, d.rows, d.cols};
  auto& shades = ctx.probe->shades[name()];
  shades.clear();
  for (const MatrixCanvas::DrawnShade& s : canvas_.drawn_shades())
    shades[s.name].push_back({s.min.x, s.min.y, s.max.x, s.max.y});
  UiProbe::Cell& cell = ctx.probe->hovered_cells[name()];
  cell = {};
  if (hover.matrix) cell = {hover.matrix->name, hover.row, hover.col};
}

void SlicingPanel::mark_linked(PanelContext& ctx, const AttentionTrace& trace) {
  std::vector<UiProbe::Cell>* probed = nullptr;
  if (ctx.probe && !ctx.exporting) (probed = &ctx.probe->linked_cells[name()])->clear();
  const SlicingHoverLink::Cell& other = link_->hovered[multi_ ? 0 : 1];
  const AttentionTrace* other_trace = multi_ ? ctx.snapshot->single.get() : ctx.snapshot->multi.get();
  // While the one-head trace is an older choice's, the panels show different shapes.
  if (ctx.exporting || !other.matrix || other.trace != other_trace || ctx.snapshot->single_pending) return;
  for (const MatrixCell& c : corresponding_cells(*other_trace, *other.matrix, other.row, other.col, trace)) {
    canvas_.marks.push_back({c.matrix, c.row, c.col, 1, 1, true});
    if (probed) probed->push_back({c.matrix->name, c.row, c.col});
  }
}

void SlicingPanel::draw(PanelContext& ctx) {
  canvas_.marks.clear();
  const std::optional<Shape> shape = drawn_shape(ctx, multi_);
  if (shape) {
    // Wrapped: a decode step, a window or MLA make the line longer than a panel.
    ImGui::PushStyleColor(ImGuiCol_Text, muted());
    if (shape->is_mla())
      ImGui::TextWrapped("%s   cache %lld per token", describe(*shape).c_str(),
                         static_cast<long long>(shape->kv_cache_per_token()));
    else
      ImGui::TextWrapped("%s   Wqkv %lld×%lld", describe(*shape).c_str(),
                         static_cast<long long>(shape->wqkv_rows()),
                         static_cast<long long>(shape->d_model));
    ImGui::PopStyleColor();
    if (!ctx.exporting) {
      std::string memory;
      try {
        // The matrices held: of the drawing, which may be reduced.
        const AttentionTrace* drawn = multi_ ? ctx.snapshot->multi.get() : ctx.snapshot->single.get();
        std::int64_t bytes = held_bytes(drawn ? drawn->shape : *shape);
        if (drawn && drawn->mla) // the latent path, beside the per-head matrices
          for (const TraceMatrix& m : drawn->mla->matrices())
            bytes += m.matrix->values.size() * static_cast<std::int64_t>(sizeof(float));
        memory = bytes_text(static_cast<double>(bytes));
      } catch (const ShapeError&) {
        memory = "too many bytes to count";
      }
      ImGui::TextColored(muted(), "matrices %s (budget for both panels: %s)", memory.c_str(),
                         bytes_text(static_cast<double>(ctx.state.view.memory_budget)).c_str());
    }
  }
  if (!ctx.session.panel_current(multi_) && !ctx.exporting) {
    ImGui::SameLine();
    ImGui::TextColored(muted(), "  computing the new shape…");
  }
  if (!ctx.exporting) link_->hovered[multi_ ? 1 : 0] = {};
  if (!ctx.snapshot || !ctx.snapshot->multi) {
    canvas_.forget_drawn();
    if (ctx.probe && !ctx.exporting) ctx.probe->drawn_lines[name()] = "";
    if (ctx.snapshot && !ctx.snapshot->hidden_reason.empty())
      ImGui::TextWrapped("Matrices hidden: %s.", ctx.snapshot->hidden_reason.c_str());
    else
      ImGui::TextUnformatted("computing…");
    return;
  }
  if (!multi_ && !ctx.snapshot->single) { // the multi-head part came first
    canvas_.forget_drawn();
    ImGui::TextUnformatted("computing…");
    return;
  }
  const AttentionTrace& trace = multi_ ? *ctx.snapshot->multi : *ctx.snapshot->single;
  // How the drawing differs from the shape counted: heads over the cap, one
  // sequence of a batch, what MLA caches and what its drawing leaves out.
  const std::string drawn = drawn_line(drawn_facts(*shape, trace.shape, max_heads_drawn));
  if (!drawn.empty()) ImGui::TextWrapped("%s", drawn.c_str());
  if (ctx.probe && !ctx.exporting) ctx.probe->drawn_lines[name()] = drawn;
  draw_step(ctx, trace);
  const std::vector<CanvasMark> step = canvas_.marks;
  // The cell under the pointer last frame, with its sources.
  const bool hovering = hovered_ && hovered_trace_ == &trace;
  if (hovering)
    mark_derivation(canvas_.marks, hovered_->matrix, hovered_->row, hovered_->col, hovered_->derivation);
  const std::size_t linked = canvas_.marks.size();
  mark_linked(ctx, trace);
  // "Read values" centres the hovered cell, else the other panel's, else the step's.
  std::optional<CanvasMark> centre;
  if (hovering) centre = CanvasMark{hovered_->matrix, hovered_->row, hovered_->col};
  else if (linked < canvas_.marks.size()) centre = canvas_.marks[linked];
  else if (!step.empty()) centre = step.front();

  canvas_.show_values = ctx.state.view.show_values;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  layouts_->update(ctx.snapshot, avail);
  const PipelineLayout& layout = multi_ ? layouts_->multi() : layouts_->single();
  // Each panel fits its own matrices: the one-head panel keeps its size when
  // only the heads change. An export draws from a copy: it never moves the view.
  CanvasView& shown = view_of(ctx);
  CanvasView used = follow_view(ctx, shown, layout, avail, step, centre ? &*centre : nullptr);
  const bool fitting = used.fit || used.cells_per_em <= 0;
  const CanvasHover hover = canvas_.draw(multi_ ? "##heads_canvas" : "##single_canvas", layout, used,
                                         ImVec2(layout.width, layout.height),
                                         fitting ? canvas_.widest_value_em(layout) : 0, avail,
                                         ctx.renderer, ctx.textures);
  if (!ctx.exporting) keep_view(shown, used);
  record(ctx, hover);
  hovered_.reset();
  if (!hover.matrix || ctx.exporting) return;
  const NamedMatrix& m = *hover.matrix->display->source;
  hovered_ = Hovered{&m, hover.row, hover.col,
                     ctx.snapshot->derive(*hover.matrix->trace, m, hover.row, hover.col)};
  hovered_trace_ = &trace;
  link_->hovered[multi_ ? 1 : 0] = {&trace, &m, hover.row, hover.col};
  ImGui::BeginTooltip();
  for (const std::string& line : derivation_lines(hovered_->derivation)) {
    ImGui::TextUnformatted(line.c_str());
    if (ctx.probe) ctx.probe->tooltips.push_back(line);
  }
  ImGui::TextDisabled("wheel: zoom · drag: pan · double-click: fit");
  ImGui::EndTooltip();
}

} // namespace abh
