#include "app/cli/model_choice.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "core/number_format.hpp"

namespace abh {

std::vector<GalleryModel> request_models(const LaunchRequest& r) {
  return read_models_file(r.models_path.empty() ? default_models_path() : r.models_path);
}

namespace {

std::size_t pick_kind(const Model& m, const std::string& choice) {
  if (choice.empty()) return first_attention_kind(m);
  const auto& kinds = m.layer_kinds;
  if (choice == "global" || choice == "sliding") {
    for (std::size_t i = 0; i < kinds.size(); ++i)
      if (layer_type_key(kinds[i].type) == choice) return i;
    throw std::runtime_error("--layer-kind " + choice + ": " + m.key + " has no " + choice + " layers");
  }
  if (choice.find_first_not_of("0123456789") == std::string::npos && choice.size() < 6) {
    const std::size_t index = std::stoul(choice);
    if (index < 1 || index > kinds.size())
      throw std::runtime_error("--layer-kind " + choice + ": " + m.key + " has layer kinds 1 to " +
                               std::to_string(kinds.size()));
    if (!kinds[index - 1].attention())
      throw std::runtime_error("--layer-kind " + choice + ": that kind of " + m.key +
                               " is linear, not attention");
    return index - 1;
  }
  throw std::runtime_error("--layer-kind must be a number from 1, global or sliding, got \"" +
                           choice + "\"");
}

} // namespace

std::optional<ModelChoice> choose_model(const LaunchRequest& r) {
  if (r.model.empty()) return std::nullopt;
  const std::vector<GalleryModel> models = request_models(r);
  ModelChoice choice{find_model(models, r.model), 0};
  choice.kind = pick_kind(choice.entry.model, r.layer_kind);
  return choice;
}

Shape model_shape(const ModelChoice& choice, const Shape& shape, const LaunchRequest& r) {
  Shape s = layer_shape(choice.entry.model, choice.kind, shape);
  s.causal = choice.entry.model.causal || r.shape.causal;
  auto keep = [&](const char* flag, std::int64_t& field, std::int64_t given) {
    if (r.was_given(flag)) field = given;
  };
  keep("--d-model", s.d_model, r.shape.d_model);
  keep("--heads", s.heads, r.shape.heads);
  keep("--head-dim", s.head_dim, r.shape.head_dim);
  keep("--kv-heads", s.kv_heads, r.shape.kv_heads);
  keep("--v-head-dim", s.v_head_dim, r.shape.v_head_dim);
  keep("--window", s.window, r.shape.window);
  keep("--mla-q-rank", s.mla.q_rank, r.shape.mla.q_rank);
  keep("--mla-kv-rank", s.mla.kv_rank, r.shape.mla.kv_rank);
  keep("--mla-rope-dim", s.mla.rope_dim, r.shape.mla.rope_dim);
  return s;
}

nlohmann::json model_report_json(const ModelChoice& c) {
  nlohmann::json j = model_figures_json(c.entry.model);
  const LayerKind& k = c.entry.model.layer_kinds[c.kind];
  j["layer_kind"] = {{"index", c.kind + 1},
                     {"kind", layer_type_key(k.type)},
                     {"count", k.count},
                     {"description", describe_layer_kind(k)}};
  return j;
}

std::string model_choice_note(const ModelChoice& c) {
  const Model& m = c.entry.model;
  return fmt::format("--model {}: {}, layer kind {} of {}: {}", m.key, m.name, c.kind + 1,
                     m.layer_kinds.size(), describe_layer_kind(m.layer_kinds[c.kind]));
}

std::string model_report_text(const ModelChoice& c) {
  const ModelFigures f = model_figures(c.entry.model);
  const DtypeBytes kv = dtype_bytes(f.kv_cache_per_token);
  std::string out = "model: " + model_choice_note(c).substr(std::string("--model ").size()) + "\n";
  out += fmt::format("whole model: {} layers, {} attention; attention parameters {}; context {}\n",
                     f.layers, f.attention_layers, count_text(f.attention_params),
                     count_text(f.context));
  out += fmt::format("whole model KV cache per token: {} fp32, {} bf16, {} int8\n",
                     bytes_text(static_cast<double>(kv.fp32)), bytes_text(static_cast<double>(kv.bf16)),
                     bytes_text(static_cast<double>(kv.int8)));
  return out;
}

void check_loaded_model(const LaunchRequest& r, ModelPick& pick, std::vector<std::string>& notes) {
  if (pick.key.empty()) return;
  const std::string path = r.models_path.empty() ? default_models_path() : r.models_path;
  const LoadedGallery gallery = load_gallery(path);
  if (!gallery.error.empty()) {
    notes.push_back("the state's model " + pick.key + " is not shown: " + gallery.error);
    pick = {};
    return;
  }
  const GalleryModel* found = model_by_key(gallery.models, pick.key);
  if (!found)
    throw std::runtime_error("cannot read " + r.load_path + ": model \"" + pick.key +
                             "\" is not in " + path);
  const auto& kinds = found->model.layer_kinds;
  if (pick.layer_kind >= static_cast<std::int64_t>(kinds.size()) ||
      !kinds[static_cast<std::size_t>(pick.layer_kind)].attention())
    throw std::runtime_error("cannot read " + r.load_path + ": model " + pick.key +
                             " has no attention layer kind " + std::to_string(pick.layer_kind + 1));
}

std::string list_models_output(const LaunchRequest& r) {
  const std::vector<GalleryModel> models = request_models(r);
  if (r.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const GalleryModel& g : models) list.push_back(model_figures_json(g.model));
    return list.dump(2) + "\n";
  }
  std::string out;
  for (const GalleryModel& g : models) out += g.model.name + "\n";
  return out;
}

} // namespace abh
