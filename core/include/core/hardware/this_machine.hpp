#pragma once
// "This machine's CPU": a HardwareSpec read from the OS (/proc/cpuinfo and
// the sysfs cache sizes), every figure sourced to where it was read or marked
// assumed when the OS did not say.

#include <string_view>

#include "core/hardware/hardware_spec.hpp"

namespace abh {

struct CacheSizes {
  double l2_per_core = 0; // bytes; 0 when unknown
  double l3 = 0;          // bytes, whole chip
};

// Builds the spec from /proc/cpuinfo text: logical processors and distinct
// cores, MHz, SIMD width from the flags (avx512f: 16 fp32 lanes, avx2/avx: 8,
// sse: 4), bf16/int8 rates from avx512_bf16 / avx_vnni / avx512_vnni.
HardwareSpec cpu_spec_from_cpuinfo(std::string_view cpuinfo, const CacheSizes& caches);

// Reads /proc/cpuinfo and /sys/devices/system/cpu/cpu0/cache; without them,
// a 4-core 2 GHz SSE machine marked "assumed: could not read …".
HardwareSpec this_machine_cpu();

} // namespace abh
