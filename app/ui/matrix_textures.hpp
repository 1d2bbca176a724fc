#pragma once
// GL textures of the display matrices, uploaded when first drawn and freed
// when a new snapshot replaces the old one.

#include <cstddef>
#include <cstdint>
#include <map>

#include "app/session/trace_snapshot.hpp"

namespace abh {

class MatrixTextures {
public:
  MatrixTextures() = default;
  ~MatrixTextures() { clear(); }
  MatrixTextures(const MatrixTextures&) = delete;
  MatrixTextures& operator=(const MatrixTextures&) = delete;

  // Uploads on first use, within this frame's byte budget; 0 when the
  // budget is spent (the caller draws a placeholder and asks next frame).
  unsigned get(const DisplayMatrix& m);
  void clear();
  // Bytes this frame may upload: spreads a new snapshot's textures over a few
  // frames so a slider drag keeps its frame rate.
  void begin_frame(std::size_t budget_bytes) {
    budget_left_ = budget_bytes;
    starved_ = false;
    upload_ms_ = 0;
    uploaded_bytes_ = 0;
  }
  bool complete() const { return !starved_; } // nothing was refused since begin_frame
  // Time spent in, and bytes given to, glTexImage2D since begin_frame.
  double upload_ms() const { return upload_ms_; }
  std::size_t uploaded_bytes() const { return uploaded_bytes_; }

private:
  std::map<const DisplayMatrix*, unsigned> textures_;
  std::size_t budget_left_ = SIZE_MAX;
  bool starved_ = false;
  double upload_ms_ = 0;
  std::size_t uploaded_bytes_ = 0;
};

} // namespace abh
