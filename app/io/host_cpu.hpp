#pragma once
// Probes the CPU this program runs on: model, cores, MHz and SIMD flags from
// /proc/cpuinfo, cache sizes from glibc's sysconf, and how long it takes to
// compute a trace. The only place that reads the host for the hardware panel
// and --hardware-report; tests build specs from fixed CpuDescriptions
// instead (core/hardware/this_machine.hpp).

#include <atomic>
#include <functional>
#include <vector>

#include "core/hardware/measurement.hpp"
#include "core/hardware/this_machine.hpp"
#include "core/trace.hpp"

namespace abh {

// What the OS says about this CPU; fields it does not say stay 0 / empty.
CpuDescription probe_host_cpu();

// this_machine_spec(probe_host_cpu()).
HardwareSpec host_cpu_spec();

// Seconds on the host's steady clock (what the app times with).
double host_clock_seconds();

// Warm medians of the parts of core's compute_trace of `shape` (all_trace_parts:
// the projection, every head's scores … weighted sum, the output; fp32,
// inputs drawn once beforehand), timed with `clock`: 1 discarded round, then
// up to 5 rounds, fewer when they pass 2 s. Each round times project_inputs,
// the whole trace and combine_heads; the heads' part is the whole less the
// other two. A cancelled run ends it early.
std::vector<Timing> time_trace_parts(const Shape& shape, const TraceOptions& options,
                                     const std::function<double()>& clock,
                                     const std::atomic<bool>* cancel = nullptr);

} // namespace abh
