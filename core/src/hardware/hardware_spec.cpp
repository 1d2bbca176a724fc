#include "core/hardware/hardware_spec.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

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

const std::vector<FigureField>& figure_fields() {
  using S = HardwareSpec;
  constexpr FigureRange count{1, 1e6, "units"}, clock{1e6, 1e10, "Hz"}, side{0, 65536, ""},
      macs{0, 1e9, "MACs"}, rate{1e6, 1e18, "op/s"}, fraction{1e-3, 1, ""}, overhead{0, 1, "s"},
      share{0, 1, ""}, ops{0, 1e6, "ops"}, any_rate{0, 1e18, "FLOP/s"}, head_dim{0, 1e6, ""};
  static const std::vector<FigureField> fields = {
      {"units", &S::units, count, false},
      {"clock", &S::clock, clock, false},
      {"lanes", &S::lanes, side, true},
      {"array_rows", &S::array_rows, side, true},
      {"array_cols", &S::array_cols, side, true},
      {"macs", &S::macs, macs, true},
      {"peak_fp32", &S::peak_fp32, rate, false},
      {"peak_bf16", &S::peak_bf16, rate, false},
      {"peak_int8", &S::peak_int8, rate, false},
      {"vector_flops", &S::vector_flops, rate, false},
      {"special_ops", &S::special_ops, rate, false},
      {"matrix_efficiency", &S::matrix_efficiency, fraction, false},
      {"vector_efficiency", &S::vector_efficiency, fraction, false},
      {"launch_overhead", &S::launch_overhead, overhead, false},
      {"framework_overhead", &S::framework_overhead, overhead, true},
      {"memory_efficiency", &S::memory_efficiency, share, true},
      {"store_efficiency", &S::store_efficiency, share, true},
      {"kv_stream_efficiency", &S::kv_stream_efficiency, share, true},
      {"softmax_ops", &S::softmax_ops, ops, true},
      {"softmax_row_seconds", &S::softmax_row_seconds, overhead, true},
      {"fused_efficiency", &S::fused_efficiency, share, true},
      {"fused_score_ops", &S::fused_score_ops, ops, true},
      {"fused_max_head_dim", &S::fused_max_head_dim, head_dim, true},
      {"fallback_flops", &S::fallback_flops, any_rate, true},
      {"fallback_score_ops", &S::fallback_score_ops, ops, true},
  };
  return fields;
}

const FigureField* find_figure_field(std::string_view key) {
  for (const FigureField& f : figure_fields())
    if (f.key == key) return &f;
  return nullptr;
}

std::string figure_problem(std::string_view chip, std::string_view field, double value,
                           const FigureRange& range) {
  if (std::isfinite(value) && value >= range.min && value <= range.max) return "";
  char text[160];
  std::snprintf(text, sizeof text, "%s must be between %g and %g%s%s, got %g",
                std::string(field).c_str(), range.min, range.max, range.unit.empty() ? "" : " ",
                std::string(range.unit).c_str(), value);
  return (chip.empty() ? std::string("a chip") : std::string(chip)) + ": " + text;
}

std::string set_figure(Figure& figure, std::string_view chip, std::string_view field,
                       double value, const FigureRange& range) {
  std::string problem = figure_problem(chip, field, value, range);
  if (problem.empty()) figure = {value, "edited in the app"};
  return problem;
}

std::string spec_problem(const HardwareSpec& s) {
  if (s.chip.empty()) return "a chip has no name";
  for (const FigureField& f : figure_fields())
    if (std::string p = figure_problem(s.chip, f.key, (s.*f.member).value, f.range); !p.empty())
      return p;
  if (s.power)
    if (std::string p = figure_problem(s.chip, "power", s.power->value, power_range); !p.empty())
      return p;
  if (s.kind == ArchKind::tpu && (s.array_rows.value < 1 || s.array_cols.value < 1))
    return s.chip + ": a TPU needs array_rows and array_cols of at least 1";
  if (s.level(MemoryRole::main) == nullptr) return s.chip + ": no memory level with role \"main\"";
  for (const MemoryLevel& m : s.memory) {
    const std::string where = "memory " + m.name;
    if (std::string p = figure_problem(s.chip, where + " capacity", m.capacity.value, capacity_range);
        !p.empty())
      return p;
    if (std::string p = figure_problem(s.chip, where + " bandwidth", m.bandwidth.value, bandwidth_range);
        !p.empty())
      return p;
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

std::vector<HardwareSpec> choose_chips(const std::vector<HardwareSpec>& specs,
                                       const std::vector<std::string>& chips) {
  std::vector<HardwareSpec> chosen;
  for (ArchKind k : {ArchKind::cpu, ArchKind::gpu, ArchKind::tpu, ArchKind::npu, ArchKind::lpu})
    for (const HardwareSpec& s : specs)
      if (s.kind == k) {
        chosen.push_back(s);
        break;
      }
  for (const std::string& name : chips) {
    const HardwareSpec* s = find_chip(specs, name);
    if (s == nullptr) {
      std::string known;
      for (const HardwareSpec& k : specs) known += (known.empty() ? "" : ", ") + k.chip;
      throw std::invalid_argument("unknown or ambiguous chip \"" + name + "\" (known: " + known + ")");
    }
    bool replaced = false;
    for (HardwareSpec& c : chosen)
      if (c.kind == s->kind) {
        c = *s;
        replaced = true;
      }
    if (!replaced) chosen.push_back(*s);
  }
  return chosen;
}

} // namespace abh
