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
// What the app and --hardware-report read: the user's edited specs if saved,
// else the shipped ones.
std::string hardware_specs_path();

nlohmann::json spec_to_json(const HardwareSpec& spec);
HardwareSpec spec_from_json(const nlohmann::json& j); // throws HardwareSpecError

std::vector<HardwareSpec> parse_hardware_specs(const std::string& json_text); // throws
std::vector<HardwareSpec> load_hardware_specs(const std::string& path);       // throws
// Writes {"version", "chips"} atomically (temp file, then rename); throws.
void save_hardware_specs(const std::string& path, const std::vector<HardwareSpec>& specs);

// The first spec of each kind in file order (CPU, GPU, TPU, NPU, LPU), with
// each of `chips` (case-insensitive name or unique substring) replacing the
// default of its kind. Throws HardwareSpecError naming an unknown chip.
std::vector<HardwareSpec> choose_chips(const std::vector<HardwareSpec>& specs,
                                       const std::vector<std::string>& chips);

} // namespace abh
