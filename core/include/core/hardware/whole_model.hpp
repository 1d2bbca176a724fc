#pragma once
// A whole model on each machine: the bytes of every attention layer's
// projection weights, KV cache and live activations, and how many devices
// (LPU: chips) hold them. Attention only, as ModelFigures counts it.

#include <string>
#include <vector>

#include "core/hardware/hardware_spec.hpp"
#include "core/model.hpp"
#include "core/shape.hpp"

namespace abh {

// Bytes over all attention layers at `base.seq` tokens of context (n_q, B
// and the MLA form from `base`; causal from the model).
struct WholeModelBytes {
  double weights = 0;     // Wqkv (MLA: its factors) and Wo of every attention layer
  double kv_cache = 0;    // every layer keeping a cache (a sliding layer: min(n, w) tokens)
  double activations = 0; // live activations of every layer summed (layers side by side)
  double largest_layer_activations = 0; // of the largest layer alone (layers one after another)
  // What one machine holds at once: an LPU lays every layer out across its
  // chips, so all layers' activations are alive; the others run the layers
  // one after another and hold one layer's.
  double held(ArchKind kind) const;
};
// Throws ShapeError (a bad model or an overflow).
WholeModelBytes whole_model_bytes(const Model& model, const Shape& base, Dtype dtype, bool fused);

struct MachineFit {
  std::string chip;
  ArchKind kind = ArchKind::cpu;
  double bytes = 0;    // held(kind)
  double capacity = 0; // one device's main memory (LPU: SRAM), bytes; 0: not published
  bool fits = false;   // bytes ≤ capacity
  int devices = 1;     // devices (chips) whose memory holds the bytes
};
MachineFit machine_fit(const WholeModelBytes& bytes, const HardwareSpec& spec);

// "<chip>: <bytes> of <capacity> per device, fits on 1 device", or
// "…, needs 101 chips" (LPU), or "…, memory size not published".
std::string machine_fit_line(const MachineFit& fit);

} // namespace abh
