#pragma once
// How real GPU kernels spend their time, as the GPU model and the decode
// estimate use it: per-operator overhead (eager or graph), streaming and
// store bandwidth, which fused kernel exists for a head width, and how its
// query blocks spread over the SMs. Calibrated figures that a spec leaves at
// 0 fall back to the plain ones (memory_efficiency 0: the full bandwidth;
// framework_overhead 0: launch_overhead; fused_efficiency 0: matrix_efficiency).

#include <cstdint>
#include <string>
#include <string_view>

#include "core/hardware/hardware_spec.hpp"

namespace abh {

// Seconds per operator: launch_overhead for a captured graph, else the
// eager framework's framework_overhead (when the spec gives one).
double operator_overhead(const HardwareSpec& spec, bool graph);
// "graph" or "eager", as the overhead was chosen.
std::string_view overhead_label(const HardwareSpec& spec, bool graph);

// Main-memory bytes/s a streaming kernel reaches (bandwidth × memory_efficiency).
double stream_bandwidth(const HardwareSpec& spec);
// Bytes/s of a matrix product's output stores (bandwidth × store_efficiency).
double store_bandwidth(const HardwareSpec& spec);
// Bytes/s of a decode step reading the KV cache (bandwidth × kv_stream_efficiency).
double kv_stream_bandwidth(const HardwareSpec& spec);

// One decode step of attention (one query per head against the cache):
// it reads each K and V element once, so time = kv_bytes / kv_stream_bandwidth
// + launches × operator overhead. GPU flash-decoding runs two kernels (split
// the keys over the SMs, then combine the partial softmaxes); other machines one.
// kv_bytes = 2 · Hkv · n_kv · dh · element bytes (GQA reads H/Hkv fewer bytes).
int decode_launches(const HardwareSpec& spec);
double decode_step_seconds(const HardwareSpec& spec, double kv_bytes, bool graph);
double decode_kv_bytes(std::int64_t kv_heads, std::int64_t kv_len, std::int64_t head_dim, Dtype dtype);

// The fused-attention kernel a framework can run at this width: a flash
// kernel for 16-bit types up to fused_max_head_dim whose tiles fit shared
// memory, else the memory-efficient fallback (slower than unfused at big dh).
struct FusedKernel {
  bool flash = false;
  std::int64_t block = 64;   // queries per thread block (and keys per step)
  std::string name;          // "flash", or "fallback: <why>"
};
FusedKernel fused_kernel(const HardwareSpec& spec, Dtype dtype, std::int64_t head_dim);

// Padding to the tensor-core step: 16 for 16-bit and 8-bit types, 8 for fp32 (SIMT).
std::int64_t matrix_step(Dtype dtype);
std::int64_t pad_to_step(std::int64_t extent, Dtype dtype);

// Thread blocks of `block` queries (heads × ceil(seq / block) of them,
// query block fastest) taken by `units` SMs as each frees, every block
// streaming its keys (all seq, or up to its last query when causal). Returns
// the busiest SM's keys × block, in query-key pairs: the time is that times
// the seconds one SM spends per pair. Large grids use the fluid limit.
double dispatch_pairs(std::int64_t heads, std::int64_t seq, std::int64_t block, bool causal,
                      std::int64_t units);

} // namespace abh
