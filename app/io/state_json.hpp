#pragma once
// AppState to and from JSON (nlohmann-json), and files of it.

#include <string>

#include <nlohmann/json.hpp>

#include "app/io/app_state.hpp"

namespace abh {

nlohmann::json state_to_json(const AppState& state);
// Throws std::runtime_error with one line naming the bad field.
AppState state_from_json(const nlohmann::json& json);
// Throws std::runtime_error("cannot read PATH: reason") on any failure.
AppState load_state_file(const std::string& path);

} // namespace abh
