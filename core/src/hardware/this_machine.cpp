#include "core/hardware/this_machine.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <utility>

namespace abh {

namespace {

std::string value_after_colon(const std::string& line) {
  const auto colon = line.find(':');
  if (colon == std::string::npos) return "";
  std::string v = line.substr(colon + 1);
  v.erase(0, v.find_first_not_of(" \t"));
  return v;
}

bool has_flag(const CpuDescription& cpu, std::string_view flag) {
  return std::find(cpu.flags.begin(), cpu.flags.end(), flag) != cpu.flags.end();
}

double number_or_zero(const std::string& text) {
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  return end != text.c_str() ? v : 0;
}

std::string mib_text(double bytes) {
  std::ostringstream out;
  out << bytes / (1024.0 * 1024);
  return out.str() + " MiB";
}

} // namespace

CpuDescription parse_cpuinfo(std::string_view text) {
  CpuDescription cpu;
  cpu.cpu_source = "read from /proc/cpuinfo";
  std::istringstream in{std::string(text)};
  std::string line, physical, flags;
  bool seen_flags = false;
  std::set<std::pair<std::string, std::string>> cores; // (physical id, core id)
  while (std::getline(in, line)) {
    const std::string key = line.substr(0, line.find(':'));
    if (key.rfind("processor", 0) == 0) ++cpu.logical;
    else if (key.rfind("model name", 0) == 0 && cpu.model.empty()) cpu.model = value_after_colon(line);
    else if (key.rfind("cpu MHz", 0) == 0 && cpu.mhz == 0) cpu.mhz = number_or_zero(value_after_colon(line));
    else if (key.rfind("flags", 0) == 0 && !seen_flags) {
      seen_flags = true;
      std::istringstream words(value_after_colon(line));
      for (std::string f; words >> f;) cpu.flags.push_back(f);
    } else if (key.rfind("physical id", 0) == 0) physical = value_after_colon(line);
    else if (key.rfind("core id", 0) == 0) cores.insert({physical, value_after_colon(line)});
  }
  cpu.cores = static_cast<int>(std::min<std::size_t>(cores.size(), 1'000'000));
  cpu.logical = std::min(cpu.logical, 1'000'000);
  return cpu;
}

HardwareSpec this_machine_spec(const CpuDescription& cpu) {
  const std::string& from = cpu.cpu_source;
  HardwareSpec s;
  s.kind = ArchKind::cpu;
  s.chip = "This machine (" + (cpu.model.empty() ? std::string("unknown CPU") : cpu.model) + ")";
  s.unit_name = "core";
  if (cpu.cores >= 1 && cpu.cores <= 1'000'000)
    s.units = {double(cpu.cores), from + " (distinct core ids)"};
  else if (cpu.logical >= 1 && cpu.logical <= 1'000'000)
    s.units = {double(cpu.logical), from + " (logical processors)"};
  else
    s.units = {4, "assumed: 4 cores (the description lists none)"};
  const double hz = cpu.mhz * 1e6;
  s.clock = figure_problem(s.chip, "clock", hz, find_figure_field("clock")->range).empty()
                ? Figure{hz, from + " (current MHz, not turbo)"}
                : Figure{2e9, "assumed: 2 GHz (no usable cpu MHz)"};
  const bool avx512 = has_flag(cpu, "avx512f"), avx2 = has_flag(cpu, "avx2"),
             avx = has_flag(cpu, "avx"), fma = has_flag(cpu, "fma");
  const double lanes = avx512 ? 16 : (avx2 || avx) ? 8 : 4;
  const std::string simd = avx512 ? "avx512f" : avx2 ? "avx2" : avx ? "avx" : "sse";
  s.lanes = cpu.flags.empty() ? Figure{4, "assumed: 4 fp32 lanes (no flags given)"}
                              : Figure{lanes, from + ": " + simd + " → " + std::to_string(int(lanes)) + " fp32 lanes"};
  // Two FMA pipes per core (assumed, true of recent x86 cores); an FMA is 2 FLOPs.
  const double pipes = fma ? 2.0 : 1.0;
  const double fp32 = s.lanes.value * pipes * 2 * s.clock.value * s.units.value;
  s.peak_fp32 = {fp32, fma ? "computed: cores × clock × lanes × 2 FMA pipes (assumed) × 2 FLOP"
                           : "computed: cores × clock × lanes × 1 pipe × 2 FLOP (no fma flag)"};
  const bool bf16 = has_flag(cpu, "avx512_bf16") || has_flag(cpu, "amx_bf16");
  const bool vnni = has_flag(cpu, "avx512_vnni") || has_flag(cpu, "avx_vnni");
  s.peak_bf16 = bf16 ? Figure{2 * fp32, "assumed: bf16 dot products (avx512_bf16/amx_bf16 flag) at 2× fp32"}
                     : Figure{fp32, "assumed: no bf16 instructions, bf16 at the fp32 rate"};
  s.peak_int8 = vnni ? Figure{4 * fp32, "assumed: VNNI int8 dot products (vnni flag) at 4× fp32"}
                     : Figure{fp32, "assumed: no VNNI, int8 at the fp32 rate"};
  s.vector_flops = {fp32 / 2, "assumed: one element-wise op per lane per pipe (no FMA pairing)"};
  s.special_ops = {fp32 / 20, "assumed: a vectorised exp costs about 10 FMAs"};
  s.matrix_efficiency = {0.7, "assumed: a good BLAS sustains ~70% of FMA peak"};
  s.vector_efficiency = {0.5, "assumed"};
  s.launch_overhead = {5e-6, "assumed: one OpenMP parallel region (fork/join)"};

  const FigureRange& bytes = capacity_range;
  const bool l2_known = cpu.l2_per_core > 0 && figure_problem("", "", cpu.l2_per_core, bytes).empty();
  const bool l3_known = cpu.l3 > 0 && figure_problem("", "", cpu.l3, bytes).empty();
  const double cores = s.units.value, clock = s.clock.value;
  const double l3 = l3_known ? cpu.l3 : assumed_l3_per_core * cores;
  s.memory.push_back({"L2", MemoryRole::unit,
                      l2_known ? Figure{cpu.l2_per_core, cpu.cache_source}
                               : Figure{assumed_l2_per_core, "assumed 1 MiB per core (no L2 size given)"},
                      {64 * clock * cores, "assumed: 64 B/cycle per core"}});
  s.memory.push_back({"L3", MemoryRole::shared,
                      l3_known ? Figure{cpu.l3, cpu.cache_source}
                               : Figure{l3, "assumed " + mib_text(l3) + ": 2 MiB per core (no L3 size given)"},
                      {32 * clock * cores, "assumed: 32 B/cycle per core"}});
  s.memory.push_back({"DRAM", MemoryRole::main, {0, "assumed: unknown"},
                      {20e9 * std::max(1.0, cores / 8),
                       "assumed: ~20 GB/s per 8 cores (not readable from the OS)"}});
  s.tradeoff = "The machine you are sitting at: measured against its own model.";
  return s;
}

} // namespace abh
