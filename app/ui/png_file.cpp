#include "app/ui/png_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <stb_image_write.h>

namespace abh {

namespace {

std::string cannot_write(const std::string& path, int error) {
  return "cannot write " + path + ": " + std::strerror(error);
}

void discard(const std::string& part) {
  std::error_code ec;
  std::filesystem::remove(part, ec);
}

// Each writes `path`.part; "" on success, else one line (and no .part left).
std::string write_png_part(const std::string& path, const Image& image) {
  const std::string part = path + ".part";
  errno = 0;
  if (!stbi_write_png(part.c_str(), image.width, image.height, 4, image.rgba.data(),
                      image.width * 4)) {
    const int error = errno ? errno : EIO;
    discard(part);
    return cannot_write(path, error);
  }
  return "";
}

std::string write_text_part(const std::string& path, const std::string& text) {
  const std::string part = path + ".part";
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) return cannot_write(path, errno ? errno : EACCES);
  out << text;
  if (!out.flush()) {
    const int error = errno ? errno : EIO;
    out.close();
    discard(part);
    return cannot_write(path, error);
  }
  return "";
}

std::string rename_part(const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(path + ".part", path, ec);
  if (!ec) return "";
  discard(path + ".part");
  return "cannot write " + path + ": " + ec.message();
}

} // namespace

std::string write_png_atomically(const std::string& path, const Image& image) {
  const std::string error = write_png_part(path, image);
  return error.empty() ? rename_part(path) : error;
}

std::string write_text_atomically(const std::string& path, const std::string& text) {
  const std::string error = write_text_part(path, text);
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
    discard(png_path + ".part");
    discard(text_path + ".part");
    return error;
  }
  error = rename_part(png_path);
  return error.empty() ? rename_part(text_path) : error;
}

} // namespace abh
