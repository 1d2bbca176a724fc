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

std::string ui_font_path() { return data_path("assets/fonts/DejaVuSans.ttf"); }

std::string find_ui_font() {
  std::error_code ec;
  return fs::is_regular_file(ui_font_path(), ec) ? ui_font_path() : "";
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
