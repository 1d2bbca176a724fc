#include "app/ui/offscreen_target.hpp"

#include <algorithm>

#include "app/ui/gl.hpp"

namespace abh {

OffscreenTarget::OffscreenTarget(int width, int height) : width_(width), height_(height) {
  GLint max_size = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_size);
  if (width < 1 || height < 1) {
    error_ = "nothing to render (empty size)";
    return;
  }
  if (width > max_size || height > max_size) {
    error_ = "size over this GPU's limit of " + std::to_string(max_size) + " pixels";
    return;
  }
  glGenTextures(1, &texture_);
  glBindTexture(GL_TEXTURE_2D, texture_);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glGenFramebuffers(1, &framebuffer_);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, texture_, 0);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
    error_ = "framebuffer incomplete";
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
}

OffscreenTarget::~OffscreenTarget() {
  if (framebuffer_) glDeleteFramebuffers(1, &framebuffer_);
  if (texture_) glDeleteTextures(1, &texture_);
}

Image OffscreenTarget::read() const {
  Image image;
  image.width = width_;
  image.height = height_;
  const auto row_bytes = static_cast<std::size_t>(width_) * 4;
  std::vector<std::uint8_t> bottom_up(row_bytes * static_cast<std::size_t>(height_));
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, bottom_up.data());
  image.rgba.resize(bottom_up.size());
  for (int y = 0; y < height_; ++y)
    std::copy_n(bottom_up.begin() + static_cast<std::ptrdiff_t>(row_bytes * static_cast<std::size_t>(height_ - 1 - y)),
                row_bytes, image.rgba.begin() + static_cast<std::ptrdiff_t>(row_bytes * static_cast<std::size_t>(y)));
  for (std::size_t i = 3; i < image.rgba.size(); i += 4) image.rgba[i] = 255;
  return image;
}

} // namespace abh
