#include "core/hardware/gpu_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <queue>
#include <vector>

#include "core/hardware/tiling.hpp"

namespace abh {

double operator_overhead(const HardwareSpec& spec, bool graph) {
  if (graph || spec.framework_overhead.value <= 0) return spec.launch_overhead.value;
  return std::max(spec.framework_overhead.value, spec.launch_overhead.value);
}

std::string_view overhead_label(const HardwareSpec& spec, bool graph) {
  return graph || spec.framework_overhead.value <= 0 ? "graph" : "eager";
}

namespace {

double main_bandwidth(const HardwareSpec& spec) {
  const MemoryLevel* main = spec.level(MemoryRole::main);
  return main ? main->bandwidth.value : 0;
}

double fraction_or(const Figure& f, double otherwise) { return f.value > 0 ? f.value : otherwise; }

} // namespace

double stream_bandwidth(const HardwareSpec& spec) {
  return main_bandwidth(spec) * fraction_or(spec.memory_efficiency, 1);
}

double store_bandwidth(const HardwareSpec& spec) {
  return main_bandwidth(spec) * fraction_or(spec.store_efficiency, fraction_or(spec.memory_efficiency, 1));
}

double kv_stream_bandwidth(const HardwareSpec& spec) {
  return main_bandwidth(spec) *
         fraction_or(spec.kv_stream_efficiency, fraction_or(spec.memory_efficiency, 1));
}

int decode_launches(const HardwareSpec& spec) { return spec.kind == ArchKind::gpu ? 2 : 1; }

double decode_step_seconds(const HardwareSpec& spec, double kv_bytes, bool graph) {
  const double bw = kv_stream_bandwidth(spec);
  return (bw > 0 ? kv_bytes / bw : 0) + decode_launches(spec) * operator_overhead(spec, graph);
}

double decode_kv_bytes(std::int64_t kv_heads, std::int64_t kv_len, std::int64_t head_dim, Dtype dtype) {
  return 2.0 * static_cast<double>(kv_heads) * static_cast<double>(kv_len) *
         static_cast<double>(head_dim) * dtype_bytes(dtype);
}

std::int64_t matrix_step(Dtype dtype) { return dtype == Dtype::fp32 ? 8 : 16; }

std::int64_t pad_to_step(std::int64_t extent, Dtype dtype) {
  const std::int64_t step = matrix_step(dtype);
  return std::max<std::int64_t>(step, ceil_div(extent, step) * step);
}

FusedKernel fused_kernel(const HardwareSpec& spec, Dtype dtype, std::int64_t head_dim) {
  FusedKernel k;
  const double max_dh = spec.fused_max_head_dim.value;
  const MemoryLevel* smem = spec.level(MemoryRole::unit);
  // A flash block holds its queries and one block each of keys and values.
  constexpr std::int64_t flash_block = 128;
  const double tile_bytes = 3.0 * flash_block * static_cast<double>(head_dim) * dtype_bytes(dtype);
  if (dtype == Dtype::fp32) {
    k.name = "fallback: no flash kernel for fp32";
  } else if (max_dh > 0 && static_cast<double>(head_dim) > max_dh) {
    k.name = "fallback: no flash kernel for dh > " + std::to_string(static_cast<long long>(max_dh));
  } else if (smem != nullptr && smem->capacity.value > 0 && tile_bytes > smem->capacity.value) {
    k.name = "fallback: a flash tile does not fit shared memory";
  } else {
    k.flash = true;
    k.block = flash_block;
    k.name = "flash";
  }
  return k;
}

double dispatch_pairs(std::int64_t heads, std::int64_t seq, std::int64_t block, bool causal,
                      std::int64_t units) {
  const std::int64_t per_head = ceil_div(seq, block);
  const double blocks = static_cast<double>(heads) * static_cast<double>(per_head);
  const auto keys = [&](std::int64_t m) {
    return static_cast<double>(causal ? std::min(seq, (m + 1) * block) : seq);
  };
  const double b = static_cast<double>(block);
  if (blocks > 1 << 18 || units <= 0) {
    // Fluid limit: all pairs spread evenly, plus the longest block's tail.
    double pairs_per_head = 0;
    if (causal) {
      const double p = static_cast<double>(per_head);
      pairs_per_head = b * b * p * (p + 1) / 2;
    } else {
      pairs_per_head = b * static_cast<double>(per_head) * static_cast<double>(seq);
    }
    const double u = static_cast<double>(std::max<std::int64_t>(1, units));
    return pairs_per_head * static_cast<double>(heads) / u + b * static_cast<double>(seq);
  }
  std::priority_queue<double, std::vector<double>, std::greater<>> free_at;
  for (std::int64_t u = 0; u < std::min<std::int64_t>(units, static_cast<std::int64_t>(blocks)); ++u)
    free_at.push(0);
  double busiest = 0;
  for (std::int64_t h = 0; h < heads; ++h)
    for (std::int64_t m = 0; m < per_head; ++m) {
      const double done = free_at.top() + b * keys(m);
      free_at.pop();
      free_at.push(done);
      busiest = std::max(busiest, done);
    }
  return busiest;
}

} // namespace abh
