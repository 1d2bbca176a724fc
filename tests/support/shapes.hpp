#pragma once
// Shapes for tests: one constructor with the fields in Shape's order, and one
// table of small cases (every attention variant, both masks, the degenerate
// sizes) that the count tests and the trace tests all iterate.

#include <cstdint>
#include <string>
#include <vector>

#include "core/shape.hpp"

namespace abh::test {

// Arguments in the order of Shape's fields: n, d, H, dh, Hkv.
inline Shape make_shape(std::int64_t seq, std::int64_t d_model, std::int64_t heads,
                        std::int64_t head_dim, std::int64_t kv_heads, bool causal = false) {
  Shape s;
  s.seq = seq;
  s.d_model = d_model;
  s.heads = heads;
  s.head_dim = head_dim;
  s.kv_heads = kv_heads;
  s.causal = causal;
  return s;
}

// "seq=5 d=7 H=4 dh=3 Hkv=2 causal": every field, for failure messages.
inline std::string shape_text(const Shape& s) {
  return "seq=" + std::to_string(s.seq) + " d=" + std::to_string(s.d_model) +
         " H=" + std::to_string(s.heads) + " dh=" + std::to_string(s.head_dim) +
         " Hkv=" + std::to_string(s.kv_heads) + (s.causal ? " causal" : "");
}

struct ShapeCase {
  const char* name; // what the case is there to exercise
  Shape shape;
};

// Small enough for the plain-loop reference. Across the table n, d, H, dh and
// Hkv take different values, so a count formula with one symbol swapped for
// another, or one dropped, disagrees with the reference on some case.
inline const std::vector<ShapeCase>& small_cases() {
  static const std::vector<ShapeCase> cases{
      {"all ones", make_shape(1, 1, 1, 1, 1)},
      {"one token, causal GQA", make_shape(1, 4, 2, 3, 1, true)},
      {"single head", make_shape(5, 4, 1, 6, 1)},
      {"single head, causal", make_shape(6, 3, 1, 5, 1, true)},
      {"MHA", make_shape(6, 5, 3, 2, 3)},
      {"MHA, causal", make_shape(6, 5, 3, 2, 3, true)},
      {"GQA, 2 queries per kv head", make_shape(7, 8, 4, 3, 2)},
      {"GQA, 2 queries per kv head, causal", make_shape(7, 8, 4, 3, 2, true)},
      {"GQA, 3 queries per kv head", make_shape(4, 3, 6, 2, 2)},
      {"MQA", make_shape(5, 6, 3, 4, 1)},
      {"MQA, causal", make_shape(9, 6, 3, 4, 1, true)},
      {"head width 1", make_shape(8, 3, 5, 1, 5, true)},
      {"model width 1", make_shape(3, 1, 2, 5, 1)},
      {"worked example", make_shape(40, 36, 3, 12, 3)},
      {"worked example, causal", make_shape(40, 36, 3, 12, 3, true)},
      {"several 128-query blocks, causal GQA", make_shape(140, 16, 4, 4, 2, true)},
  };
  return cases;
}

} // namespace abh::test
