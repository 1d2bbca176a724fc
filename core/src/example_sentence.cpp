#include "core/example_sentence.hpp"

namespace abh {

namespace {

// Each head's q and k rows in terms of the features, so the score
// S(key j, query i) = q_i·k_j says what the head looks for:
//   head 1: q = (2p − 2, −2), k = (2p, p²):  S = −2(p_j − (p_i − 1))² + c_i,
//           largest at the previous position.
//   head 2: q = w + τ·(−1, 1), k = w + τ·(0, −1) with w the word vector and
//           τ = "the" signed by position (−2, +2): S = w_i·w_j plus −τ_iτ_j,
//           which is +4 between the two "the" and −4 for a "the" with itself.
//   head 3: q = (1, 1), k = (2·first, −p): S = 2·first_j − p_j, largest at
//           the first token for every query.
// Every head's v is the word vector; Wo writes head h's two numbers into
// output rows 2h and 2h + 1 (the last row, 7, stays 0).
ExampleSentence build() {
  ExampleSentence e;
  e.shape.seq = 6;
  e.shape.d_model = 7;
  e.shape.heads = 3;
  e.shape.head_dim = 2;
  e.shape.kv_heads = 3;
  e.shape.causal = false;
  e.tokens = {"the", "cat", "sat", "on", "the", "mat"};
  e.features = {"word x", "word y", "the·p", "p", "p²", "1", "first"};
  e.heads = {"previous token", "same word", "first token"};

  e.inputs.X.resize(7, 6);
  e.inputs.X << -3, -1, 1, 1, -3, 3,  // word x: the, cat, sat, on, the, mat
                -1, 3, -3, 3, -1, -1, // word y
                -2, 0, 0, 0, 2, 0,    // the·p: "the" at p = −2 and p = +2
                -2, -1, 0, 1, 2, 3,   // p = position − 2
                4, 1, 0, 1, 4, 9,     // p²
                1, 1, 1, 1, 1, 1,     // constant
                1, 0, 0, 0, 0, 0;     // first token

  Eigen::MatrixXf& W = e.inputs.Wqkv_blocks;
  W.setZero(18, 7);
  // Q block: rows 2h, 2h + 1 are q of head h.
  W.row(0) << 0, 0, 0, 2, 0, -2, 0; // head 1: 2p − 2
  W.row(1) << 0, 0, 0, 0, 0, -2, 0; //         −2
  W.row(2) << 1, 0, -1, 0, 0, 0, 0; // head 2: word x − the·p
  W.row(3) << 0, 1, 1, 0, 0, 0, 0;  //         word y + the·p
  W.row(4) << 0, 0, 0, 0, 0, 1, 0;  // head 3: 1
  W.row(5) << 0, 0, 0, 0, 0, 1, 0;  //         1
  // K block: rows 6 + 2h, 7 + 2h.
  W.row(6) << 0, 0, 0, 2, 0, 0, 0;  // head 1: 2p
  W.row(7) << 0, 0, 0, 0, 1, 0, 0;  //         p²
  W.row(8) << 1, 0, 0, 0, 0, 0, 0;  // head 2: word x
  W.row(9) << 0, 1, -1, 0, 0, 0, 0; //         word y − the·p
  W.row(10) << 0, 0, 0, 0, 0, 0, 2; // head 3: 2·first
  W.row(11) << 0, 0, 0, -1, 0, 0, 0; //        −p
  // V block: every head carries the word vector.
  for (int h = 0; h < 3; ++h) {
    W(12 + 2 * h, 0) = 1;
    W(13 + 2 * h, 1) = 1;
  }
  e.inputs.Wo.setZero(7, 6);
  for (int r = 0; r < 6; ++r) e.inputs.Wo(r, r) = 1;
  return e;
}

} // namespace

const ExampleSentence& example_sentence() {
  static const ExampleSentence sentence = build();
  return sentence;
}

bool sentence_fits(const Shape& s) {
  const Shape& e = example_sentence().shape;
  return s.seq == e.seq && s.d_model == e.d_model && s.heads > 0 && s.head_dim > 0 &&
         s.heads * s.head_dim == e.heads * e.head_dim && s.kv_heads == s.heads &&
         s.value_dim() == s.head_dim && !s.is_mla() && s.is_prefill() && s.window == 0;
}

Inputs example_sentence_inputs(const Shape& shape) {
  if (!sentence_fits(shape))
    throw ShapeError("the example sentence needs n = 6, d = 7, H·dh = 6 and as many kv heads "
                     "as heads");
  return example_sentence().inputs;
}

} // namespace abh
