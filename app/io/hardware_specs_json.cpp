#include "app/io/hardware_specs_json.hpp"

#include "app/io/atomic_file.hpp"
#include "app/io/data_files.hpp"
#include "app/io/json_file.hpp"

#include <filesystem>

namespace abh {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json figure_json(const Figure& f) { return {{"value", f.value}, {"source", f.source}}; }

Figure figure_from(const json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("value"))
    throw HardwareSpecError(where + ": missing {\"value\", \"source\"}");
  if (!j["value"].is_number()) throw HardwareSpecError(where + ": value is not a number");
  Figure f;
  f.value = j["value"].get<double>();
  if (f.value < 0) throw HardwareSpecError(where + ": value must not be negative");
  if (j.contains("source") && j["source"].is_string()) f.source = j["source"].get<std::string>();
  return f;
}

std::string string_field(const json& j, const char* key, const std::string& who) {
  if (!j.contains(key) || !j[key].is_string())
    throw HardwareSpecError(who + ": missing text field \"" + key + "\"");
  return j[key].get<std::string>();
}

} // namespace

std::string default_hardware_specs_path() { return data_path("assets/hardware.json"); }

std::string user_hardware_specs_path() { return config_dir() + "/hardware.json"; }

json spec_to_json(const HardwareSpec& s) {
  json j = {{"kind", kind_key(s.kind)}, {"chip", s.chip}, {"unit_name", s.unit_name}};
  for (const FigureField& f : figure_fields()) j[std::string(f.key)] = figure_json(s.*f.member);
  if (s.power) j["power"] = figure_json(*s.power);
  json memory = json::array();
  for (const MemoryLevel& m : s.memory)
    memory.push_back({{"name", m.name},
                      {"role", role_key(m.role)},
                      {"capacity", figure_json(m.capacity)},
                      {"bandwidth", figure_json(m.bandwidth)}});
  j["memory"] = memory;
  j["tradeoff"] = s.tradeoff;
  return j;
}

HardwareSpec spec_from_json(const json& j) {
  if (!j.is_object()) throw HardwareSpecError("hardware specs: a chip entry is not an object");
  HardwareSpec s;
  s.chip = string_field(j, "chip", "hardware specs: a chip");
  const std::string& who = s.chip;
  const auto kind = parse_kind(string_field(j, "kind", who));
  if (!kind) throw HardwareSpecError(who + ": kind must be CPU, GPU, TPU, NPU or LPU");
  s.kind = *kind;
  if (j.contains("unit_name") && j["unit_name"].is_string()) s.unit_name = j["unit_name"];
  for (const FigureField& f : figure_fields()) {
    const std::string key(f.key);
    if (!j.contains(key)) {
      if (f.optional) continue;
      throw HardwareSpecError(who + ": missing field \"" + key + "\"");
    }
    s.*f.member = figure_from(j[key], who + " " + key);
  }
  if (j.contains("power") && !j["power"].is_null()) s.power = figure_from(j["power"], who + " power");
  if (!j.contains("memory") || !j["memory"].is_array())
    throw HardwareSpecError(who + ": missing array \"memory\"");
  for (const json& m : j["memory"]) {
    if (!m.is_object()) throw HardwareSpecError(who + ": a memory level is not an object");
    MemoryLevel level;
    level.name = string_field(m, "name", who + " memory level");
    const auto role = parse_role(string_field(m, "role", who + " memory " + level.name));
    if (!role) throw HardwareSpecError(who + " memory " + level.name + ": role must be unit, shared, main or link");
    level.role = *role;
    if (!m.contains("capacity")) throw HardwareSpecError(who + " memory " + level.name + ": missing field \"capacity\"");
    if (!m.contains("bandwidth")) throw HardwareSpecError(who + " memory " + level.name + ": missing field \"bandwidth\"");
    level.capacity = figure_from(m["capacity"], who + " memory " + level.name + " capacity");
    level.bandwidth = figure_from(m["bandwidth"], who + " memory " + level.name + " bandwidth");
    s.memory.push_back(level);
  }
  if (j.contains("tradeoff") && j["tradeoff"].is_string()) s.tradeoff = j["tradeoff"];
  if (std::string problem = spec_problem(s); !problem.empty()) throw HardwareSpecError(problem);
  return s;
}

std::vector<HardwareSpec> parse_hardware_specs(const std::string& text) {
  json j;
  try {
    j = parse_json(text); // no nlohmann exception leaves it
  } catch (const std::runtime_error& e) {
    throw HardwareSpecError(std::string("hardware specs: ") + e.what());
  }
  if (!j.is_object() || !j.contains("chips") || !j["chips"].is_array())
    throw HardwareSpecError("hardware specs: missing array \"chips\"");
  std::vector<HardwareSpec> specs;
  try {
    for (const json& c : j["chips"]) specs.push_back(spec_from_json(c));
  } catch (const json::exception& e) {
    throw HardwareSpecError(std::string("hardware specs: a field has the wrong type (") + e.what() + ")");
  }
  if (specs.empty()) throw HardwareSpecError("hardware specs: \"chips\" is empty");
  return specs;
}

std::vector<HardwareSpec> load_hardware_specs(const std::string& path) {
  std::string text;
  try {
    text = read_small_file(path); // refuses a file over max_json_file_bytes
  } catch (const std::runtime_error& e) {
    throw HardwareSpecError(std::string("cannot read hardware specs: ") + e.what());
  }
  try {
    return parse_hardware_specs(text);
  } catch (const HardwareSpecError& e) {
    throw HardwareSpecError(path + ": " + e.what());
  }
}

void save_hardware_specs(const std::string& path, const std::vector<HardwareSpec>& specs) {
  json chips = json::array();
  for (const HardwareSpec& s : specs) {
    // A figure out of range would save as null (inf) and never load again.
    if (std::string problem = spec_problem(s); !problem.empty())
      throw HardwareSpecError("not saved: " + problem);
    chips.push_back(spec_to_json(s));
  }
  const json doc = {{"version", 1}, {"chips", chips}};
  const std::string error = write_text_atomically(path, doc.dump(1) + "\n");
  if (!error.empty()) throw HardwareSpecError(error);
}

std::string keep_unloadable_copy(const std::string& path) {
  for (int n = 1; n < 1000; ++n) {
    const std::string copy = path + ".unloadable" + (n == 1 ? "" : "-" + std::to_string(n));
    std::error_code ec;
    if (fs::exists(copy, ec)) continue;
    if (fs::copy_file(path, copy, fs::copy_options::none, ec)) return copy;
    throw HardwareSpecError("cannot keep a copy of " + path + ": " + ec.message());
  }
  throw HardwareSpecError("cannot keep a copy of " + path + ": too many .unloadable copies");
}

LoadedSpecs load_app_hardware_specs() {
  const std::string user = user_hardware_specs_path();
  std::error_code ec;
  std::string warning;
  if (fs::is_regular_file(user, ec)) {
    try {
      return {load_hardware_specs(user), user, ""};
    } catch (const HardwareSpecError& e) {
      warning = std::string("warning: ") + e.what() + "; using the shipped specs (your file is kept)";
    }
  }
  const std::string shipped = default_hardware_specs_path();
  return {load_hardware_specs(shipped), shipped, warning};
}

} // namespace abh
