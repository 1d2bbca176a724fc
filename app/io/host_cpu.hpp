#pragma once
// Probes the CPU this program runs on: model, cores, MHz and SIMD flags from
// /proc/cpuinfo, cache sizes from glibc's sysconf. The only place that reads
// the host for the hardware panel and --hardware-report; tests build specs
// from fixed CpuDescriptions instead (core/hardware/this_machine.hpp).

#include "core/hardware/this_machine.hpp"

namespace abh {

// What the OS says about this CPU; fields it does not say stay 0 / empty.
CpuDescription probe_host_cpu();

// this_machine_spec(probe_host_cpu()).
HardwareSpec host_cpu_spec();

} // namespace abh
