#pragma once
// settings.json in the config folder: the window's last view and export
// options, and its size. The window writes it on exit; the window and
// --export read it. A loaded state file wins over it field by field.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace abh {

// config_dir()/settings.json
std::string settings_path();

struct Settings {
  nlohmann::json view = nlohmann::json::object();           // the "view" fields it has
  nlohmann::json export_options = nlohmann::json::object(); // the "export" fields it has
  int window_width = 0, window_height = 0;                  // 0: not saved
};

// The window sizes a settings file may hold, and those a window opens at.
inline constexpr int min_saved_window = 1, max_saved_window = 65536;
inline constexpr int min_window_width = 320, min_window_height = 240, max_window = 8192;

// nullopt if there is no file; throws std::runtime_error("cannot read PATH:
// reason") if it is not a valid settings file (as strict as a state file).
std::optional<Settings> load_settings_file(const std::string& path);

// load_settings_file, except that a refused file is renamed to PATH.bad
// (kept for the user, never overwritten on exit) and `warning` says so in
// one line; then nullopt.
std::optional<Settings> read_settings_or_set_aside(const std::string& path, std::string& warning);

// `state` (a state file's JSON, or {} for none) with each "view" and
// "export" field it does not set taken from the settings.
nlohmann::json with_settings(nlohmann::json state, const Settings& settings);

} // namespace abh
