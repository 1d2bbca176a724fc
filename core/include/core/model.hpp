#pragma once
// A real model as the program sees it: a list of layer kinds (global
// attention, sliding-window attention, or linear layers that are not
// attention), each with its own attention shape, and the whole-model figures
// galleries quote (docs/design.md, "Variants"; assets/models.json holds the data).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/shape.hpp"

namespace abh {

enum class LayerType {
  global,  // attention over every earlier token
  sliding, // attention over the `window` most recent tokens
  linear,  // not attention (Gated DeltaNet, Mamba, …): counted in layers only
};
const char* layer_type_key(LayerType type); // "global" | "sliding" | "linear"

struct LayerKind {
  LayerType type = LayerType::global;
  std::int64_t count = 1;            // layers of this kind
  std::int64_t heads = 0;            // H (attention kinds)
  std::int64_t kv_heads = 0;         // Hkv
  std::int64_t head_dim = 0;         // dh (MLA: nope + rope)
  std::int64_t v_head_dim = 0;       // dv (0 = dh)
  std::int64_t window = 0;           // sliding only
  std::int64_t kv_shared_layers = 0; // of `count`, layers reusing another layer's KV cache
  MlaRanks mla;                      // kv_rank > 0 for MLA
  bool attention() const { return type != LayerType::linear; }
  bool operator==(const LayerKind&) const = default;
};

struct Model {
  std::string key;  // "llama-3-8b": what --model takes
  std::string name; // "Llama 3 8B"
  std::int64_t d_model = 0;
  std::int64_t layers = 0;  // every layer, attention or not
  std::int64_t context = 0; // longest sequence
  bool causal = true;       // decoders mask later tokens; encoders (BERT) do not
  std::vector<LayerKind> layer_kinds;
};

// Bytes of `elements` values in each datatype the app reports.
struct DtypeBytes {
  std::int64_t fp32 = 0, bf16 = 0, int8 = 0;
  bool operator==(const DtypeBytes&) const = default;
};
DtypeBytes dtype_bytes(std::int64_t elements); // checked

// Whole-model figures, counting attention only.
struct ModelFigures {
  std::int64_t layers = 0;
  std::int64_t attention_layers = 0;   // layers of the global and sliding kinds
  // KV cache one token adds, elements: every attention layer that keeps a
  // cache (a sliding layer at its full per-token cost, as galleries quote it;
  // kv_shared_layers keep none; linear layers are not attention).
  std::int64_t kv_cache_per_token = 0;
  std::int64_t attention_params = 0;   // Wqkv (MLA: its factors) and Wo of every attention layer
  std::int64_t context = 0;
  // kv_cache_per_token × context, elements: the cache a full context holds,
  // counted the way kv_cache_per_token is (sliding layers at full cost).
  std::int64_t kv_cache_at_context = 0;
};

// Throws ShapeError with one line naming the model and the layer kind when
// the model is inconsistent: counts not summing to layers, Hkv not dividing
// H, a window larger than the context, a rank of zero, …
void validate_model(const Model& model);

// Index of the first attention layer kind (ShapeError if there is none).
std::size_t first_attention_kind(const Model& model);

// The attention shape of layer kind `kind` over `seq` keys (other variant
// fields, n_q, B, the MLA form, from `base`).
Shape layer_shape(const Model& model, std::size_t kind, const Shape& base);

// Throws ShapeError on overflow.
ModelFigures model_figures(const Model& model);

// "32 global" or "5 sliding (w=1024) + 1 global"-style one-line description of one kind.
std::string describe_layer_kind(const LayerKind& kind);

} // namespace abh
