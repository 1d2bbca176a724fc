#include "core/hardware/what_if.hpp"

#include "core/variant_comparison.hpp"

namespace abh {

std::string_view what_if_key(WhatIfPhase phase) {
  switch (phase) {
  case WhatIfPhase::follow: return "follow";
  case WhatIfPhase::prefill: return "prefill";
  case WhatIfPhase::decode: return "decode";
  }
  return "follow";
}

std::string_view what_if_key(WhatIfHeads heads) {
  switch (heads) {
  case WhatIfHeads::follow: return "follow";
  case WhatIfHeads::mha: return "mha";
  case WhatIfHeads::gqa: return "gqa";
  case WhatIfHeads::mqa: return "mqa";
  }
  return "follow";
}

std::optional<WhatIfPhase> parse_what_if_phase(std::string_view key) {
  for (WhatIfPhase p : {WhatIfPhase::follow, WhatIfPhase::prefill, WhatIfPhase::decode})
    if (key == what_if_key(p)) return p;
  return std::nullopt;
}

std::optional<WhatIfHeads> parse_what_if_heads(std::string_view key) {
  for (WhatIfHeads h : {WhatIfHeads::follow, WhatIfHeads::mha, WhatIfHeads::gqa, WhatIfHeads::mqa})
    if (key == what_if_key(h)) return h;
  return std::nullopt;
}

WhatIfPhase phase_of(const Shape& shape) {
  return shape.query_count() == 1 && shape.seq > 1 ? WhatIfPhase::decode : WhatIfPhase::prefill;
}

std::optional<WhatIfHeads> heads_of(const Shape& shape) {
  if (shape.is_mla()) return std::nullopt;
  if (shape.kv_heads == shape.heads) return WhatIfHeads::mha;
  return shape.kv_heads == 1 ? WhatIfHeads::mqa : WhatIfHeads::gqa;
}

Shape what_if_shape(const Shape& shape, WhatIfPhase phase, WhatIfHeads heads) {
  Shape s = shape;
  if (heads != WhatIfHeads::follow && heads_of(shape) != heads) {
    const AttentionVariant wanted = heads == WhatIfHeads::mha   ? AttentionVariant::mha
                                    : heads == WhatIfHeads::gqa ? AttentionVariant::gqa
                                                                : AttentionVariant::mqa;
    const VariantComparison variants = compare_variants(shape);
    bool found = false;
    for (const VariantFigures& v : variants.variants)
      if (v.variant == wanted) {
        s = v.shape;
        found = true;
      }
    if (!found) throw ShapeError(variants.absent);
  }
  if (phase == WhatIfPhase::decode) s.queries = s.seq > 1 ? 1 : 0;
  if (phase == WhatIfPhase::prefill) s.queries = 0;
  validate(s);
  return s;
}

std::string what_if_text(const Shape& main, const Shape& what_if) {
  if (main == what_if) return "the main shape";
  std::string text = "what if: ";
  text += phase_of(what_if) == WhatIfPhase::decode
              ? "decode step at this cache (n = " + std::to_string(what_if.seq) + ")"
              : "prefill of all " + std::to_string(what_if.seq) + " tokens";
  if (what_if.kv_heads != main.kv_heads || what_if.is_mla() != main.is_mla()) {
    const std::optional<WhatIfHeads> h = heads_of(what_if);
    text += h == WhatIfHeads::mha   ? ", MHA"
            : h == WhatIfHeads::mqa ? ", MQA"
                                    : ", GQA";
    text += " Hkv " + std::to_string(what_if.kv_heads);
  }
  return text + " (the main shape is unchanged)";
}

} // namespace abh
