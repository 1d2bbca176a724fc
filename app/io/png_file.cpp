#include "app/io/png_file.hpp"

#include <cerrno>
#include <filesystem>

#include <stb_image_write.h>

namespace abh {

namespace {

// Writes PATH.part; "" on success, else one line (and no .part left).
std::string write_png_part(const std::string& path, const Image& image) {
  errno = 0;
  if (!stbi_write_png((path + ".part").c_str(), image.width, image.height, 4, image.rgba.data(),
                      image.width * 4)) {
    const int error = errno ? errno : EIO;
    discard_part(path);
    return cannot_write(path, error);
  }
  return "";
}

} // namespace

std::string write_png_atomically(const std::string& path, const Image& image) {
  const std::string error = write_png_part(path, image);
  return error.empty() ? rename_part(path) : error;
}

std::string write_png_and_text(const std::string& png_path, const Image& image,
                               const std::string& text_path, const std::string& text) {
  // A folder in the way would fail the second rename after the first had
  // replaced its file: refuse before touching either.
  for (const std::string& target : {png_path, text_path}) {
    std::error_code ec;
    if (std::filesystem::is_directory(target, ec)) return "cannot write " + target + ": is a folder";
  }
  std::string error = write_png_part(png_path, image);
  if (error.empty()) error = write_text_part(text_path, text);
  if (!error.empty()) {
    discard_part(png_path);
    discard_part(text_path);
    return error;
  }
  error = rename_part(png_path);
  return error.empty() ? rename_part(text_path) : error;
}

} // namespace abh
