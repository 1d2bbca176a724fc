#pragma once
// The attention shape the user chose, in the notation of DESIGN.md.

#include <cstdint>
#include <string>

#include "core/checked_int.hpp" // ShapeError

namespace abh {

struct Shape {
  std::int64_t seq = 40;       // n: tokens, columns of X
  std::int64_t d_model = 36;   // d: rows of X, columns of Wqkv
  std::int64_t heads = 3;      // H: query heads
  std::int64_t head_dim = 12;  // dh
  std::int64_t kv_heads = 3;   // Hkv: key/value heads; divides H (H = MHA, 1 = MQA)
  bool causal = false;         // mask keys after the query

  // Checked: throw ShapeError rather than overflow.
  std::int64_t attention_width() const { return checked_mul(heads, head_dim); } // da = H·dh
  std::int64_t wqkv_rows() const {                                             // da + 2·Hkv·dh
    return checked_mul(checked_add(heads, checked_mul(2, kv_heads)), head_dim);
  }
  std::int64_t queries_per_kv_head() const { return heads / kv_heads; }
  std::int64_t kv_head_of(std::int64_t head) const { return head / queries_per_kv_head(); }
  // Pairs scored per head: n(n+1)/2 when causal, else n².
  std::int64_t scored_pairs() const;

  bool operator==(const Shape&) const = default;
};

// The worked example of DESIGN.md: n=40, d=36, H=3, dh=12.
Shape worked_example();

// The single-head comparison: one head as wide as all of them, one kv head.
Shape single_head_of(const Shape& shape);

// Throws ShapeError with one readable line if the shape is not valid or its
// counts overflow 64-bit integers.
void validate(const Shape& shape);

// "n=40 d=36 H=3 dh=12" (plus Hkv and causal when they differ from default).
std::string describe(const Shape& shape);

} // namespace abh
