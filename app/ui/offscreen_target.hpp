#pragma once
// A framebuffer to render exports and benchmark frames into, off-screen.

#include <string>

#include "app/io/png_file.hpp"

namespace abh {

class OffscreenTarget {
public:
  OffscreenTarget(int width, int height);
  ~OffscreenTarget();
  OffscreenTarget(const OffscreenTarget&) = delete;
  OffscreenTarget& operator=(const OffscreenTarget&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  unsigned framebuffer() const { return framebuffer_; }
  Image read() const; // top row first, opaque

private:
  int width_, height_;
  unsigned framebuffer_ = 0, texture_ = 0;
  std::string error_;
};

} // namespace abh
