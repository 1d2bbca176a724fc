#include "core/hardware/whole_model.hpp"

#include <algorithm>

#include "core/hardware/models.hpp"
#include "core/hardware/stage_work.hpp"
#include "core/number_format.hpp"

namespace abh {

double WholeModelBytes::held(ArchKind kind) const {
  return weights + kv_cache + (kind == ArchKind::lpu ? activations : largest_layer_activations);
}

WholeModelBytes whole_model_bytes(const Model& model, const Shape& base, Dtype dtype, bool fused) {
  validate_model(model);
  const double b = dtype_bytes(dtype);
  WholeModelBytes out;
  for (std::size_t k = 0; k < model.layer_kinds.size(); ++k) {
    const LayerKind& kind = model.layer_kinds[k];
    if (!kind.attention()) continue;
    Shape shape = layer_shape(model, k, base);
    shape.causal = model.causal;
    validate(shape);
    const double layers = static_cast<double>(kind.count);
    const double caching = static_cast<double>(kind.count - kind.kv_shared_layers);
    // A sliding layer keeps only the last w tokens' keys and values.
    const double tokens = static_cast<double>(
        kind.type == LayerType::sliding && kind.window > 0 ? std::min(shape.seq, kind.window) : shape.seq);
    const double live = live_activation_elements(shape, fused) * b;
    out.weights += layers * weight_elements(shape) * b;
    out.kv_cache += caching * static_cast<double>(shape.batch) * tokens *
                    static_cast<double>(shape.kv_cache_per_token()) * b;
    out.activations += layers * live;
    out.largest_layer_activations = std::max(out.largest_layer_activations, live);
  }
  return out;
}

MachineFit machine_fit(const WholeModelBytes& bytes, const HardwareSpec& spec) {
  MachineFit f;
  f.chip = spec.chip;
  f.kind = spec.kind;
  f.bytes = bytes.held(spec.kind);
  const MemoryLevel* main = spec.level(MemoryRole::main);
  f.capacity = main ? main->capacity.value : 0;
  f.devices = chips_for_bytes(spec, f.bytes);
  f.fits = f.capacity > 0 && f.bytes <= f.capacity;
  return f;
}

std::string machine_fit_line(const MachineFit& f) {
  const std::string unit = f.kind == ArchKind::lpu ? "chip" : "device";
  std::string line = f.chip + ": " + bytes_text(f.bytes);
  if (f.capacity <= 0) return line + ", memory size not published";
  line += " of " + bytes_text(f.capacity) + " per " + unit;
  if (f.fits) return line + ", fits on 1 " + unit;
  return line + ", needs " + std::to_string(f.devices) + " " + unit + "s";
}

} // namespace abh
