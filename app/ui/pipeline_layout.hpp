#pragma once
// Where each matrix of one trace sits in a panel, in cell units:
//   Wqkv · X = QKV
//   per head: S_h  A_h  Z_h
//   Wo · Z = O
// An MLA trace draws its latent path instead of the first row (mla_trace.hpp):
//   W_DKV · X = C_KV, W_KR · X = k_R, W_DQ · X = c_Q (or W_Q · X = Q), stacked
//   W_UK · C_KV = K;  W_UV · C_KV = V;  W_UQ · c_Q = Q (dq > 0)
// Both panels use it, so the same weights land in the same place.

#include <cstdint>
#include <string>
#include <vector>

#include <imgui.h>

#include "app/session/trace_snapshot.hpp"
#include "core/visibility.hpp"

namespace abh {

struct RowBand {
  std::int64_t first = 0, count = 0; // matrix rows
  ImU32 colour = 0;
  std::string label; // "q1"
  ImU32 label_colour = 0; // the head's darkest shade: readable on both themes
};

struct PlacedMatrix {
  const DisplayMatrix* display = nullptr;
  const AttentionTrace* trace = nullptr;
  float x = 0, y = 0;   // top-left, in cells
  int grid_col = 0, grid_row = 0; // titles and labels get this many fixed-size gaps before it
  std::string title;    // "QKV 108×40"
  std::string name;     // "QKV"
  std::string dims;     // "108×40"
  // Said after the dims when there is room, most telling first: the k and v
  // a query head reads ("k,v 1"), its mask ("causal · window 3").
  std::vector<std::string> notes;
  float title_room = 0; // cells from x to the next matrix in its row (0: its own width; never past the canvas)
  ImU32 frame = 0;      // border colour (a head's colour, or neutral)
  std::vector<RowBand> bands;
  bool label_bands = false; // write "q1", "k1", … beside the bands
  // Shaded cells: the keys a query does not see (core/visibility). Per drawn
  // column (a block column when the matrix is drawn as block means), the
  // drawn rows left clear; empty: nothing is shaded.
  std::vector<VisibleRows> visible;
  std::int64_t block_rows = 1, block_cols = 1; // cells per drawn row and column
  std::string op_before;    // "·" or "=" drawn left of the matrix
  float op_row = -1;        // rows from the top the op centres on (< 0: its first few rows)
  std::vector<std::string> col_labels; // one per column, under it (tokens), or none
  std::vector<std::string> row_labels; // one per row, left of it (tokens), or none
};

struct PipelineLayout {
  std::vector<PlacedMatrix> matrices;
  float width = 0, height = 0; // content extent in cells
  int grid_cols = 0, grid_rows = 0; // fixed-size gaps (for titles) across and down
  std::int64_t heads_hidden = 0; // heads beyond the cap, not drawn (the panel's drawn line says so)
  bool axis_labels = false;      // some matrix has column labels: each row gap makes room
};


// `heads_per_row`: heads side by side in the per-head grid (≥ 1).
PipelineLayout layout_pipeline(const TraceSnapshot& snapshot, const AttentionTrace& trace,
                               int heads_per_row = 1);

} // namespace abh
