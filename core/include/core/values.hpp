#pragma once
// The input values of a trace: X, Wqkv and Wo, deterministic from a seed.
// Each element is a hash of (seed, matrix, part, row, column), so values do
// not depend on the rest of the shape: more tokens add columns of X, and
// changing heads at a fixed H·dh keeps exactly the same weights.
// (By-hand weights also pick their non-zero columns by that hash, so a
// row's pattern depends on d; the example sentence is set by hand.)

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include <Eigen/Core>

#include "core/shape.hpp"

namespace abh {

enum class ValueMode {
  by_hand,        // X in {-1, 0, 1}; each weight row has 3 non-zeros ±1: every product is small
  small_integers, // X, Wqkv, Wo from {-3, …, 3}: one dot product checks by hand
  gaussian,       // X ~ N(0,1); weights ~ N(0,1)/√fan-in, as real initialisations
  sentence,       // the hand-set example sentence (example_sentence.hpp); seed unused
};
inline constexpr std::array<ValueMode, 4> all_value_modes{
    ValueMode::by_hand, ValueMode::small_integers, ValueMode::gaussian, ValueMode::sentence};
// "by_hand" | "small_integers" | "gaussian" | "sentence": state files and --values.
std::string_view value_mode_key(ValueMode mode);
// "by hand" | "small integers" | "Gaussian" | "example sentence": labels.
std::string_view value_mode_label(ValueMode mode);
std::optional<ValueMode> value_mode_from_key(std::string_view key);

// By-hand weights: non-zero entries in each row of Wqkv and Wo (fewer when
// the row is shorter). With X in {-1, 0, 1}, |QKV| ≤ 3 and |O| ≤ 3·max|Z|.
inline constexpr int by_hand_row_nonzeros = 3;
// By-hand MLA up-projections (Wuq, Wukv): one ±1 per row, so each q, k and v
// entry is ± one latent entry and stays within ±3, as without MLA.
inline constexpr int by_hand_up_nonzeros = 1;

struct Inputs {
  Eigen::MatrixXf X;           // d × n: every token; the queries are the last n_q columns
  Eigen::MatrixXf Wqkv_blocks; // (H·dh + Hkv·(dh+dv)) × d, rows in [Q; K; V] order
                               // (MLA: the per-head equivalent of its factors below)
  Eigen::MatrixXf Wo;          // d × H·dv
  // MLA only (empty otherwise). Head h's q rows are [q_nope (dn); q_rope (dr)].
  Eigen::MatrixXf Wd;   // ((dq or H·dh) + dc + dr) × d: rows [c_q or q; c; k_rope]
  Eigen::MatrixXf Wuq;  // H·dh × dq (dq > 0)
  Eigen::MatrixXf Wukv; // H·(dn + dv) × dc: rows [Wuk_1 … Wuk_H (dn each); Wuv_1 … Wuv_H (dv each)]
};

// The MLA weights multiplied out into one per-head Wqkv ([Q; K; V] blocks,
// H kv heads, k_h = [Wuk_h·c; k_rope]): the same attention, unfactored.
Eigen::MatrixXf mla_equivalent_wqkv(const Shape& shape, const Inputs& inputs);

// Throws ShapeError for ValueMode::sentence at a shape the sentence does not
// have (sentence_fits in example_sentence.hpp).
Inputs make_inputs(const Shape& shape, ValueMode mode, std::uint64_t seed);

} // namespace abh
