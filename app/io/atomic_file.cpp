#include "app/io/atomic_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace abh {

std::string cannot_write(const std::string& path, int error) {
  return "cannot write " + path + ": " + std::strerror(error);
}

void discard_part(const std::string& path) {
  std::error_code ec;
  std::filesystem::remove(path + ".part", ec);
}

std::string write_text_part(const std::string& path, const std::string& text) {
  const std::string part = path + ".part";
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  if (!out) return cannot_write(path, errno ? errno : EACCES);
  out << text;
  if (!out.flush()) {
    const int error = errno ? errno : EIO;
    out.close();
    discard_part(path);
    return cannot_write(path, error);
  }
  return "";
}

std::string rename_part(const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(path + ".part", path, ec);
  if (!ec) return "";
  discard_part(path);
  return "cannot write " + path + ": " + ec.message();
}

std::string write_text_atomically(const std::string& path, const std::string& text) {
  const std::string error = write_text_part(path, text);
  return error.empty() ? rename_part(path) : error;
}

} // namespace abh
