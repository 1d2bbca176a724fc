#pragma once
// Real attention layers the hardware panel offers when the shape on screen is
// too small for any machine to show more than its start-up cost. Shapes from
// assets/models.json (keys "gpt-2-small", "llama-3-8b").

#include <optional>
#include <string>
#include <vector>

#include "core/hardware/hardware_spec.hpp"
#include "core/shape.hpp"

namespace abh {

struct RealLayer {
  std::string key;   // "gpt-2-small-prefill"
  std::string label; // "GPT-2 small prefill (n=1024)": the button's text
  Shape shape;
  // How it is run in practice. A decode step is served in bf16 by a fused
  // kernel (FlashDecoding class) that streams the KV cache once; the
  // prefills keep the panel's own choices.
  std::optional<Dtype> dtype;
  bool fused = false;
};

// GPT-2 small prefill (n 1024, d 768, 12 heads of 64), Llama 3 8B prefill
// (n 8192, d 4096, 32 heads of 128, 8 KV heads) and one Llama 3 8B decode
// step against a 32k cache (n 32768, n_q 1), all causal.
const std::vector<RealLayer>& real_layers();

} // namespace abh
