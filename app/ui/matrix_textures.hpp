#pragma once
// GL textures of the display matrices, uploaded when first drawn and freed
// when a new snapshot replaces the old one.

#include <map>

#include "app/ui/trace_snapshot.hpp"

namespace abh {

class MatrixTextures {
public:
  MatrixTextures() = default;
  ~MatrixTextures() { clear(); }
  MatrixTextures(const MatrixTextures&) = delete;
  MatrixTextures& operator=(const MatrixTextures&) = delete;

  unsigned get(const DisplayMatrix& m); // uploads on first use
  void clear();

private:
  std::map<const DisplayMatrix*, unsigned> textures_;
};

} // namespace abh
