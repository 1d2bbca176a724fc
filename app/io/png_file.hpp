#pragma once
// PNG files written so that a failure loses nothing (see atomic_file.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "app/io/atomic_file.hpp" // write_text_atomically

namespace abh {

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba; // top row first
};

// Returns "" on success, else one line saying why (the old file, if any, is intact).
std::string write_png_atomically(const std::string& path, const Image& image);
// Both files or neither: each is written beside its target first, and only
// when both are complete are they renamed into place (an export's PNG never
// sits beside a JSON of another state).
std::string write_png_and_text(const std::string& png_path, const Image& image,
                               const std::string& text_path, const std::string& text);

} // namespace abh
