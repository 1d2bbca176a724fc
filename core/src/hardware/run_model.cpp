#include <stdexcept>

#include "core/hardware/models.hpp"

namespace abh {

Schedule empty_schedule(const ModelOptions& options, const HardwareSpec& spec, double units) {
  Schedule s;
  s.kind = spec.kind;
  s.chip = spec.chip;
  s.units = static_cast<int>(units);
  s.unit_name = spec.unit_name;
  s.dtype = options.dtype;
  s.fused = options.fused;
  for (const MemoryLevel& m : spec.memory) s.memory_levels.push_back(m.name);
  return s;
}

Schedule run_model(const Shape& shape, const ModelOptions& options, const HardwareSpec& spec) {
  if (std::string problem = spec_problem(spec); !problem.empty())
    throw std::invalid_argument(problem);
  switch (spec.kind) {
  case ArchKind::cpu: return model_cpu(shape, options, spec);
  case ArchKind::gpu: return model_gpu(shape, options, spec);
  case ArchKind::tpu: return model_tpu(shape, options, spec);
  case ArchKind::npu: return model_npu(shape, options, spec);
  case ArchKind::lpu: return model_lpu(shape, options, spec);
  }
  return model_cpu(shape, options, spec);
}

} // namespace abh
