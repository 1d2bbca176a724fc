#pragma once
// Probes the CPU this program runs on: model, cores, MHz and SIMD flags from
// /proc/cpuinfo, cache sizes from glibc's sysconf, and how long it takes to
// compute a trace. The only place that reads the host for the hardware panel
// and --hardware-report; tests build specs from fixed CpuDescriptions
// instead (core/hardware/this_machine.hpp).

#include <atomic>

#include "core/hardware/measurement.hpp"
#include "core/hardware/this_machine.hpp"
#include "core/trace.hpp"

namespace abh {

// What the OS says about this CPU; fields it does not say stay 0 / empty.
CpuDescription probe_host_cpu();

// this_machine_spec(probe_host_cpu()).
HardwareSpec host_cpu_spec();

// Wall time of core's compute_trace of `shape` (every stage, fp32, inputs
// drawn once beforehand) on this host: 1 warm-up run, then the median of up
// to 5 runs, fewer when they pass 2 s. A cancelled run ends it early.
Timing time_compute_trace(const Shape& shape, const TraceOptions& options,
                          const std::atomic<bool>* cancel = nullptr);

} // namespace abh
