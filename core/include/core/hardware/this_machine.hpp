#pragma once
// "This machine's CPU" as a HardwareSpec, built from a description of the
// host that the caller supplies (app/io/host_cpu.hpp probes the real one;
// tests give fixed ones). Every figure names where it came from, or says
// "assumed" when the description left it out; none is ever absent.

#include <string>
#include <string_view>
#include <vector>

#include "core/hardware/hardware_spec.hpp"

namespace abh {

struct CpuDescription {
  std::string model;              // "AMD EPYC 9654"; "" when unknown
  int cores = 0;                  // physical cores; 0 when unknown
  int logical = 0;                // logical processors; 0 when unknown
  double mhz = 0;                 // current clock; 0 when unknown
  std::vector<std::string> flags; // as /proc/cpuinfo spells them: "avx2", "fma", "avx512f"…
  double l2_per_core = 0;         // bytes; 0 when unknown
  double l3 = 0;                  // bytes, whole chip; 0 when unknown (VMs often hide it)
  std::string cpu_source = "given";   // where model, cores, MHz and flags come from
  std::string cache_source = "given"; // where the cache sizes come from
};

// Model, logical processors, distinct (physical id, core id) pairs, the
// first cpu MHz and the first flags line of /proc/cpuinfo text; no caches.
CpuDescription parse_cpuinfo(std::string_view cpuinfo);

// Sizes assumed when the description has none.
inline constexpr double assumed_l2_per_core = 1024.0 * 1024;      // 1 MiB
inline constexpr double assumed_l3_per_core = 2.0 * 1024 * 1024;  // 2 MiB per core

// The spec: cores (else logical processors, else 4 assumed), MHz (else 2 GHz
// assumed; also when outside spec ranges), SIMD width from the flags
// (avx512f: 16 fp32 lanes, avx2/avx: 8, else 4), bf16/int8 rates from
// avx512_bf16/amx_bf16 and avx512_vnni/avx_vnni, L2 and L3 as given or
// assumed. Always passes spec_problem.
HardwareSpec this_machine_spec(const CpuDescription& cpu);

} // namespace abh
