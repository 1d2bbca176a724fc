#include "app/cli/hardware_report.hpp"

#include "app/io/core_json.hpp"

#include <stdexcept>

#include "app/cli/count_report.hpp"
#include "app/io/hardware_specs_json.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/roofline.hpp"
#include "core/hardware/whole_model.hpp"

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

namespace {

Dtype report_dtype(const std::string& text) {
  const auto dtype = parse_dtype(text);
  if (!dtype) throw std::runtime_error("unknown --dtype \"" + text + "\" (fp32, bf16 or int8)");
  return *dtype;
}

} // namespace

json whole_model_json(const Model& model, const Shape& shape, const std::string& dtype_text, bool fused,
                      const std::vector<std::string>& chips, std::vector<HardwareSpec> specs,
                      const HardwareSpec& this_cpu) {
  const Dtype dtype = report_dtype(dtype_text);
  const WholeModelBytes bytes = whole_model_bytes(model, shape, dtype, fused);
  specs.push_back(this_cpu);
  json machines = json::array();
  for (const HardwareSpec& spec : choose_chips(specs, chips)) {
    const MachineFit f = machine_fit(bytes, spec);
    machines.push_back({{"kind", kind_key(f.kind)},
                        {"chip", f.chip},
                        {"bytes", f.bytes},
                        {"capacity", f.capacity},
                        {"fits", f.fits},
                        {"devices", f.devices},
                        {"text", machine_fit_line(f)}});
  }
  return {{"model", model.key},
          {"context", shape.seq},
          {"bytes",
           {{"weights", bytes.weights},
            {"kv_cache", bytes.kv_cache},
            {"activations", bytes.activations},
            {"largest_layer_activations", bytes.largest_layer_activations}}},
          {"machines", machines}};
}

json hardware_report_json(const Shape& shape, const std::string& dtype_text, bool fused,
                          const std::vector<std::string>& chips, std::vector<HardwareSpec> specs,
                          const HardwareSpec& this_cpu) {
  validate(shape);
  const Dtype dtype = report_dtype(dtype_text);
  specs.push_back(this_cpu);
  json architectures = json::array();
  for (const HardwareSpec& spec : choose_chips(specs, chips))
    architectures.push_back(schedule_json(run_model(shape, {dtype, fused}, spec)));
  return {{"shape", shape_json(shape)},
          {"dtype", dtype_key(dtype)},
          {"fused", fused},
          {"architectures", architectures}};
}

} // namespace abh
