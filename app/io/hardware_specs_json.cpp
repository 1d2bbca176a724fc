#include "app/io/hardware_specs_json.hpp"

#include "app/io/atomic_file.hpp"
#include "app/io/data_files.hpp"
#include "app/io/json_file.hpp"

#include <filesystem>

namespace abh {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const figure_fields[] = {
    "units",        "clock",        "lanes",             "array_rows",        "array_cols",
    "macs",         "peak_fp32",    "peak_bf16",         "peak_int8",         "vector_flops",
    "special_ops",  "matrix_efficiency", "vector_efficiency", "launch_overhead"};

Figure* figure_of(HardwareSpec& s, std::string_view field) {
  if (field == "units") return &s.units;
  if (field == "clock") return &s.clock;
  if (field == "lanes") return &s.lanes;
  if (field == "array_rows") return &s.array_rows;
  if (field == "array_cols") return &s.array_cols;
  if (field == "macs") return &s.macs;
  if (field == "peak_fp32") return &s.peak_fp32;
  if (field == "peak_bf16") return &s.peak_bf16;
  if (field == "peak_int8") return &s.peak_int8;
  if (field == "vector_flops") return &s.vector_flops;
  if (field == "special_ops") return &s.special_ops;
  if (field == "matrix_efficiency") return &s.matrix_efficiency;
  if (field == "vector_efficiency") return &s.vector_efficiency;
  if (field == "launch_overhead") return &s.launch_overhead;
  return nullptr;
}

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

std::string hardware_specs_path() {
  std::error_code ec;
  return fs::is_regular_file(user_hardware_specs_path(), ec) ? user_hardware_specs_path()
                                                              : default_hardware_specs_path();
}

json spec_to_json(const HardwareSpec& s) {
  json j = {{"kind", kind_key(s.kind)}, {"chip", s.chip}, {"unit_name", s.unit_name}};
  HardwareSpec copy = s;
  for (const char* field : figure_fields) j[field] = figure_json(*figure_of(copy, field));
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
  for (const char* field : figure_fields) {
    const bool optional = std::string_view(field) == "lanes" || std::string_view(field) == "macs" ||
                          std::string_view(field) == "array_rows" ||
                          std::string_view(field) == "array_cols";
    if (!j.contains(field)) {
      if (optional) continue;
      throw HardwareSpecError(who + ": missing field \"" + field + "\"");
    }
    *figure_of(s, field) = figure_from(j[field], who + " " + field);
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
  for (const HardwareSpec& s : specs) chips.push_back(spec_to_json(s));
  const json doc = {{"version", 1}, {"chips", chips}};
  const std::string error = write_text_atomically(path, doc.dump(1) + "\n");
  if (!error.empty()) throw HardwareSpecError(error);
}

std::vector<HardwareSpec> choose_chips(const std::vector<HardwareSpec>& specs,
                                       const std::vector<std::string>& chips) {
  std::vector<HardwareSpec> chosen;
  for (ArchKind k : {ArchKind::cpu, ArchKind::gpu, ArchKind::tpu, ArchKind::npu, ArchKind::lpu})
    for (const HardwareSpec& s : specs)
      if (s.kind == k) {
        chosen.push_back(s);
        break;
      }
  for (const std::string& name : chips) {
    const HardwareSpec* s = find_chip(specs, name);
    if (s == nullptr) {
      std::string known;
      for (const HardwareSpec& k : specs) known += (known.empty() ? "" : ", ") + k.chip;
      throw HardwareSpecError("unknown or ambiguous chip \"" + name + "\" (known: " + known + ")");
    }
    bool replaced = false;
    for (HardwareSpec& c : chosen)
      if (c.kind == s->kind) {
        c = *s;
        replaced = true;
      }
    if (!replaced) chosen.push_back(*s);
  }
  return chosen;
}

} // namespace abh
