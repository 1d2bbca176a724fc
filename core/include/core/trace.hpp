#pragma once
// The step-by-step attention trace: every stage's matrix, computed with Eigen
// in float, in the "by hand" orientation (features × tokens, S = kᵀq).
//
// Variants: X and QKV hold all n tokens (the columns before the n_q queries
// stand for the KV cache of earlier steps); S and A are n × n_q with the
// causal or window mask; v and Z are dv wide. A batch is drawn as its first
// sequence. An MLA shape is traced per head (drawn_shape: the trace's shape
// is never MLA) with its q, k and v computed by the latent path (`mla`,
// core/mla_trace.hpp), so every head's matrices are what MLA computes.

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <Eigen/Core>

#include "core/program.hpp"
#include "core/shape.hpp"
#include "core/values.hpp"
#include "core/wqkv_layout.hpp"

namespace abh {

struct MlaTrace; // core/mla_trace.hpp

struct TraceOptions {
  ValueMode values = ValueMode::by_hand;        // = by_hand // how inputs are drawn
  std::uint64_t seed = 1;                       // = 1 // same seed, same numbers
  WqkvLayout layout = WqkvLayout::triples;      // = triples // row order of Wqkv and QKV
  bool operator==(const TraceOptions&) const = default;
};

// A stage output: its name ("S_2", "QKV"), so the UI can label it without math.
struct NamedMatrix {
  std::string name;
  Eigen::MatrixXf values;
  std::string title() const; // "S_2 40×40"
};

struct HeadTrace {
  std::int64_t head = 0, kv_head = 0;
  std::int64_t q_row = 0, k_row = 0, v_row = 0; // first rows of q_h, k_h, v_h in QKV
  NamedMatrix S; // n × n_q, row = key, column = query (unscaled; masked entries are 0)
  NamedMatrix A; // n × n_q, softmax of S/√dh down each column; masked entries are 0
  NamedMatrix Z; // dv × n_q, v_h · A_h
};

struct AttentionTrace {
  Shape shape; // drawn_shape of the shape asked for
  TraceOptions options;
  float scale = 1; // 1/√dh
  NamedMatrix X;    // d × n
  NamedMatrix Wqkv; // (H·dh + Hkv·(dh+dv)) × d, rows in options.layout order
  NamedMatrix QKV;  // (H·dh + Hkv·(dh+dv)) × n, rows in options.layout order
  std::vector<HeadTrace> heads;
  NamedMatrix Z;  // H·dv × n_q, heads stacked in order
  NamedMatrix Wo; // d × H·dv
  NamedMatrix O;  // d × n_q
  // MLA's latent path, which QKV's rows come from; null unless the shape asked for is MLA.
  std::shared_ptr<const MlaTrace> mla;

  // Views of QKV: q_h dh × n_q (the last n_q columns), k_h dh × n, v_h dv × n.
  Eigen::Block<const Eigen::MatrixXf> q(std::int64_t head) const;
  Eigen::Block<const Eigen::MatrixXf> k(std::int64_t head) const; // head's kv group
  Eigen::Block<const Eigen::MatrixXf> v(std::int64_t head) const;
  Eigen::MatrixXf scaled_scores(std::int64_t head) const; // S_h/√dh, masked entries −∞
  // Query column `query` (0 ≤ query < n_q) does not see `key`.
  bool masked(std::int64_t key, std::int64_t query) const { return !shape.visible(key, query); }
};

// The shape a trace computes and draws: MLA multiplied out per head.
Shape drawn_shape(const Shape& shape);

// A matrix the trace holds, with the stage that produced it.
struct TraceMatrix {
  const NamedMatrix* matrix = nullptr;
  std::optional<Stage> stage; // none: an input (X, Wqkv, Wo)
  std::int64_t head = -1;     // query head of a per-head matrix, else −1
};

// Every stored matrix of the trace, in the program's order (program.hpp):
// each stage's operands not seen before, then its output; per-head matrices
// once per head; then MLA's latent path (MlaTrace::matrices). Views (q_h,
// k_h, v_h: rows of QKV) are not listed.
std::vector<TraceMatrix> trace_matrices(const AttentionTrace& trace);
// The stored matrix named `name` ("S_2", "QKV"), or null.
const NamedMatrix* find_matrix(const AttentionTrace& trace, std::string_view name);

// Bytes of float storage a trace of this shape holds (inputs and every stage).
// Throws ShapeError on overflow.
std::int64_t trace_bytes(const Shape& shape);

// Default memory budget for materialising a trace: 2 GiB.
inline constexpr std::int64_t default_trace_budget = std::int64_t{2} << 30;

// Throws ShapeError with a readable reason if the trace would exceed the budget.
void check_trace_budget(const Shape& shape, std::int64_t budget_bytes);
// The same for `bytes` of matrices (several traces together).
void check_trace_budget_bytes(std::int64_t bytes, std::int64_t budget_bytes);

class TraceCancelled : public std::runtime_error {
public:
  TraceCancelled() : std::runtime_error("trace computation superseded") {}
};

// Computes every stage. If `cancel` becomes true it stops between steps and
// throws TraceCancelled; `progress` (if given) is set to the fraction done.
// Reuses `trace`'s storage when the shape is unchanged.
void compute_trace(AttentionTrace& trace, const Shape& shape, const TraceOptions& options,
                   const std::atomic<bool>* cancel = nullptr,
                   std::atomic<float>* progress = nullptr);

// Same, from inputs already made (for benchmarks that time the stages alone);
// `same_weights` as for project_inputs.
void compute_trace(AttentionTrace& trace, const Shape& shape, const TraceOptions& options,
                   const Inputs& inputs, const std::atomic<bool>* cancel = nullptr,
                   std::atomic<float>* progress = nullptr,
                   const AttentionTrace* same_weights = nullptr);

AttentionTrace compute_trace(const Shape& shape, const TraceOptions& options);

// The trace's inputs and first stage, shared by every trace: shape, options
// and scale; X, Wqkv (rows in the layout's order), Wo and QKV = Wqkv·X (MLA:
// from the latent path, trace_mla_latent); each
// head's rows in QKV and its matrices' names (S, A and Z left empty).
// `same_weights`: a trace of the same inputs whose Wqkv has as many rows (the
// same weights split into other heads); QKV is then its QKV with the rows
// reordered, the same numbers without multiplying again.
void project_inputs(AttentionTrace& trace, const Shape& shape, const TraceOptions& options,
                    const Inputs& inputs, const std::atomic<bool>* cancel = nullptr,
                    std::atomic<float>* progress = nullptr,
                    const AttentionTrace* same_weights = nullptr);

// The last stage, once every head's Z_h is done: Z stacks them, O = Wo·Z.
void combine_heads(AttentionTrace& trace);

} // namespace abh
