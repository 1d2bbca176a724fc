// The closed-formula counts (core/counts.cpp) against (a) the operations the
// plain-loop reference actually performs and (b) DESIGN.md's table, written
// out again here independently in 128-bit arithmetic, so overflow detection is
// tested too.

#include <array>
#include <cstdint>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/checked_int.hpp"
#include "core/counts.hpp"
#include "core/naive_attention.hpp"
#include "core/values.hpp"
#include "test_support.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

__extension__ typedef __int128 Wide;

struct WideStage {
  Wide dot_products = 0, multiplies = 0, adds = 0, exps = 0, divides = 0;
};

// DESIGN.md "Counts", transcribed without looking at counts.cpp.
struct WideCounts {
  std::array<WideStage, 6> stages{};
  Wide wqkv = 0, wo = 0;
  Wide multiplies = 0, adds = 0, exps = 0, divides = 0, flops = 0, matmul_multiplies = 0;
  Wide scores_elements = 0, kv_cache_elements = 0;

  explicit WideCounts(const Shape& shape) {
    const Wide n = shape.seq, d = shape.d_model, H = shape.heads, dh = shape.head_dim,
               Hkv = shape.kv_heads;
    const Wide da = H * dh, rows = da + 2 * Hkv * dh;
    const Wide P = shape.causal ? n * (n + 1) / 2 : n * n;
    auto& proj = stages[static_cast<std::size_t>(Stage::projection)];
    proj.dot_products = rows * n;
    proj.multiplies = rows * d * n;
    proj.adds = rows * (d - 1) * n;
    auto& scores = stages[static_cast<std::size_t>(Stage::scores)];
    scores.dot_products = H * P;
    scores.multiplies = H * P * dh;
    scores.adds = H * P * (dh - 1);
    stages[static_cast<std::size_t>(Stage::scale)].multiplies = H * P;
    auto& softmax = stages[static_cast<std::size_t>(Stage::softmax)];
    softmax.adds = H * (P - n);
    softmax.exps = H * P;
    softmax.divides = H * P;
    auto& ws = stages[static_cast<std::size_t>(Stage::weighted_sum)];
    ws.dot_products = H * dh * n;
    ws.multiplies = H * dh * P;
    ws.adds = H * dh * (P - n);
    auto& out = stages[static_cast<std::size_t>(Stage::output)];
    out.dot_products = d * n;
    out.multiplies = d * da * n;
    out.adds = d * (da - 1) * n;
    wqkv = rows * d;
    wo = d * da;
    for (const WideStage& s : stages) {
      multiplies += s.multiplies;
      adds += s.adds;
      exps += s.exps;
      divides += s.divides;
    }
    flops = multiplies + adds;
    matmul_multiplies = proj.multiplies + scores.multiplies + ws.multiplies + out.multiplies;
    scores_elements = H * n * n;
    kv_cache_elements = 2 * Hkv * dh * n;
  }

  // Every reported number fits in int64 (the inputs are small enough that the
  // 128-bit arithmetic above cannot itself overflow).
  bool fits() const {
    const Wide limit = std::numeric_limits<std::int64_t>::max();
    std::vector<Wide> all{wqkv,  wo,    multiplies,        adds,           exps,
                          divides, flops, matmul_multiplies, scores_elements, kv_cache_elements};
    for (const WideStage& s : stages)
      for (Wide v : {s.dot_products, s.multiplies, s.adds, s.exps, s.divides}) all.push_back(v);
    for (Wide v : all)
      if (v > limit) return false;
    return true;
  }

  StageCounts stage(Stage st) const {
    const WideStage& s = stages[static_cast<std::size_t>(st)];
    return {static_cast<std::int64_t>(s.dot_products), static_cast<std::int64_t>(s.multiplies),
            static_cast<std::int64_t>(s.adds), static_cast<std::int64_t>(s.exps),
            static_cast<std::int64_t>(s.divides)};
  }
};

void expect_counts_match_formulas(const Counts& c, const WideCounts& w) {
  for (Stage stage : all_stages)
    EXPECT_TRUE(test::stage_counts_equal(c[stage], w.stage(stage))) << stage_key(stage);
  EXPECT_EQ(c.params.wqkv, static_cast<std::int64_t>(w.wqkv));
  EXPECT_EQ(c.params.wo, static_cast<std::int64_t>(w.wo));
  EXPECT_EQ(c.totals.multiplies, static_cast<std::int64_t>(w.multiplies));
  EXPECT_EQ(c.totals.adds, static_cast<std::int64_t>(w.adds));
  EXPECT_EQ(c.totals.exps, static_cast<std::int64_t>(w.exps));
  EXPECT_EQ(c.totals.divides, static_cast<std::int64_t>(w.divides));
  EXPECT_EQ(c.totals.flops, static_cast<std::int64_t>(w.flops));
  EXPECT_EQ(c.totals.matmul_multiplies, static_cast<std::int64_t>(w.matmul_multiplies));
  EXPECT_EQ(c.memory.scores_elements, static_cast<std::int64_t>(w.scores_elements));
  EXPECT_EQ(c.memory.kv_cache_elements, static_cast<std::int64_t>(w.kv_cache_elements));
}

// The table must hold every attention variant and both masks.
TEST(CountsVsNaive, CaseTableCoversEveryVariant) {
  int single = 0, mha = 0, gqa = 0, mqa = 0, causal = 0, full = 0;
  for (const test::ShapeCase& c : test::small_cases()) {
    SCOPED_TRACE(c.name);
    const Shape& shape = c.shape;
    ASSERT_NO_THROW(validate(shape));
    if (shape.heads == 1) ++single;
    if (shape.heads > 1 && shape.kv_heads == shape.heads) ++mha;
    if (shape.kv_heads > 1 && shape.kv_heads < shape.heads) ++gqa;
    if (shape.heads > 1 && shape.kv_heads == 1) ++mqa;
    ++(shape.causal ? causal : full);
  }
  EXPECT_GE(single, 2);
  EXPECT_GE(mha, 2);
  EXPECT_GE(gqa, 2);
  EXPECT_GE(mqa, 2);
  EXPECT_GE(causal, 4);
  EXPECT_GE(full, 4);
}

TEST(CountsVsNaive, EveryStageAndFieldMatchesTheOperationsPerformed) {
  for (const test::ShapeCase& c : test::small_cases()) {
    SCOPED_TRACE(c.name);
    const Shape& shape = c.shape;
    const NaiveAttention naive =
        naive_attention(shape, make_inputs(shape, ValueMode::gaussian, 7));
    const Counts counted = count(shape);
    for (Stage stage : all_stages)
      EXPECT_TRUE(test::stage_counts_equal(naive.performed[static_cast<std::size_t>(stage)],
                                           counted[stage]))
          << "stage " << stage_key(stage);
    // The max-subtraction for stability is one per scored pair, outside the table.
    EXPECT_EQ(naive.softmax_max_subtracts, shape.heads * shape.scored_pairs());
    expect_counts_match_formulas(counted, WideCounts(shape));
  }
}

// Totals are the reference's performed operations summed over its stages
// (matmul multiplies: over the stages that perform dot products); parameters
// and memory are the sizes of the reference's inputs and matrices.
TEST(CountsVsNaive, TotalsParametersAndMemoryAreWhatTheReferenceUses) {
  for (const test::ShapeCase& c : test::small_cases()) {
    SCOPED_TRACE(c.name);
    const Shape& shape = c.shape;
    const Inputs inputs = make_inputs(shape, ValueMode::gaussian, 7);
    const NaiveAttention naive = naive_attention(shape, inputs);
    std::int64_t multiplies = 0, adds = 0, exps = 0, divides = 0, matmul_multiplies = 0;
    for (const StageCounts& performed : naive.performed) {
      multiplies += performed.multiplies;
      adds += performed.adds;
      exps += performed.exps;
      divides += performed.divides;
      if (performed.dot_products > 0) matmul_multiplies += performed.multiplies;
    }
    const Counts counted = count(shape);
    EXPECT_EQ(counted.totals.multiplies, multiplies);
    EXPECT_EQ(counted.totals.adds, adds);
    EXPECT_EQ(counted.totals.exps, exps);
    EXPECT_EQ(counted.totals.divides, divides);
    EXPECT_EQ(counted.totals.flops, multiplies + adds);
    EXPECT_EQ(counted.totals.matmul_multiplies, matmul_multiplies);

    EXPECT_EQ(counted.params.wqkv, inputs.Wqkv_blocks.size());
    EXPECT_EQ(counted.params.wo, inputs.Wo.size());
    std::int64_t score_elements = 0;
    for (const NaiveAttention::Matrix& S : naive.S)
      for (const std::vector<double>& row : S) score_elements += static_cast<std::int64_t>(row.size());
    EXPECT_EQ(counted.memory.scores_elements, score_elements);
    // The K and V rows of QKV: every row no query head reads.
    const auto qkv_rows = static_cast<std::int64_t>(naive.QKV.size());
    const auto q_rows = static_cast<std::int64_t>(naive.Z.size() * naive.Z.front().size());
    EXPECT_EQ(counted.memory.kv_cache_elements, (qkv_rows - q_rows) * shape.seq);
  }
}

TEST(CountsVsNaive, OperationCountsDoNotDependOnTheValues) {
  for (const test::ShapeCase& c : test::small_cases()) {
    SCOPED_TRACE(c.name);
    const auto a = naive_attention(c.shape, make_inputs(c.shape, ValueMode::small_integers, 1));
    const auto b = naive_attention(c.shape, make_inputs(c.shape, ValueMode::gaussian, 2));
    for (Stage stage : all_stages)
      EXPECT_TRUE(test::stage_counts_equal(a.performed[static_cast<std::size_t>(stage)],
                                           b.performed[static_cast<std::size_t>(stage)]));
  }
}

// The comparison must be able to fail: one operation more or less in any
// field of any stage is detected.
TEST(CountsVsNaive, SelfCheckComparisonDetectsOffByOne) {
  const Shape shape = test::make_shape(5, 4, 4, 3, 2, true);
  const NaiveAttention naive = naive_attention(shape, make_inputs(shape, ValueMode::gaussian, 3));
  const Counts counted = count(shape);
  for (Stage stage : all_stages) {
    const StageCounts& performed = naive.performed[static_cast<std::size_t>(stage)];
    ASSERT_TRUE(test::stage_counts_equal(performed, counted[stage]));
    for (Operation op : all_operations)
      for (std::int64_t delta : {-1, 1}) {
        StageCounts perturbed = counted[stage];
        perturbed[op] += delta;
        EXPECT_FALSE(test::stage_counts_equal(performed, perturbed)) << stage_key(stage);
      }
  }
}

// A one-symbol mistake in any count term of the program description (a factor
// replaced by another symbol, a factor dropped, or one too many), in any
// stage of any program (standard and MLA), changes the count on at least one
// case of the tables (the small cases and the variants) whose program has
// that stage, so comparing with the reference over the tables catches it.
// Fails when the tables are too uniform to tell two symbols apart.
TEST(CountsVsNaive, EveryOneSymbolMistakeInTheProgramIsCaught) {
  struct Run {
    Shape shape;
    SymbolValues symbols;
    NaiveAttention naive;
  };
  std::vector<Run> runs;
  for (const test::ShapeCase& c : test::all_cases())
    runs.push_back({c.shape, symbol_values(c.shape),
                    naive_attention(c.shape, make_inputs(c.shape, ValueMode::gaussian, 5))});
  std::vector<Symbol> symbols;
  for (std::size_t i = 0; i < symbol_count; ++i) symbols.push_back(static_cast<Symbol>(i));
  const auto in_program = [](const Shape& shape, Stage stage) {
    for (Stage s : program_stages(shape))
      if (s == stage) return true;
    return false;
  };

  const auto mla_only = [](Stage stage) {
    return stage != Stage::scores && stage != Stage::scale && stage != Stage::softmax &&
           stage != Stage::weighted_sum && stage != Stage::output && stage != Stage::projection;
  };

  int mutants = 0;
  for (std::size_t index = 0; index < stage_count; ++index) {
    const auto stage = static_cast<Stage>(index);
    if (stage_spec(stage).kind == StageKind::fused) continue; // the sum of its parts
    const StageSpec spec = stage_spec(stage);
    auto caught = [&](const StageSpec& mutant) {
      for (const Run& run : runs)
        if (in_program(run.shape, stage) &&
            stage_counts(mutant, run.symbols) != run.naive.performed[index])
          return true;
      return false;
    };
    ASSERT_FALSE(caught(spec)) << stage_key(stage) << ": the program disagrees with the reference";
    for (std::size_t t = 0; t < spec.counts.size(); ++t) {
      const std::vector<Symbol>& factors = spec.counts[t].product.factors;
      std::vector<std::vector<Symbol>> wrong;
      for (std::size_t i = 0; i < factors.size(); ++i) {
        std::vector<Symbol> dropped = factors;
        dropped.erase(dropped.begin() + static_cast<std::ptrdiff_t>(i));
        wrong.push_back(dropped);
        for (Symbol other : symbols)
          // MLA has a k and v per query head: in its own stages Hkv is H by definition.
          if (other != factors[i] && !(mla_only(stage) && factors[i] == Symbol::H && other == Symbol::Hkv)) {
            std::vector<Symbol> replaced = factors;
            replaced[i] = other;
            wrong.push_back(replaced);
          }
      }
      for (Symbol extra : symbols) {
        std::vector<Symbol> longer = factors;
        longer.push_back(extra);
        wrong.push_back(longer);
      }
      for (const std::vector<Symbol>& w : wrong) {
        StageSpec mutant = spec;
        mutant.counts[t].product.factors = w;
        std::string text;
        for (Symbol s : w) text += symbol_text(s, Shape{}) + " ";
        EXPECT_TRUE(caught(mutant)) << stage_key(stage) << " "
                                    << operation_name(spec.counts[t].op) << " as " << text;
        ++mutants;
      }
    }
  }
  EXPECT_GT(mutants, 3000);
}

// Counts for shapes far too large to run, compared with the formulas in 128
// bits: equal when every count fits, ShapeError when one does not.
TEST(CountsFormulas, LargeShapesMatchOrThrowExactlyWhenOverflowing) {
  test::Rng rng(424242);
  int fitting = 0, overflowing = 0;
  for (int i = 0; i < 2000; ++i) {
    Shape shape;
    // Log-uniform sizes, so both fitting and overflowing shapes are common.
    shape.seq = std::int64_t{1} << rng.between(0, 26);
    shape.seq += rng.between(0, shape.seq - 1);
    shape.d_model = rng.between(1, std::int64_t{1} << rng.between(0, 20));
    shape.heads = rng.between(1, std::int64_t{1} << rng.between(0, 10));
    shape.head_dim = rng.between(1, std::int64_t{1} << rng.between(0, 16));
    const std::vector<std::int64_t> kv = test::divisors(shape.heads);
    shape.kv_heads =
        kv[static_cast<std::size_t>(rng.between(0, static_cast<std::int64_t>(kv.size()) - 1))];
    shape.causal = rng.coin();
    SCOPED_TRACE(test::shape_text(shape));
    const WideCounts expected(shape);
    if (expected.fits()) {
      ++fitting;
      Counts c;
      ASSERT_NO_THROW(c = count(shape));
      expect_counts_match_formulas(c, expected);
    } else {
      ++overflowing;
      EXPECT_THROW(count(shape), ShapeError);
    }
    // validate() also proves the single-head comparison countable.
    const bool valid = expected.fits() && WideCounts(single_head_of(shape)).fits();
    if (valid) EXPECT_NO_THROW(validate(shape));
    else EXPECT_THROW(validate(shape), ShapeError);
  }
  EXPECT_GT(fitting, 100);
  EXPECT_GT(overflowing, 100);
}

TEST(CountsFormulas, StageKeysAreTheJsonNames) {
  const char* const keys[] = {"projection", "scores",       "scale",
                              "softmax",    "weighted_sum", "output"};
  for (std::size_t i = 0; i < all_stages.size(); ++i) {
    EXPECT_EQ(stage_key(all_stages[i]), keys[i]);
    EXPECT_EQ(static_cast<std::size_t>(all_stages[i]), i);
    EXPECT_FALSE(stage_title(all_stages[i]).empty());
  }
}

} // namespace
} // namespace abh
