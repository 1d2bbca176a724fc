#include "app/ui/png_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <stb_image_write.h>

namespace abh {

namespace {

std::string finish(const std::string& temp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp, ec);
    return "cannot write " + path + ": " + ec.message();
  }
  return "";
}

std::string cannot_write(const std::string& path, int error) {
  return "cannot write " + path + ": " + std::strerror(error);
}

} // namespace

std::string write_png_atomically(const std::string& path, const Image& image) {
  const std::string temp = path + ".part";
  errno = 0;
  if (!stbi_write_png(temp.c_str(), image.width, image.height, 4, image.rgba.data(),
                      image.width * 4)) {
    const int error = errno ? errno : EIO;
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return cannot_write(path, error);
  }
  return finish(temp, path);
}

std::string write_text_atomically(const std::string& path, const std::string& text) {
  const std::string temp = path + ".part";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return cannot_write(path, errno ? errno : EACCES);
    out << text;
    if (!out.flush()) return cannot_write(path, errno ? errno : EIO);
  }
  return finish(temp, path);
}

} // namespace abh
