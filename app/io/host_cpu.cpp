#include "app/io/host_cpu.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "core/values.hpp"

namespace abh {

namespace {

// Bytes from sysconf, 0 when glibc does not know (it returns 0 or -1).
double cache_bytes(int name) {
  const long v = sysconf(name);
  return v > 0 ? static_cast<double>(v) : 0;
}

} // namespace

CpuDescription probe_host_cpu() {
  std::ifstream in("/proc/cpuinfo");
  std::stringstream text;
  if (in) text << in.rdbuf();
  CpuDescription cpu = parse_cpuinfo(text.str());
  if (!in) cpu.cpu_source = "could not read /proc/cpuinfo";
  cpu.l2_per_core = cache_bytes(_SC_LEVEL2_CACHE_SIZE);
  cpu.l3 = cache_bytes(_SC_LEVEL3_CACHE_SIZE);
  cpu.cache_source = "read with glibc sysconf(_SC_LEVEL2/3_CACHE_SIZE)";
  return cpu;
}

HardwareSpec host_cpu_spec() { return this_machine_spec(probe_host_cpu()); }

Timing time_compute_trace(const Shape& shape, const TraceOptions& options,
                          const std::atomic<bool>* cancel) {
  const Inputs inputs = make_inputs(shape, options.values, options.seed);
  AttentionTrace trace;
  const auto timed_run = [&] {
    const auto start = std::chrono::steady_clock::now();
    if (cancel == nullptr || !*cancel) {
      try {
        compute_trace(trace, shape, options, inputs, cancel, nullptr);
      } catch (const TraceCancelled&) {
      }
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  return warm_median(timed_run, 1, 5, 2.0);
}

} // namespace abh
