#pragma once
// Files for tests: PNGs (stb_image) and JSON sidecars read back (and
// temp_dir.hpp: a temporary folder, small writes).

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <stb_image.h>

#include "tests/support/run_binary.hpp" // read_file
#include "tests/support/temp_dir.hpp"  // TempDir, write_file, exists

namespace abh::test_support {

struct Png {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba; // top row first

  bool ok() const { return width > 0 && height > 0; }
  std::array<int, 4> at(int x, int y) const {
    const auto i = 4 * (static_cast<std::size_t>(y) * static_cast<std::size_t>(width) +
                        static_cast<std::size_t>(x));
    return {rgba[i], rgba[i + 1], rgba[i + 2], rgba[i + 3]};
  }
};

inline Png read_png(const std::string& path) {
  Png png;
  int channels = 0;
  unsigned char* data = stbi_load(path.c_str(), &png.width, &png.height, &channels, 4);
  if (!data) return Png{};
  png.rgba.assign(data, data + 4 * static_cast<std::size_t>(png.width) *
                                   static_cast<std::size_t>(png.height));
  stbi_image_free(data);
  return png;
}

inline nlohmann::json read_json(const std::string& path) {
  return nlohmann::json::parse(read_file(path), nullptr, /*allow_exceptions=*/false);
}

// The fields of a sidecar that --load reads back (not "image", "drawn_matrices").
inline nlohmann::json state_part(const nlohmann::json& sidecar) {
  nlohmann::json j;
  for (const char* key : {"shape", "values", "seed", "layout", "view"})
    if (sidecar.contains(key)) j[key] = sidecar[key];
  return j;
}

} // namespace abh::test_support
