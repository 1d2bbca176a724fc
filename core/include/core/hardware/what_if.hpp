#pragma once
// The hardware panel's what-if: the shape its machines run, which may differ
// from the main shape in its phase (a prefill of every token, or one decode
// step against the cache) and in its key/value heads (MHA, GQA, MQA). The
// main shape, its trace and its counts stay as they are.

#include <optional>
#include <string>
#include <string_view>

#include "core/shape.hpp"

namespace abh {

enum class WhatIfPhase { follow, prefill, decode };   // follow: the main shape's
enum class WhatIfHeads { follow, mha, gqa, mqa };     // follow: the main shape's

std::string_view what_if_key(WhatIfPhase phase); // "follow" | "prefill" | "decode"
std::string_view what_if_key(WhatIfHeads heads); // "follow" | "mha" | "gqa" | "mqa"
std::optional<WhatIfPhase> parse_what_if_phase(std::string_view key);
std::optional<WhatIfHeads> parse_what_if_heads(std::string_view key);

// The phase and heads the shape has: decode when n_q = 1 < n, else prefill
// (n_q > 1 counts as prefill); MHA when Hkv = H, MQA when Hkv = 1 < H, GQA
// between, none for MLA.
WhatIfPhase phase_of(const Shape& shape);
std::optional<WhatIfHeads> heads_of(const Shape& shape);

// `shape` with the what-if applied: decode keeps n keys and asks one query
// (the last token); prefill asks every token; MHA, GQA and MQA take Hkv as
// compare_variants does (GQA: the shape's own Hkv when it is GQA, else the
// divisor of H nearest H/4), from an MLA shape dropping its RoPE part.
// Throws ShapeError when the result is not a valid shape (GQA with H < 4,
// say), naming what is missing.
Shape what_if_shape(const Shape& shape, WhatIfPhase phase, WhatIfHeads heads);

// One line for the panel: "what if: decode step at this cache (n = 32768),
// GQA Hkv 8" or "the main shape" when nothing is changed.
std::string what_if_text(const Shape& main, const Shape& what_if);

} // namespace abh
