#include "app/ui/pipeline_layout.hpp"

#include <algorithm>
#include <cmath>

#include "app/ui/theme.hpp"
#include "core/example_sentence.hpp"
#include "core/mla_trace.hpp"

namespace abh {

namespace {

constexpr float unbounded_title_room = 1e6f; // cells: up to the canvas's right edge

// A k or v band takes the hue of the first query head that reads it, so a
// group of query heads and its shared k and v look alike.
std::vector<RowBand> wqkv_row_bands(const AttentionTrace& t) {
  std::vector<RowBand> bands;
  const std::int64_t group = t.shape.queries_per_kv_head();
  for (const WqkvBand& b : wqkv_bands(t.shape, t.options.layout)) {
    const std::int64_t hue = b.part == Part::q ? b.head : b.head * group;
    bands.push_back({b.first_row, band_rows(t.shape, b.part), head_colour(hue, b.part),
                     std::string(part_name(b.part)) + std::to_string(b.head + 1),
                     head_colour(hue, Part::q)});
  }
  return bands;
}

// One band per head of `rows_per_head` rows: MLA's per-head weights and outputs.
std::vector<RowBand> head_row_bands(std::int64_t heads, std::int64_t rows_per_head, Part part) {
  std::vector<RowBand> bands;
  for (std::int64_t h = 0; h < heads; ++h)
    bands.push_back({h * rows_per_head, rows_per_head, head_colour(h, part),
                     std::string(part_name(part)) + std::to_string(h + 1), head_colour(h, Part::q)});
  return bands;
}

std::vector<RowBand> z_row_bands(const AttentionTrace& t) {
  std::vector<RowBand> bands;
  const std::int64_t dv = t.shape.value_dim();
  for (std::int64_t h = 0; h < t.shape.heads; ++h)
    bands.push_back({h * dv, dv, head_colour(h), "z" + std::to_string(h + 1)});
  return bands;
}

// The mask of S_h or A_h at the resolution it is drawn.
void set_mask(PlacedMatrix& p, const Shape& shape) {
  if (!p.display || !has_mask(shape)) return;
  const BlockGrid grid = p.display->reduced()
                             ? display_grid(p.display->rows, p.display->cols, display_max_side)
                             : BlockGrid{p.display->rows, p.display->cols, 1, 1};
  p.visible = visible_key_blocks(shape, grid);
  p.block_rows = grid.block_rows;
  p.block_cols = grid.block_cols;
}

// "window 3" (the shading shows causal or centred), "causal", or "".
std::string mask_note(const Shape& s) {
  if (s.window > 0) return "window " + std::to_string(s.window);
  return s.causal ? "causal" : "";
}

} // namespace

PipelineLayout layout_pipeline(const TraceSnapshot& snapshot, const AttentionTrace& t,
                               int heads_per_row) {
  PipelineLayout out;
  const auto n = static_cast<float>(t.shape.seq), d = static_cast<float>(t.shape.d_model);
  const auto R = static_cast<float>(t.shape.wqkv_rows());
  const auto da = static_cast<float>(t.shape.attention_width());
  // Gaps grow with the content so titles have room at any zoom.
  // Titles and labels take fixed screen space (grid gaps); the cell gap is small.
  const float gap = std::max(1.0f, std::round(0.03f * std::max({n, d, R})));
  const ImU32 neutral = IM_COL32(128, 128, 128, 255);

  int row = 0;
  auto place = [&](const NamedMatrix& m, float x, int col, float y, ImU32 frame, std::string op) {
    PlacedMatrix p;
    p.grid_col = col;
    p.grid_row = row;
    out.grid_cols = std::max(out.grid_cols, col + 1);
    out.grid_rows = std::max(out.grid_rows, row + 1);
    p.display = snapshot.find(m);
    p.trace = &t;
    p.x = x;
    p.y = y;
    // The full matrix's size (a streamed S_h or A_h holds only its blocks).
    p.dims = p.display ? std::to_string(p.display->rows) + "×" + std::to_string(p.display->cols)
                       : m.title().substr(m.name.size() + 1);
    p.name = m.name;
    p.title = m.name + " " + p.dims;
    p.frame = frame;
    p.op_before = std::move(op);
    out.matrices.push_back(std::move(p));
    return &out.matrices.back();
  };

  // The example sentence's words name the token axes.
  const std::vector<std::string>& words = example_sentence().tokens;
  const bool sentence = t.options.values == ValueMode::sentence &&
                        static_cast<std::int64_t>(words.size()) == t.shape.seq;
  out.axis_labels = sentence;
  // A matrix with a column per query (n_q < n in a decode step) takes the
  // last n_q words: the queries are the last tokens.
  const auto last_words = [&](std::int64_t count) {
    const auto keep = static_cast<std::size_t>(std::clamp<std::int64_t>(count, 0, t.shape.seq));
    return std::vector<std::string>(words.end() - static_cast<std::ptrdiff_t>(keep), words.end());
  };
  const auto tokens = [&](PlacedMatrix* p, bool rows_too) {
    if (!sentence) return p;
    p->col_labels = p->display ? last_words(p->display->cols) : words;
    if (rows_too) p->row_labels = words;
    return p;
  };

  float y = 0;
  std::vector<std::size_t> latent_notes; // placed matrices whose titles may run to the right edge
  if (t.mla) {
    // MLA: the down-projections from X (stacked, X shared), then the
    // up-projections from the latent; the heads read their q, k, v.
    const MlaTrace& l = *t.mla;
    const auto rows_of = [](const NamedMatrix& m) { return static_cast<float>(m.values.rows()); };
    const float out_x = d + gap + n + gap;
    // X is shared by the stacked products: its "×" sits level with W_DKV.
    place(t.X, d + gap, 1, y, neutral, "×")->op_row = rows_of(l.W_DKV) / 2;
    float below = y;
    for (const NamedMatrix* w : {&l.W_DKV, &l.W_KR, &l.W_DQ}) {
      if (w->values.size() == 0) continue; // no RoPE part (dr = 0)
      if (w != &l.W_DKV) ++row;
      const NamedMatrix& output = w == &l.W_DKV ? l.C_KV
                                  : w == &l.W_KR ? l.k_R
                                  : l.compressed_queries() ? l.c_Q : l.Q;
      // Queries straight from X (dq = 0): W_Q's rows are the heads' q.
      const bool per_head = w == &l.W_DQ && !l.compressed_queries();
      PlacedMatrix* weight = place(*w, 0, 0, below, neutral, "");
      if (per_head) {
        weight->bands = head_row_bands(l.heads, l.head_dim, Part::q);
        weight->label_bands = true;
      }
      PlacedMatrix* result = place(output, out_x, 2, below, neutral, "=");
      if (per_head) result->bands = head_row_bands(l.heads, l.head_dim, Part::q);
      if (w == &l.W_DKV) result->notes = {"cached: dc " + std::to_string(l.ranks.kv_rank) + " per token"};
      if (w == &l.W_KR)
        result->notes = {"cached: dr " + std::to_string(l.ranks.rope_dim) + ", all heads",
                         "no RoPE rotation"};
      if (w != &l.W_DQ) latent_notes.push_back(out.matrices.size() - 1); // C_KV, k_R
      below += rows_of(output) + gap;
    }
    out.width = d + n + n + 2 * gap;
    y = std::max(below, y + d + gap);
    ++row;
    // W_UK · C_KV = K, W_UV · C_KV = V (and W_UQ · c_Q = Q) one under
    // another, in the columns of the row above: few fixed gaps across.
    const auto up = [&](const NamedMatrix& w, const NamedMatrix& input, const NamedMatrix& output,
                        std::int64_t per_head, Part part) {
      const auto wide = static_cast<float>(w.values.cols()), across = static_cast<float>(input.values.cols());
      PlacedMatrix* weight = place(w, 0, 0, y, neutral, "");
      weight->bands = head_row_bands(l.heads, per_head, part);
      weight->label_bands = true;
      place(input, wide + gap, 1, y, neutral, "×");
      place(output, wide + gap + across + gap, 2, y, neutral, "=")->bands =
          head_row_bands(l.heads, per_head, part);
      out.width = std::max(out.width, wide + 2 * across + 2 * gap);
      y += std::max(rows_of(w), rows_of(input)) + gap;
      ++row;
    };
    up(l.W_UK, l.C_KV, l.K, l.nope_dim(), Part::k);
    up(l.W_UV, l.C_KV, l.V, l.value_dim, Part::v);
    if (l.compressed_queries()) up(l.W_UQ, l.c_Q, l.Q, l.head_dim, Part::q);
  } else {
    PlacedMatrix* wqkv = place(t.Wqkv, 0, 0, y, neutral, "");
    wqkv->bands = wqkv_row_bands(t);
    wqkv->label_bands = true;
    tokens(place(t.X, d + gap, 1, y, neutral, "×"), false);
    tokens(place(t.QKV, d + gap + n + gap, 2, y, neutral, "="), false)->bands = wqkv_row_bands(t);
    out.width = d + n + n + 2 * gap;
    y += std::max(R, d) + gap;
    ++row;
  }

  const std::int64_t drawn = std::min<std::int64_t>(t.shape.heads, max_heads_drawn);
  out.heads_hidden = t.shape.heads - drawn;
  const int per_row = std::max(1, heads_per_row);
  // S_h, A_h and Z_h have a column per query: n in a prefill, n_q in a decode step.
  const auto nq = static_cast<float>(t.shape.query_count());
  const float head_w = 3 * nq + 3 * gap; // S, A, Z and a gap to the next head
  // A row of heads is as tall as its tallest matrix: S and A (n) or Z_h (dh).
  const float head_h = std::max(n, static_cast<float>(t.shape.head_dim));
  for (std::int64_t h = 0; h < drawn; ++h) {
    const HeadTrace& head = t.heads[static_cast<std::size_t>(h)];
    const ImU32 colour = head_colour(h);
    const int slot = static_cast<int>(h % per_row);
    const float x = static_cast<float>(slot) * head_w;
    // S_h and A_h: the k and v this query head reads when kv heads are
    // shared, the mask, and room for their titles up to the next matrix.
    const auto scores = [&](PlacedMatrix* p) {
      if (t.shape.kv_heads < t.shape.heads) p->notes.push_back("k,v " + std::to_string(head.kv_head + 1));
      if (const std::string m = mask_note(t.shape); !m.empty()) p->notes.push_back(m);
      for (const std::string& note : p->notes) p->title += " · " + note;
      set_mask(*p, t.shape);
      p->title_room = nq + gap;
    };
    scores(tokens(place(head.S, x, 3 * slot, y, colour, ""), true));
    scores(tokens(place(head.A, x + nq + gap, 3 * slot + 1, y, colour, "→"), false));
    tokens(place(head.Z, x + 2 * (nq + gap), 3 * slot + 2, y, colour, "→"), false);
    out.width = std::max(out.width, x + 3 * nq + 2 * gap);
    if (slot == per_row - 1 || h == drawn - 1) {
      y += head_h + gap;
      ++row;
    }
  }
  place(t.Wo, 0, 0, y, neutral, "");
  PlacedMatrix* z = tokens(place(t.Z, da + gap, 1, y, neutral, "×"), false);
  z->bands = z_row_bands(t);
  tokens(place(t.O, da + gap + nq + gap, 2, y, neutral, "="), false);
  out.width = std::max(out.width, da + 2 * nq + 2 * gap);
  out.height = y + std::max(d, da);
  // Nothing is right of C_KV and k_R in their rows: their notes may use the canvas's width.
  for (std::size_t i : latent_notes) out.matrices[i].title_room = unbounded_title_room;
  return out;
}

} // namespace abh
