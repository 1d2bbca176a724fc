#pragma once
// The model gallery (assets/models.json; schema in docs/design.md, "Model
// gallery"): read strictly, every problem one line naming the file, the
// model and the field. Whole-model arithmetic lives in core/model.hpp.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.hpp"

namespace abh {

struct GalleryModel {
  Model model;
  std::vector<std::string> sources;    // where each figure comes from (config.json, paper)
  std::vector<std::string> unverified; // field paths no source confirms
  std::string pattern;                 // "5 sliding : 1 global"
  std::string notes;                   // what the model's attention teaches
};

// Throws std::runtime_error with one line: an unknown key, a missing or
// mistyped field, a duplicate key, or an inconsistent model (validate_model).
std::vector<GalleryModel> models_from_json(const nlohmann::json& gallery);
// read_json_file then models_from_json; messages start "cannot read PATH: ".
std::vector<GalleryModel> read_models_file(const std::string& path);
// data_path("assets/models.json").
std::string default_models_path();

// The gallery the window shows: its models, or none and the one-line reason
// (a missing or bad file leaves the app running without a picker).
struct LoadedGallery {
  std::vector<GalleryModel> models;
  std::string error; // "" when read
};
LoadedGallery load_gallery(const std::string& path);

// The model with exactly this key, or null.
const GalleryModel* model_by_key(const std::vector<GalleryModel>& models, const std::string& key);

// The model `query` names: its key or name in any case, or a part of either
// that only one model has. Throws std::runtime_error with one line.
const GalleryModel& find_model(const std::vector<GalleryModel>& models, const std::string& query);

// {"key", "name", "layers", "attention_layers", "kv_cache_bytes_per_token":
// {"fp32", "bf16", "int8"}, "attention_params", "context"}.
nlohmann::json model_figures_json(const Model& model);

} // namespace abh
