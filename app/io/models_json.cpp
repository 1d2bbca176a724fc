#include "app/io/models_json.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <stdexcept>

#include "app/io/data_files.hpp"
#include "app/io/json_file.hpp"

namespace abh {

using nlohmann::json;

namespace {

constexpr std::int64_t int64_max = std::numeric_limits<std::int64_t>::max();

// Refuses any key not in `known`: a misspelt field must not pass silently.
void only_keys(const json& object, const std::string& where, std::initializer_list<const char*> known) {
  if (!object.is_object()) throw std::runtime_error(where + " must be an object");
  for (const auto& [key, value] : object.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) throw std::runtime_error(where + ": unknown key \"" + key + "\"");
  }
}

void require(const json& object, const std::string& where, std::initializer_list<const char*> keys) {
  for (const char* key : keys)
    if (!object.contains(key)) throw std::runtime_error(where + ": missing \"" + key + "\"");
}

void read_count(const json& object, const std::string& where, const char* key, std::int64_t& into,
                std::int64_t lo = 0) {
  read_member(object, where, key, into, lo, int64_max);
}

std::vector<std::string> read_texts(const json& object, const std::string& where, const char* key) {
  std::vector<std::string> out;
  if (!object.contains(key)) return out;
  const json& list = object.at(key);
  if (!list.is_array()) throw std::runtime_error("field \"" + where + "." + key + "\" must be a list");
  for (const json& item : list) {
    out.emplace_back();
    read_field(item, where + "." + key + "[]", out.back());
  }
  return out;
}

LayerKind kind_from_json(const json& j, const std::string& where) {
  only_keys(j, where, {"kind", "count", "heads", "kv_heads", "head_dim", "v_head_dim", "window",
                       "kv_shared_layers", "mla"});
  require(j, where, {"kind", "count"});
  LayerKind k;
  std::string type;
  read_member(j, where, "kind", type);
  if (type == "global") k.type = LayerType::global;
  else if (type == "sliding") k.type = LayerType::sliding;
  else if (type == "linear") k.type = LayerType::linear;
  else throw std::runtime_error("field \"" + where + ".kind\" must be global, sliding or linear, got \"" + type + "\"");
  if (k.attention()) require(j, where, {"heads", "kv_heads", "head_dim"});
  if (k.type == LayerType::sliding) require(j, where, {"window"});
  read_count(j, where, "count", k.count);
  read_count(j, where, "heads", k.heads);
  read_count(j, where, "kv_heads", k.kv_heads);
  read_count(j, where, "head_dim", k.head_dim);
  read_count(j, where, "v_head_dim", k.v_head_dim);
  read_count(j, where, "window", k.window);
  read_count(j, where, "kv_shared_layers", k.kv_shared_layers);
  if (j.contains("mla")) {
    const json& mla = j.at("mla");
    const std::string at = where + ".mla";
    only_keys(mla, at, {"q_rank", "kv_rank", "rope_dim", "nope_dim", "v_head_dim"});
    require(mla, at, {"kv_rank", "rope_dim"});
    read_count(mla, at, "q_rank", k.mla.q_rank);
    read_count(mla, at, "kv_rank", k.mla.kv_rank);
    read_count(mla, at, "rope_dim", k.mla.rope_dim);
    if (k.mla.kv_rank == 0) throw std::runtime_error(at + ".kv_rank: a rank of zero");
    if (k.mla.rope_dim == 0) throw std::runtime_error(at + ".rope_dim: a rank of zero");
    std::int64_t nope = 0, v = 0;
    read_count(mla, at, "nope_dim", nope);
    read_count(mla, at, "v_head_dim", v);
    if (mla.contains("nope_dim") && nope + k.mla.rope_dim != k.head_dim)
      throw std::runtime_error(at + ": head_dim " + std::to_string(k.head_dim) +
                               " must equal nope_dim + rope_dim (" + std::to_string(nope) + " + " +
                               std::to_string(k.mla.rope_dim) + ")");
    if (mla.contains("v_head_dim")) {
      if (k.v_head_dim != 0 && k.v_head_dim != v)
        throw std::runtime_error(at + ".v_head_dim " + std::to_string(v) +
                                 " differs from the layer kind's v_head_dim " +
                                 std::to_string(k.v_head_dim));
      k.v_head_dim = v;
    }
  }
  return k;
}

bool valid_key(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
  });
}

GalleryModel model_from_json(const json& j, std::size_t index) {
  std::string where = "models[" + std::to_string(index) + "]";
  only_keys(j, where, {"key", "name", "sources", "unverified", "d_model", "layers", "context",
                       "pattern", "layer_kinds", "notes", "causal"});
  require(j, where, {"key", "name", "d_model", "layers", "context", "layer_kinds"});
  GalleryModel g;
  Model& m = g.model;
  read_member(j, where, "key", m.key);
  if (!valid_key(m.key))
    throw std::runtime_error(where + ": key \"" + m.key + "\" must be lowercase letters, digits, '-' or '.'");
  where = "model " + m.key;
  read_member(j, where, "name", m.name);
  read_count(j, where, "d_model", m.d_model);
  read_count(j, where, "layers", m.layers);
  read_count(j, where, "context", m.context);
  read_member(j, where, "causal", m.causal);
  read_member(j, where, "pattern", g.pattern);
  read_member(j, where, "notes", g.notes);
  g.sources = read_texts(j, where, "sources");
  g.unverified = read_texts(j, where, "unverified");
  const json& kinds = j.at("layer_kinds");
  if (!kinds.is_array()) throw std::runtime_error(where + ": layer_kinds must be a list");
  for (std::size_t i = 0; i < kinds.size(); ++i)
    m.layer_kinds.push_back(kind_from_json(kinds[i], where + ".layer_kinds[" + std::to_string(i) + "]"));
  try {
    validate_model(m);
  } catch (const ShapeError& e) {
    throw std::runtime_error(e.what());
  }
  return g;
}

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

} // namespace

std::vector<GalleryModel> models_from_json(const json& j) {
  only_keys(j, "the model gallery", {"schema", "models"});
  require(j, "the model gallery", {"schema", "models"});
  int schema = 0;
  read_member(j, "", "schema", schema, 1, 1);
  const json& list = j.at("models");
  if (!list.is_array()) throw std::runtime_error("field \"models\" must be a list");
  std::vector<GalleryModel> models;
  std::set<std::string> keys;
  for (std::size_t i = 0; i < list.size(); ++i) {
    models.push_back(model_from_json(list[i], i));
    if (!keys.insert(models.back().model.key).second)
      throw std::runtime_error("model key \"" + models.back().model.key + "\" appears twice");
  }
  return models;
}

std::vector<GalleryModel> read_models_file(const std::string& path) {
  const json j = read_json_file(path); // its errors name the path already
  try {
    return models_from_json(j);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot read " + path + ": " + e.what());
  }
}

std::string default_models_path() { return data_path("assets/models.json"); }

LoadedGallery load_gallery(const std::string& path) {
  LoadedGallery loaded;
  try {
    loaded.models = read_models_file(path);
  } catch (const std::exception& e) {
    loaded.error = e.what();
  }
  return loaded;
}

const GalleryModel* model_by_key(const std::vector<GalleryModel>& models, const std::string& key) {
  for (const GalleryModel& g : models)
    if (g.model.key == key) return &g;
  return nullptr;
}

const GalleryModel& find_model(const std::vector<GalleryModel>& models, const std::string& query) {
  const std::string q = lower(query);
  for (const GalleryModel& g : models)
    if (lower(g.model.key) == q || lower(g.model.name) == q) return g;
  std::vector<const GalleryModel*> matches;
  for (const GalleryModel& g : models)
    if (!q.empty() && (lower(g.model.key).find(q) != std::string::npos ||
                       lower(g.model.name).find(q) != std::string::npos))
      matches.push_back(&g);
  if (matches.size() == 1) return *matches.front();
  if (matches.empty())
    throw std::runtime_error("unknown model \"" + query + "\" (--list-models lists them)");
  std::string names;
  for (const GalleryModel* g : matches) names += (names.empty() ? "" : ", ") + g->model.key;
  throw std::runtime_error("model \"" + query + "\" matches several: " + names);
}

json model_figures_json(const Model& model) {
  const ModelFigures f = model_figures(model);
  const DtypeBytes kv = dtype_bytes(f.kv_cache_per_token);
  return {{"key", model.key},
          {"name", model.name},
          {"layers", f.layers},
          {"attention_layers", f.attention_layers},
          {"kv_cache_bytes_per_token", {{"fp32", kv.fp32}, {"bf16", kv.bf16}, {"int8", kv.int8}}},
          {"attention_params", f.attention_params},
          {"context", f.context}};
}

} // namespace abh
