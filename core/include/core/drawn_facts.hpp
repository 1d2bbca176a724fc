#pragma once
// What the slicing panels draw against what the counts count. The trace
// draws one sequence of the batch, MLA from its latent (core/mla_trace.hpp:
// the naive form, without RoPE's rotation), and the panels draw at most a cap
// of heads; a trace computed over fewer tokens than the shape has draws
// those. The counts are always for the shape asked for; drawn_line says how
// the drawing differs, in one line.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/shape.hpp"

namespace abh {

struct DrawnFacts {
  std::int64_t heads = 0, heads_drawn = 0;   // H, and the query heads drawn
  std::int64_t sequences = 1;                // B (one sequence is drawn)
  std::int64_t tokens = 0, tokens_drawn = 0; // n, and the keys drawn
  std::int64_t width = 0, width_drawn = 0;   // H·dh (one head's dh in the one-head panel)
  bool mla = false;                          // MLA: its latent and up-projections drawn
  bool mla_absorbed = false;                 // counted in the absorbed form (drawn naive)
  bool mla_multiplied_out = false;           // drawn as its per-head equivalent Wqkv (the slide)
  std::int64_t latent_rank = 0, rope_dim = 0; // dc and dr
  std::int64_t latent_per_token = 0;         // dc + dr: what MLA caches per token
  bool differs() const {
    return heads_drawn < heads || sequences > 1 || tokens_drawn < tokens || mla ||
           (heads == 1 && width_drawn < width);
  }
};

// `counted`: the shape the counts are for; `traced`: the shape of the trace
// drawn (its drawn_shape, possibly over fewer tokens); at most `heads_cap`
// of its heads are drawn.
DrawnFacts drawn_facts(const Shape& counted, const Shape& traced, std::int64_t heads_cap);

// Tokens a reduced drawing keeps while it can still drop heads instead.
inline constexpr std::int64_t min_tokens_drawn = 64;

// The shape to trace for drawing `shape` (MLA kept: the trace draws its
// latent) when `shape` is more than `fits` accepts: first its query heads cut to `heads_cap` in whole kv
// groups (or one kv head shared by heads_cap query heads when a group is
// larger), then, until it fits, its tokens halved down to min_tokens_drawn,
// its heads halved (whole kv groups) down to one, its tokens down to one.
// A decode step keeps its n_q queries (at most the tokens), a window at
// most the tokens. The shape itself when it fits; nullopt when not even one
// head over one token does.
std::optional<Shape> reduced_drawing(const Shape& shape, std::int64_t heads_cap,
                                     const std::function<bool(const Shape&)>& fits);

// "drawn: 16 of 32 heads, sequence 1 of 4, 4,096 of 131,072 tokens; counts
// are for the full size"; "" when the drawing is the shape counted. MLA adds
// what is cached and what is not drawn: "MLA caches C_KV and k_R, dc+dr =
// 512+64 = 576 per token; RoPE's rotation is not drawn" (and, for the
// absorbed form, that the heads are drawn in the naive form; with
// mla_multiplied_out, that Wqkv is MLA's factors multiplied out). The one-head
// panel, whose one head is as wide as the heads drawn, says "dh 2,048 of 4,096".
std::string drawn_line(const DrawnFacts& facts);

} // namespace abh
