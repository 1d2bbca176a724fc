#pragma once
// The rules the controls follow when the user changes one number of a shape,
// kept out of the UI so they can be tested (DESIGN.md: the lesson is that
// heads re-slice the same Wqkv).

#include <cstdint>
#include <vector>

#include "core/shape.hpp"

namespace abh {

std::vector<std::int64_t> divisors(std::int64_t value); // ascending

// The divisor of `value` closest to `wanted` (ties go to the larger).
std::int64_t nearest_divisor(std::int64_t value, std::int64_t wanted);

// Changes heads. With keep_wqkv_height, H·dh stays fixed: heads snaps to the
// nearest divisor of H·dh and head_dim becomes H·dh / heads. kv_heads follows:
// MHA stays MHA, MQA stays MQA, otherwise the largest divisor of the new
// heads not above the old kv_heads.
Shape with_heads(const Shape& shape, std::int64_t heads, bool keep_wqkv_height);

} // namespace abh
