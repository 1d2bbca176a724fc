#pragma once
// The --hardware-report output: every architecture's schedule of the shape,
// as JSON (README/DESIGN "Command line").

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/hardware/schedule.hpp"
#include "core/model.hpp"
#include "core/shape.hpp"

namespace abh {

// {"kind", "chip", "chips", "stages": {key: {"seconds", "flops", "bytes",
// "bound"}}, "total_seconds", "energy_joules" (null when unknown)}
nlohmann::json schedule_json(const Schedule& schedule);

// {"shape", "dtype", "fused", "architectures": [...]}: the default chip of
// each kind in `specs` (first in order) unless `chips` names another of that
// kind ("H200", case-insensitive; "this machine" = `this_cpu`, which the
// command line probes with host_cpu_spec()). Throws std::runtime_error or
// std::invalid_argument with one line for a bad dtype or an unknown chip;
// ShapeError for a bad shape.
nlohmann::json hardware_report_json(const Shape& shape, const std::string& dtype, bool fused,
                                    const std::vector<std::string>& chips,
                                    std::vector<HardwareSpec> specs, const HardwareSpec& this_cpu);

// {"model", "context", "bytes": {"weights", "kv_cache", "activations",
// "largest_layer_activations"}, "machines": [{"kind", "chip", "bytes",
// "capacity", "fits", "devices", "text"}]}: the whole model (attention
// layers) at shape.seq tokens on the same chips as hardware_report_json.
nlohmann::json whole_model_json(const Model& model, const Shape& shape, const std::string& dtype,
                                bool fused, const std::vector<std::string>& chips,
                                std::vector<HardwareSpec> specs, const HardwareSpec& this_cpu);

} // namespace abh
