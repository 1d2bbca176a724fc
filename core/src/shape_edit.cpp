#include "core/shape_edit.hpp"

#include <algorithm>
#include <cstdlib>

namespace abh {

std::vector<std::int64_t> divisors(std::int64_t value) {
  std::vector<std::int64_t> small, large;
  for (std::int64_t i = 1; i * i <= value; ++i) {
    if (value % i != 0) continue;
    small.push_back(i);
    if (i != value / i) large.push_back(value / i);
  }
  small.insert(small.end(), large.rbegin(), large.rend());
  return small;
}

std::int64_t nearest_divisor(std::int64_t value, std::int64_t wanted) {
  std::int64_t best = 1;
  for (std::int64_t d : divisors(value))
    if (std::llabs(d - wanted) <= std::llabs(best - wanted)) best = d;
  return best;
}

Shape with_heads(const Shape& shape, std::int64_t heads, bool keep_wqkv_height) {
  Shape out = shape;
  if (keep_wqkv_height) {
    const std::int64_t width = shape.heads * shape.head_dim;
    out.heads = nearest_divisor(width, std::max<std::int64_t>(heads, 1));
    out.head_dim = width / out.heads;
  } else {
    out.heads = std::max<std::int64_t>(heads, 1);
  }
  if (shape.kv_heads == shape.heads) out.kv_heads = out.heads;
  else if (shape.kv_heads == 1) out.kv_heads = 1;
  else {
    out.kv_heads = 1;
    for (std::int64_t d : divisors(out.heads))
      if (d <= shape.kv_heads) out.kv_heads = d;
  }
  return out;
}

} // namespace abh
