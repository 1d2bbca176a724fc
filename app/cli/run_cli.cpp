#include "app/cli/run_cli.hpp"

#include <iostream>

#include "app/cli/count_report.hpp"
#include "app/cli/hardware_report.hpp"
#include "app/io/hardware_specs_json.hpp"
#include "app/io/host_cpu.hpp"
#include "app/io/state_json.hpp"
#include "core/shape_edit.hpp"

namespace abh {

namespace {

// Each flag on the command line overrides the same field of a loaded state;
// without --load the flags (and their defaults) are the whole state.
void apply_flags(const LaunchRequest& r, AppState& state) {
  const bool all = r.load_path.empty();
  auto take = [&](const char* flag, auto& field, const auto& value) {
    if (all || r.was_given(flag)) field = value;
  };
  const Shape loaded = state.shape;
  take("--seq", state.shape.seq, r.shape.seq);
  take("--d-model", state.shape.d_model, r.shape.d_model);
  take("--heads", state.shape.heads, r.shape.heads);
  take("--head-dim", state.shape.head_dim, r.shape.head_dim);
  take("--causal", state.shape.causal, r.shape.causal);
  take("--kv-heads", state.shape.kv_heads, r.shape.kv_heads);
  // New heads without --kv-heads: kv heads follow as the heads slider's do.
  if (!all && !r.was_given("--kv-heads") && state.shape.heads != loaded.heads)
    state.shape.kv_heads = with_heads(loaded, state.shape.heads, false).kv_heads;
  take("--values", state.trace.values, r.options.values);
  take("--seed", state.trace.seed, r.options.seed);
  take("--layout", state.trace.layout, r.options.layout);
  take("--dtype", state.hardware.dtype, r.dtype);
  take("--fused", state.hardware.fused, r.fused);
  take("--chip", state.hardware.chips, r.chips);
}

} // namespace

int fail(const std::string& message) {
  std::cerr << "attention-by-hand: " << message << "\n";
  return 2;
}

AppState resolve_state(const LaunchRequest& request) {
  AppState state;
  if (!request.load_path.empty()) state = load_state_file(request.load_path);
  apply_flags(request, state);
  validate(state.shape);
  if (request.panel == "hardware") state.hardware.shown = true;
  return state;
}

std::optional<int> run_without_window(const LaunchRequest& request, const AppState& state) {
  try {
    switch (request.mode) {
    case Mode::report:
      if (request.json) std::cout << count_report_json(state.shape).dump(2) << "\n";
      else std::cout << count_report_text(state.shape);
      return 0;
    case Mode::hardware_report: {
      const LoadedSpecs loaded = load_app_hardware_specs();
      if (!loaded.warning.empty()) std::cerr << "attention-by-hand: " << loaded.warning << "\n";
      std::cout << hardware_report_json(state.shape, state.hardware.dtype, state.hardware.fused,
                                        state.hardware.chips, loaded.specs, host_cpu_spec())
                       .dump(2)
                << "\n";
      return 0;
    }
    default:
      return std::nullopt;
    }
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

} // namespace abh
