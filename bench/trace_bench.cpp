// The full attention trace at three sizes, inputs made beforehand: the time
// of the stages (projection, scores, scale, softmax, weighted sum, output),
// comparable with numpy doing the same stages. Reports achieved GFLOP/s.

#include <benchmark/benchmark.h>

#include "core/counts.hpp"
#include "core/display_trace.hpp"
#include "core/trace.hpp"

namespace {

void trace_at(benchmark::State& state, abh::Shape shape) {
  const abh::TraceOptions options{abh::ValueMode::gaussian, 1, abh::WqkvLayout::blocks};
  const abh::Inputs inputs = abh::make_inputs(shape, options.values, options.seed);
  abh::AttentionTrace trace;
  abh::compute_trace(trace, shape, options, inputs); // warm: storage allocated once
  for (auto _ : state) {
    abh::compute_trace(trace, shape, options, inputs);
    benchmark::DoNotOptimize(trace.O.values.data());
  }
  const double flops = static_cast<double>(abh::count(shape).totals.flops);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

// The display trace the window computes for shapes over 512 tokens: S and A
// reduced to block means as they are made, never held in full.
void display_trace_at(benchmark::State& state, abh::Shape shape) {
  const abh::TraceOptions options{abh::ValueMode::gaussian, 1, abh::WqkvLayout::triples};
  const abh::Inputs inputs = abh::make_inputs(shape, options.values, options.seed);
  abh::DisplayTrace trace;
  for (auto _ : state) {
    abh::compute_display_trace(trace, shape, options, inputs, 512);
    benchmark::DoNotOptimize(trace.linear.O.values.data());
  }
  const double flops = static_cast<double>(abh::count(shape).totals.flops);
  state.counters["GFLOP/s"] =
      benchmark::Counter(flops * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

void make_inputs_at(benchmark::State& state, abh::Shape shape) {
  for (auto _ : state) {
    abh::Inputs inputs = abh::make_inputs(shape, abh::ValueMode::gaussian, 1);
    benchmark::DoNotOptimize(inputs.X.data());
  }
}

const abh::Shape worked{40, 36, 3, 12, 3, false, 0, 1, 0, 0, {}};
const abh::Shape gpt2_small{1024, 768, 12, 64, 12, false, 0, 1, 0, 0, {}};
const abh::Shape long_seq{4096, 1024, 16, 64, 16, false, 0, 1, 0, 0, {}};

} // namespace

BENCHMARK_CAPTURE(trace_at, worked_example, worked)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(trace_at, gpt2_small, gpt2_small)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(trace_at, seq4096_d1024_h16, long_seq)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(display_trace_at, gpt2_small, gpt2_small)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK_CAPTURE(make_inputs_at, gpt2_small, gpt2_small)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
