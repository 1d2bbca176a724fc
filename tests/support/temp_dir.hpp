#pragma once
// A temporary folder for a test, and small file writes.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace abh::test_support {

// A fresh folder under /tmp, removed with everything in it.
class TempDir {
public:
  TempDir() {
    std::string pattern = "/tmp/abh_test_XXXXXX";
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

private:
  std::string path_;
};


inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

} // namespace abh::test_support
