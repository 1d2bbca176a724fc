#include "app/io/host_cpu.hpp"

#include <unistd.h>

#include <algorithm>
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

double host_clock_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

std::vector<Timing> time_trace_parts(const Shape& shape, const TraceOptions& options,
                                     const std::function<double()>& clock, const std::atomic<bool>* cancel) {
  const Inputs inputs = make_inputs(shape, options.values, options.seed);
  AttentionTrace trace;
  const auto timed_round = [&]() -> std::vector<double> {
    if (cancel != nullptr && *cancel) return {0, 0, 0};
    try {
      const double start = clock();
      project_inputs(trace, shape, options, inputs, cancel, nullptr);
      const double projected = clock();
      compute_trace(trace, shape, options, inputs, cancel, nullptr);
      const double traced = clock();
      combine_heads(trace);
      const double end = clock();
      const double projection = projected - start, output = end - traced;
      return {projection, std::max(0.0, traced - projected - projection - output), output};
    } catch (const TraceCancelled&) {
      return {0, 0, 0};
    }
  };
  return warm_medians(timed_round, all_trace_parts.size(), 1, 5, 2.0);
}

} // namespace abh
