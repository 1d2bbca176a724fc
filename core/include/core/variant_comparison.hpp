#pragma once
// MHA, GQA, MQA and MLA at one width: the shape's d, H, dh, n, n_q, B, window
// and mask, with only the key/value side changed (docs/design.md, "Comparing
// the variants"). Every figure is read from count() and the shape's own
// closed forms; nothing here counts anything itself.

#include <cstdint>
#include <string>
#include <vector>

#include "core/model.hpp" // DtypeBytes
#include "core/shape.hpp"

namespace abh {

enum class AttentionVariant { mha, gqa, mqa, mla };
const char* variant_name(AttentionVariant variant); // "MHA" | "GQA" | "MQA" | "MLA"

struct VariantFigures {
  AttentionVariant variant = AttentionVariant::mha;
  Shape shape;          // the variant at the compared width
  bool current = false; // shape equals the shape compared: the one on screen
  // What sets the variant's KV side: "Hkv 8" or "dc 512 · dr 64 · dq 1536".
  std::string detail;
  std::int64_t kv_cache_per_token = 0;    // elements, one layer: Hkv·(dh+dv) or dc+dr
  DtypeBytes kv_cache_bytes_per_token;    // the same in bytes per dtype
  std::int64_t multiplies = 0;            // every multiply of the variant's program
  std::int64_t tokens = 0;                // tokens it computes: n_q·B
  double multiplies_per_token = 0;        // multiplies / tokens
  std::int64_t score_dot_products = 0;    // scores (MLA absorbed: latent scores)
  std::int64_t score_memory = 0;          // elements of S held whole: B·H·n_q·n
  std::int64_t attention_params = 0;      // Wqkv (MLA: its factors) + Wo
};

struct VariantComparison {
  // MHA, GQA (absent when H has no divisor strictly between 1 and H), MQA, MLA.
  std::vector<VariantFigures> variants;
  std::string absent; // why a variant is missing ("GQA: H = 3 has no divisor …"), or ""
};

// The variants at `shape`'s width:
//   MHA  Hkv = H.
//   GQA  Hkv = the shape's own when it is GQA (1 < Hkv < H); else the divisor
//        of H strictly between 1 and H nearest H/4 (a tie takes the larger).
//   MQA  Hkv = 1.
//   MLA  the shape's ranks and form when it is MLA; else the absorbed form with
//        DeepSeek V3's ratios to the no-RoPE head width dh: dc = 4·dh,
//        dr = ⌊dh/2⌋ (q/k heads dh + dr wide), dq = 12·dh when that is
//        narrower than d (otherwise 0: queries are not compressed), dv kept.
// From an MLA shape the other three drop the RoPE part: dh − dr, dv kept.
// Throws ShapeError when the shape is invalid, or naming the variant when a
// variant of it is (its counts overflow, say).
VariantComparison compare_variants(const Shape& shape);

} // namespace abh
