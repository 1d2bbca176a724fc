#pragma once
// The stepper: attention by hand, one step at a time, for both panels at
// once, one head (single_head_of(shape)) and H heads (shape), so a student
// sees that the same multiplies are only sliced differently.
//
// It walks the unfused program (program.hpp: projection, scores, scale,
// softmax, weighted sum, output; the fused `attention` stage is not stepped)
// and knows positions and exact counters only: it never materialises a matrix,
// and every counter is a closed formula of the position, so it is instant at
// any shape (n 16384, H 64). Values come from a trace when one is given
// (describe()).
//
// [SECTION] granularity and panels
// [SECTION] a panel's position and counters
// [SECTION] a step described for the UI
// [SECTION] how one stage is walked
// [SECTION] the stepper

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cell_explain.hpp"
#include "core/counts.hpp"
#include "core/program.hpp"
#include "core/shape.hpp"
#include "core/trace.hpp"

namespace abh {

// [SECTION] granularity and panels

// How far one forward()/back() moves.
//
// The finest unit of a stage is a "fine step": one multiply (one term of a
// dot product) in the matmul stages, one cell in scale and softmax (their
// cells are not dot products). `multiply` moves one fine step; `cell` moves
// to the end of the current output cell (from a cell boundary: to the end of
// the next one; backwards: to the start of the cell); `stage` moves to the
// end of the current stage (backwards: to the end of the previous one).
enum class Granularity { stage, cell, multiply };
inline constexpr std::array<Granularity, 3> all_granularities{
    Granularity::stage, Granularity::cell, Granularity::multiply};
std::string_view granularity_name(Granularity g); // "stage", "cell", "multiply"

enum class StepPanel {
  single_head, // single_head_of(shape): H = 1, dh = da
  multi_head,  // the shape itself
};
inline constexpr std::array<StepPanel, 2> all_panels{StepPanel::single_head, StepPanel::multi_head};

// [SECTION] a panel's position and counters

// One output cell of the stage and how much of it is done. Indices are 0-based
// (the UI adds 1 for display). Order of a stage's cells: for per-head stages
// head by head; within a head column by column (query by query), rows top to
// bottom; terms in order. Cells a causal mask hides are never visited.
struct StepperCell {
  std::int64_t head = 0;       // query head (0 in projection and output)
  std::int64_t row = 0;        // output row: QKV row, key (S, A), feature (Z_h, O)
  std::int64_t col = 0;        // output column: token / query
  std::int64_t terms_done = 0; // terms of its dot product performed, 1…terms
  std::int64_t terms = 1;      // its dot product's length (1 in scale and softmax)
  bool complete() const { return terms_done == terms; }
  bool operator==(const StepperCell&) const = default;
};

// Where one panel stands. Counters count what has been performed, so the
// end of a stage shows exactly count(shape)[stage].
//
// Attribution inside a stage: a dot product counts when its last term is
// done; each term is one multiply, and each term after the first of a cell is
// one add. Scale: one multiply per cell. Softmax: one exp and one divide per
// cell, and one add per cell after the first of its column (the add that
// brings its exp into the column sum), so a column of k keys has k − 1 adds.
struct StepperPosition {
  Stage stage = Stage::projection;
  std::int64_t fine_steps_done = 0;  // multiplies (matmul) or cells done in this stage
  std::int64_t fine_steps_total = 0;
  std::int64_t cells_done = 0;       // complete output cells in this stage
  std::int64_t cells_total = 0;
  // The cell of the last fine step; none at the stage's start (nothing done).
  std::optional<StepperCell> cell;
  StageCounts stage_done;    // this stage, performed so far
  StageCounts stage_total;   // count(shape)[stage]
  StageCounts program_done;  // every stage up to here: finished stages plus stage_done
  StageCounts program_total; // the whole unfused program

  bool at_stage_start() const { return fine_steps_done == 0; }
  bool at_stage_end() const { return fine_steps_done == fine_steps_total; }
};

// [SECTION] a step described for the UI

// The scale stage's step: score / √dh.
struct ScaleStep {
  double score = 0;   // S_h[row, col] as the trace holds it (unscaled)
  double root_dh = 0; // √dh
  double scaled = 0;  // score / √dh
};

// The softmax stage's step: exp(s/√dh − column max) over the column's sum.
struct SoftmaxStep {
  double exp = 0;           // this cell's exp
  double column_sum = 0;    // the sum of its column's exps
  double weight = 0;        // exp / column_sum (the trace's A value)
  std::int64_t keys = 0;    // exps in the column: keys this query sees
};

// What one panel's current step is. Positions and counters are always there;
// values (derivation, running sum, scale, softmax) only when describe() got a
// trace of this panel's shape.
struct StepDescription {
  StepPanel panel = StepPanel::multi_head;
  StepperPosition position;
  std::string_view stage_title; // "Scores kᵀq"
  std::string matrix;           // output matrix as on screen: "QKV", "S_2", "A_1", "Z_3", "O"
  std::string cell_name;        // "S_2[5, 7]" (1-based); empty when no cell is done yet
  bool waiting = false;         // this panel finished the stage; the other has not

  // With a trace:
  std::optional<CellDerivation> derivation; // sources to highlight (pointers into the
                                            // trace), every term, softmax exps
  std::optional<DerivationTerm> term;       // the current term (matmul stages)
  std::optional<double> running_sum;        // sum of the terms done so far
  std::string running_sum_text;             // "3×(−2) + 1×0 = −6" (running_sum_text())
  std::optional<ScaleStep> scale;           // scale stage
  std::optional<SoftmaxStep> softmax;       // softmax stage

  // The step in words, one line each, ready to print (with or without a trace).
  std::vector<std::string> lines;
};

// [SECTION] how one stage is walked

// The walk of one stage of one shape, read from its StageSpec: `heads`
// blocks (H for per-head outputs, else 1) of `cols` columns each; a column
// has `rows` cells, or j + 1 when the stage is causally masked (key ≤ query);
// a cell has `terms` fine steps, or j + 1 when a causal stage reduces over
// keys (v·A). Every quantity is closed-form in the column index.
struct StageWalk {
  Stage stage = Stage::projection;
  StageKind kind = StageKind::matmul;
  MatrixRef output;
  std::vector<CountTerm> counts; // the spec's, per operation
  StageCounts total;             // stage_counts(spec): what the whole walk performs
  std::int64_t heads = 1, rows = 1, cols = 1, terms = 1;
  bool triangular = false; // column j has cells in rows 0…j
  bool growing = false;    // a cell of column j has j + 1 terms
  std::int64_t block_fine_steps = 0, block_cells = 0; // per head
  std::int64_t fine_steps = 0, cells = 0;             // the whole stage

  std::int64_t cells_in_column(std::int64_t j) const { return triangular ? j + 1 : rows; }
  std::int64_t terms_in_column(std::int64_t j) const { return growing ? j + 1 : terms; }
  std::int64_t fine_steps_before_column(std::int64_t j) const; // within a head
  std::int64_t cells_before_column(std::int64_t j) const;      // within a head
};

// Throws ShapeError if a size overflows 64 bits, std::invalid_argument for
// the fused stage (it is not stepped).
StageWalk stage_walk(const StageSpec& spec, const Shape& shape);

// [SECTION] the stepper

// Both panels' positions: the stage they are in together (an index into the
// program's stages) and each panel's fine steps done in it.
struct StepperState {
  std::size_t stage = 0;
  std::array<std::int64_t, 2> fine_steps{}; // indexed by StepPanel
  bool operator==(const StepperState&) const = default;
};

// Lockstep: forward() moves each panel one step at the chosen granularity.
// A panel that has finished the stage waits at its end until the other one
// finishes too (the panels' cell counts differ: one head scores n² cells,
// H heads H·n²); only then do both enter the next stage, so they always show
// the same stage: a forward() from both panels' stage end enters the next
// stage and takes its first step there. At `stage` granularity both jump to
// the stage's end. At `multiply` granularity the matmul stages end together
// when both panels have the same multiplies (scores, v·A, output).
//
// back() is the exact inverse of forward(): it undoes the last forward() made
// at the same granularity, counters included (a snapping move such as
// finishing a half-done cell, or a waiting panel, cannot be inverted from
// positions alone, so the stepper remembers the last forwards, up to
// undo_limit). With nothing to undo at that granularity (after a jump, a
// change of granularity or beyond undo_limit) back() steps from the position:
// each panel not at its stage's start moves back one step, a panel at the
// start waits for the other, and when both are at the start they go to the
// end of the previous stage. A jump clears what can be undone.
class Stepper {
public:
  static constexpr std::size_t undo_limit = std::size_t{1} << 16;

  // Starts at the beginning of the projection. Throws ShapeError (one line,
  // as validate()) for an invalid shape or one whose counts overflow.
  explicit Stepper(const Shape& shape);

  // Both return false, changing nothing, at the program's end (forward) or
  // its start (back).
  bool forward(Granularity g);
  bool back(Granularity g);

  void to_start();           // the start of the projection: nothing done
  void to_end();             // the end of the output stage: everything done
  void to_stage(Stage stage); // the start of `stage`, every earlier stage done;
                              // throws std::invalid_argument for Stage::attention
  bool at_start() const;
  bool at_end() const;

  StepperPosition position(StepPanel panel) const;
  bool waiting(StepPanel panel) const; // finished the stage while the other has not
  Stage stage() const;             // the stage both panels are in

  // The current step of `panel`. `trace` may be null (big shapes); a trace
  // whose shape is not this panel's (a stale one while a new trace is being
  // computed) is ignored the same way. The derivation's sources point into
  // `trace`.
  StepDescription describe(StepPanel panel, const AttentionTrace* trace) const;

  const Shape& shape(StepPanel panel) const;          // single_head_of(shape) or shape
  const std::vector<Stage>& stages() const;       // the stages walked, in order
  const StageWalk& walk(StepPanel panel, Stage stage) const;

  const StepperState& state() const { return state_; }
  // Moves to `state` (a saved position) and clears what can be undone.
  // Returns false, changing nothing, when its stage or a panel's fine steps
  // lie outside this shape's program.
  bool set_state(const StepperState& state);
  std::size_t undo_depth() const { return undo_.size(); }

  // Same shapes, positions and undo memory.
  bool operator==(const Stepper& other) const;

private:
  struct Undo {
    StepperState before;
    Granularity granularity;
    bool operator==(const Undo&) const = default;
  };

  bool panel_at_end(std::size_t p) const;
  std::int64_t fine_total(std::size_t p, std::size_t stage) const;

  std::array<Shape, 2> shapes_;
  std::vector<Stage> stages_;
  std::array<std::vector<StageWalk>, 2> walks_;        // per panel, per stage index
  std::array<std::vector<StageCounts>, 2> done_before_; // per panel: stages before index i
  std::array<StageCounts, 2> program_total_;
  StepperState state_;
  std::deque<Undo> undo_;
};

} // namespace abh
