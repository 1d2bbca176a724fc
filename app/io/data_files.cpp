#include "app/io/data_files.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace abh {

namespace fs = std::filesystem;

std::string data_dir() {
  if (const char* dir = std::getenv("ABH_DATA_DIR"); dir && *dir) return dir;
  return ABH_SOURCE_DIR;
}

std::string data_path(const std::string& relative) { return data_dir() + "/" + relative; }

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string find_ui_font() {
  for (const char* candidate : {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                "/usr/share/fonts/TTF/DejaVuSans.ttf"}) {
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return "";
}

namespace {
std::string home() {
  const char* h = std::getenv("HOME");
  return h && *h ? h : "/tmp";
}
} // namespace

std::string config_dir() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  const std::string base = xdg && *xdg ? xdg : home() + "/.config";
  return base + "/attention-by-hand";
}

std::string default_export_dir() { return home() + "/Pictures/attention-by-hand"; }

} // namespace abh
