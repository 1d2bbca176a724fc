#pragma once
// The attention shape the user chose, in the notation of DESIGN.md.
//
// Variants (docs/design.md, "Variants"): n_q queries against n_kv = n keys
// (prefill n_q = n; a decode step n_q = 1, the queries being the last n_q
// positions), a batch of B sequences, a sliding window of w keys, GQA/MQA
// (Hkv dividing H), a v head width dv that may differ from dh, and MLA
// (multi-head latent attention) in its naive and absorbed forms. A field at
// its default (0 where noted) leaves the original program unchanged.

#include <cstdint>
#include <string>

#include "core/checked_int.hpp" // ShapeError

namespace abh {

// Multi-head latent attention (DeepSeek-V2/V3): K and V come from a cached
// latent c of width dc plus one shared RoPE key of width dr.
enum class MlaForm {
  naive,    // up-project c to per-head k (nope part) and v, then attend as usual
  absorbed, // fold W_UK into the query and W_UV into the output; score against c directly
};

struct MlaRanks {
  std::int64_t q_rank = 0;   // dq: query latent width (0 = queries not compressed)
  std::int64_t kv_rank = 0;  // dc: cached KV latent width (0 = not MLA)
  std::int64_t rope_dim = 0; // dr: RoPE part of q and k per head, shared k across heads
  MlaForm form = MlaForm::naive;
  bool operator==(const MlaRanks&) const = default;
};

struct Shape {
  std::int64_t seq = 40;       // n = n_kv: keys (tokens in context)
  std::int64_t d_model = 36;   // d: rows of X, columns of Wqkv
  std::int64_t heads = 3;      // H: query heads
  std::int64_t head_dim = 12;  // dh: q/k head width (with MLA: nope + rope part)
  std::int64_t kv_heads = 3;   // Hkv: key/value heads; divides H (H = MHA, 1 = MQA)
  bool causal = false;         // mask keys after the query
  std::int64_t queries = 0;    // n_q: new tokens that query (0 = n, a prefill)
  std::int64_t batch = 1;      // B: sequences computed together
  std::int64_t window = 0;     // w: keys each query sees at most (0 = all)
  std::int64_t v_head_dim = 0; // dv: v head width (0 = dh)
  MlaRanks mla;                // MLA when mla.kv_rank > 0

  // Checked: throw ShapeError rather than overflow.
  std::int64_t query_count() const { return queries > 0 ? queries : seq; } // n_q
  std::int64_t value_dim() const { return v_head_dim > 0 ? v_head_dim : head_dim; } // dv
  bool is_mla() const { return mla.kv_rank > 0; }
  bool is_prefill() const { return query_count() == seq; }
  std::int64_t attention_width() const { return checked_mul(heads, head_dim); } // H·dh: rows of Q
  std::int64_t value_width() const { return checked_mul(heads, value_dim()); }  // da = H·dv: rows of Z
  std::int64_t wqkv_rows() const { // H·dh + Hkv·(dh + dv)
    return checked_add(attention_width(),
                       checked_mul(kv_heads, checked_add(head_dim, value_dim())));
  }
  std::int64_t queries_per_kv_head() const { return heads / kv_heads; }
  std::int64_t kv_head_of(std::int64_t head) const { return head / queries_per_kv_head(); }
  // P: pairs scored per head and sequence, exact for every mask (causal,
  // window, n_q < n): n² or n(n+1)/2 for a plain prefill.
  std::int64_t scored_pairs() const;
  // Keys query column c (0 ≤ c < n_q) sees: [first, last], both inclusive.
  std::int64_t first_key(std::int64_t column) const;
  std::int64_t last_key(std::int64_t column) const;
  bool visible(std::int64_t key, std::int64_t column) const {
    return key >= first_key(column) && key <= last_key(column);
  }
  // KV cache elements one token adds to one layer (no batch): Hkv·(dh + dv),
  // or dc + dr for MLA.
  std::int64_t kv_cache_per_token() const;

  bool operator==(const Shape&) const = default;
};

// The worked example of DESIGN.md: n=40, d=36, H=3, dh=12.
Shape worked_example();

// The single-head comparison: one head as wide as all of them, one kv head.
Shape single_head_of(const Shape& shape);

// Throws ShapeError with one readable line if the shape is not valid or its
// counts overflow 64-bit integers.
void validate(const Shape& shape);
// The same without the counts: every field in range and consistent. Enough
// where the shape's matrices are already allocated (sizes that fit in memory
// count far below 64 bits).
void validate_fields(const Shape& shape);

// "n=40 d=36 H=3 dh=12" (plus Hkv, causal and each variant when not default).
std::string describe(const Shape& shape);

// "naive" | "absorbed".
const char* mla_form_key(MlaForm form);

} // namespace abh
