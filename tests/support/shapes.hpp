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
         " Hkv=" + std::to_string(s.kv_heads) + (s.causal ? " causal" : "") +
         (s == Shape{s.seq, s.d_model, s.heads, s.head_dim, s.kv_heads, s.causal, 0, 1, 0, 0, {}}
              ? ""
              : " (" + describe(s) + ")");
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

// The variants (docs/design.md, "Variants"), each on top of a small shape:
// decode steps and n_q < n, windows (causal and centred), batches, a v width
// that differs from dh, H·dh ≠ d, and MLA in both forms with and without
// query compression. Across the table every symbol of program.hpp takes
// values that tell it apart from the others.
inline Shape with_variant(Shape s, std::int64_t queries, std::int64_t batch, std::int64_t window,
                          std::int64_t v_head_dim) {
  s.queries = queries;
  s.batch = batch;
  s.window = window;
  s.v_head_dim = v_head_dim;
  return s;
}

inline Shape with_mla(Shape s, std::int64_t q_rank, std::int64_t kv_rank, std::int64_t rope_dim,
                      MlaForm form) {
  s.kv_heads = s.heads;
  s.mla = {q_rank, kv_rank, rope_dim, form};
  return s;
}

inline const std::vector<ShapeCase>& variant_cases() {
  static const std::vector<ShapeCase> cases{
      {"decode step, causal", with_variant(make_shape(9, 6, 4, 3, 2, true), 1, 1, 0, 0)},
      {"decode step, full", with_variant(make_shape(7, 5, 2, 4, 1), 1, 1, 0, 0)},
      {"3 queries of 8, causal", with_variant(make_shape(8, 4, 3, 2, 3, true), 3, 1, 0, 0)},
      {"4 queries of 6, full", with_variant(make_shape(6, 7, 2, 3, 2), 4, 1, 0, 0)},
      {"window 3, causal prefill", with_variant(make_shape(10, 5, 2, 3, 1, true), 0, 1, 3, 0)},
      {"window 4, centred prefill", with_variant(make_shape(9, 4, 2, 2, 2), 0, 1, 4, 0)},
      {"window 3, centred, 2 queries", with_variant(make_shape(8, 3, 3, 2, 1), 2, 1, 3, 0)},
      {"window 5, causal decode", with_variant(make_shape(11, 6, 4, 2, 2, true), 1, 1, 5, 0)},
      {"window 4, causal, 5 queries", with_variant(make_shape(9, 5, 2, 3, 2, true), 5, 1, 4, 0)},
      {"window wider than n", with_variant(make_shape(4, 3, 2, 2, 1, true), 0, 1, 9, 0)},
      {"batch 2", with_variant(make_shape(5, 4, 2, 3, 1, true), 0, 2, 0, 0)},
      {"batch 3, decode, window", with_variant(make_shape(7, 3, 2, 2, 2, true), 1, 3, 2, 0)},
      {"v wider than q/k", with_variant(make_shape(6, 5, 3, 2, 1), 0, 1, 0, 5)},
      {"v narrower, causal GQA", with_variant(make_shape(7, 6, 4, 4, 2, true), 0, 1, 0, 1)},
      {"H·dh larger than d", with_variant(make_shape(5, 3, 4, 5, 2, true), 2, 1, 0, 0)},
      {"MLA naive, no query compression",
       with_mla(with_variant(make_shape(6, 7, 2, 5, 2, true), 0, 1, 0, 3), 0, 4, 2, MlaForm::naive)},
      {"MLA naive, dq, decode",
       with_mla(with_variant(make_shape(7, 6, 3, 4, 3, true), 1, 1, 0, 2), 3, 5, 1, MlaForm::naive)},
      {"MLA absorbed, no query compression",
       with_mla(with_variant(make_shape(6, 5, 2, 5, 2, true), 0, 1, 0, 3), 0, 4, 2, MlaForm::absorbed)},
      {"MLA absorbed, dq, decode",
       with_mla(with_variant(make_shape(7, 6, 3, 4, 3, true), 1, 1, 0, 2), 3, 5, 1, MlaForm::absorbed)},
      {"MLA absorbed, window, batch 2",
       with_mla(with_variant(make_shape(8, 4, 2, 6, 2, true), 3, 2, 3, 0), 2, 3, 2, MlaForm::absorbed)},
      {"MLA naive, window, batch 2",
       with_mla(with_variant(make_shape(8, 4, 2, 6, 2, true), 3, 2, 3, 0), 2, 3, 2, MlaForm::naive)},
      {"MLA absorbed, full, wide v",
       with_mla(with_variant(make_shape(5, 7, 4, 4, 4), 0, 1, 0, 6), 6, 2, 2, MlaForm::absorbed)},
  };
  return cases;
}

// The standard table and the variant table together.
inline std::vector<ShapeCase> all_cases() {
  std::vector<ShapeCase> all = small_cases();
  all.insert(all.end(), variant_cases().begin(), variant_cases().end());
  return all;
}

// The small shape of the "done when" (n 4, d 6, H 2), as flags.
inline const std::string small_shape_flags = "--seq 4 --d-model 6 --heads 2 --head-dim 3";

} // namespace abh::test
