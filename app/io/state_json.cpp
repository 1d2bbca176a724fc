#include "app/io/state_json.hpp"

#include <limits>
#include <stdexcept>

#include "app/io/core_json.hpp"
#include "app/io/enum_json.hpp"
#include "app/io/json_file.hpp"
#include "core/hardware/what_if.hpp"

namespace abh {

using nlohmann::json;

json state_to_json(const AppState& s) {
  return {{"shape", shape_json(s.shape)},
          {"model", {{"key", s.model.key}, {"layer_kind", s.model.layer_kind}}},
          {"values", s.trace.values},
          {"seed", s.trace.seed},
          {"layout", s.trace.layout},
          {"view",
           {{"theme", s.view.theme},
            {"ui_size", s.view.ui_size},
            {"keep_wqkv_height", s.view.keep_wqkv_height},
            {"show_values", s.view.show_values},
            {"zoom_together", s.view.zoom_together},
            {"memory_budget", s.view.memory_budget},
            {"presenter", s.view.presenter},
            {"presenter_counts", s.view.presenter_counts},
            {"compare_variants", s.view.compare_variants},
            {"compare_model", s.view.compare_model}}},
          {"hardware",
           {{"shown", s.hardware.shown},
            {"dtype", s.hardware.dtype},
            {"fused", s.hardware.fused},
            {"log_scale", s.hardware.log_scale},
            {"single_head", s.hardware.single_head},
            {"replay_seconds", s.hardware.replay_seconds},
            {"chips", s.hardware.chips},
            {"what_if_phase", s.hardware.what_if_phase},
            {"what_if_heads", s.hardware.what_if_heads}}},
          {"step",
           {{"on", s.step.on},
            {"granularity", s.step.granularity},
            {"steps_per_second", s.step.steps_per_second},
            {"stage", s.step.position.stage},
            {"fine_steps", s.step.position.fine_steps}}},
          {"export",
           {{"scale", s.export_options.scale},
            {"panel", s.export_options.panel},
            {"caption", s.export_options.caption},
            {"caption_text", s.export_options.caption_text},
            {"counts", s.export_options.counts},
            {"folder", s.export_options.folder}}}};
}

namespace {

constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();
constexpr auto int64_max = std::numeric_limits<std::int64_t>::max();

// object[key], one of `values`' spellings (enum_json.hpp), if present.
template <typename Enum, typename Values>
void read_enum(const json& object, const std::string& section, const char* key, Enum& into,
               const Values& values) {
  if (!object.is_object() || !object.contains(key)) return;
  std::string text;
  read_member(object, section, key, text);
  const auto known = spellings(values);
  const auto it = known.find(text);
  if (it == known.end())
    throw std::runtime_error("field \"" + (section.empty() ? key : section + "." + key) +
                             "\" must be " + spelling_list(values) + ", got \"" + text + "\"");
  into = it->second;
}

void read_strings(const json& object, const std::string& where, const char* key,
                  std::vector<std::string>& into) {
  if (!object.is_object() || !object.contains(key)) return;
  const json& list = object.at(key);
  const std::string field = where + "." + key;
  if (!list.is_array()) throw std::runtime_error("field \"" + field + "\" must be a list of names");
  std::vector<std::string> names;
  for (const json& name : list) {
    names.emplace_back();
    read_field(name, field + "[]", names.back());
  }
  into = std::move(names);
}

} // namespace

AppState state_from_json(const json& j) {
  if (!j.is_object()) throw std::runtime_error("a state file must hold a JSON object");
  for (const char* section : {"shape", "model", "view", "export", "hardware", "step"})
    if (j.contains(section) && !j.at(section).is_object())
      throw std::runtime_error(std::string("field \"") + section + "\" must be an object");
  const json none = json::object();
  const auto section = [&](const char* name) -> const json& {
    return j.contains(name) ? j.at(name) : none;
  };

  AppState s;
  const json& shape = section("shape");
  read_member(shape, "shape", "seq", s.shape.seq, int64_min, int64_max);
  read_member(shape, "shape", "d_model", s.shape.d_model, int64_min, int64_max);
  read_member(shape, "shape", "heads", s.shape.heads, int64_min, int64_max);
  read_member(shape, "shape", "head_dim", s.shape.head_dim, int64_min, int64_max);
  s.shape.kv_heads = s.shape.heads;
  read_member(shape, "shape", "kv_heads", s.shape.kv_heads, int64_min, int64_max);
  read_member(shape, "shape", "causal", s.shape.causal);
  read_member(shape, "shape", "queries", s.shape.queries, int64_min, int64_max);
  read_member(shape, "shape", "batch", s.shape.batch, int64_min, int64_max);
  read_member(shape, "shape", "window", s.shape.window, int64_min, int64_max);
  read_member(shape, "shape", "v_head_dim", s.shape.v_head_dim, int64_min, int64_max);
  if (shape.is_object() && shape.contains("mla")) {
    const json& mla = shape.at("mla");
    if (!mla.is_object()) throw std::runtime_error("field \"shape.mla\" must be an object");
    read_member(mla, "shape.mla", "q_rank", s.shape.mla.q_rank, int64_min, int64_max);
    read_member(mla, "shape.mla", "kv_rank", s.shape.mla.kv_rank, int64_min, int64_max);
    read_member(mla, "shape.mla", "rope_dim", s.shape.mla.rope_dim, int64_min, int64_max);
    std::string form = mla_form_key(s.shape.mla.form);
    read_member(mla, "shape.mla", "form", form);
    if (form != "naive" && form != "absorbed")
      throw std::runtime_error("field \"shape.mla.form\" must be naive or absorbed, got \"" +
                               form + "\"");
    s.shape.mla.form = form == "naive" ? MlaForm::naive : MlaForm::absorbed;
  }
  try {
    validate(s.shape);
  } catch (const ShapeError& e) {
    const std::string field = shape_field_key(e.field());
    throw std::runtime_error("shape" + (field.empty() ? "" : "." + field) + ": " + e.what());
  }

  const json& model = section("model");
  read_member(model, "model", "key", s.model.key);
  read_member(model, "model", "layer_kind", s.model.layer_kind, std::int64_t{0}, std::int64_t{1000});

  read_enum(j, "", "values", s.trace.values, all_value_modes);
  read_member(j, "", "seed", s.trace.seed);
  read_enum(j, "", "layout", s.trace.layout, all_layouts);

  const json& view = section("view");
  read_enum(view, "view", "theme", s.view.theme, all_themes);
  read_member(view, "view", "ui_size", s.view.ui_size, 8.0f, 64.0f);
  read_member(view, "view", "keep_wqkv_height", s.view.keep_wqkv_height);
  read_member(view, "view", "show_values", s.view.show_values);
  read_member(view, "view", "zoom_together", s.view.zoom_together);
  read_member(view, "view", "memory_budget", s.view.memory_budget, min_memory_budget,
              max_memory_budget);
  read_member(view, "view", "presenter", s.view.presenter);
  read_member(view, "view", "presenter_counts", s.view.presenter_counts);
  read_member(view, "view", "compare_variants", s.view.compare_variants);
  read_member(view, "view", "compare_model", s.view.compare_model);

  const json& hw = section("hardware");
  read_member(hw, "hardware", "shown", s.hardware.shown);
  read_member(hw, "hardware", "dtype", s.hardware.dtype);
  if (s.hardware.dtype != "fp32" && s.hardware.dtype != "bf16" && s.hardware.dtype != "int8")
    throw std::runtime_error("field \"hardware.dtype\" must be fp32, bf16 or int8, got \"" +
                             s.hardware.dtype + "\"");
  read_member(hw, "hardware", "fused", s.hardware.fused);
  read_member(hw, "hardware", "log_scale", s.hardware.log_scale);
  read_member(hw, "hardware", "single_head", s.hardware.single_head);
  read_member(hw, "hardware", "replay_seconds", s.hardware.replay_seconds, 0.5f, 600.0f);
  read_strings(hw, "hardware", "chips", s.hardware.chips);
  read_member(hw, "hardware", "what_if_phase", s.hardware.what_if_phase);
  if (!parse_what_if_phase(s.hardware.what_if_phase))
    throw std::runtime_error("field \"hardware.what_if_phase\" must be follow, prefill or decode, got \"" +
                             s.hardware.what_if_phase + "\"");
  read_member(hw, "hardware", "what_if_heads", s.hardware.what_if_heads);
  if (!parse_what_if_heads(s.hardware.what_if_heads))
    throw std::runtime_error("field \"hardware.what_if_heads\" must be follow, mha, gqa or mqa, got \"" +
                             s.hardware.what_if_heads + "\"");

  const json& step = section("step");
  read_member(step, "step", "on", s.step.on);
  read_enum(step, "step", "granularity", s.step.granularity, all_granularities);
  read_member(step, "step", "steps_per_second", s.step.steps_per_second, 0.5f, 60.0f);
  std::int64_t stage = 0;
  read_member(step, "step", "stage", stage, std::int64_t{0}, std::int64_t{1000});
  s.step.position.stage = static_cast<std::size_t>(stage);
  if (step.contains("fine_steps")) {
    const json& fine = step.at("fine_steps");
    if (!fine.is_array() || fine.size() != 2)
      throw std::runtime_error("field \"step.fine_steps\" must be a list of two counts");
    for (std::size_t p = 0; p < 2; ++p)
      read_field(fine[p], "step.fine_steps[]", s.step.position.fine_steps[p], std::int64_t{0}, int64_max);
  }
  if (!Stepper(s.shape).set_state(s.step.position))
    throw std::runtime_error("field \"step\": stage " + std::to_string(stage) +
                             " and its fine steps lie outside this shape's program");

  const json& ex = section("export");
  read_member(ex, "export", "scale", s.export_options.scale, 1, 3);
  read_member(ex, "export", "panel", s.export_options.panel);
  read_member(ex, "export", "caption", s.export_options.caption);
  read_member(ex, "export", "caption_text", s.export_options.caption_text);
  if (s.export_options.caption_text.find_first_of("\r\n") != std::string::npos)
    throw std::runtime_error("field \"export.caption_text\" must be one line");
  read_member(ex, "export", "counts", s.export_options.counts);
  read_member(ex, "export", "folder", s.export_options.folder);
  return s;
}

StateFile read_state_file(const std::string& path) {
  StateFile file;
  file.json = read_json_file(path); // its errors name the path already
  try {
    file.state = state_from_json(file.json);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot read " + path + ": " + e.what());
  }
  return file;
}

AppState load_state_file(const std::string& path) { return read_state_file(path).state; }

} // namespace abh
