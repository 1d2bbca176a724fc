#pragma once
// PNG files, and an export's PNG with its JSON sidecar, written so that a
// failure loses nothing (see atomic_file.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/io/atomic_file.hpp" // write_text_atomically

namespace abh {

struct Image {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgba; // top row first
};

// The PNG file's bytes (stb_image_write, in memory); "" if it cannot encode.
std::string encode_png(const Image& image);

// Returns "" on success, else one line saying why (the old file, if any, is intact).
std::string write_png_atomically(const std::string& path, const Image& image);

// An export: the PNG and its JSON sidecar, replaced as one unit
// (write_files_together). The sidecar gets "image": {"bytes", "crc32"} of the
// PNG written, so a PNG that is not the one its sidecar was saved with (a
// crash between the two renames, or a later edit) shows.
std::string write_png_and_sidecar(const std::string& png_path, const Image& image,
                                  const std::string& json_path, nlohmann::json sidecar);

// "" if the sidecar (read from sidecar_path) records no image, or its image
// file beside it is missing or is the one it was saved with; else one line
// saying that the PNG there is not that sidecar's.
std::string sidecar_image_mismatch(const nlohmann::json& sidecar, const std::string& sidecar_path);

} // namespace abh
