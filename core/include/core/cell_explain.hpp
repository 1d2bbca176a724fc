#pragma once
// Where one cell of a trace comes from, as data: its operands (which row and
// column of which matrices), every term of its dot product, and for softmax
// the exps of its column and their sum. The UI renders it as a tooltip and
// highlights the sources; the stepper walks the same terms.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/trace.hpp"

namespace abh {

// A row or column of a matrix of the trace that a cell reads.
struct CellSource {
  const NamedMatrix* matrix = nullptr;
  bool is_row = true;      // a row (else a column) of `matrix`
  std::int64_t index = 0;  // 0-based
  std::int64_t first = 0;  // the part of that row/column read: [first, first + count)
  std::int64_t count = 0;
  std::string text;        // "row 5 of k_2ᵀ", "column 7 of q_2"
};

struct DerivationTerm {
  double left = 0, right = 0; // product = left × right
};

enum class CellKind {
  input,        // X, Wqkv, Wo: given
  dot_product,  // QKV, S_h, Z_h, O: terms summed
  softmax,      // A_h: exp of the scaled score over its column's sum
  copy,         // Z: stacked from Z_h
  masked,       // a causal mask hides it: 0 (A) or not computed (S)
};

struct CellDerivation {
  CellKind kind = CellKind::input;
  std::string cell;      // "S_2[5, 7]"
  double value = 0;      // as the trace holds it
  std::string meaning;   // "key 5 · query 7 of head 2"
  std::vector<CellSource> sources;   // dot product: left, right; softmax: the S column
  std::vector<DerivationTerm> terms; // dot product: every term, zeros included
  std::optional<double> scaled;      // S: the value over √dh
  // Softmax: exp(s_i/√dh − max) of each visible key of the column, their
  // sum, and which of them is this cell.
  std::vector<double> exps;
  double exp_sum = 0;
  std::int64_t exp_index = 0;
};

// `matrix` is a NamedMatrix of `trace` (X, Wqkv, QKV, S_h, A_h, Z_h, Z, Wo, O,
// or of its MLA latent path: then QKV's cells come from that path too).
CellDerivation derive_cell(const AttentionTrace& trace, const NamedMatrix& matrix,
                           std::int64_t row, std::int64_t col);

// "3×(−2) + 1×0 + … = −6": the first `shown` terms of a dot product and the
// sum of those terms (the running sum of a stepper at term `shown`).
std::string running_sum_text(const std::vector<DerivationTerm>& terms, std::size_t shown);

// The derivation as lines of text (tooltips): at least the first
// `max_terms` terms of a dot product, then "… (N terms)".
std::vector<std::string> derivation_lines(const CellDerivation& derivation,
                                          std::size_t max_terms = 24);

// derivation_lines(derive_cell(...)).
std::vector<std::string> explain_cell(const AttentionTrace& trace, const NamedMatrix& matrix,
                                      std::int64_t row, std::int64_t col);

} // namespace abh
