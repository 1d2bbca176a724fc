#include "core/drawn_facts.hpp"

#include <algorithm>
#include <vector>

#include "core/number_format.hpp"

namespace abh {

DrawnFacts drawn_facts(const Shape& counted, const Shape& traced, std::int64_t heads_cap) {
  DrawnFacts f;
  f.heads = counted.heads;
  f.heads_drawn = std::min({traced.heads, heads_cap, counted.heads});
  f.sequences = counted.batch;
  f.tokens = counted.seq;
  f.tokens_drawn = std::min(traced.seq, counted.seq);
  f.mla = counted.is_mla();
  if (f.mla) f.latent_per_token = counted.kv_cache_per_token();
  return f;
}

std::string drawn_line(const DrawnFacts& f) {
  if (!f.differs()) return "";
  std::vector<std::string> parts;
  if (f.heads_drawn < f.heads)
    parts.push_back(with_separators(f.heads_drawn) + " of " + with_separators(f.heads) + " heads");
  if (f.sequences > 1) parts.push_back("sequence 1 of " + with_separators(f.sequences));
  if (f.tokens_drawn < f.tokens)
    parts.push_back(with_separators(f.tokens_drawn) + " of " + with_separators(f.tokens) + " tokens");
  std::string line;
  if (!parts.empty()) {
    line = "drawn: ";
    for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? ", " : "") + parts[i];
    line += "; ";
  }
  if (f.mla)
    line += "MLA drawn as its per-head equivalent K and V (the latent cache is dc+dr = " +
            with_separators(f.latent_per_token) + " per token); ";
  return line + "counts are for the full size";
}

} // namespace abh
