// The stepper (core/stepper.hpp): the order it visits cells in, against an
// enumeration read off the trace; its counters at every stage end, against
// count() and the brute-force reference; back() as forward()'s inverse; the
// lockstep at the worked example; closed-form counters at a huge shape; and
// the described step against derive_cell.

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/cell_explain.hpp"
#include "core/counts.hpp"
#include "core/naive_attention.hpp"
#include "core/program.hpp"
#include "core/stepper.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

constexpr std::uint64_t trace_seed = 11;

std::size_t index_of(StepPanel p) { return static_cast<std::size_t>(p); }

// MHA, GQA, MQA, causal and not; n 1…9.
std::vector<Shape> shape_table() {
  std::vector<Shape> shapes = {test::make_shape(1, 1, 1, 1, 1),       test::make_shape(1, 3, 2, 2, 1, true),
                               test::make_shape(4, 3, 4, 2, 2, true), test::make_shape(5, 6, 2, 3, 2),
                               test::make_shape(9, 8, 4, 1, 1, true), test::make_shape(7, 2, 3, 3, 3, true)};
  // The shared table's cases small enough to walk multiply by multiply.
  for (const test::ShapeCase& c : test::small_cases())
    if (c.shape.seq <= 9) shapes.push_back(c.shape);
  return shapes;
}

AttentionTrace trace_of(const Shape& shape) {
  return compute_trace(shape, TraceOptions{ValueMode::small_integers, trace_seed, WqkvLayout::triples});
}

// [SECTION] the visiting order, read off a trace

// One fine step as the trace says it should come: a cell of the stage's
// output matrix and how many of its terms are done.
struct Expected {
  std::string matrix;
  std::int64_t row = 0, col = 0, terms_done = 0, terms = 0;
};

// Every fine step of every stage, in order: heads one after the other,
// columns left to right, rows top to bottom, terms in order; masked cells
// skipped (derive_cell says which are masked and how many terms a cell has).
std::vector<std::vector<Expected>> expected_steps(const AttentionTrace& trace, bool multiplies) {
  std::vector<std::vector<Expected>> stages;
  for (const StageSpec& spec : attention_program(trace.shape).stages) {
    std::vector<Expected>& steps = stages.emplace_back();
    std::vector<const NamedMatrix*> blocks;
    for (const TraceMatrix& m : trace_matrices(trace)) {
      const std::string& name = m.matrix->name;
      const bool per_head = spec.output.scope != HeadScope::none;
      if (per_head ? name.starts_with(std::string(spec.output.name) + "_") : name == spec.output.name)
        blocks.push_back(m.matrix);
    }
    for (const NamedMatrix* m : blocks)
      for (Eigen::Index col = 0; col < m->values.cols(); ++col)
        for (Eigen::Index row = 0; row < m->values.rows(); ++row) {
          const CellDerivation d = derive_cell(trace, *m, row, col);
          if (d.kind == CellKind::masked) continue;
          const auto terms =
              spec.kind == StageKind::matmul ? static_cast<std::int64_t>(d.terms.size()) : 1;
          for (std::int64_t t = multiplies ? 1 : terms; t <= terms; ++t)
            steps.push_back({m->name, row, col, t, terms});
        }
  }
  return stages;
}

StageCounts performed(const NaiveAttention& naive, Stage stage) {
  return naive.performed[static_cast<std::size_t>(stage)];
}

// Steps through the whole program at `g` and checks every panel's step
// against the trace's enumeration, and its counters at every stage end
// against count() and the reference's performed operations.
void walk_whole_program(const Shape& shape, Granularity g) {
  SCOPED_TRACE(test::shape_text(shape) + " at " + std::string(granularity_name(g)));
  Stepper stepper(shape);
  std::array<AttentionTrace, 2> traces;
  std::array<std::vector<std::vector<Expected>>, 2> expected;
  std::array<NaiveAttention, 2> naive;
  std::array<Counts, 2> counts;
  for (StepPanel p : all_panels) {
    const Shape& s = stepper.shape(p);
    traces[index_of(p)] = trace_of(s);
    expected[index_of(p)] = expected_steps(traces[index_of(p)], g == Granularity::multiply);
    naive[index_of(p)] = naive_attention(s, make_inputs(s, ValueMode::small_integers, trace_seed));
    counts[index_of(p)] = count(s);
  }
  EXPECT_EQ(count(single_head_of(shape))[Stage::scores], counts[0][Stage::scores]);

  std::array<std::size_t, 2> next{}; // index of each panel's next expected step in its stage
  std::size_t stage_index = 0, stage_ends = 0;
  StageCounts program_before[2]{};
  StepperState before = stepper.state();
  while (stepper.forward(g)) {
    const StepperState now = stepper.state();
    if (now.stage != stage_index) {
      for (StepPanel p : all_panels) ASSERT_EQ(next[index_of(p)], expected[index_of(p)][stage_index].size());
      stage_index = stepper.state().stage;
      next = {0, 0};
    }
    const bool stage_done = stepper.position(StepPanel::single_head).at_stage_end() &&
                            stepper.position(StepPanel::multi_head).at_stage_end();
    for (StepPanel p : all_panels) {
      const std::size_t i = index_of(p);
      const StepDescription d = stepper.describe(p, &traces[i]);
      const std::vector<Expected>& steps = expected[i][stage_index];
      const bool moved = now.stage != before.stage || now.fine_steps[i] != before.fine_steps[i];
      EXPECT_TRUE(moved || d.position.at_stage_end()) << "only a finished panel waits";
      if (moved) {
        ASSERT_LT(next[i], steps.size()) << "panel " << i << " stage " << stage_key(d.position.stage);
        const Expected& e = steps[next[i]++];
        ASSERT_TRUE(d.position.cell);
        EXPECT_EQ(d.matrix, e.matrix);
        EXPECT_EQ(d.position.cell->row, e.row) << e.matrix;
        EXPECT_EQ(d.position.cell->col, e.col) << e.matrix;
        EXPECT_EQ(d.position.cell->terms_done, e.terms_done) << e.matrix;
        EXPECT_EQ(d.position.cell->terms, e.terms) << e.matrix;
      }
      EXPECT_EQ(d.waiting, d.position.at_stage_end() && !stage_done);
      if (stage_done) {
        const Stage stage = d.position.stage;
        SCOPED_TRACE(std::string("end of ") + std::string(stage_key(stage)) + ", panel " +
                     std::to_string(i));
        EXPECT_TRUE(test::stage_counts_equal(d.position.stage_done, counts[i][stage]));
        EXPECT_TRUE(test::stage_counts_equal(d.position.stage_done, performed(naive[i], stage)));
        EXPECT_EQ(d.position.cells_done, d.position.cells_total);
        StageCounts program = program_before[i];
        for (Operation op : all_operations) program[op] += counts[i][stage][op];
        EXPECT_TRUE(test::stage_counts_equal(d.position.program_done, program));
        program_before[i] = program;
      }
    }
    if (stage_done) ++stage_ends;
    before = now;
    if (::testing::Test::HasFatalFailure()) return;
  }
  EXPECT_EQ(stage_ends, stepper.stages().size());
  EXPECT_TRUE(stepper.at_end());
  for (StepPanel p : all_panels)
    EXPECT_TRUE(test::stage_counts_equal(stepper.position(p).program_done,
                                         stepper.position(p).program_total));
}

TEST(Stepper, MultiplyStepsVisitEveryTermInOrderAndCountExactlyAtStageEnds) {
  for (const Shape& shape : shape_table()) {
    walk_whole_program(shape, Granularity::multiply);
    if (HasFatalFailure()) return;
  }
}

TEST(Stepper, CellStepsVisitEveryCellInOrderAndCountExactlyAtStageEnds) {
  for (const Shape& shape : shape_table()) {
    walk_whole_program(shape, Granularity::cell);
    if (HasFatalFailure()) return;
  }
}

TEST(Stepper, StageStepsLandOnEveryStageEnd) {
  for (const Shape& shape : shape_table()) {
    SCOPED_TRACE(test::shape_text(shape));
    Stepper stepper(shape);
    for (Stage stage : stepper.stages()) {
      ASSERT_TRUE(stepper.forward(Granularity::stage));
      for (StepPanel p : all_panels) {
        const StepperPosition pos = stepper.position(p);
        EXPECT_EQ(pos.stage, stage);
        EXPECT_TRUE(pos.at_stage_end());
        EXPECT_TRUE(test::stage_counts_equal(pos.stage_done, count(stepper.shape(p))[stage]));
      }
    }
    EXPECT_TRUE(stepper.at_end());
  }
}

// [SECTION] back() and the ends

TEST(Stepper, SetStateTakesAReachedPositionAndRefusesOnesOutsideTheProgram) {
  const Shape shape = test::make_shape(4, 6, 2, 3, 2);
  Stepper walked(shape);
  for (int i = 0; i < 500; ++i) walked.forward(Granularity::multiply);
  Stepper restored(shape);
  ASSERT_TRUE(restored.set_state(walked.state()));
  EXPECT_EQ(restored.state(), walked.state());
  EXPECT_EQ(restored.position(StepPanel::multi_head).program_done,
            walked.position(StepPanel::multi_head).program_done);
  EXPECT_EQ(restored.undo_depth(), 0u);

  const StepperState before = restored.state();
  StepperState beyond = before;
  beyond.stage = restored.stages().size();
  EXPECT_FALSE(restored.set_state(beyond));
  beyond = before;
  beyond.fine_steps[0] = -1;
  EXPECT_FALSE(restored.set_state(beyond));
  beyond = before;
  beyond.fine_steps[1] = std::int64_t{1} << 50;
  EXPECT_FALSE(restored.set_state(beyond));
  EXPECT_EQ(restored.state(), before) << "a refused position changes nothing";
}

TEST(Stepper, ForwardThenBackReturnsTheIdenticalState) {
  test::Rng rng(77);
  for (const Shape& shape : shape_table()) {
    SCOPED_TRACE(test::shape_text(shape));
    Stepper stepper(shape);
    for (int move = 0; move < 300 && !stepper.at_end(); ++move) {
      const Granularity walk_g = all_granularities[static_cast<std::size_t>(rng.between(0, 2))];
      if (rng.between(0, 30) == 0) stepper.to_stage(stepper.stages()[static_cast<std::size_t>(rng.between(0, 5))]);
      else if (rng.between(0, 6) == 0) stepper.back(walk_g);
      else stepper.forward(walk_g);
      for (Granularity g : all_granularities) {
        const Stepper before = stepper;
        const std::array<StepperPosition, 2> positions{stepper.position(StepPanel::single_head),
                                                       stepper.position(StepPanel::multi_head)};
        Stepper moved = stepper;
        if (!moved.forward(g)) continue;
        EXPECT_FALSE(moved == before);
        ASSERT_TRUE(moved.back(g));
        ASSERT_TRUE(moved == before) << "granularity " << granularity_name(g) << " move " << move;
        for (StepPanel p : all_panels) {
          const StepperPosition after = moved.position(p);
          EXPECT_TRUE(test::stage_counts_equal(after.program_done, positions[index_of(p)].program_done));
          EXPECT_EQ(after.cell, positions[index_of(p)].cell);
        }
      }
    }
  }
}

// back() undoes only a forward() of its own granularity; otherwise it steps
// from the position: one multiply back from a finished cell leaves that cell
// one term short.
TEST(Stepper, BackAtAnotherGranularityStepsFromThePosition) {
  Stepper stepper(test::make_shape(3, 4, 2, 2, 2));
  ASSERT_TRUE(stepper.forward(Granularity::cell));
  ASSERT_TRUE(stepper.forward(Granularity::cell));
  ASSERT_TRUE(stepper.back(Granularity::multiply));
  EXPECT_EQ(stepper.undo_depth(), 0u);
  for (StepPanel p : all_panels) {
    const StepperPosition pos = stepper.position(p);
    EXPECT_EQ(pos.cell, (StepperCell{0, 1, 0, 3, 4}));
    EXPECT_EQ(pos.stage_done.dot_products, 1);
    EXPECT_EQ(pos.stage_done.multiplies, 7);
  }
  // Forward by a cell finishes the cell, back by a cell goes to its start.
  ASSERT_TRUE(stepper.forward(Granularity::cell));
  EXPECT_EQ(stepper.position(StepPanel::multi_head).stage_done.multiplies, 8);
  stepper.to_stage(Stage::projection);
  ASSERT_TRUE(stepper.forward(Granularity::multiply));
  ASSERT_TRUE(stepper.forward(Granularity::multiply));
  ASSERT_TRUE(stepper.back(Granularity::cell));
  EXPECT_TRUE(stepper.at_start());
}

// Beyond undo_limit forwards the oldest are forgotten and back() steps from
// the position; in the projection of the worked example both panels have
// the same cells, so that still returns to the start.
TEST(Stepper, UndoMemoryIsBounded) {
  Stepper stepper(worked_example());
  const std::size_t steps = Stepper::undo_limit + 10;
  for (std::size_t i = 0; i < steps; ++i) ASSERT_TRUE(stepper.forward(Granularity::multiply));
  EXPECT_EQ(stepper.undo_depth(), Stepper::undo_limit);
  EXPECT_EQ(stepper.stage(), Stage::projection);
  for (std::size_t i = 0; i < steps; ++i) ASSERT_TRUE(stepper.back(Granularity::multiply));
  EXPECT_TRUE(stepper.at_start());
  EXPECT_FALSE(stepper.back(Granularity::multiply));
}

TEST(Stepper, BackAtTheStartAndForwardAtTheEndDoNothing) {
  const Shape shape = test::make_shape(4, 3, 2, 2, 1, true);
  for (Granularity g : all_granularities) {
    Stepper stepper(shape);
    ASSERT_TRUE(stepper.at_start());
    const Stepper start = stepper;
    EXPECT_FALSE(stepper.back(g));
    EXPECT_TRUE(stepper == start);
    stepper.to_end();
    const Stepper end = stepper;
    EXPECT_FALSE(stepper.forward(g));
    EXPECT_TRUE(stepper == end);
    // Reaching the end by steps: the same.
    Stepper walked(shape);
    while (walked.forward(g)) {
    }
    EXPECT_TRUE(walked.at_end());
    EXPECT_EQ(walked.state(), end.state());
    const Stepper walked_end = walked;
    EXPECT_FALSE(walked.forward(g));
    EXPECT_TRUE(walked == walked_end);
  }
}

// Without anything to undo, back() mirrors forward(): the same number of
// steps from the end to the start, counters never growing on the way.
TEST(Stepper, BackFromTheEndMirrorsForward) {
  for (const Shape& shape : shape_table()) {
    SCOPED_TRACE(test::shape_text(shape));
    for (Granularity g : all_granularities) {
      Stepper stepper(shape);
      std::int64_t forwards = 0, backs = 0;
      while (stepper.forward(g)) ++forwards;
      stepper.to_end();
      StageCounts last = stepper.position(StepPanel::multi_head).program_done;
      while (stepper.back(g)) {
        ++backs;
        EXPECT_EQ(stepper.undo_depth(), 0u);
        const StageCounts now = stepper.position(StepPanel::multi_head).program_done;
        for (Operation op : all_operations) EXPECT_LE(now[op], last[op]);
        last = now;
        ASSERT_LE(backs, forwards);
      }
      EXPECT_TRUE(stepper.at_start());
      EXPECT_EQ(backs, forwards) << granularity_name(g);
    }
  }
}

TEST(Stepper, JumpsLandOnStageBoundaries) {
  const Shape shape = test::make_shape(6, 5, 4, 2, 2, true);
  Stepper stepper(shape);
  for (Stage stage : stepper.stages()) {
    stepper.to_stage(stage);
    EXPECT_EQ(stepper.stage(), stage);
    EXPECT_EQ(stepper.undo_depth(), 0u);
    for (StepPanel p : all_panels) {
      const StepperPosition pos = stepper.position(p);
      EXPECT_TRUE(pos.at_stage_start());
      EXPECT_FALSE(pos.cell);
      StageCounts before;
      for (Stage earlier : stepper.stages()) {
        if (earlier == stage) break;
        for (Operation op : all_operations) before[op] += count(stepper.shape(p))[earlier][op];
      }
      EXPECT_TRUE(test::stage_counts_equal(pos.program_done, before));
    }
  }
  EXPECT_THROW(stepper.to_stage(Stage::attention), std::invalid_argument);
  stepper.to_start();
  EXPECT_TRUE(stepper.at_start());
  stepper.to_end();
  EXPECT_TRUE(stepper.at_end());
}

TEST(Stepper, RefusesAnInvalidShape) {
  Shape bad = test::make_shape(4, 4, 3, 2, 2);
  EXPECT_THROW(Stepper{bad}, ShapeError);
  bad = test::make_shape(0, 4, 1, 2, 1);
  EXPECT_THROW(Stepper{bad}, ShapeError);
}

// [SECTION] lockstep at the worked example

TEST(Stepper, WorkedExampleScoresTakeMoreDotProductsButTheSameMultiplies) {
  Stepper stepper(worked_example());
  stepper.to_stage(Stage::scores);
  ASSERT_TRUE(stepper.forward(Granularity::stage));
  const StepperPosition one = stepper.position(StepPanel::single_head);
  const StepperPosition three = stepper.position(StepPanel::multi_head);
  EXPECT_EQ(one.stage, Stage::scores);
  EXPECT_EQ(one.stage_done.dot_products, 1600);
  EXPECT_EQ(three.stage_done.dot_products, 4800);
  EXPECT_EQ(one.stage_done.multiplies, 57600);
  EXPECT_EQ(three.stage_done.multiplies, 57600);
}

TEST(Stepper, WorkedExampleCellStepsLeaveOneHeadWaiting) {
  Stepper stepper(worked_example());
  stepper.to_stage(Stage::scores);
  for (int i = 0; i < 1600; ++i) ASSERT_TRUE(stepper.forward(Granularity::cell));
  EXPECT_TRUE(stepper.waiting(StepPanel::single_head));
  EXPECT_FALSE(stepper.waiting(StepPanel::multi_head));
  EXPECT_EQ(stepper.position(StepPanel::single_head).stage_done.multiplies, 57600);
  EXPECT_EQ(stepper.position(StepPanel::multi_head).stage_done.dot_products, 1600);
  EXPECT_EQ(stepper.position(StepPanel::multi_head).stage_done.multiplies, 19200);
  const StepDescription waiting = stepper.describe(StepPanel::single_head, nullptr);
  EXPECT_TRUE(waiting.waiting);
  EXPECT_EQ(waiting.cell_name, "S_1[40, 40]");
  for (int i = 0; i < 3200; ++i) ASSERT_TRUE(stepper.forward(Granularity::cell));
  EXPECT_EQ(stepper.stage(), Stage::scores);
  EXPECT_FALSE(stepper.waiting(StepPanel::single_head));
  EXPECT_EQ(stepper.position(StepPanel::multi_head).stage_done.dot_products, 4800);
  EXPECT_EQ(stepper.describe(StepPanel::multi_head, nullptr).cell_name, "S_3[40, 40]");
  // Both enter the scale stage together.
  ASSERT_TRUE(stepper.forward(Granularity::cell));
  EXPECT_EQ(stepper.stage(), Stage::scale);
  for (StepPanel p : all_panels) EXPECT_EQ(stepper.position(p).cells_done, 1);
}

TEST(Stepper, WorkedExampleMultiplyStepsFinishScoresTogether) {
  Stepper stepper(worked_example());
  stepper.to_stage(Stage::scores);
  for (int i = 0; i < 57600; ++i) {
    ASSERT_TRUE(stepper.forward(Granularity::multiply));
    ASSERT_FALSE(stepper.waiting(StepPanel::single_head)) << "after " << i + 1 << " multiplies";
    ASSERT_FALSE(stepper.waiting(StepPanel::multi_head)) << "after " << i + 1 << " multiplies";
  }
  EXPECT_TRUE(stepper.position(StepPanel::single_head).at_stage_end());
  EXPECT_TRUE(stepper.position(StepPanel::multi_head).at_stage_end());
}

// [SECTION] huge shapes: closed-form counters

TEST(Stepper, CountersAreExactAtAHugeShapeWithoutIteratingCells) {
  for (bool causal : {false, true}) {
    const Shape shape = test::make_shape(16384, 4096, 64, 64, 64, causal);
    SCOPED_TRACE(test::shape_text(shape));
    Stepper stepper(shape);
    const std::int64_t n = 16384, dh = 64, da = 4096;
    const Counts multi = count(shape), single = count(single_head_of(shape));

    stepper.to_stage(Stage::scores);
    ASSERT_TRUE(stepper.forward(Granularity::stage));
    EXPECT_TRUE(test::stage_counts_equal(stepper.position(StepPanel::multi_head).stage_done, multi[Stage::scores]));
    EXPECT_TRUE(test::stage_counts_equal(stepper.position(StepPanel::single_head).stage_done, single[Stage::scores]));
    EXPECT_EQ(multi[Stage::scores].multiplies, single[Stage::scores].multiplies);

    // Five cells into the scores: query 0 sees one key when causal, so the
    // fifth cell is key 1 of query 2; otherwise key 4 of query 0.
    stepper.to_stage(Stage::scores);
    for (int i = 0; i < 5; ++i) ASSERT_TRUE(stepper.forward(Granularity::cell));
    const StepperPosition five = stepper.position(StepPanel::multi_head);
    EXPECT_EQ(five.cell, (StepperCell{0, causal ? 1 : 4, causal ? 2 : 0, dh, dh}));
    EXPECT_EQ(five.stage_done.dot_products, 5);
    EXPECT_EQ(five.stage_done.multiplies, 5 * dh);
    EXPECT_EQ(five.stage_done.adds, 5 * (dh - 1));
    EXPECT_EQ(stepper.position(StepPanel::single_head).stage_done.multiplies, 5 * da);
    StageCounts before = multi[Stage::projection];
    before.multiplies += 5 * dh;
    before.adds += 5 * (dh - 1);
    before.dot_products += 5;
    EXPECT_TRUE(test::stage_counts_equal(five.program_done, before));

    // Three multiplies into v·A: a causal query 0 has one term, so three cells are done.
    stepper.to_stage(Stage::weighted_sum);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(stepper.forward(Granularity::multiply));
    const StepperPosition three = stepper.position(StepPanel::multi_head);
    EXPECT_EQ(three.stage_done.multiplies, 3);
    EXPECT_EQ(three.stage_done.dot_products, causal ? 3 : 0);
    EXPECT_EQ(three.cell, (StepperCell{0, causal ? 2 : 0, 0, causal ? 1 : 3, causal ? 1 : n}));

    // The last multiply of v·A: head 64, row dh, query n, term n of n.
    stepper.to_stage(Stage::output);
    ASSERT_TRUE(stepper.back(Granularity::multiply)); // the output's start is v·A's end
    EXPECT_EQ(stepper.stage(), Stage::weighted_sum);
    ASSERT_TRUE(stepper.back(Granularity::multiply));
    const StepperPosition last = stepper.position(StepPanel::multi_head);
    EXPECT_EQ(last.cell, (StepperCell{63, dh - 1, n - 1, n - 1, n}));
    EXPECT_EQ(last.stage_done.multiplies, multi[Stage::weighted_sum].multiplies - 1);
    EXPECT_EQ(last.stage_done.dot_products, multi[Stage::weighted_sum].dot_products - 1);
    EXPECT_EQ(last.stage_done.adds, multi[Stage::weighted_sum].adds - 1);

    stepper.to_end();
    for (StepPanel p : all_panels)
      EXPECT_TRUE(test::stage_counts_equal(stepper.position(p).program_done,
                                           stepper.position(p).program_total));
    EXPECT_EQ(stepper.position(StepPanel::multi_head).program_total.multiplies, multi.totals.multiplies);
  }
}

// [SECTION] the described step against the trace

// The number after the last " = " of a running sum text ("−" read as '-').
double value_of(const std::string& text) {
  std::string number = text.substr(text.rfind(" = ") + 3);
  if (number.starts_with("−")) number = "-" + number.substr(std::string("−").size());
  return std::stod(number);
}

TEST(Stepper, DescribedStepsMatchTheTrace) {
  for (bool causal : {false, true}) {
    const Shape shape = test::make_shape(5, 6, 3, 2, 1, causal);
    SCOPED_TRACE(test::shape_text(shape));
    Stepper stepper(shape);
    const std::array<AttentionTrace, 2> traces{trace_of(stepper.shape(StepPanel::single_head)),
                                               trace_of(shape)};
    std::array<int, 4> seen{}; // matmul ends, matmul partials, scales, softmaxes
    while (stepper.forward(Granularity::multiply)) {
      for (StepPanel p : all_panels) {
        const AttentionTrace& trace = traces[index_of(p)];
        const StepDescription d = stepper.describe(p, &trace);
        ASSERT_TRUE(d.position.cell);
        ASSERT_TRUE(d.derivation);
        const StepperCell& cell = *d.position.cell;
        const NamedMatrix* matrix = nullptr;
        for (const TraceMatrix& m : trace_matrices(trace))
          if (m.matrix->name == d.matrix) matrix = m.matrix;
        ASSERT_NE(matrix, nullptr) << d.matrix;
        const double value = matrix->values(cell.row, cell.col);
        const CellDerivation reference = derive_cell(trace, *matrix, cell.row, cell.col);
        switch (d.position.stage) {
        case Stage::scale: {
          ASSERT_TRUE(d.scale);
          const std::int64_t head = std::stoll(d.matrix.substr(2)) - 1;
          const double expected = trace.scaled_scores(head)(cell.row, cell.col);
          EXPECT_NEAR(d.scale->scaled, expected, 1e-6 * (1 + std::fabs(expected)));
          EXPECT_NEAR(d.scale->score / d.scale->root_dh, d.scale->scaled, 1e-6 * (1 + std::fabs(expected)));
          EXPECT_EQ(d.scale->score, value); // S holds the unscaled score
          ++seen[2];
          break;
        }
        case Stage::softmax:
          ASSERT_TRUE(d.softmax);
          EXPECT_NEAR(d.softmax->weight, value, 1e-6);
          EXPECT_NEAR(d.softmax->exp / d.softmax->column_sum, value, 1e-5);
          EXPECT_EQ(d.softmax->keys, causal ? cell.col + 1 : shape.seq);
          ++seen[3];
          break;
        default: {
          ASSERT_TRUE(d.running_sum);
          double partial = 0;
          for (std::int64_t t = 0; t < cell.terms_done; ++t)
            partial += reference.terms[static_cast<std::size_t>(t)].left *
                       reference.terms[static_cast<std::size_t>(t)].right;
          EXPECT_DOUBLE_EQ(*d.running_sum, partial);
          EXPECT_NEAR(value_of(d.running_sum_text), partial, 1e-3 * (1 + std::fabs(partial)))
              << d.running_sum_text;
          const DerivationTerm& term = reference.terms[static_cast<std::size_t>(cell.terms_done - 1)];
          EXPECT_EQ(d.term->left, term.left);
          EXPECT_EQ(d.term->right, term.right);
          if (cell.complete()) {
            EXPECT_NEAR(*d.running_sum, value, 1e-4 * (1 + std::fabs(value))) << d.cell_name;
            ++seen[0];
          } else {
            ++seen[1];
          }
        }
        }
      }
    }
    for (int kinds : seen) EXPECT_GT(kinds, 0);
  }
}

TEST(Stepper, DescriptionNamesMatricesAsOnScreenAndNeedsTheRightTrace) {
  const Shape shape = test::make_shape(4, 6, 3, 2, 3);
  Stepper stepper(shape);
  const AttentionTrace multi = trace_of(shape);
  EXPECT_EQ(stepper.describe(StepPanel::multi_head, &multi).lines.front(),
            std::string(stage_title(Stage::projection)) + ": nothing computed yet");
  stepper.forward(Granularity::cell);
  EXPECT_EQ(stepper.describe(StepPanel::multi_head, &multi).cell_name, "QKV[1, 1]");
  struct Case {
    Stage stage;
    int cells; // cell steps into the stage
    const char* multi_name;
    const char* single_name;
  };
  // 16 cells per head of S: the 17th is head 2's first, and one head waits
  // at its last. Z_h has 2 × 4 cells per head, Z_1 of one head 6 × 4.
  for (const Case& c : {Case{Stage::scores, 17, "S_2[1, 1]", "S_1[4, 4]"},
                        Case{Stage::scale, 40, "S_3[4, 2]", "S_1[4, 4]"},
                        Case{Stage::softmax, 2, "A_1[2, 1]", "A_1[2, 1]"},
                        Case{Stage::weighted_sum, 9, "Z_2[1, 1]", "Z_1[3, 2]"},
                        Case{Stage::output, 7, "O[1, 2]", "O[1, 2]"}}) {
    stepper.to_stage(c.stage);
    for (int i = 0; i < c.cells; ++i) stepper.forward(Granularity::cell);
    EXPECT_EQ(stepper.describe(StepPanel::multi_head, &multi).cell_name, c.multi_name);
    EXPECT_EQ(stepper.describe(StepPanel::single_head, nullptr).cell_name, c.single_name);
  }
  // No trace, or the other panel's: positions and counters, no values.
  for (const AttentionTrace* trace : {static_cast<const AttentionTrace*>(nullptr), &multi}) {
    const StepDescription d = stepper.describe(StepPanel::single_head, trace);
    EXPECT_FALSE(d.derivation);
    EXPECT_FALSE(d.running_sum);
    EXPECT_TRUE(d.running_sum_text.empty());
    EXPECT_EQ(d.position.stage_done.dot_products, 7);
  }
  EXPECT_TRUE(stepper.describe(StepPanel::multi_head, &multi).derivation);
}

} // namespace
} // namespace abh
