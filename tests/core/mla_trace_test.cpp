// MLA's latent path in the trace (core/mla_trace.hpp): C_KV = W_DKV·X, the
// shared k_R, the queries and the up-projections are the inputs' factors
// multiplied in MLA's order; each head's k is (W_UK_h·W_DKV)·X with k_R
// below it; the heads' S, A, Z and O equal the plain-loop reference of both
// MLA forms; by-hand values stay small integers and soft; every latent cell
// explains its dot product.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/cell_explain.hpp"
#include "core/mla_trace.hpp"
#include "core/naive_attention.hpp"
#include "core/trace.hpp"
#include "core/values.hpp"
#include "core/wqkv_layout.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

using test::make_shape;
using test::with_mla;

std::vector<Shape> mla_shapes() {
  std::vector<Shape> shapes;
  for (const test::ShapeCase& c : test::variant_cases())
    if (c.shape.is_mla()) shapes.push_back(c.shape);
  test::Rng rng(4242);
  while (shapes.size() < 40) {
    Shape s = test::random_variant(rng);
    s.head_dim = std::max<std::int64_t>(2, s.head_dim);
    s = with_mla(s, rng.coin() ? 0 : rng.between(1, 5), rng.between(1, 6),
                 rng.between(1, s.head_dim - 1), rng.coin() ? MlaForm::naive : MlaForm::absorbed);
    shapes.push_back(s);
  }
  return shapes;
}

// Rows of QKV head h's part reads, in the trace's layout.
Eigen::MatrixXf qkv_rows(const AttentionTrace& t, Part part, std::int64_t h) {
  return t.QKV.values.middleRows(band_first_row(t.shape, t.options.layout, part, h),
                                 band_rows(t.shape, part));
}

TEST(MlaTrace, OnlyAnMlaShapeHasALatentPath) {
  const AttentionTrace plain = compute_trace(make_shape(4, 6, 2, 3, 2), TraceOptions{});
  EXPECT_EQ(plain.mla, nullptr);
  for (const TraceMatrix& m : trace_matrices(plain)) EXPECT_NE(m.matrix->name, "C_KV");
  const Shape mla = with_mla(make_shape(4, 6, 2, 3, 2), 0, 2, 1, MlaForm::naive);
  const AttentionTrace latent = compute_trace(mla, TraceOptions{});
  ASSERT_NE(latent.mla, nullptr);
  EXPECT_FALSE(latent.shape.is_mla()) << "the heads are traced per head";
  EXPECT_EQ(latent.mla->ranks, mla.mla);
  std::vector<std::string> names;
  for (const TraceMatrix& m : trace_matrices(latent)) names.push_back(m.matrix->name);
  for (const char* name : {"W_DKV", "C_KV", "W_KR", "k_R", "W_Q", "Q", "W_UK", "K", "W_UV", "V"})
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 1) << name;
  EXPECT_EQ(std::count(names.begin(), names.end(), "c_Q"), 0) << "dq = 0: no query latent";
  const NamedMatrix* c = find_matrix(latent, "C_KV");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->values.rows(), 2);
  EXPECT_EQ(c->values.cols(), 4);
  // Computing a plain shape into the same trace drops the latent path.
  AttentionTrace reused = latent;
  compute_trace(reused, make_shape(4, 6, 2, 3, 2), TraceOptions{});
  EXPECT_EQ(reused.mla, nullptr);
}

TEST(MlaTrace, TheLatentPathIsTheInputsFactorsInMlasOrder) {
  std::uint64_t seed = 70;
  for (const Shape& s : mla_shapes()) {
    SCOPED_TRACE(test::shape_text(s));
    for (WqkvLayout layout : {WqkvLayout::blocks, WqkvLayout::triples}) {
      const TraceOptions options{ValueMode::gaussian, ++seed, layout};
      const Inputs in = make_inputs(s, options.values, options.seed);
      const AttentionTrace t = compute_trace(s, options);
      ASSERT_NE(t.mla, nullptr);
      const MlaTrace& l = *t.mla;
      const std::int64_t H = s.heads, dh = s.head_dim, dv = s.value_dim(), dq = s.mla.q_rank,
                         dc = s.mla.kv_rank, dr = s.mla.rope_dim, dn = dh - dr;
      const std::int64_t q_in = dq > 0 ? dq : H * dh;
      EXPECT_TRUE(test::bitwise_equal(l.W_DKV.values, in.Wd.middleRows(q_in, dc)));
      EXPECT_TRUE(test::bitwise_equal(l.W_KR.values, in.Wd.bottomRows(dr)));
      EXPECT_TRUE(test::bitwise_equal(l.W_DQ.values, in.Wd.topRows(q_in)));
      EXPECT_EQ(l.W_DQ.name, dq > 0 ? "W_DQ" : "W_Q");
      const Eigen::MatrixXd X = t.X.values.cast<double>();
      const Eigen::MatrixXd C = in.Wd.middleRows(q_in, dc).cast<double>() * X;
      EXPECT_TRUE(test::elementwise_close("C_KV", l.C_KV.values, C, 1e-5));
      EXPECT_EQ(l.C_KV.values.cols(), s.seq) << "the cache holds every token";
      const Eigen::MatrixXd kR = in.Wd.bottomRows(dr).cast<double>() * X;
      EXPECT_TRUE(test::elementwise_close("k_R", l.k_R.values, kR, 1e-5));
      const Eigen::MatrixXd Wdkv = in.Wd.middleRows(q_in, dc).cast<double>();
      Eigen::MatrixXd Q = in.Wd.topRows(q_in).cast<double>() * X;
      if (dq > 0) Q = in.Wuq.cast<double>() * Q;
      for (std::int64_t h = 0; h < H; ++h) {
        // K_h = [(W_UK_h·W_DKV)·X; k_R]: the up-projection of the cache.
        const Eigen::MatrixXd Wuk = in.Wukv.middleRows(h * dn, dn).cast<double>();
        const Eigen::MatrixXd Wuv = in.Wukv.middleRows(H * dn + h * dv, dv).cast<double>();
        Eigen::MatrixXd K(dh, s.seq);
        K.topRows(dn) = (Wuk * Wdkv) * X;
        K.bottomRows(dr) = kR;
        EXPECT_TRUE(test::elementwise_close("k_h", qkv_rows(t, Part::k, h), K, 1e-4));
        EXPECT_TRUE(test::elementwise_close("v_h", qkv_rows(t, Part::v, h), (Wuv * Wdkv) * X, 1e-4));
        EXPECT_TRUE(test::elementwise_close("q_h", qkv_rows(t, Part::q, h), Q.middleRows(h * dh, dh), 1e-4));
        // The rows of K and V the heads read are the drawn K and V.
        EXPECT_TRUE(test::bitwise_equal(qkv_rows(t, Part::k, h).topRows(dn), l.K.values.middleRows(h * dn, dn)));
        EXPECT_TRUE(test::bitwise_equal(qkv_rows(t, Part::v, h), l.V.values.middleRows(h * dv, dv)));
      }
    }
  }
}

TEST(MlaTrace, HeadsMatchTheReferenceOfBothForms) {
  std::uint64_t seed = 900;
  for (const Shape& s : mla_shapes()) {
    SCOPED_TRACE(test::shape_text(s));
    const TraceOptions options{ValueMode::gaussian, ++seed, WqkvLayout::triples};
    const Inputs in = make_inputs(s, options.values, options.seed);
    const AttentionTrace t = compute_trace(s, options);
    for (MlaForm form : {MlaForm::naive, MlaForm::absorbed}) {
      Shape f = s;
      f.mla.form = form;
      const NaiveAttention ref = naive_attention(f, in);
      for (std::size_t h = 0; h < t.heads.size(); ++h) {
        EXPECT_TRUE(test::nmse_below("S", t.heads[h].S.values, test::to_eigen(ref.S[h]), 1e-9));
        EXPECT_TRUE(test::nmse_below("A", t.heads[h].A.values, test::to_eigen(ref.A[h]), 1e-9));
        EXPECT_TRUE(test::nmse_below("Z_h", t.heads[h].Z.values, test::to_eigen(ref.Z[h]), 1e-9));
      }
      EXPECT_TRUE(test::nmse_below("O", t.O.values, test::to_eigen(ref.O), 1e-9));
    }
  }
}

// By hand: the latent and every q, k, v entry are integers within ±3 (each
// up-projection row picks one latent entry), and the heads attend softly.
TEST(MlaTrace, ByHandValuesStaySmallIntegersAndSoft) {
  const std::vector<Shape> shapes = {
      with_mla(make_shape(4, 16, 2, 6, 2), 6, 4, 2, MlaForm::naive),
      with_mla(make_shape(8, 32, 4, 8, 4), 0, 8, 2, MlaForm::naive),
      with_mla(make_shape(8, 16, 2, 8, 2, true), 8, 6, 2, MlaForm::absorbed),
      with_mla(make_shape(12, 24, 3, 6, 3), 12, 8, 2, MlaForm::naive),
      with_mla(make_shape(16, 32, 4, 8, 4), 16, 8, 4, MlaForm::naive)};
  const auto small_integers = [](const Eigen::MatrixXf& m, float bound) {
    return (m.array() == m.array().round()).all() && m.cwiseAbs().maxCoeff() <= bound;
  };
  std::vector<double> column_max;
  for (const Shape& s : shapes)
    for (std::uint64_t seed : {1u, 2u, 3u}) {
      SCOPED_TRACE(test::shape_text(s) + " seed " + std::to_string(seed));
      TraceOptions options;
      options.seed = seed;
      const AttentionTrace t = compute_trace(s, options);
      const MlaTrace& l = *t.mla;
      for (const TraceMatrix& m : l.matrices()) {
        const bool weight = !m.stage.has_value();
        EXPECT_TRUE(small_integers(m.matrix->values, weight ? 1.0f : 3.0f)) << m.matrix->name;
      }
      EXPECT_TRUE(small_integers(t.QKV.values, 3.0f));
      for (const HeadTrace& head : t.heads) {
        const double m = head.A.values.colwise().maxCoeff().cast<double>().mean();
        EXPECT_GE(m, 1.0 / static_cast<double>(s.seq)) << head.A.name;
        column_max.push_back(m);
      }
    }
  std::nth_element(column_max.begin(), column_max.begin() + static_cast<std::ptrdiff_t>(column_max.size() / 2),
                   column_max.end());
  const double median = column_max[column_max.size() / 2];
  EXPECT_GE(median, 0.25);
  EXPECT_LE(median, 0.75) << "softmax columns are neither flat nor one-hot";
}

TEST(MlaTrace, TraceBytesCountTheLatentPath) {
  for (const Shape& s : mla_shapes()) {
    SCOPED_TRACE(test::shape_text(s));
    const AttentionTrace t = compute_trace(s, TraceOptions{});
    std::int64_t floats = 0;
    for (const TraceMatrix& m : t.mla->matrices()) floats += m.matrix->values.size();
    EXPECT_EQ(mla_trace_floats(s), floats);
    EXPECT_EQ(trace_bytes(s) - trace_bytes(drawn_shape(s)), floats * 4);
  }
  EXPECT_EQ(mla_trace_floats(make_shape(4, 6, 2, 3, 2)), 0);
}

TEST(MlaTrace, EveryLatentCellExplainsItsDotProduct) {
  const Shape s = with_mla(make_shape(5, 8, 2, 5, 2), 4, 3, 2, MlaForm::naive);
  const AttentionTrace t = compute_trace(s, TraceOptions{ValueMode::small_integers, 3, WqkvLayout::triples});
  const MlaTrace& l = *t.mla;
  for (const TraceMatrix& m : l.matrices())
    for (Eigen::Index r = 0; r < m.matrix->values.rows(); ++r)
      for (Eigen::Index c = 0; c < m.matrix->values.cols(); ++c) {
        const CellDerivation d = derive_cell(t, *m.matrix, r, c);
        SCOPED_TRACE(d.cell);
        if (!m.stage) {
          EXPECT_EQ(d.kind, CellKind::input);
          continue;
        }
        ASSERT_EQ(d.kind, CellKind::dot_product);
        ASSERT_EQ(d.sources.size(), 2u);
        double sum = 0;
        for (const DerivationTerm& term : d.terms) sum += term.left * term.right;
        EXPECT_EQ(sum, d.value);
        EXPECT_EQ(d.terms.size(), static_cast<std::size_t>(d.sources[0].matrix->values.cols()));
      }
  const CellDerivation c = derive_cell(t, l.C_KV, 1, 2);
  EXPECT_EQ(c.sources[0].matrix, &l.W_DKV);
  EXPECT_EQ(c.sources[1].matrix, &t.X);
  const std::vector<std::string> lines = derivation_lines(c);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_EQ(lines[0].rfind("C_KV[2, 3] = ", 0), 0u) << lines[0];
  EXPECT_NE(lines[1].find("cached"), std::string::npos) << lines[1];
  EXPECT_EQ(lines[2], "= row 2 of W_DKV · column 3 of X (8 multiplies)");
  EXPECT_EQ(derive_cell(t, l.K, 4, 0).sources[1].matrix, &l.C_KV);
  EXPECT_EQ(derive_cell(t, l.Q, 0, 0).sources[1].matrix, &l.c_Q);
  // QKV's rows are explained by the latent cell they hold: k_2's last row is k_R.
  const std::int64_t k2 = band_first_row(t.shape, WqkvLayout::triples, Part::k, 1);
  const CellDerivation rope = derive_cell(t, t.QKV, k2 + 4, 1);
  EXPECT_EQ(rope.sources[0].matrix, &l.W_KR);
  EXPECT_EQ(rope.sources[0].index, 1);
  EXPECT_EQ(rope.value, l.k_R.values(1, 1));
  const CellDerivation nope = derive_cell(t, t.QKV, k2, 1);
  EXPECT_EQ(nope.sources[0].matrix, &l.W_UK);
  EXPECT_EQ(nope.sources[0].index, 3) << "k_2 row 1 is K row dn + 1";
  EXPECT_NE(nope.meaning.find("k_2 row 1"), std::string::npos) << nope.meaning;
}

} // namespace
} // namespace abh
