#include "app/io/state_json.hpp"

#include <fstream>
#include <optional>
#include <stdexcept>

#include "app/io/core_json.hpp"

namespace abh {

nlohmann::json state_to_json(const AppState& s) {
  return {{"shape", shape_json(s.shape)},
          {"values", std::string(value_mode_key(s.trace.values))},
          {"seed", s.trace.seed},
          {"layout", std::string(layout_key(s.trace.layout))},
          {"view",
           {{"theme", s.view.theme == Theme::dark ? "dark" : "light"},
            {"ui_size", s.view.ui_size},
            {"keep_wqkv_height", s.view.keep_wqkv_height},
            {"show_values", s.view.show_values},
            {"memory_budget", s.view.memory_budget}}},
          {"hardware",
           {{"shown", s.hardware.shown},
            {"dtype", s.hardware.dtype},
            {"fused", s.hardware.fused},
            {"log_scale", s.hardware.log_scale},
            {"single_head", s.hardware.single_head},
            {"replay_seconds", s.hardware.replay_seconds},
            {"chips", s.hardware.chips}}},
          {"export",
           {{"scale", s.export_options.scale},
            {"panel", s.export_options.panel},
            {"caption", s.export_options.caption},
            {"folder", s.export_options.folder}}}};
}

namespace {

template <typename T>
void read(const nlohmann::json& object, const char* key, T& into) {
  if (!object.is_object() || !object.contains(key)) return; // missing: keep the default
  try {
    into = object.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error(std::string("field \"") + key + "\" has the wrong type");
  }
}

} // namespace

AppState state_from_json(const nlohmann::json& j) {
  if (!j.is_object()) throw std::runtime_error("a state file must hold a JSON object");
  for (const char* section : {"shape", "view", "export", "hardware"})
    if (j.contains(section) && !j.at(section).is_object())
      throw std::runtime_error(std::string("field \"") + section + "\" must be an object");
  AppState s;
  if (j.contains("shape")) {
    const auto& sh = j.at("shape");
    read(sh, "seq", s.shape.seq);
    read(sh, "d_model", s.shape.d_model);
    read(sh, "heads", s.shape.heads);
    read(sh, "head_dim", s.shape.head_dim);
    s.shape.kv_heads = s.shape.heads;
    read(sh, "kv_heads", s.shape.kv_heads);
    read(sh, "causal", s.shape.causal);
  }
  try {
    validate(s.shape);
  } catch (const ShapeError& e) {
    const std::string field = shape_field_key(e.field());
    throw std::runtime_error("shape" + (field.empty() ? "" : "." + field) + ": " + e.what());
  }
  std::string values(value_mode_key(s.trace.values)), layout = "triples", theme = "dark";
  read(j, "values", values);
  read(j, "seed", s.trace.seed);
  read(j, "layout", layout);
  const std::optional<ValueMode> mode = value_mode_from_key(values);
  if (!mode)
    throw std::runtime_error(
        "field \"values\" must be by_hand, small_integers, gaussian or sentence");
  if (layout != "triples" && layout != "blocks")
    throw std::runtime_error("field \"layout\" must be triples or blocks");
  s.trace.values = *mode;
  s.trace.layout = layout == "blocks" ? WqkvLayout::blocks : WqkvLayout::triples;
  if (j.contains("view")) {
    const auto& v = j.at("view");
    read(v, "theme", theme);
    read(v, "ui_size", s.view.ui_size);
    read(v, "keep_wqkv_height", s.view.keep_wqkv_height);
    read(v, "show_values", s.view.show_values);
    read(v, "memory_budget", s.view.memory_budget);
    if (theme != "dark" && theme != "light")
      throw std::runtime_error("field \"theme\" must be dark or light");
    s.view.theme = theme == "light" ? Theme::light : Theme::dark;
    if (!(s.view.ui_size >= 8 && s.view.ui_size <= 64))
      throw std::runtime_error("field \"ui_size\" must be between 8 and 64");
    // A budget outside 64 MiB … 64 GiB would hide everything or invite an
    // allocation the machine cannot give.
    if (s.view.memory_budget < (std::int64_t{64} << 20) || s.view.memory_budget > (std::int64_t{64} << 30))
      throw std::runtime_error("field \"memory_budget\" must be between 64 MiB and 64 GiB");
  }
  if (j.contains("hardware")) {
    const auto& hw = j.at("hardware");
    read(hw, "shown", s.hardware.shown);
    read(hw, "dtype", s.hardware.dtype);
    read(hw, "fused", s.hardware.fused);
    read(hw, "log_scale", s.hardware.log_scale);
    read(hw, "single_head", s.hardware.single_head);
    read(hw, "replay_seconds", s.hardware.replay_seconds);
    read(hw, "chips", s.hardware.chips);
    if (s.hardware.dtype != "fp32" && s.hardware.dtype != "bf16" && s.hardware.dtype != "int8")
      throw std::runtime_error("field \"dtype\" must be fp32, bf16 or int8");
    if (!(s.hardware.replay_seconds >= 0.5f && s.hardware.replay_seconds <= 600.0f))
      throw std::runtime_error("field \"replay_seconds\" must be between 0.5 and 600");
  }
  if (j.contains("export")) {
    const auto& ex = j.at("export");
    read(ex, "scale", s.export_options.scale);
    read(ex, "panel", s.export_options.panel);
    read(ex, "caption", s.export_options.caption);
    read(ex, "folder", s.export_options.folder);
    if (s.export_options.scale < 1 || s.export_options.scale > 3)
      throw std::runtime_error("field \"scale\" must be 1, 2 or 3");
  }
  return s;
}

AppState load_state_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path + ": no such file or not readable");
  try {
    return state_from_json(nlohmann::json::parse(in));
  } catch (const nlohmann::json::parse_error& e) {
    throw std::runtime_error("cannot read " + path + ": not valid JSON (byte " +
                             std::to_string(e.byte) + ")");
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot read " + path + ": " + e.what());
  }
}

} // namespace abh
