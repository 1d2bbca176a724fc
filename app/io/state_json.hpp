#pragma once
// AppState to and from JSON (nlohmann-json), and files of it.

#include <string>

#include <nlohmann/json.hpp>

#include "app/io/app_state.hpp"
#include "app/io/json_file.hpp" // max_json_file_bytes

namespace abh {

nlohmann::json state_to_json(const AppState& state);
// Throws std::runtime_error with one line naming the bad field ("shape.seq").
// Missing fields keep their defaults; kv_heads defaults to heads.
AppState state_from_json(const nlohmann::json& json);

// A state file (or an export's sidecar) as read: the state and the JSON it
// came from (which says what the file set, and what else it records).
struct StateFile {
  AppState state;
  nlohmann::json json;
};
// Throws std::runtime_error("cannot read PATH: reason") on any failure,
// including a file over max_json_file_bytes.
StateFile read_state_file(const std::string& path);
AppState load_state_file(const std::string& path); // read_state_file(path).state

} // namespace abh
