#pragma once
// The one-head vs H-heads comparison as a 16:9 vector slide (PDF or SVG,
// 1600×900 pt), drawn through cairo without a window: a title, the two
// computations side by side (Wqkv · X = QKV; per head S → A → Z; Wo · Z = O)
// as heatmaps in the app's colormaps, the optional counts and caption.
// Matrices wider or taller than a few dozen cells are drawn as block means
// (the file stays small at any shape) and print no values.

#include <string>

#include "app/io/app_state.hpp"

namespace abh {

inline constexpr double slide_page_width = 1600, slide_page_height = 900; // points

// The line under an export: the state's caption text, or the shape stated.
std::string slide_caption(const AppState& state);

struct VectorSlideRequest {
  std::string path; // ends in .pdf or .svg
  bool caption = true;
  bool counts = false;
};

// Computes both traces and writes the slide to `path` in one step (nothing
// half-written). Throws std::runtime_error or ShapeError with one line.
void write_vector_slide(const AppState& state, const VectorSlideRequest& request);

} // namespace abh
