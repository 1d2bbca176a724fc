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
void require_positive(std::int64_t value, const char* flag, const char* meaning) {
  if (value < 1)
    throw ShapeError(std::string(flag) + " must be at least 1 (" + meaning + "), got " +
                     std::to_string(value));
}
} // namespace

void validate(const Shape& shape) {
  require_positive(shape.seq, "--seq", "tokens");
  require_positive(shape.d_model, "--d-model", "model width");
  require_positive(shape.heads, "--heads", "query heads");
  require_positive(shape.head_dim, "--head-dim", "width of one head");
  require_positive(shape.kv_heads, "--kv-heads", "key/value heads");
  if (shape.kv_heads > shape.heads || shape.heads % shape.kv_heads != 0)
    throw ShapeError("--kv-heads must divide --heads (" + std::to_string(shape.heads) +
                     " heads cannot share " + std::to_string(shape.kv_heads) +
                     " key/value heads evenly)");
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
