#pragma once
// The attention program, described once: an ordered list of typed stages,
// each with its operands, its output and its operation counts as data
// (products of the symbols of DESIGN.md). Counts, the brute-force reference,
// the trace, the hardware work, the layout, the reports and the stepper all
// iterate this list; adding a stage kind means adding it here.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape.hpp"

namespace abh {

// [SECTION] stages and operations

enum class Stage {
  projection,   // QKV = Wqkv·X
  scores,       // S_h = k_hᵀ·q_h
  scale,        // S_h / √dh
  softmax,      // A_h = softmax down each column
  weighted_sum, // Z_h = v_h·A_h
  output,       // O = Wo·Z
  attention,    // fused: scores, scale, softmax and weighted sum without storing S or A
  // MLA (multi-head latent attention), docs/design.md "Variants":
  latent_projection,   // C = Wd·X: [c_q (or q); c; k_rope], the down-projections
  query_up,            // Q = Wuq·c_q (only when queries are compressed, dq > 0)
  kv_up,               // naive: [k_nope_h; v_h] = Wukv·c for every cached key
  query_absorb,        // absorbed: q̃_h = Wuk_hᵀ·q_nope_h (W_UK folded into the query)
  latent_scores,       // absorbed: S_h = [c; k_rope]ᵀ·[q̃_h; q_rope_h]
  latent_weighted_sum, // absorbed: u_h = c·A_h
  value_up,            // absorbed: Z_h = Wuv_h·u_h (W_UV folded into the output side)
  latent_attention,    // fused absorbed: latent scores, scale, softmax, latent weighted sum
};
inline constexpr std::size_t stage_count = 15;
// The unfused program's stages, in order (what the counts table lists).
inline constexpr std::array<Stage, 6> all_stages{Stage::projection, Stage::scores,
                                                 Stage::scale,      Stage::softmax,
                                                 Stage::weighted_sum, Stage::output};
std::string_view stage_key(Stage stage);   // "weighted_sum": JSON keys
std::string_view stage_title(Stage stage); // "Weighted sum v·A": labels

enum class Operation { dot_products, multiplies, adds, exps, divides };
inline constexpr std::array<Operation, 5> all_operations{
    Operation::dot_products, Operation::multiplies, Operation::adds, Operation::exps,
    Operation::divides};
std::string_view operation_key(Operation op);  // "dot_products"
std::string_view operation_name(Operation op); // "dot products"

// What kind of unit a stage's arithmetic wants.
enum class StageKind {
  matmul,      // dot products: a matrix unit
  elementwise, // one value in, one out: a vector unit
  reduction,   // along columns (softmax): vector and special-function units
  fused,       // several stages, their intermediates kept on chip
};

// [SECTION] symbols: the shape's numbers as DESIGN.md names them

enum class Symbol {
  n,          // keys n_kv (tokens in context; = n_q in a prefill)
  d,          // model width
  H,          // query heads
  dh,         // q/k head width
  Hkv,        // key/value heads
  da,         // width of Z and columns of Wo: H·dv (= H·dh unless dv differs)
  qkv_rows,   // rows of Wqkv: H·dh + Hkv·(dh + dv)
  P,          // pairs each head scores, exact for every mask: n², n(n+1)/2, …
  P_minus_nq, // P − n_q: adds of column sums (every query sees at least one key)
  d_minus_1,
  dh_minus_1,
  da_minus_1,
  nq,         // queries n_q: new tokens (columns of X, Q, Z, O)
  B,          // batch: every count is per sequence times B
  dv,         // v head width
  // MLA (zero when the shape is not MLA)
  dq,          // query latent width (0: queries not compressed)
  dc,          // cached KV latent width
  dr,          // RoPE part of q and k per head
  dn,          // nope part: dh − dr
  dcr,         // dc + dr: what absorbed scores read per key
  q_rows,      // H·dh: rows of Q
  down_rows,   // rows of Wd: (dq or H·dh) + dc + dr
  kv_up_rows,  // rows of Wukv: H·(dn + dv)
  dq_minus_1,
  dc_minus_1,
  dn_minus_1,
  dcr_minus_1,
};
inline constexpr std::size_t symbol_count = 27;

struct SymbolValues {
  std::array<std::int64_t, symbol_count> values{};
  std::int64_t operator[](Symbol s) const { return values[static_cast<std::size_t>(s)]; }
};
// Throws ShapeError when a value overflows 64 bits.
SymbolValues symbol_values(const Shape& shape);
// "n²" or "n(n+1)/2" for P, as a teacher writes them; "n" for n_q in a
// prefill, "n_q" otherwise.
std::string symbol_text(Symbol s, const Shape& shape);
// The value as written in a substituted formula: "1,600" or "40²".
std::string symbol_value_text(Symbol s, const Shape& shape);

// A product of symbols: the shape of every count and every matrix size.
struct Product {
  std::vector<Symbol> factors;
  std::int64_t value(const SymbolValues& v) const; // checked
};

// [SECTION] the program

// A matrix that a stage reads or writes. `per_head`: there is one per query
// head (q_h, S_h) or per kv head (k_h, v_h), named with the head's number.
enum class HeadScope { none, query_head, kv_head };
struct MatrixRef {
  std::string_view name;  // "S" (shown as S_2 for head 2), "Wqkv"
  Symbol rows, cols;
  HeadScope scope = HeadScope::none;
  bool transposed = false; // read as its transpose (kᵀ)
  Product elements;        // elements actually stored (P for a causal S)
  bool given = false;      // an input or a weight (X, Wqkv, Wo), not computed
};

struct CountTerm {
  Operation op;
  Product product;
};

struct StageSpec {
  Stage id;
  StageKind kind;
  std::vector<MatrixRef> operands; // left to right, as the product is written
  MatrixRef output;
  std::optional<Symbol> reduction; // length of each dot product (matmul only)
  bool masked = false;             // causal or windowed: only P of the n·n_q cells exist
  std::vector<CountTerm> counts;   // per operation, in table order
  std::vector<Stage> parts;        // the stages a fused stage runs
};

struct AttentionProgram {
  Shape shape;
  SymbolValues symbols;
  std::vector<StageSpec> stages; // in execution order

  const StageSpec* find(Stage id) const;
};

// The unfused program: projection, scores, scale, softmax, weighted sum,
// output. `fused`: projection, attention, output. MLA shapes run their own
// stage lists (program_stages). Throws ShapeError on overflow.
AttentionProgram attention_program(const Shape& shape, bool fused = false);

// The stages of the shape's program, in order:
//   standard      projection, scores, scale, softmax, weighted_sum, output
//   MLA naive     latent_projection, [query_up], kv_up, scores, scale, softmax,
//                 weighted_sum, output
//   MLA absorbed  latent_projection, [query_up], query_absorb, latent_scores,
//                 scale, softmax, latent_weighted_sum, value_up, output
// `fused` replaces scores … weighted sum by attention (latent_attention).
std::vector<Stage> program_stages(const Shape& shape, bool fused = false);

// The spec of one stage (every Stage; the fused ones sum their parts).
StageSpec stage_spec(Stage id);

} // namespace abh
