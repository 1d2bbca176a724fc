#include "core/hardware/real_layers.hpp"

namespace abh {

namespace {

Shape layer(std::int64_t seq, std::int64_t d_model, std::int64_t heads, std::int64_t head_dim,
            std::int64_t kv_heads, std::int64_t queries = 0) {
  Shape s;
  s.seq = seq;
  s.d_model = d_model;
  s.heads = heads;
  s.head_dim = head_dim;
  s.kv_heads = kv_heads;
  s.causal = true;
  s.queries = queries;
  return s;
}

} // namespace

const std::vector<RealLayer>& real_layers() {
  static const std::vector<RealLayer> layers = {
      {"gpt-2-small-prefill", "GPT-2 small prefill (n=1024)", layer(1024, 768, 12, 64, 12), {}, false},
      {"llama-3-8b-prefill", "Llama 3 8B prefill (n=8192)", layer(8192, 4096, 32, 128, 8), {}, false},
      {"llama-3-8b-decode-32k", "Llama 3 8B decode at 32k (bf16, fused)",
       layer(32768, 4096, 32, 128, 8, 1), Dtype::bf16, true},
  };
  return layers;
}

} // namespace abh
