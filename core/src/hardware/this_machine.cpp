#include "core/hardware/this_machine.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace abh {

namespace {

std::string value_after_colon(const std::string& line) {
  const auto colon = line.find(':');
  if (colon == std::string::npos) return "";
  std::string v = line.substr(colon + 1);
  v.erase(0, v.find_first_not_of(" \t"));
  return v;
}

bool has_flag(const std::string& flags, const char* flag) {
  std::istringstream in(flags);
  std::string f;
  while (in >> f)
    if (f == flag) return true;
  return false;
}

// "1024K" / "32768K" / "2M" from sysfs, in bytes.
double parse_size(std::string text) {
  if (text.empty()) return 0;
  double mult = 1;
  const char unit = text.back();
  if (unit == 'K') mult = 1024;
  if (unit == 'M') mult = 1024.0 * 1024;
  if (unit == 'K' || unit == 'M') text.pop_back();
  try {
    return std::stod(text) * mult;
  } catch (...) {
    return 0;
  }
}

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

CacheSizes read_caches() {
  CacheSizes c;
  for (int i = 0; i < 8; ++i) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(i) + "/";
    const std::string level = read_line(dir + "level");
    if (level.empty()) continue;
    const double size = parse_size(read_line(dir + "size"));
    if (level == "2") c.l2_per_core = size;
    if (level == "3") c.l3 = size;
  }
  return c;
}

} // namespace

HardwareSpec cpu_spec_from_cpuinfo(std::string_view text, const CacheSizes& caches) {
  std::istringstream in{std::string(text)};
  std::string line, model, flags;
  double mhz = 0;
  int logical = 0;
  std::set<std::pair<std::string, std::string>> cores; // (physical id, core id)
  std::string physical;
  while (std::getline(in, line)) {
    const std::string key = line.substr(0, line.find(':'));
    if (key.rfind("processor", 0) == 0) ++logical;
    else if (key.rfind("model name", 0) == 0 && model.empty()) model = value_after_colon(line);
    else if (key.rfind("cpu MHz", 0) == 0 && mhz == 0) {
      try { mhz = std::stod(value_after_colon(line)); } catch (...) { mhz = 0; }
    } else if (key.rfind("flags", 0) == 0 && flags.empty()) flags = value_after_colon(line);
    else if (key.rfind("physical id", 0) == 0) physical = value_after_colon(line);
    else if (key.rfind("core id", 0) == 0) cores.insert({physical, value_after_colon(line)});
  }
  const std::string from = "read from /proc/cpuinfo";
  HardwareSpec s;
  s.kind = ArchKind::cpu;
  s.chip = "This machine (" + (model.empty() ? std::string("unknown CPU") : model) + ")";
  s.unit_name = "core";
  const int n_cores = !cores.empty() ? static_cast<int>(cores.size()) : std::max(1, logical);
  s.units = logical > 0 ? Figure{double(n_cores), from + (cores.empty() ? " (logical processors)" : " (distinct core ids)")}
                        : Figure{4, "assumed: /proc/cpuinfo lists no processors"};
  s.clock = mhz > 0 ? Figure{mhz * 1e6, from + " (current MHz, not turbo)"}
                    : Figure{2e9, "assumed: no cpu MHz in /proc/cpuinfo"};
  const bool avx512 = has_flag(flags, "avx512f"), avx2 = has_flag(flags, "avx2"),
             avx = has_flag(flags, "avx"), fma = has_flag(flags, "fma");
  const double lanes = avx512 ? 16 : (avx2 || avx) ? 8 : 4;
  const std::string simd = avx512 ? "avx512f" : avx2 ? "avx2" : avx ? "avx" : "sse";
  s.lanes = flags.empty() ? Figure{4, "assumed: no flags in /proc/cpuinfo"}
                          : Figure{lanes, from + ": " + simd + " → " + std::to_string(int(lanes)) + " fp32 lanes"};
  // Two FMA pipes per core (assumed, true of recent x86 server cores); FMA = 2 FLOPs.
  const double per_core = s.lanes.value * (fma ? 2.0 : 1.0) * 2 * s.clock.value;
  const double fp32 = per_core * s.units.value;
  s.peak_fp32 = {fp32, "computed: cores × clock × lanes × 2 FMA pipes (assumed) × 2 FLOP"};
  const bool bf16 = has_flag(flags, "avx512_bf16") || has_flag(flags, "amx_bf16");
  const bool vnni = has_flag(flags, "avx512_vnni") || has_flag(flags, "avx_vnni");
  s.peak_bf16 = bf16 ? Figure{2 * fp32, "computed: avx512_bf16 dot products at 2× fp32"}
                     : Figure{fp32, "assumed: no bf16 instructions, computed at fp32 rate"};
  s.peak_int8 = vnni ? Figure{4 * fp32, "computed: VNNI int8 dot products at 4× fp32"}
                     : Figure{fp32, "assumed: no VNNI, int8 at fp32 rate"};
  s.vector_flops = {fp32 / 2, "assumed: one element-wise op per lane per pipe (no FMA pairing)"};
  s.special_ops = {fp32 / 20, "assumed: a vectorised exp costs about 10 FMAs"};
  s.matrix_efficiency = {0.7, "assumed: a good BLAS sustains ~70% of FMA peak"};
  s.vector_efficiency = {0.5, "assumed"};
  s.launch_overhead = {5e-6, "assumed: one OpenMP parallel region (fork/join)"};
  const double l2 = caches.l2_per_core > 0 ? caches.l2_per_core : 1024.0 * 1024;
  const std::string sys = "read from /sys/devices/system/cpu/cpu0/cache";
  s.memory.push_back({"L2", MemoryRole::unit,
                      {l2, caches.l2_per_core > 0 ? sys : "assumed: 1 MiB"},
                      {64 * s.clock.value * s.units.value, "assumed: 64 B/cycle per core"}});
  if (caches.l3 > 0)
    s.memory.push_back({"L3", MemoryRole::shared, {caches.l3, sys},
                        {32 * s.clock.value * s.units.value, "assumed: 32 B/cycle per core"}});
  s.memory.push_back({"DRAM", MemoryRole::main, {0, "assumed: unknown"},
                      {20e9 * std::max(1.0, s.units.value / 8),
                       "assumed: ~20 GB/s per 8 cores (not readable from the OS)"}});
  s.tradeoff = "The machine you are sitting at: measured against its own model.";
  return s;
}

HardwareSpec this_machine_cpu() {
  std::ifstream in("/proc/cpuinfo");
  std::stringstream text;
  if (in) text << in.rdbuf();
  HardwareSpec s = cpu_spec_from_cpuinfo(text.str(), read_caches());
  if (!in) s.chip = "This machine (could not read /proc/cpuinfo)";
  return s;
}

} // namespace abh
