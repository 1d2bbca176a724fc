#include "core/shape.hpp"

#include <algorithm>

#include "core/checked_int.hpp"
#include "core/counts.hpp"

namespace abh {

namespace {

__extension__ typedef __int128 Wide;

std::int64_t narrow(Wide v) {
  if (v > static_cast<Wide>(INT64_MAX) || v < static_cast<Wide>(INT64_MIN))
    throw ShapeError("shape too large to count: a count overflows 64-bit integers");
  return static_cast<std::int64_t>(v);
}

// Σ clamp(x, 0, cap) for x = lo … hi (an empty sum when hi < lo), in closed form.
Wide sum_clamped(Wide lo, Wide hi, Wide cap) {
  if (hi < lo) return 0;
  Wide total = 0;
  const Wide a = std::max<Wide>(lo, 0), b = std::min<Wide>(hi, cap);
  if (a <= b) total += (a + b) * (b - a + 1) / 2;           // the rising part
  const Wide above = std::max<Wide>(lo, cap + 1);
  if (above <= hi) total += (hi - above + 1) * cap;         // saturated at cap
  return total;
}

// A window without causal masking is centred: w − 1 − ⌊(w−1)/2⌋ keys before
// the query, ⌊(w−1)/2⌋ after.
std::int64_t keys_after(const Shape& s) {
  if (s.causal) return 0;
  return s.window > 0 ? (s.window - 1) / 2 : s.seq;
}
std::int64_t keys_before(const Shape& s) {
  if (s.window == 0) return s.seq;
  return s.window - 1 - (s.causal ? 0 : (s.window - 1) / 2);
}

} // namespace

std::int64_t Shape::first_key(std::int64_t column) const {
  const std::int64_t position = seq - query_count() + column;
  return std::max<std::int64_t>(0, position - std::min(position, keys_before(*this)));
}

std::int64_t Shape::last_key(std::int64_t column) const {
  const std::int64_t position = seq - query_count() + column;
  return std::min(seq - 1, position + std::min(seq, keys_after(*this)));
}

std::int64_t Shape::scored_pairs() const {
  const std::int64_t nq = query_count();
  if (!causal && window == 0) return checked_mul(nq, seq);
  // P = Σ over query positions i = n − n_q … n − 1 of (last − first + 1).
  const Wide first_position = seq - nq, last_position = seq - 1, n = seq;
  const Wide after = keys_after(*this), before = keys_before(*this);
  const Wide lasts = sum_clamped(first_position + after, last_position + after, n - 1);
  const Wide firsts = sum_clamped(first_position - before, last_position - before, n - 1);
  return narrow(lasts - firsts + nq);
}

std::int64_t Shape::kv_cache_per_token() const {
  if (is_mla()) return checked_add(mla.kv_rank, mla.rope_dim);
  return checked_mul(kv_heads, checked_add(head_dim, value_dim()));
}

Shape worked_example() { return Shape{}; }

Shape single_head_of(const Shape& shape) {
  Shape single = shape;
  single.heads = 1;
  single.kv_heads = 1;
  single.head_dim = checked_mul(shape.heads, shape.head_dim);
  if (shape.v_head_dim > 0) single.v_head_dim = checked_mul(shape.heads, shape.v_head_dim);
  single.mla = MlaRanks{}; // the comparison is plain single-head attention
  return single;
}

const char* mla_form_key(MlaForm form) { return form == MlaForm::naive ? "naive" : "absorbed"; }

namespace {
void require_positive(std::int64_t value, ShapeField field, const char* what) {
  if (value < 1)
    throw ShapeError(std::string(what) + " must be at least 1, got " + std::to_string(value), field);
}
void require_not_negative(std::int64_t value, ShapeField field, const char* what) {
  if (value < 0)
    throw ShapeError(std::string(what) + " must not be negative, got " + std::to_string(value),
                     field);
}

void validate_mla(const Shape& shape) {
  const MlaRanks& m = shape.mla;
  require_not_negative(m.q_rank, ShapeField::mla_q_rank, "MLA query rank dq");
  require_not_negative(m.rope_dim, ShapeField::mla_rope_dim, "MLA RoPE width dr");
  if (!shape.is_mla()) {
    require_not_negative(m.kv_rank, ShapeField::mla_kv_rank, "MLA KV rank dc");
    if (m.q_rank > 0 || m.rope_dim > 0)
      throw ShapeError("MLA ranks need a KV rank dc of at least 1", ShapeField::mla_kv_rank);
    return;
  }
  if (shape.kv_heads != shape.heads)
    throw ShapeError("MLA has one k and v per query head: key/value heads Hkv must equal H (" +
                         std::to_string(shape.heads) + ")",
                     ShapeField::kv_heads);
  if (m.rope_dim >= shape.head_dim)
    throw ShapeError("MLA RoPE width dr must be less than head width dh (" +
                         std::to_string(shape.head_dim) + "), got " + std::to_string(m.rope_dim),
                     ShapeField::mla_rope_dim);
}
} // namespace

void validate(const Shape& shape) {
  validate_fields(shape);
  // Counting both the shape and its single-head comparison proves every
  // count fits in 64 bits; the counts are closed formulas, so this is instant.
  count(shape);
  count(single_head_of(shape));
}

void validate_fields(const Shape& shape) {
  require_positive(shape.seq, ShapeField::seq, "sequence length n (tokens)");
  require_positive(shape.d_model, ShapeField::d_model, "model width d");
  require_positive(shape.heads, ShapeField::heads, "query heads H");
  require_positive(shape.head_dim, ShapeField::head_dim, "head width dh");
  require_positive(shape.kv_heads, ShapeField::kv_heads, "key/value heads Hkv");
  require_not_negative(shape.queries, ShapeField::queries, "queries n_q");
  require_positive(shape.batch, ShapeField::batch, "batch B");
  require_not_negative(shape.window, ShapeField::window, "window w");
  require_not_negative(shape.v_head_dim, ShapeField::v_head_dim, "v head width dv");
  if (shape.queries > shape.seq)
    throw ShapeError("queries n_q (" + std::to_string(shape.queries) +
                         ") must not exceed the keys n (" + std::to_string(shape.seq) + ")",
                     ShapeField::queries);
  if (shape.kv_heads > shape.heads || shape.heads % shape.kv_heads != 0)
    throw ShapeError("key/value heads Hkv must divide query heads H (" +
                     std::to_string(shape.heads) + " heads cannot share " +
                     std::to_string(shape.kv_heads) + " key/value heads evenly)",
                     ShapeField::kv_heads);
  validate_mla(shape);
}

std::string describe(const Shape& shape) {
  std::string s = "n=" + std::to_string(shape.seq) + " d=" + std::to_string(shape.d_model) +
                  " H=" + std::to_string(shape.heads) + " dh=" + std::to_string(shape.head_dim);
  if (shape.kv_heads != shape.heads) s += " Hkv=" + std::to_string(shape.kv_heads);
  if (shape.v_head_dim > 0 && shape.v_head_dim != shape.head_dim)
    s += " dv=" + std::to_string(shape.v_head_dim);
  if (!shape.is_prefill()) s += " n_q=" + std::to_string(shape.query_count());
  if (shape.batch != 1) s += " B=" + std::to_string(shape.batch);
  if (shape.window > 0) s += " w=" + std::to_string(shape.window);
  if (shape.is_mla()) {
    s += " MLA " + std::string(mla_form_key(shape.mla.form)) + " dc=" +
         std::to_string(shape.mla.kv_rank) + " dr=" + std::to_string(shape.mla.rope_dim);
    if (shape.mla.q_rank > 0) s += " dq=" + std::to_string(shape.mla.q_rank);
  }
  if (shape.causal) s += " causal";
  return s;
}

} // namespace abh
