#include "core/shape.hpp"

#include "core/checked_int.hpp"
#include "core/counts.hpp"

namespace abh {

std::int64_t Shape::scored_pairs() const {
  if (!causal) return checked_mul(seq, seq);
  // n(n+1)/2 without overflowing before the halving.
  return seq % 2 == 0 ? checked_mul(seq / 2, checked_add(seq, 1))
                      : checked_mul(seq, checked_add(seq, 1) / 2);
}

Shape worked_example() { return Shape{}; }

Shape single_head_of(const Shape& shape) {
  Shape single = shape;
  single.heads = 1;
  single.kv_heads = 1;
  single.head_dim = checked_mul(shape.heads, shape.head_dim);
  return single;
}

namespace {
void require_positive(std::int64_t value, ShapeField field, const char* what) {
  if (value < 1)
    throw ShapeError(std::string(what) + " must be at least 1, got " + std::to_string(value), field);
}
} // namespace

void validate(const Shape& shape) {
  require_positive(shape.seq, ShapeField::seq, "sequence length n (tokens)");
  require_positive(shape.d_model, ShapeField::d_model, "model width d");
  require_positive(shape.heads, ShapeField::heads, "query heads H");
  require_positive(shape.head_dim, ShapeField::head_dim, "head width dh");
  require_positive(shape.kv_heads, ShapeField::kv_heads, "key/value heads Hkv");
  if (shape.kv_heads > shape.heads || shape.heads % shape.kv_heads != 0)
    throw ShapeError("key/value heads Hkv must divide query heads H (" +
                     std::to_string(shape.heads) + " heads cannot share " +
                     std::to_string(shape.kv_heads) + " key/value heads evenly)",
                     ShapeField::kv_heads);
  // Counting both the shape and its single-head comparison proves every
  // count fits in 64 bits; the counts are closed formulas, so this is instant.
  count(shape);
  count(single_head_of(shape));
}

std::string describe(const Shape& shape) {
  std::string s = "n=" + std::to_string(shape.seq) + " d=" + std::to_string(shape.d_model) +
                  " H=" + std::to_string(shape.heads) + " dh=" + std::to_string(shape.head_dim);
  if (shape.kv_heads != shape.heads) s += " Hkv=" + std::to_string(shape.kv_heads);
  if (shape.causal) s += " causal";
  return s;
}

} // namespace abh
