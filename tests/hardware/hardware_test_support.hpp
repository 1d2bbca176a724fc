#pragma once
// Shared fixtures of the hardware tests: the shipped specs and small shapes.

#include <vector>

#include "app/io/hardware_specs_json.hpp"
#include "core/hardware/models.hpp"

namespace abh::test {

inline const std::vector<HardwareSpec>& shipped_specs() {
  static const std::vector<HardwareSpec> specs = [] {
    auto s = load_hardware_specs(default_hardware_specs_path());
    return s;
  }();
  return specs;
}

inline const HardwareSpec& chip(const char* name) {
  const HardwareSpec* s = find_chip(shipped_specs(), name);
  if (s == nullptr) throw std::runtime_error(std::string("no chip ") + name);
  return *s;
}

inline Shape make_shape(std::int64_t seq, std::int64_t heads, std::int64_t head_dim,
                        std::int64_t d_model) {
  Shape s;
  s.seq = seq, s.heads = heads, s.head_dim = head_dim, s.kv_heads = heads, s.d_model = d_model;
  return s;
}

inline const StageCost& stage(const Schedule& s, Stage id) {
  for (const StageCost& st : s.stages)
    if (st.stage == id) return st;
  throw std::runtime_error("no stage " + std::string(stage_key(id)));
}

inline double attention_seconds(const Schedule& s) {
  double t = 0;
  for (const StageCost& st : s.stages)
    if (st.stage != Stage::projection && st.stage != Stage::output) t += st.seconds;
  return t;
}

} // namespace abh::test
