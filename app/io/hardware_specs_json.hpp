#pragma once
// assets/hardware.json ⇄ HardwareSpec values. Loading never crashes: every
// problem becomes a HardwareSpecError whose what() is one line.

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/hardware/hardware_spec.hpp"

namespace abh {

class HardwareSpecError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// The shipped specs: assets/hardware.json in data_dir() (data_files.hpp).
std::string default_hardware_specs_path();
// Where the app saves edited specs: hardware.json in the config folder.
std::string user_hardware_specs_path();

nlohmann::json spec_to_json(const HardwareSpec& spec);
HardwareSpec spec_from_json(const nlohmann::json& j); // throws HardwareSpecError

std::vector<HardwareSpec> parse_hardware_specs(const std::string& json_text); // throws
std::vector<HardwareSpec> load_hardware_specs(const std::string& path);       // throws
// Writes {"version", "chips"} atomically (temp file, then rename); throws,
// writing nothing, when a spec fails spec_problem or the write fails.
void save_hardware_specs(const std::string& path, const std::vector<HardwareSpec>& specs);

// What the app and --hardware-report use: the user's saved specs when that
// file exists and loads, else the shipped ones. When the user's file fails
// to load, `warning` is one line naming it and why; the file is left as it is.
struct LoadedSpecs {
  std::vector<HardwareSpec> specs;
  std::string path;    // the file the specs came from
  std::string warning; // "" when the user's file (or none) was fine
};
LoadedSpecs load_app_hardware_specs(); // throws HardwareSpecError when the shipped file fails too

// Copies `path` to the first free "<path>.unloadable", "<path>.unloadable-2", …
// before a save replaces a file that failed to load; returns the copy's path.
// Throws HardwareSpecError (one line) when it cannot copy.
std::string keep_unloadable_copy(const std::string& path);

} // namespace abh
