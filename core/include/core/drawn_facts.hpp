#pragma once
// What the slicing panels draw against what the counts count. The trace
// draws one sequence of the batch, MLA as its per-head equivalent K and V
// (drawn_shape), and the panels draw at most a cap of heads; a trace computed
// over fewer tokens than the shape has draws those. The counts are always for
// the shape asked for; drawn_line says how the drawing differs, in one line.

#include <cstdint>
#include <string>

#include "core/shape.hpp"

namespace abh {

struct DrawnFacts {
  std::int64_t heads = 0, heads_drawn = 0;   // H, and the query heads drawn
  std::int64_t sequences = 1;                // B (one sequence is drawn)
  std::int64_t tokens = 0, tokens_drawn = 0; // n, and the keys drawn
  bool mla = false;                          // drawn as the per-head equivalent
  std::int64_t latent_per_token = 0;         // dc + dr: what MLA caches per token
  bool differs() const {
    return heads_drawn < heads || sequences > 1 || tokens_drawn < tokens || mla;
  }
};

// `counted`: the shape the counts are for; `traced`: the shape of the trace
// drawn (its drawn_shape, possibly over fewer tokens); at most `heads_cap`
// of its heads are drawn.
DrawnFacts drawn_facts(const Shape& counted, const Shape& traced, std::int64_t heads_cap);

// "drawn: 16 of 32 heads, sequence 1 of 4, 4,096 of 131,072 tokens; counts
// are for the full size", with "MLA drawn as its per-head equivalent K and V
// (the latent cache is dc+dr = 576 per token)" when MLA; "" when the drawing
// is the shape counted.
std::string drawn_line(const DrawnFacts& facts);

} // namespace abh
