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
  f.width = counted.attention_width();
  f.width_drawn = std::min(traced.attention_width(), f.width);
  f.mla = counted.is_mla();
  if (f.mla) {
    f.mla_absorbed = counted.mla.form == MlaForm::absorbed;
    f.latent_rank = counted.mla.kv_rank;
    f.rope_dim = counted.mla.rope_dim;
    f.latent_per_token = counted.kv_cache_per_token();
  }
  return f;
}

std::optional<Shape> reduced_drawing(const Shape& shape, std::int64_t heads_cap,
                                     const std::function<bool(const Shape&)>& fits) {
  Shape s = shape;
  if (fits(s)) return s;
  const std::int64_t group = s.queries_per_kv_head();
  if (s.heads > heads_cap) {
    s.kv_heads = group <= heads_cap ? std::max<std::int64_t>(1, heads_cap / group) : 1;
    s.heads = group <= heads_cap ? s.kv_heads * group : heads_cap;
  }
  const auto halve_tokens = [&] {
    s.seq = (s.seq + 1) / 2;
    s.queries = std::min(s.queries, s.seq);
    s.window = std::min(s.window, s.seq);
  };
  const auto halve_heads = [&] {
    if (s.kv_heads > 1) {
      s.kv_heads /= 2;
      s.heads = s.kv_heads * group;
    } else {
      s.heads = std::max<std::int64_t>(1, s.heads / 2);
    }
  };
  while (!fits(s)) {
    if (s.seq > min_tokens_drawn) halve_tokens();
    else if (s.heads > 1) halve_heads();
    else if (s.seq > 1) halve_tokens();
    else return std::nullopt;
  }
  return s;
}

std::string drawn_line(const DrawnFacts& f) {
  if (!f.differs()) return "";
  std::vector<std::string> parts;
  if (f.heads_drawn < f.heads)
    parts.push_back(with_separators(f.heads_drawn) + " of " + with_separators(f.heads) + " heads");
  if (f.heads == 1 && f.width_drawn < f.width)
    parts.push_back("dh " + with_separators(f.width_drawn) + " of " + with_separators(f.width));
  if (f.sequences > 1) parts.push_back("sequence 1 of " + with_separators(f.sequences));
  if (f.tokens_drawn < f.tokens)
    parts.push_back(with_separators(f.tokens_drawn) + " of " + with_separators(f.tokens) + " tokens");
  std::string line;
  if (!parts.empty()) {
    line = "drawn: ";
    for (std::size_t i = 0; i < parts.size(); ++i) line += (i ? ", " : "") + parts[i];
    line += "; ";
  }
  if (f.mla && f.mla_multiplied_out)
    line += "MLA drawn as its per-head equivalent Wqkv (W_UK·W_DKV, W_UV·W_DKV, … multiplied out); ";
  if (f.mla) {
    line += "MLA caches C_KV and k_R, dc+dr = " + with_separators(f.latent_rank) + "+" +
            with_separators(f.rope_dim) + " = " + with_separators(f.latent_per_token) +
            " per token; RoPE's rotation is not drawn; ";
    if (f.mla_absorbed && !f.mla_multiplied_out)
      line += "heads drawn in the naive form (the absorbed form counted folds W_UK into the "
              "query and W_UV into the output); ";
  }
  return line + "counts are for the full size";
}

} // namespace abh
