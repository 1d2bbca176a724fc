#include "core/stepper.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "core/checked_int.hpp"

namespace abh {

std::string_view granularity_name(Granularity g) {
  switch (g) {
  case Granularity::stage: return "stage";
  case Granularity::cell: return "cell";
  case Granularity::multiply: return "multiply";
  }
  return "?";
}

// [SECTION] the walk of one stage

namespace {

// j(j+1)/2 without overflowing before the halving.
std::int64_t triangle(std::int64_t j) {
  return j % 2 == 0 ? checked_mul(j / 2, j + 1) : checked_mul(j, (j + 1) / 2);
}

bool uses(const Product& p, Symbol s) {
  return std::find(p.factors.begin(), p.factors.end(), s) != p.factors.end();
}

// One fine step of a stage located: its cell and term, and how many cells
// and columns of the stage come before its cell.
struct Located {
  std::int64_t head = 0, col = 0, row = 0, term = 0, terms = 1;
  std::int64_t cells_before = 0;   // in the whole stage
  std::int64_t columns_before = 0; // in the whole stage (columns of earlier heads too)
  std::int64_t cell_start = 0;     // fine step that starts its cell
};

// `step` is 0-based, in [0, walk.fine_steps).
Located locate(const StageWalk& w, std::int64_t step) {
  Located at;
  at.head = step / w.block_fine_steps;
  const std::int64_t in_head = step % w.block_fine_steps;
  // The last column whose first fine step is at or before `in_head`.
  std::int64_t lo = 0, hi = w.cols - 1;
  while (lo < hi) {
    const std::int64_t mid = lo + (hi - lo + 1) / 2;
    if (w.fine_steps_before_column(mid) <= in_head) lo = mid;
    else hi = mid - 1;
  }
  at.col = lo;
  at.terms = w.terms_in_column(at.col);
  const std::int64_t offset = in_head - w.fine_steps_before_column(at.col);
  at.row = offset / at.terms;
  at.term = offset % at.terms;
  at.cells_before = at.head * w.block_cells + w.cells_before_column(at.col) + at.row;
  at.columns_before = at.head * w.cols + at.col;
  at.cell_start = step - at.term;
  return at;
}

// Complete cells of the stage once the located fine step is done.
std::int64_t cells_complete(const Located& last) {
  return last.cells_before + (last.term + 1 == last.terms ? 1 : 0);
}

// What `done` fine steps of a stage have performed (see StepperPosition);
// `last` locates fine step done − 1.
StageCounts counts_done(const StageWalk& w, std::int64_t done, const Located& last) {
  StageCounts c;
  const std::int64_t cells_started = last.cells_before + 1;
  const std::int64_t columns_started = last.columns_before + 1;
  if (w.kind == StageKind::matmul) {
    c.dot_products = cells_complete(last);
    c.multiplies = done;
    c.adds = done - cells_started;
    return c;
  }
  // One of each operation per cell; an operation counted P − n times (the
  // softmax's column-sum adds) skips the first cell of each column.
  for (const CountTerm& t : w.counts)
    c[t.op] = uses(t.product, Symbol::P_minus_nq) ? done - columns_started : done;
  return c;
}

std::int64_t step_forward(const StageWalk& w, std::int64_t done, Granularity g) {
  switch (g) {
  case Granularity::stage: return w.fine_steps;
  case Granularity::multiply: return done + 1;
  case Granularity::cell: {
    const Located next = locate(w, done);
    return next.cell_start + next.terms;
  }
  }
  return done;
}

std::int64_t step_back(const StageWalk& w, std::int64_t done, Granularity g) {
  switch (g) {
  case Granularity::stage: return 0;
  case Granularity::multiply: return done - 1;
  case Granularity::cell: return locate(w, done - 1).cell_start;
  }
  return done;
}

StageCounts plus(const StageCounts& a, const StageCounts& b) {
  StageCounts c;
  for (Operation op : all_operations) c[op] = checked_add(a[op], b[op]);
  return c;
}

} // namespace

std::int64_t StageWalk::fine_steps_before_column(std::int64_t j) const {
  // No stage of the program is both (a masked output is never a reduction over keys).
  if (triangular && growing)
    throw std::logic_error("stepper: a stage both masked and reducing over keys");
  if (triangular) return checked_mul(terms, triangle(j));
  if (growing) return checked_mul(rows, triangle(j));
  return checked_product(j, rows, terms);
}

std::int64_t StageWalk::cells_before_column(std::int64_t j) const {
  return triangular ? triangle(j) : checked_mul(j, rows);
}

StageWalk stage_walk(const StageSpec& spec, const Shape& shape) {
  if (spec.kind == StageKind::fused)
    throw std::invalid_argument("the stepper walks the unfused program, not fused attention");
  const SymbolValues v = symbol_values(shape);
  StageWalk w;
  w.stage = spec.id;
  w.kind = spec.kind;
  w.output = spec.output;
  w.counts = spec.counts;
  w.total = stage_counts(spec, v);
  w.heads = spec.output.scope == HeadScope::none ? 1 : v[Symbol::H];
  w.rows = v[spec.output.rows];
  w.cols = v[spec.output.cols];
  w.terms = spec.kind == StageKind::matmul && spec.reduction ? v[*spec.reduction] : 1;
  w.triangular = spec.masked && shape.causal;
  // A dot product over tokens runs over keys, and a causal query sees keys 0…j.
  w.growing = spec.kind == StageKind::matmul && shape.causal && spec.reduction == Symbol::n;
  w.block_fine_steps = w.fine_steps_before_column(w.cols);
  w.block_cells = w.cells_before_column(w.cols);
  w.fine_steps = checked_mul(w.heads, w.block_fine_steps);
  w.cells = checked_mul(w.heads, w.block_cells);
  return w;
}

// [SECTION] the stepper

namespace {
std::size_t index_of(StepPanel p) { return static_cast<std::size_t>(p); }
} // namespace

Stepper::Stepper(const Shape& shape) {
  validate(shape);
  shapes_ = {single_head_of(shape), shape};
  for (std::size_t p = 0; p < 2; ++p) {
    const AttentionProgram program = attention_program(shapes_[p]);
    if (p == 0)
      for (const StageSpec& spec : program.stages) stages_.push_back(spec.id);
    StageCounts before;
    for (const StageSpec& spec : program.stages) {
      walks_[p].push_back(stage_walk(spec, shapes_[p]));
      done_before_[p].push_back(before);
      before = plus(before, stage_counts(spec, program.symbols));
    }
    program_total_[p] = before;
  }
}

std::int64_t Stepper::fine_total(std::size_t p, std::size_t stage) const {
  return walks_[p][stage].fine_steps;
}

bool Stepper::panel_at_end(std::size_t p) const {
  return state_.fine_steps[p] == fine_total(p, state_.stage);
}

bool Stepper::at_start() const {
  return state_.stage == 0 && state_.fine_steps[0] == 0 && state_.fine_steps[1] == 0;
}

bool Stepper::at_end() const {
  return state_.stage + 1 == stages_.size() && panel_at_end(0) && panel_at_end(1);
}

bool Stepper::forward(Granularity g) {
  if (at_end()) return false;
  StepperState next = state_;
  if (panel_at_end(0) && panel_at_end(1)) {
    ++next.stage;
    next.fine_steps = {0, 0};
  }
  for (std::size_t p = 0; p < 2; ++p) {
    const StageWalk& w = walks_[p][next.stage];
    if (next.fine_steps[p] < w.fine_steps)
      next.fine_steps[p] = step_forward(w, next.fine_steps[p], g);
  }
  undo_.push_back({state_, g});
  if (undo_.size() > undo_limit) undo_.pop_front();
  state_ = next;
  return true;
}

bool Stepper::back(Granularity g) {
  if (!undo_.empty() && undo_.back().granularity == g) {
    state_ = undo_.back().before;
    undo_.pop_back();
    return true;
  }
  if (at_start()) return false;
  undo_.clear();
  auto to_previous_end = [&] {
    --state_.stage;
    state_.fine_steps = {fine_total(0, state_.stage), fine_total(1, state_.stage)};
  };
  if (state_.fine_steps[0] == 0 && state_.fine_steps[1] == 0) {
    to_previous_end();
    return true;
  }
  for (std::size_t p = 0; p < 2; ++p)
    if (state_.fine_steps[p] > 0)
      state_.fine_steps[p] = step_back(walks_[p][state_.stage], state_.fine_steps[p], g);
  // Both back at the start of a later stage: that moment is the previous stage's end.
  if (state_.stage > 0 && state_.fine_steps[0] == 0 && state_.fine_steps[1] == 0)
    to_previous_end();
  return true;
}

bool Stepper::set_state(const StepperState& state) {
  if (state.stage >= stages_.size()) return false;
  for (std::size_t p = 0; p < 2; ++p)
    if (state.fine_steps[p] < 0 || state.fine_steps[p] > fine_total(p, state.stage)) return false;
  undo_.clear();
  state_ = state;
  return true;
}

void Stepper::to_start() {
  undo_.clear();
  state_ = {};
}

void Stepper::to_end() {
  undo_.clear();
  state_.stage = stages_.size() - 1;
  state_.fine_steps = {fine_total(0, state_.stage), fine_total(1, state_.stage)};
}

void Stepper::to_stage(Stage stage) {
  const auto it = std::find(stages_.begin(), stages_.end(), stage);
  if (it == stages_.end())
    throw std::invalid_argument("the stepper walks the unfused program; it has no stage " +
                                std::string(stage_key(stage)));
  undo_.clear();
  state_.stage = static_cast<std::size_t>(it - stages_.begin());
  state_.fine_steps = {0, 0};
}

Stage Stepper::stage() const { return stages_[state_.stage]; }

const Shape& Stepper::shape(StepPanel panel) const { return shapes_[index_of(panel)]; }

const std::vector<Stage>& Stepper::stages() const { return stages_; }

const StageWalk& Stepper::walk(StepPanel panel, Stage stage) const {
  const auto it = std::find(stages_.begin(), stages_.end(), stage);
  if (it == stages_.end())
    throw std::invalid_argument("the stepper walks the unfused program; it has no stage " +
                                std::string(stage_key(stage)));
  return walks_[index_of(panel)][static_cast<std::size_t>(it - stages_.begin())];
}

bool Stepper::waiting(StepPanel panel) const {
  const std::size_t p = index_of(panel);
  return panel_at_end(p) && !panel_at_end(1 - p);
}

StepperPosition Stepper::position(StepPanel panel) const {
  const std::size_t p = index_of(panel);
  const StageWalk& w = walks_[p][state_.stage];
  const std::int64_t done = state_.fine_steps[p];
  StepperPosition pos;
  pos.stage = w.stage;
  pos.fine_steps_done = done;
  pos.fine_steps_total = w.fine_steps;
  pos.cells_total = w.cells;
  if (done > 0) {
    const Located last = locate(w, done - 1);
    pos.cell = StepperCell{last.head, last.row, last.col, last.term + 1, last.terms};
    pos.cells_done = cells_complete(last);
    pos.stage_done = counts_done(w, done, last);
  }
  pos.stage_total = w.total;
  pos.program_done = plus(done_before_[p][state_.stage], pos.stage_done);
  pos.program_total = program_total_[p];
  return pos;
}

bool Stepper::operator==(const Stepper& other) const {
  return shapes_ == other.shapes_ && state_ == other.state_ && undo_ == other.undo_;
}

} // namespace abh
