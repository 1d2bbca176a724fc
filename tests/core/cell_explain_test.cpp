// derive_cell: every kind of cell, its sources and terms checked against the
// trace's own values, and the text a tooltip or the stepper shows.

#include <cmath>
#include <string>

#include <gtest/gtest.h>

#include "core/cell_explain.hpp"
#include "core/trace.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

double sum_of(const CellDerivation& d) {
  double sum = 0;
  for (const DerivationTerm& t : d.terms) sum += t.left * t.right;
  return sum;
}

AttentionTrace small_trace(bool causal) {
  Shape s = test::make_shape(5, 6, 2, 3, 2);
  s.causal = causal;
  return compute_trace(s, TraceOptions{ValueMode::small_integers, 7, WqkvLayout::triples});
}

TEST(CellExplain, DotProductsHaveEveryTermAndSumToTheCell) {
  const AttentionTrace t = small_trace(false);
  struct Case {
    const NamedMatrix* m;
    std::int64_t r, c;
    std::size_t terms;
    const NamedMatrix* left;
    const NamedMatrix* right;
  };
  const HeadTrace& h2 = t.heads[1];
  for (const Case& k : {Case{&t.QKV, 4, 3, 6, &t.Wqkv, &t.X}, Case{&h2.S, 1, 4, 3, &t.QKV, &t.QKV},
                        Case{&h2.Z, 2, 0, 5, &t.QKV, &h2.A}, Case{&t.O, 5, 2, 6, &t.Wo, &t.Z}}) {
    SCOPED_TRACE(k.m->name);
    const CellDerivation d = derive_cell(t, *k.m, k.r, k.c);
    EXPECT_EQ(d.kind, CellKind::dot_product);
    ASSERT_EQ(d.terms.size(), k.terms);
    EXPECT_NEAR(sum_of(d), k.m->values(k.r, k.c), 1e-4 * (1 + std::fabs(sum_of(d))));
    ASSERT_EQ(d.sources.size(), 2u);
    EXPECT_EQ(d.sources[0].matrix, k.left);
    EXPECT_EQ(d.sources[1].matrix, k.right);
    EXPECT_EQ(d.sources[0].count, static_cast<std::int64_t>(k.terms));
  }
  // The sources are the cell's own row and column.
  const CellDerivation qkv = derive_cell(t, t.QKV, 4, 3);
  EXPECT_TRUE(qkv.sources[0].is_row);
  EXPECT_EQ(qkv.sources[0].index, 4);
  EXPECT_FALSE(qkv.sources[1].is_row);
  EXPECT_EQ(qkv.sources[1].index, 3);
  // S reads column `key` of k and column `query` of q, from their rows of QKV.
  const CellDerivation s = derive_cell(t, h2.S, 1, 4);
  EXPECT_EQ(s.sources[0].index, 1);
  EXPECT_EQ(s.sources[0].first, h2.k_row);
  EXPECT_EQ(s.sources[1].index, 4);
  EXPECT_EQ(s.sources[1].first, h2.q_row);
  ASSERT_TRUE(s.scaled.has_value());
  EXPECT_NEAR(*s.scaled, h2.S.values(1, 4) / std::sqrt(3.0), 1e-5);
}

TEST(CellExplain, SoftmaxShowsEachExpAndTheColumnSum) {
  const AttentionTrace t = small_trace(false);
  const HeadTrace& h = t.heads[0];
  const CellDerivation d = derive_cell(t, h.A, 2, 3);
  EXPECT_EQ(d.kind, CellKind::softmax);
  ASSERT_EQ(d.exps.size(), 5u);
  double sum = 0;
  for (double e : d.exps) sum += e;
  EXPECT_NEAR(d.exp_sum, sum, 1e-12);
  EXPECT_NEAR(d.exps[2] / d.exp_sum, h.A.values(2, 3), 1e-5);
  const std::vector<std::string> lines = derivation_lines(d);
  bool has_sum = false;
  for (const std::string& line : lines) has_sum = has_sum || line.find("column sum") != std::string::npos;
  EXPECT_TRUE(has_sum);
}

TEST(CellExplain, CausalMaskedCellsSaySo) {
  const AttentionTrace t = small_trace(true);
  const HeadTrace& h = t.heads[0];
  EXPECT_EQ(derive_cell(t, h.S, 3, 1).kind, CellKind::masked);
  EXPECT_EQ(derive_cell(t, h.A, 3, 1).kind, CellKind::masked);
  EXPECT_EQ(derive_cell(t, h.S, 1, 3).kind, CellKind::dot_product);
  // v·A over the keys a query sees: query 2 (0-based 1) sees 2 keys.
  EXPECT_EQ(derive_cell(t, h.Z, 0, 1).terms.size(), 2u);
  EXPECT_EQ(derive_cell(t, h.A, 0, 1).exps.size(), 2u);
}

TEST(CellExplain, TooltipsListAtLeastSixteenTermsZerosIncluded) {
  const Shape s = test::make_shape(4, 20, 1, 20, 1);
  const AttentionTrace t = compute_trace(s, TraceOptions{ValueMode::small_integers, 3, WqkvLayout::blocks});
  const CellDerivation d = derive_cell(t, t.QKV, 0, 0);
  ASSERT_EQ(d.terms.size(), 20u);
  std::string text;
  for (const std::string& line : derivation_lines(d, 16)) text += line + "\n";
  std::size_t products = 0;
  for (std::size_t at = text.find("×"); at != std::string::npos; at = text.find("×", at + 1)) ++products;
  EXPECT_EQ(products, 16u) << text;
  EXPECT_NE(text.find("4 more terms"), std::string::npos) << text;
  // Every one of the 16 terms appears, in order, zeros included.
  std::size_t at = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    const std::string term = running_sum_text({d.terms[i]}, 1);
    const std::string product = term.substr(0, term.find(" = "));
    at = text.find(product, at);
    ASSERT_NE(at, std::string::npos) << "term " << i << " (" << product << ") missing: " << text;
    at += product.size();
  }
}

TEST(CellExplain, RunningSumText) {
  const std::vector<DerivationTerm> terms{{3, -2}, {1, 0}, {2, 2}};
  EXPECT_EQ(running_sum_text(terms, 2), "3×(−2) + 1×0 = −6");
  EXPECT_EQ(running_sum_text(terms, 3), "3×(−2) + 1×0 + 2×2 = −2");
  EXPECT_EQ(running_sum_text(terms, 9), running_sum_text(terms, 3));
}

} // namespace
} // namespace abh
