#include "core/model.hpp"

#include "core/checked_int.hpp"
#include "core/counts.hpp"

namespace abh {

const char* layer_type_key(LayerType type) {
  switch (type) {
  case LayerType::global: return "global";
  case LayerType::sliding: return "sliding";
  case LayerType::linear: return "linear";
  }
  return "?";
}

DtypeBytes dtype_bytes(std::int64_t elements) {
  return {checked_mul(elements, 4), checked_mul(elements, 2), elements};
}

namespace {

[[noreturn]] void refuse(const Model& m, std::size_t kind, const std::string& what) {
  throw ShapeError("model " + m.key + ", layer_kinds[" + std::to_string(kind) + "]: " + what);
}

void validate_kind(const Model& m, std::size_t i) {
  const LayerKind& k = m.layer_kinds[i];
  const auto at_least_one = [&](std::int64_t value, const char* field) {
    if (value < 1) refuse(m, i, std::string(field) + " must be at least 1, got " + std::to_string(value));
  };
  at_least_one(k.count, "count");
  if (k.kv_shared_layers < 0 || k.kv_shared_layers > k.count)
    refuse(m, i, "kv_shared_layers must be 0 … count (" + std::to_string(k.count) + "), got " +
                     std::to_string(k.kv_shared_layers));
  if (!k.attention()) {
    if (k.heads || k.kv_heads || k.head_dim || k.v_head_dim || k.window || k.kv_shared_layers ||
        k.mla.kv_rank || k.mla.q_rank || k.mla.rope_dim)
      refuse(m, i, "a linear (non-attention) layer kind has no heads, window, KV sharing or MLA");
    return;
  }
  at_least_one(k.heads, "heads");
  at_least_one(k.kv_heads, "kv_heads");
  at_least_one(k.head_dim, "head_dim");
  if (k.v_head_dim < 0) refuse(m, i, "v_head_dim must be at least 1");
  if (k.kv_heads > k.heads || k.heads % k.kv_heads != 0)
    refuse(m, i, "kv_heads " + std::to_string(k.kv_heads) + " does not divide heads " +
                     std::to_string(k.heads));
  if (k.type == LayerType::sliding) {
    at_least_one(k.window, "window");
    if (k.window > m.context)
      refuse(m, i, "window " + std::to_string(k.window) + " is larger than the context " +
                       std::to_string(m.context));
  } else if (k.window != 0) {
    refuse(m, i, "only a sliding layer kind has a window");
  }
  if (k.mla.kv_rank != 0 || k.mla.rope_dim != 0 || k.mla.q_rank != 0) {
    at_least_one(k.mla.kv_rank, "mla.kv_rank");
    at_least_one(k.mla.rope_dim, "mla.rope_dim");
    if (k.mla.q_rank < 0) refuse(m, i, "mla.q_rank must be 0 (no query compression) or more");
    if (k.kv_heads != k.heads)
      refuse(m, i, "MLA has a k and v per query head: kv_heads must equal heads");
    if (k.mla.rope_dim >= k.head_dim)
      refuse(m, i, "mla.rope_dim must be less than head_dim (head_dim = nope_dim + rope_dim)");
  }
}

} // namespace

void validate_model(const Model& m) {
  const auto refuse_model = [&](const std::string& what) { throw ShapeError("model " + m.key + ": " + what); };
  if (m.d_model < 1) refuse_model("d_model must be at least 1");
  if (m.layers < 1) refuse_model("layers must be at least 1");
  if (m.context < 1) refuse_model("context must be at least 1");
  if (m.layer_kinds.empty()) refuse_model("layer_kinds is empty");
  std::int64_t layers = 0;
  for (std::size_t i = 0; i < m.layer_kinds.size(); ++i) {
    validate_kind(m, i);
    layers = checked_add(layers, m.layer_kinds[i].count);
  }
  if (layers != m.layers)
    refuse_model("layer_kinds counts sum to " + std::to_string(layers) + ", not layers " +
                 std::to_string(m.layers));
  first_attention_kind(m);
  for (std::size_t i = 0; i < m.layer_kinds.size(); ++i)
    if (m.layer_kinds[i].attention()) {
      try {
        Shape base;
        base.seq = 1;
        validate(layer_shape(m, i, base));
      } catch (const ShapeError& e) {
        refuse(m, i, e.what());
      }
    }
  model_figures(m);
}

std::size_t first_attention_kind(const Model& m) {
  for (std::size_t i = 0; i < m.layer_kinds.size(); ++i)
    if (m.layer_kinds[i].attention()) return i;
  throw ShapeError("model " + m.key + " has no attention layers");
}

Shape layer_shape(const Model& m, std::size_t kind, const Shape& base) {
  const LayerKind& k = m.layer_kinds.at(kind);
  if (!k.attention())
    throw ShapeError("model " + m.key + ": layer kind " + std::to_string(kind + 1) +
                     " is linear, not attention");
  Shape s = base;
  s.d_model = m.d_model;
  s.heads = k.heads;
  s.kv_heads = k.kv_heads;
  s.head_dim = k.head_dim;
  s.v_head_dim = k.v_head_dim;
  s.window = k.type == LayerType::sliding ? k.window : 0;
  const MlaForm form = base.mla.form;
  s.mla = k.mla;
  s.mla.form = form;
  return s;
}

ModelFigures model_figures(const Model& m) {
  ModelFigures f;
  f.layers = m.layers;
  f.context = m.context;
  Shape base;
  base.seq = 1;
  for (std::size_t i = 0; i < m.layer_kinds.size(); ++i) {
    const LayerKind& k = m.layer_kinds[i];
    if (!k.attention()) continue;
    const Shape s = layer_shape(m, i, base);
    const Counts c = count(s);
    f.attention_layers = checked_add(f.attention_layers, k.count);
    f.kv_cache_per_token = checked_add(
        f.kv_cache_per_token, checked_mul(k.count - k.kv_shared_layers, s.kv_cache_per_token()));
    f.attention_params =
        checked_add(f.attention_params, checked_mul(k.count, checked_add(c.params.wqkv, c.params.wo)));
  }
  f.kv_cache_at_context = checked_mul(f.kv_cache_per_token, f.context);
  return f;
}

std::string describe_layer_kind(const LayerKind& k) {
  std::string s = std::to_string(k.count) + " " + layer_type_key(k.type);
  if (!k.attention()) return s + " (not attention)";
  s += " (H=" + std::to_string(k.heads) + " Hkv=" + std::to_string(k.kv_heads) +
       " dh=" + std::to_string(k.head_dim);
  if (k.v_head_dim > 0 && k.v_head_dim != k.head_dim) s += " dv=" + std::to_string(k.v_head_dim);
  if (k.window > 0) s += " w=" + std::to_string(k.window);
  if (k.mla.kv_rank > 0)
    s += " MLA dc=" + std::to_string(k.mla.kv_rank) + " dr=" + std::to_string(k.mla.rope_dim) +
         (k.mla.q_rank > 0 ? " dq=" + std::to_string(k.mla.q_rank) : "");
  if (k.kv_shared_layers > 0) s += ", " + std::to_string(k.kv_shared_layers) + " share KV";
  return s + ")";
}

} // namespace abh
