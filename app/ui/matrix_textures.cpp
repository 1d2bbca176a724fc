#include "app/ui/matrix_textures.hpp"

#include <algorithm>
#include <chrono>

#include "app/ui/gl.hpp"

namespace abh {

unsigned MatrixTextures::get(const DisplayMatrix& m) {
  if (const auto it = textures_.find(&m); it != textures_.end()) return it->second;
  if (budget_left_ == 0) {
    starved_ = true;
    return 0;
  }
  // The upload that crosses the budget still goes: every frame makes progress.
  const auto bytes = static_cast<std::size_t>(m.drawn().size()) * sizeof(float);
  budget_left_ -= std::min(bytes, budget_left_);
  const auto start = std::chrono::steady_clock::now();
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  // Column-major storage as is: texel x = row, texel y = column.
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R32F, static_cast<GLsizei>(m.drawn().rows()),
               static_cast<GLsizei>(m.drawn().cols()), 0, GL_RED, GL_FLOAT, m.drawn().data());
  textures_.emplace(&m, texture);
  upload_ms_ += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  uploaded_bytes_ += bytes;
  return texture;
}

void MatrixTextures::clear() {
  for (const auto& [matrix, texture] : textures_) glDeleteTextures(1, &texture);
  textures_.clear();
}

} // namespace abh
