#pragma once
// Shared by the GUI tests: a temporary folder, running the real binary with
// its output captured, reading PNGs (stb_image) and JSON sidecars.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <stb_image.h>

namespace abh::gui_test {

// A fresh folder under /tmp, removed with everything in it.
class TempDir {
public:
  TempDir() {
    std::string pattern = "/tmp/abh_gui_XXXXXX";
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

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

inline bool exists(const std::string& path) {
  std::error_code ec;
  return std::filesystem::exists(path, ec);
}

// Lines of `text`, counting a last line without its newline.
inline std::size_t line_count(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text)
    if (c == '\n') ++lines;
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

// Single-quoted for /bin/sh.
inline std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

struct Outcome {
  int exit_code = -1; // -1 when the process did not exit normally (crash)
  std::string out, err;
};

// Runs the built attention-by-hand with `args` (already shell-safe), with
// `prefix` (e.g. "env -u DISPLAY") before it; stdout and stderr captured.
inline Outcome run_app(const std::string& args, const std::string& prefix = "") {
  static int counter = 0;
  const std::string base = "/tmp/abh_gui_run_" + std::to_string(getpid()) + "_" +
                           std::to_string(counter++);
  const std::string out_path = base + ".out", err_path = base + ".err";
  const std::string command = prefix + (prefix.empty() ? "" : " ") + quote(ABH_EXECUTABLE) +
                              " " + args + " >" + quote(out_path) + " 2>" + quote(err_path) +
                              " </dev/null";
  const int status = std::system(command.c_str());
  Outcome r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  return r;
}

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

} // namespace abh::gui_test
