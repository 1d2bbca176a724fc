#pragma once
// MLA's latent path, as the trace computes it (docs/design.md "Variants"),
// from the same inputs as the counts and the reference (values.hpp: Wd, Wuq,
// Wukv), features × tokens:
//   C_KV = W_DKV·X   dc × n   the KV cache: dc per token
//   k_R  = W_KR·X    dr × n   one RoPE key shared by every head
//   c_Q  = W_DQ·X    dq × n   (dq > 0) then Q = W_UQ·c_Q; else Q = W_Q·X
//   K    = W_UK·C_KV H·dn × n head h's rows h·dn … (the no-RoPE part)
//   V    = W_UV·C_KV H·dv × n head h's rows h·dv …
// Head h attends with q_h = rows h·dh … of Q (its last dr rows the RoPE
// part), k_h = [K rows of h; k_R] and v_h = V rows of h. RoPE's rotation is
// omitted (the identity): dr only sizes the shared key. The trace's QKV holds
// exactly these rows, so its S_h, A_h, Z_h and O are what MLA computes (the
// naive form; the absorbed form reorders the same products).

#include <cstdint>
#include <memory>
#include <vector>

#include "core/cell_explain.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"

namespace abh {

struct MlaTrace {
  MlaRanks ranks;                           // of the shape asked for
  std::int64_t heads = 0, head_dim = 0, value_dim = 0; // H, dh (= dn + dr), dv
  NamedMatrix W_DKV; // dc × d
  NamedMatrix W_KR;  // dr × d
  NamedMatrix W_DQ;  // dq × d; named W_Q (H·dh × d) when queries are not compressed
  NamedMatrix W_UQ;  // H·dh × dq (empty when dq = 0)
  NamedMatrix W_UK;  // H·dn × dc
  NamedMatrix W_UV;  // H·dv × dc
  NamedMatrix C_KV;  // dc × n: the cache
  NamedMatrix k_R;   // dr × n
  NamedMatrix c_Q;   // dq × n (empty when dq = 0)
  NamedMatrix Q;     // H·dh × n: the query rows of every head (Q = W_Q·X when dq = 0)
  NamedMatrix K;     // H·dn × n
  NamedMatrix V;     // H·dv × n

  std::int64_t nope_dim() const { return head_dim - ranks.rope_dim; } // dn
  bool compressed_queries() const { return ranks.q_rank > 0; }
  // Every matrix held, in the order the path computes them: each product's
  // weight, then its output (TraceMatrix::stage: latent_projection, query_up
  // or kv_up; none for a weight).
  std::vector<TraceMatrix> matrices() const;
};

// Floats an MLA trace of `shape` holds beyond the per-head matrices
// (trace_bytes adds them); 0 when not MLA. ShapeError on overflow.
std::int64_t mla_trace_floats(const Shape& shape);

// Computes the latent path of an MLA `shape` from `inputs` and `trace.X`,
// and writes each head's q, k and v rows into `trace.QKV` (already sized,
// rows in trace.options.layout order of trace.shape).
std::shared_ptr<const MlaTrace> trace_mla_latent(AttentionTrace& trace, const Shape& shape,
                                                 const Inputs& inputs);

// Where a cell of one of `trace.mla`'s matrices comes from, like derive_cell;
// false when `matrix` is not one of them.
bool derive_mla_cell(const AttentionTrace& trace, const NamedMatrix& matrix, std::int64_t row,
                     std::int64_t col, CellDerivation& derivation);

} // namespace abh
