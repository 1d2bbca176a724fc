#include "core/hardware/hardware_spec.hpp"

#include <algorithm>
#include <cctype>

namespace abh {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

} // namespace

std::string_view kind_key(ArchKind kind) {
  switch (kind) {
  case ArchKind::cpu: return "CPU";
  case ArchKind::gpu: return "GPU";
  case ArchKind::tpu: return "TPU";
  case ArchKind::npu: return "NPU";
  case ArchKind::lpu: return "LPU";
  }
  return "?";
}

std::optional<ArchKind> parse_kind(std::string_view text) {
  for (ArchKind k : {ArchKind::cpu, ArchKind::gpu, ArchKind::tpu, ArchKind::npu, ArchKind::lpu})
    if (lower(kind_key(k)) == lower(text)) return k;
  return std::nullopt;
}

std::string_view dtype_key(Dtype dtype) {
  switch (dtype) {
  case Dtype::fp32: return "fp32";
  case Dtype::bf16: return "bf16";
  case Dtype::int8: return "int8";
  }
  return "?";
}

std::optional<Dtype> parse_dtype(std::string_view text) {
  for (Dtype d : {Dtype::fp32, Dtype::bf16, Dtype::int8})
    if (dtype_key(d) == lower(text)) return d;
  return std::nullopt;
}

std::string_view role_key(MemoryRole role) {
  switch (role) {
  case MemoryRole::unit: return "unit";
  case MemoryRole::shared: return "shared";
  case MemoryRole::main: return "main";
  case MemoryRole::link: return "link";
  }
  return "?";
}

std::optional<MemoryRole> parse_role(std::string_view text) {
  for (MemoryRole r : {MemoryRole::unit, MemoryRole::shared, MemoryRole::main, MemoryRole::link})
    if (role_key(r) == lower(text)) return r;
  return std::nullopt;
}

double dtype_bytes(Dtype dtype) {
  switch (dtype) {
  case Dtype::fp32: return 4;
  case Dtype::bf16: return 2;
  case Dtype::int8: return 1;
  }
  return 4;
}

double HardwareSpec::peak(Dtype dtype) const {
  switch (dtype) {
  case Dtype::fp32: return peak_fp32.value;
  case Dtype::bf16: return peak_bf16.value;
  case Dtype::int8: return peak_int8.value;
  }
  return peak_fp32.value;
}

const MemoryLevel* HardwareSpec::level(MemoryRole role) const {
  for (const MemoryLevel& m : memory)
    if (m.role == role) return &m;
  return nullptr;
}

std::string spec_problem(const HardwareSpec& s) {
  const std::string who = s.chip.empty() ? std::string("a chip") : s.chip;
  if (s.chip.empty()) return "a chip has no name";
  const auto positive = [&](const Figure& f, const char* field) -> std::string {
    if (!(f.value > 0)) return who + ": " + field + " must be positive";
    return "";
  };
  for (auto [f, name] : {std::pair{&s.units, "units"}, {&s.clock, "clock"},
                         {&s.peak_fp32, "peak_fp32"}, {&s.peak_bf16, "peak_bf16"},
                         {&s.peak_int8, "peak_int8"}, {&s.vector_flops, "vector_flops"},
                         {&s.special_ops, "special_ops"},
                         {&s.matrix_efficiency, "matrix_efficiency"},
                         {&s.vector_efficiency, "vector_efficiency"}})
    if (std::string p = positive(*f, name); !p.empty()) return p;
  if (s.units.value > 1e6) return who + ": units must be at most 1,000,000";
  if (s.matrix_efficiency.value > 1 || s.vector_efficiency.value > 1)
    return who + ": efficiencies must be at most 1";
  if (s.launch_overhead.value < 0) return who + ": launch_overhead must not be negative";
  if (s.power && s.power->value < 0) return who + ": power must not be negative";
  if (s.kind == ArchKind::tpu && (s.array_rows.value < 1 || s.array_cols.value < 1))
    return who + ": a TPU needs array_rows and array_cols";
  if (s.level(MemoryRole::main) == nullptr) return who + ": no memory level with role \"main\"";
  for (const MemoryLevel& m : s.memory) {
    if (!(m.bandwidth.value > 0)) return who + ": memory " + m.name + " bandwidth must be positive";
    if (m.capacity.value < 0) return who + ": memory " + m.name + " capacity must not be negative";
  }
  return "";
}

const HardwareSpec* find_chip(const std::vector<HardwareSpec>& specs, std::string_view name) {
  const std::string want = lower(name);
  if (want.empty()) return nullptr;
  for (const HardwareSpec& s : specs)
    if (lower(s.chip) == want) return &s;
  const HardwareSpec* found = nullptr;
  for (const HardwareSpec& s : specs) {
    if (lower(s.chip).find(want) == std::string::npos) continue;
    if (found != nullptr) return nullptr;
    found = &s;
  }
  return found;
}

} // namespace abh
