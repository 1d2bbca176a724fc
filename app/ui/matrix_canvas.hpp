#pragma once
// A zoomable, pannable canvas of placed matrices (the shape of imgui_club's
// MemoryEditor: settings, internal state, DrawContents). It never owns the
// matrices. Wheel zooms at the mouse, drag pans, double-click fits.

#include <string>
#include <vector>

#include <imgui.h>

#include "app/io/app_state.hpp"
#include "app/ui/heatmap_renderer.hpp"
#include "app/ui/matrix_textures.hpp"
#include "app/ui/pipeline_layout.hpp"

namespace abh {

// Shared by canvases that should move together (both panels by default).
struct CanvasView {
  bool fit = true;           // = true // recompute zoom/pan to show everything
  float cells_per_em = 0.0f; // zoom, in cells per font height (scales with the UI size)
  ImVec2 pan{0, 0};          // top-left corner, in cells
  float aspect = 1.0f;       // = 1 // cell width / cell height: wider cells where values need them
  unsigned resets = 0;       // = 0 // "reset view" presses: a panel's own view refits when it changes
  unsigned reads = 0;        // = 0 // "read values" presses (button or V): each panel zooms to read once per press
  unsigned read_zoomed = 0;  // = 0 // the press this view's zoom was set for (zoom together: by the first panel)
};

// A block of cells to outline: the cell being computed, or a row or column
// it reads (the stepper's step, or the hovered cell's sources).
struct CanvasMark {
  const NamedMatrix* matrix = nullptr;
  std::int64_t row = 0, col = 0, rows = 1, cols = 1;
  bool output = false; // the cell computed (else a source)
};

struct CanvasHover {
  const PlacedMatrix* matrix = nullptr;
  std::int64_t row = -1, col = -1;
};

// "Read values" (button or V): values printed in cells, and each slicing
// panel zooms in until they print (MatrixCanvas::zoom_to_read).
inline void read_values(ViewOptions& options, CanvasView& view) {
  options.show_values = true;
  ++view.reads;
}

// A matrix's kind, the same in both panels: "S_2" → "S", "QKV" → "QKV".
std::string matrix_kind(const std::string& name);

// A panel's own part of a shared view: while the panels zoom together each
// may still be panned to its own cells ("read values", following the step).
struct CanvasFollow {
  ImVec2 offset{0, 0};    // = 0,0 // added to the shared pan, in cells
  unsigned reads_seen = 0; // = 0 // the last "read values" press handled
  unsigned resets_seen = 0; // = 0 // the last "reset view" press seen
  CanvasMark followed{};   // = {} // the step output cell last brought into view
  bool reading = false;    // = false // zoomed by "read values": a step into other matrices zooms for theirs
  std::vector<std::string> kinds; // the matrix kinds the zoom was chosen for
};

class MatrixCanvas {
public:
  // Settings
  bool show_values = true;        // = true // print values in cells ≥ 1.7 em wide
  int max_value_labels = 3000;    // = 3000 // per frame, to keep frames fast
  float min_value_font_px = 7.0f; // = 7 // smaller values are not printed (hover shows them)
  std::vector<CanvasMark> marks;  // = {} // outlined this frame

  // Pixels per cell that show all of `layout` in `size` pixels, with its
  // fixed gaps for titles and labels (the current font's em).
  static float fit_cell(const PipelineLayout& layout, ImVec2 size);
  // The widest value any cell of `layout` would print, in em of the current
  // font (each matrix in its own format); 0 when none would print.
  float widest_value_em(const PipelineLayout& layout) const;

  // [View] zoom, pan and centre, for "read values" and following the step.
  // The smallest cell (pixels across, down) at which the values of the
  // layouts' matrices of `kinds` (matrix_kind; none: every matrix) print,
  // each matrix's widest value at the smallest font drawn.
  ImVec2 reading_cell(const std::vector<const PipelineLayout*>& layouts,
                      const std::vector<std::string>& kinds) const;
  // A cell's size in pixels (across, down) under `view`.
  static ImVec2 cell_pixels(const CanvasView& view);
  // Zooms `view` to cells of `cell` pixels and centres `centre` (a cell of
  // `layout`) in `size`; with no centre the content's top-left shows. The pan
  // stays within the content.
  static void zoom_to_read(CanvasView& view, const PipelineLayout& layout, ImVec2 size, ImVec2 cell,
                           const CanvasMark* centre);
  // Pans `view` as little as possible so the marks (the output cell first,
  // then its operand rows and columns) are in view; operands that cannot all
  // fit beside the output show as much as fits. Returns true when it panned.
  static bool keep_in_view(CanvasView& view, const PipelineLayout& layout, ImVec2 size,
                           const std::vector<CanvasMark>& marks);
  // Keeps the pan within the content: no empty space past its edges.
  static void clamp_pan(CanvasView& view, const PipelineLayout& layout, ImVec2 size);

  // Draws inside the current window, filling `size` (pixels). `fit_extent`
  // (cells) is what "fit" shows; panels pass the larger of the two layouts.
  // `fit_value_em`: the widest value to fit a cell (widest_value_em of both
  // layouts); fitting widens the cells up to the room across so it prints.
  CanvasHover draw(const char* id, const PipelineLayout& layout, CanvasView& view,
                   ImVec2 fit_extent, float fit_value_em, ImVec2 size,
                   HeatmapRenderer& renderer, MatrixTextures& textures);

  // Screen rectangles of the last draw, by matrix title (tests, export JSON).
  struct DrawnRect {
    std::string title;
    ImVec2 min, max;
    std::int64_t rows = 0, cols = 0;
    float lo = 0, hi = 0;
    int colormap = 0;
    std::string name; // "QKV"
  };
  const std::vector<DrawnRect>& drawn() const { return drawn_; }
  // Every title, label and printed value of the last draw (export sidecars).
  struct DrawnText {
    std::string kind; // "title" | "label" | "value"
    std::string text;
    ImVec2 min, max;
  };
  const std::vector<DrawnText>& drawn_text() const { return drawn_text_; }
  // Shaded (masked) rectangles of the last draw, by matrix name ("S_1").
  struct DrawnShade {
    std::string name;
    ImVec2 min, max;
  };
  const std::vector<DrawnShade>& drawn_shades() const { return drawn_shades_; }
  void forget_drawn() { // a frame in which nothing was drawn
    drawn_.clear();
    drawn_text_.clear();
    drawn_shades_.clear();
  }

private:
  // The widest value of any cell the layout draws unreduced (of `kinds`, or
  // every matrix when empty), in em.
  static float widest_printable_em(const PipelineLayout& layout,
                                   const std::vector<std::string>& kinds);
  // `cell`: a cell's width (x) and height (y) in pixels.
  void draw_matrix(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 cell,
                   HeatmapRenderer& renderer, MatrixTextures& textures, int& labels_left);
  void draw_marks(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 cell);
  void draw_mask(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 max, ImVec2 cell);
  static std::string title_dims(const PlacedMatrix& p, float room);
  void draw_axis_labels(ImDrawList* list, const PlacedMatrix& p, ImVec2 min, ImVec2 max, ImVec2 cell);
  void text_at(ImDrawList* list, const char* kind, ImVec2 at, ImU32 colour, const std::string& text);
  std::vector<DrawnRect> drawn_;
  std::vector<DrawnText> drawn_text_;
  std::vector<DrawnShade> drawn_shades_;
};

} // namespace abh
