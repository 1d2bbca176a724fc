#include "app/ui/settings_file.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/io/atomic_file.hpp"
#include "app/io/data_files.hpp"
#include "app/io/one_line.hpp"
#include "app/io/settings_file.hpp"
#include "app/io/state_json.hpp"

namespace abh {

WindowSize saved_window_size(WindowSize fallback) {
  std::string warning;
  const std::optional<Settings> settings = read_settings_or_set_aside(settings_path(), warning);
  if (!warning.empty()) std::fprintf(stderr, "attention-by-hand: %s\n", one_line(warning).c_str());
  if (!settings) return fallback;
  WindowSize size = fallback;
  if (settings->window_width) size.width = std::clamp(settings->window_width, min_window_width, max_window);
  if (settings->window_height)
    size.height = std::clamp(settings->window_height, min_window_height, max_window);
  return size;
}

void save_settings(const AppState& state, WindowSize size) {
  std::error_code ec;
  std::filesystem::create_directories(config_dir(), ec);
  nlohmann::json j = state_to_json(state);
  j["window"] = {{"width", size.width}, {"height", size.height}};
  const std::string error = write_text_atomically(settings_path(), j.dump(2));
  if (!error.empty()) std::fprintf(stderr, "attention-by-hand: %s\n", one_line(error).c_str());
}

} // namespace abh
