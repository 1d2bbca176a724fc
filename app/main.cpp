// attention-by-hand: parse the command line, then report, export, benchmark
// or open the window. Every failure is one line on stderr and exit code 2.

#include <cstdio>
#include <malloc.h>
#include <iostream>

#include "app/cli/command_line.hpp"
#include "app/cli/count_report.hpp"
#include "app/cli/hardware_report.hpp"
#include "app/ui/app.hpp"
#include "app/cli/hardware_specs_json.hpp"
#include "app/ui/state_json.hpp"
#include "core/shape_edit.hpp"

namespace {

int fail(const std::string& message) {
  std::cerr << "attention-by-hand: " << message << "\n";
  return 2;
}

// Each flag on the command line overrides the same field of a loaded state;
// without --load the flags (and their defaults) are the whole state.
void apply_flags(const abh::LaunchRequest& r, abh::AppState& state) {
  const bool all = r.load_path.empty();
  auto take = [&](const char* flag, auto& field, const auto& value) {
    if (all || r.was_given(flag)) field = value;
  };
  const abh::Shape loaded = state.shape;
  take("--seq", state.shape.seq, r.shape.seq);
  take("--d-model", state.shape.d_model, r.shape.d_model);
  take("--heads", state.shape.heads, r.shape.heads);
  take("--head-dim", state.shape.head_dim, r.shape.head_dim);
  take("--causal", state.shape.causal, r.shape.causal);
  take("--kv-heads", state.shape.kv_heads, r.shape.kv_heads);
  // New heads without --kv-heads: kv heads follow as the heads slider's do.
  if (!all && !r.was_given("--kv-heads") && state.shape.heads != loaded.heads)
    state.shape.kv_heads = abh::with_heads(loaded, state.shape.heads, false).kv_heads;
  take("--values", state.trace.values, r.options.values);
  take("--seed", state.trace.seed, r.options.seed);
  take("--layout", state.trace.layout, r.options.layout);
  take("--dtype", state.hardware.dtype, r.dtype);
  take("--fused", state.hardware.fused, r.fused);
  take("--chip", state.hardware.chips, r.chips);
}

} // namespace

int main(int argc, char** argv) {
  using namespace abh;
  // Recomputed traces reuse the memory of the ones they replace instead of
  // fresh pages from the kernel (halves a GPT-2-sized recompute).
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  // [SECTION] command line
  const ParseOutcome parsed = parse_command_line(argc, argv);
  if (!parsed.request) {
    (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.message
                                                    << (parsed.exit_code ? "\n" : "");
    return parsed.exit_code;
  }
  const LaunchRequest& request = *parsed.request;

  // [SECTION] state: a saved state file, then shape flags over it
  AppState state;
  if (!request.load_path.empty()) {
    try {
      state = load_state_file(request.load_path);
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }
  apply_flags(request, state);
  try {
    validate(state.shape);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (request.panel == "hardware") state.hardware.shown = true;

  // [SECTION] modes without a window
  try {
    if (request.mode == Mode::report) {
      if (request.json) std::cout << count_report_json(state.shape).dump(2) << "\n";
      else std::cout << count_report_text(state.shape);
      return 0;
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  if (request.mode == Mode::hardware_report) {
    try {
      const auto report = hardware_report_json(state.shape, request.dtype, request.fused,
                                               request.chips, hardware_specs_path());
      std::cout << report.dump(2) << "\n";
      return 0;
    } catch (const std::exception& e) {
      return fail(e.what());
    }
  }

  // [SECTION] window
  AppConfig config;
  config.visible = request.mode == Mode::window;
  config.persist = request.mode == Mode::window;
  std::string error;
  auto app = App::create(config, state, error);
  if (!app) return fail(error);

  switch (request.mode) {
  case Mode::export_png: {
    const ExportResult r = app->export_png(request.export_path, request.scale, request.panel,
                                           state.export_options.caption);
    if (!r.error.empty()) return fail(r.error);
    std::cout << "wrote " << r.png_path << " (" << r.width << "×" << r.height << ") and "
              << r.json_path << "\n";
    return 0;
  }
  case Mode::bench_frames:
    std::cout << app->bench_frames(request.bench_frames) << "\n";
    return 0;
  default:
    app->run();
    return 0;
  }
}
