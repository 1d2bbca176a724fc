#pragma once
// Reading the JSON files the app is given (state, settings, hardware specs)
// and the numbers in them: every problem is one line naming the file, the
// field and the value; nothing is truncated, wrapped or cast out of range.

#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace abh {

// Larger files are refused before they are read (a state file is a few KiB).
inline constexpr std::size_t max_json_file_bytes = std::size_t{4} << 20; // 4 MiB

// The whole text of a regular file of at most `limit` bytes. Throws
// std::runtime_error("cannot read PATH: reason").
std::string read_small_file(const std::string& path, std::size_t limit = max_json_file_bytes);

// Parses `text`; throws std::runtime_error("not valid JSON (…)") or, for a
// number no double holds, "number overflow parsing '1e400'": no nlohmann
// exception leaves.
nlohmann::json parse_json(const std::string& text);

// read_small_file then parse_json; throws "cannot read PATH: reason".
nlohmann::json read_json_file(const std::string& path);

// The fields of a JSON object, each read only if present (a missing field
// keeps the value it had). `where` names the field in messages: "shape.seq".
// Each throws std::runtime_error("field \"WHERE\" must be …, got VALUE").
void read_field(const nlohmann::json& value, const std::string& where, std::int64_t& into,
                std::int64_t lo, std::int64_t hi);
void read_field(const nlohmann::json& value, const std::string& where, std::uint64_t& into);
void read_field(const nlohmann::json& value, const std::string& where, int& into, int lo, int hi);
void read_field(const nlohmann::json& value, const std::string& where, float& into, float lo,
                float hi);
void read_field(const nlohmann::json& value, const std::string& where, bool& into);
void read_field(const nlohmann::json& value, const std::string& where, std::string& into);

// The field `key` of `object` (which must be an object if present) into
// `into`, through read_field; nothing if absent.
template <typename T, typename... Range>
void read_member(const nlohmann::json& object, const std::string& section, const char* key,
                 T& into, Range... range) {
  if (!object.is_object() || !object.contains(key)) return;
  read_field(object.at(key), section.empty() ? key : section + "." + key, into, range...);
}

} // namespace abh
