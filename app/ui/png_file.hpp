#pragma once
// Writing files so that a failure loses nothing: write beside, then rename.

#include <cstdint>
#include <string>
#include <vector>

namespace abh {

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba; // top row first
};

// Returns "" on success, else one line saying why (the old file, if any, is intact).
std::string write_png_atomically(const std::string& path, const Image& image);
std::string write_text_atomically(const std::string& path, const std::string& text);

} // namespace abh
