// The example sentence: hand-set small integers whose three heads attend to
// the previous token, to the same word, and to the first token.

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/example_sentence.hpp"
#include "core/trace.hpp"
#include "test_support.hpp"

namespace abh {
namespace {

using Keys = std::vector<Eigen::Index>; // intended key for each query column

// What each head is meant to attend to, from the token labels alone.
Keys previous_token(const std::vector<std::string>& tokens) {
  Keys keys;
  for (Eigen::Index q = 0; q < static_cast<Eigen::Index>(tokens.size()); ++q)
    keys.push_back(q == 0 ? 0 : q - 1);
  return keys;
}
Keys same_word(const std::vector<std::string>& tokens) {
  Keys keys;
  const auto n = static_cast<Eigen::Index>(tokens.size());
  for (Eigen::Index q = 0; q < n; ++q) {
    Eigen::Index key = q; // a word that occurs once: itself
    for (Eigen::Index k = 0; k < n; ++k)
      if (k != q && tokens[static_cast<std::size_t>(k)] == tokens[static_cast<std::size_t>(q)])
        key = k;
    keys.push_back(key);
  }
  return keys;
}
Keys first_token(const std::vector<std::string>& tokens) {
  return Keys(tokens.size(), 0);
}

Keys argmax_per_column(const Eigen::MatrixXf& A) {
  Keys keys;
  for (Eigen::Index q = 0; q < A.cols(); ++q) {
    Eigen::Index key = 0;
    A.col(q).maxCoeff(&key);
    keys.push_back(key);
  }
  return keys;
}

AttentionTrace sentence_trace(const Shape& shape) {
  TraceOptions options;
  options.values = ValueMode::sentence;
  return compute_trace(shape, options);
}

TEST(ExampleSentence, ShapeTokensAndLabels) {
  const ExampleSentence& e = example_sentence();
  EXPECT_EQ(e.shape, test::make_shape(6, 7, 3, 2, 3));
  EXPECT_EQ(e.tokens, (std::vector<std::string>{"the", "cat", "sat", "on", "the", "mat"}));
  ASSERT_EQ(static_cast<Eigen::Index>(e.tokens.size()), e.inputs.X.cols());
  ASSERT_EQ(static_cast<Eigen::Index>(e.features.size()), e.inputs.X.rows());
  EXPECT_EQ(e.heads.size(), 3u);
  EXPECT_NO_THROW(validate(e.shape));
}

TEST(ExampleSentence, EachHeadAttendsToItsIntendedKey) {
  const ExampleSentence& e = example_sentence();
  const AttentionTrace t = sentence_trace(e.shape);
  ASSERT_EQ(t.heads.size(), 3u);
  EXPECT_EQ(argmax_per_column(t.heads[0].A.values), previous_token(e.tokens));
  EXPECT_EQ(argmax_per_column(t.heads[1].A.values), same_word(e.tokens));
  EXPECT_EQ(argmax_per_column(t.heads[2].A.values), first_token(e.tokens));
  // The three patterns differ in most columns, and none is one-hot.
  for (const HeadTrace& head : t.heads) {
    EXPECT_LT(head.A.values.colwise().maxCoeff().mean(), 0.97f) << head.A.name;
    EXPECT_GT(head.A.values.colwise().maxCoeff().mean(), 0.5f) << head.A.name;
  }
}

TEST(ExampleSentence, EveryOperandIsASmallInteger) {
  const AttentionTrace t = sentence_trace(example_sentence().shape);
  for (const NamedMatrix* m : {&t.X, &t.Wqkv, &t.Wo, &t.QKV}) {
    SCOPED_TRACE(m->name);
    EXPECT_TRUE((m->values.array() == m->values.array().round()).all());
    EXPECT_LE(m->values.cwiseAbs().maxCoeff(), 9.0f);
  }
  for (const HeadTrace& head : t.heads)
    EXPECT_TRUE((head.S.values.array() == head.S.values.array().round()).all());
}

TEST(ExampleSentence, OneWideHeadSlicesTheSameWeights) {
  const Shape& shape = example_sentence().shape;
  const Shape single = single_head_of(shape);
  EXPECT_TRUE(sentence_fits(single));
  const AttentionTrace multi = sentence_trace(shape), one = sentence_trace(single);
  EXPECT_TRUE(test::bitwise_equal(multi.X.values, one.X.values));
  EXPECT_TRUE(test::bitwise_equal(multi.Wo.values, one.Wo.values));
  EXPECT_EQ(make_inputs(single, ValueMode::sentence, 1).Wqkv_blocks,
            make_inputs(shape, ValueMode::sentence, 1).Wqkv_blocks);
}

TEST(ExampleSentence, OtherShapesAreRefusedWithAReason) {
  Shape wider = example_sentence().shape;
  wider.seq = 7;
  EXPECT_FALSE(sentence_fits(wider));
  EXPECT_THROW(make_inputs(wider, ValueMode::sentence, 1), ShapeError);
  EXPECT_THROW(make_inputs(worked_example(), ValueMode::sentence, 1), ShapeError);
  Shape gqa = example_sentence().shape;
  gqa.kv_heads = 1;
  EXPECT_FALSE(sentence_fits(gqa));
}

} // namespace
} // namespace abh
