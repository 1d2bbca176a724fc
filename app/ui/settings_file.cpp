#include "app/ui/settings_file.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "app/io/atomic_file.hpp"
#include "app/io/data_files.hpp"
#include "app/io/state_json.hpp"

namespace abh {

namespace fs = std::filesystem;

std::string settings_path() { return config_dir() + "/settings.json"; }

void load_settings(AppState& state, WindowSize& size) {
  const std::string path = settings_path();
  std::error_code ec;
  if (!fs::exists(path, ec)) return;
  try {
    const AppState saved = load_state_file(path);
    WindowSize window = size;
    const auto j = nlohmann::json::parse(*read_text_file(path));
    if (j.contains("window")) {
      window.width = std::clamp(j["window"].value("width", size.width), 320, 8192);
      window.height = std::clamp(j["window"].value("height", size.height), 240, 8192);
    }
    state.view = saved.view;
    state.export_options = saved.export_options;
    size = window;
  } catch (const std::exception& e) {
    // Keep the user's file: set it aside rather than overwrite it on exit.
    fs::rename(path, path + ".bad", ec);
    std::fprintf(stderr, "attention-by-hand: ignoring settings (%s); kept as settings.json.bad\n",
                 e.what());
  }
}

void save_settings(const AppState& state, WindowSize size) {
  std::error_code ec;
  fs::create_directories(config_dir(), ec);
  nlohmann::json j = state_to_json(state);
  j["window"] = {{"width", size.width}, {"height", size.height}};
  const std::string error = write_text_atomically(settings_path(), j.dump(2));
  if (!error.empty()) std::fprintf(stderr, "attention-by-hand: %s\n", error.c_str());
}

} // namespace abh
