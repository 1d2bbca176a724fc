#pragma once
// Where one cell of a trace comes from, in words and numbers: "S_2[5, 7] =
// column 5 of k_2 · column 7 of q_2 = 3×(−2) + …". The UI shows these lines
// on hover; the arithmetic stays here.

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.hpp"

namespace abh {

// `matrix` is a NamedMatrix of `trace` (X, Wqkv, QKV, S_h, A_h, Z_h, Z, Wo, O).
std::vector<std::string> explain_cell(const AttentionTrace& trace, const NamedMatrix& matrix,
                                      std::int64_t row, std::int64_t col);

} // namespace abh
