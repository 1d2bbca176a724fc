#pragma once
// A chip's public figures, as data (assets/hardware.json): each number carries
// where it comes from (a datasheet, a paper) or "assumed".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace abh {

enum class ArchKind { cpu, gpu, tpu, npu, lpu };
enum class Dtype { fp32, bf16, int8 };
enum class MemoryRole { unit, shared, main, link }; // per-unit scratch, on-chip shared, off-chip, chip-to-chip

std::string_view kind_key(ArchKind kind);          // "CPU"
std::optional<ArchKind> parse_kind(std::string_view text);  // case-insensitive
std::string_view dtype_key(Dtype dtype);           // "fp32"
std::optional<Dtype> parse_dtype(std::string_view text);
std::string_view role_key(MemoryRole role);        // "unit"
std::optional<MemoryRole> parse_role(std::string_view text);
double dtype_bytes(Dtype dtype);                   // 4, 2, 1

// One published (or assumed) number and where it comes from.
struct Figure {
  double value = 0;                 // in SI base units: Hz, bytes, bytes/s, FLOP/s, s, W
  std::string source = "assumed";   // "NVIDIA H100 datasheet", or "assumed: why"
};

struct MemoryLevel {
  std::string name;         // "HBM3", "L2", "shared memory"
  MemoryRole role = MemoryRole::main;
  Figure capacity;          // bytes; per unit when role == unit
  Figure bandwidth;         // bytes/s; whole chip (all units together)
};

struct HardwareSpec {
  ArchKind kind = ArchKind::cpu;
  std::string chip;          // "NVIDIA H100 SXM"; unique, matched case-insensitively
  std::string unit_name;     // "core", "SM", "MXU", "engine", "chip"
  Figure units;              // cores / SMs / MXUs / NPU engines / chips in one card (LPU: 1)
  Figure clock;              // Hz
  Figure lanes;              // CPU: fp32 SIMD lanes per FMA pipe; GPU: fp32 lanes per SM
  Figure array_rows, array_cols; // TPU systolic array R×C (0 when not systolic)
  Figure macs;               // NPU: MACs in all engines (int8)
  Figure peak_fp32, peak_bf16, peak_int8; // matrix-unit FLOP/s (ops/s) per datatype
  Figure vector_flops;       // element-wise unit (adds, multiplies, divides), ops/s
  Figure special_ops;        // special-function unit (exp), ops/s
  Figure matrix_efficiency;  // fraction of matrix peak a good kernel sustains
  Figure vector_efficiency;  // same for element-wise work
  Figure launch_overhead;    // seconds per kernel / operator dispatch (graph replay, compiled)
  // Calibrated kernel behaviour (optional: 0 when not given; gpu_kernels.hpp
  // says what each model does without it).
  Figure framework_overhead; // s per operator in an eager framework (PyTorch), launch included
  Figure memory_efficiency;  // fraction of main-memory bandwidth a streaming kernel reaches
  Figure store_efficiency;   // same for a matrix product's output stores (its epilogue)
  Figure kv_stream_efficiency; // same for a decode step streaming the KV cache (reads only)
  Figure softmax_ops;        // vector ops per softmax element (fp32 math, reductions included)
  Figure softmax_row_seconds; // unit-seconds per row for rows too long for one warp
  Figure fused_efficiency;   // fraction of matrix peak the fused (flash) kernel's products reach
  Figure fused_score_ops;    // vector ops per score in the fused kernel (exp, max, rescale)
  Figure fused_max_head_dim; // largest dh a fused (flash) kernel exists for, 16-bit types
  Figure fallback_flops;     // FLOP/s of the non-flash fused kernel (memory-efficient attention)
  Figure fallback_score_ops; // vector ops per score in that fallback kernel
  std::optional<Figure> power; // W per chip; no power, no energy
  std::vector<MemoryLevel> memory; // innermost first
  std::string tradeoff;      // one sentence for the panel

  double peak(Dtype dtype) const; // matrix FLOP/s at that datatype
  // The first level with that role, or nullptr.
  const MemoryLevel* level(MemoryRole role) const;
};

// The physical range of a figure, in its SI unit; values outside it (and
// inf, nan, denormals) are refused so every model stays finite.
struct FigureRange {
  double min = 0, max = 0;
  std::string_view unit; // "Hz", "B/s"
};

// A scalar figure of HardwareSpec: its JSON key, the member and its range.
struct FigureField {
  std::string_view key;          // "clock", as in assets/hardware.json
  Figure HardwareSpec::*member;
  FigureRange range;
  bool optional;                 // may be absent from a spec file (then 0)
};

// Every scalar figure (not power or memory), in file order.
const std::vector<FigureField>& figure_fields();
const FigureField* find_figure_field(std::string_view key);
inline constexpr FigureRange power_range{0, 1e5, "W"};        // per chip
inline constexpr FigureRange capacity_range{0, 1e15, "B"};    // 0: not storage / unknown
inline constexpr FigureRange bandwidth_range{1e6, 1e18, "B/s"};

// "" when value is finite and inside range, else one line:
// "<chip>: <field> must be between <min> and <max> <unit>, got <value>".
std::string figure_problem(std::string_view chip, std::string_view field, double value,
                           const FigureRange& range);

// Sets one figure when its value is in range (source "edited in the app");
// otherwise returns figure_problem's line and leaves the figure unchanged.
std::string set_figure(Figure& figure, std::string_view chip, std::string_view field,
                       double value, const FigureRange& range);

// Checks what every model relies on: every figure inside its range, a TPU's
// array, a main memory level. Returns "" when usable, else one line naming
// the chip and the field.
std::string spec_problem(const HardwareSpec& spec);

// Case-insensitive chip lookup: exact name first, then a unique substring
// ("H200" finds "NVIDIA H200 SXM"). nullptr when none or ambiguous.
const HardwareSpec* find_chip(const std::vector<HardwareSpec>& specs, std::string_view name);

// The first spec of each kind in `specs` order (CPU, GPU, TPU, NPU, LPU),
// with each of `chips` (find_chip's rule) replacing the one of its kind.
// Throws std::invalid_argument naming an unknown or ambiguous chip.
std::vector<HardwareSpec> choose_chips(const std::vector<HardwareSpec>& specs,
                                       const std::vector<std::string>& chips);

} // namespace abh
