#pragma once
// An interpretable example: "the cat sat on the mat" with hand-set small
// integer embeddings and weights, three heads of width 2 that attend in
// three visibly different ways:
//   head 1 to the previous token (the first token to itself),
//   head 2 to the same word elsewhere (each "the" to the other "the"; a
//          word that occurs once, to itself),
//   head 3 to the first token.
// Features (rows of X): a word's 2-D vector, "the" signed by position,
// position p = i − 2, p², a constant 1 and "is first".

#include <string>
#include <vector>

#include "core/shape.hpp"
#include "core/values.hpp"

namespace abh {

struct ExampleSentence {
  Shape shape;                       // n 6, d 7, H 3, dh 2
  std::vector<std::string> tokens;   // one per column of X
  std::vector<std::string> features; // one per row of X
  std::vector<std::string> heads;    // what each head attends to, in head order
  Inputs inputs;
};

const ExampleSentence& example_sentence();

// The sentence's weights serve any shape with its n and d and H·dh = 6 that
// is multi-head (Hkv = H), so the single-head comparison (H 1, dh 6) slices
// the same Wqkv.
bool sentence_fits(const Shape& shape);

// The sentence's inputs for `shape`; throws ShapeError when it does not fit.
Inputs example_sentence_inputs(const Shape& shape);

} // namespace abh
