#include "app/io/settings_file.hpp"

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "app/io/data_files.hpp"
#include "app/io/json_file.hpp"
#include "app/io/state_json.hpp"

namespace abh {

namespace fs = std::filesystem;
using nlohmann::json;

std::string settings_path() { return config_dir() + "/settings.json"; }

std::optional<Settings> load_settings_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
  const json j = read_json_file(path);
  Settings settings;
  try {
    state_from_json(j); // every field as strict as in a state file
    if (j.contains("view")) settings.view = j.at("view");
    if (j.contains("export")) settings.export_options = j.at("export");
    if (j.contains("window")) {
      const json& window = j.at("window");
      if (!window.is_object()) throw std::runtime_error("field \"window\" must be an object");
      read_member(window, "window", "width", settings.window_width, min_saved_window, max_saved_window);
      read_member(window, "window", "height", settings.window_height, min_saved_window, max_saved_window);
    }
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot read " + path + ": " + e.what());
  }
  return settings;
}

std::optional<Settings> read_settings_or_set_aside(const std::string& path, std::string& warning) {
  try {
    return load_settings_file(path);
  } catch (const std::runtime_error& e) {
    std::error_code ec;
    fs::rename(path, path + ".bad", ec);
    warning = "ignoring settings: " + std::string(e.what()) +
              (ec ? "" : " (kept as " + fs::path(path).filename().string() + ".bad)");
    return std::nullopt;
  }
}

json with_settings(json state, const Settings& settings) {
  if (!state.is_object()) return state; // refused later, with the state file's name
  for (const auto& [section, fields] : {std::pair{"view", &settings.view},
                                        std::pair{"export", &settings.export_options}}) {
    if (!state.contains(section)) state[section] = json::object();
    json& target = state[section];
    if (!target.is_object()) continue; // not an object: refused later
    for (const auto& [key, value] : fields->items())
      if (!target.contains(key)) target[key] = value;
  }
  return state;
}

} // namespace abh
