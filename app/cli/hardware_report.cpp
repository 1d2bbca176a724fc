#include "app/cli/hardware_report.hpp"

#include "app/io/core_json.hpp"

#include <stdexcept>

#include "app/cli/count_report.hpp"
#include "app/io/hardware_specs_json.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/roofline.hpp"

namespace abh {

using nlohmann::json;

json schedule_json(const Schedule& s) {
  json stages = json::object();
  for (const StageCost& st : s.stages)
    stages[std::string(stage_key(st.stage))] = {{"seconds", st.seconds},
                      {"flops", st.flops},
                      {"bytes", st.bytes},
                      {"bound", bound_key(st.bound)}};
  return {{"kind", kind_key(s.kind)},
          {"chip", s.chip},
          {"chips", s.chips},
          {"stages", stages},
          {"total_seconds", s.total_seconds},
          {"energy_joules", s.energy_joules ? json(*s.energy_joules) : json(nullptr)}};
}

json hardware_report_json(const Shape& shape, const std::string& dtype_text, bool fused,
                          const std::vector<std::string>& chips, std::vector<HardwareSpec> specs,
                          const HardwareSpec& this_cpu) {
  validate(shape);
  const auto dtype = parse_dtype(dtype_text);
  if (!dtype) throw std::runtime_error("unknown --dtype \"" + dtype_text + "\" (fp32, bf16 or int8)");
  specs.push_back(this_cpu);
  json architectures = json::array();
  for (const HardwareSpec& spec : choose_chips(specs, chips))
    architectures.push_back(schedule_json(run_model(shape, {*dtype, fused}, spec)));
  return {{"shape", shape_json(shape)},
          {"dtype", dtype_key(*dtype)},
          {"fused", fused},
          {"architectures", architectures}};
}

} // namespace abh
