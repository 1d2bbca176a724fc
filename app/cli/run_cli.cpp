#include "app/cli/run_cli.hpp"

#include <iostream>

#include "app/cli/count_report.hpp"
#include "app/cli/hardware_report.hpp"
#include "app/cli/model_choice.hpp"
#include "app/io/hardware_specs_json.hpp"
#include "app/io/one_line.hpp"
#include "app/io/png_file.hpp"
#include "app/io/host_cpu.hpp"
#include "app/io/state_json.hpp"
#include "app/io/trace_json.hpp"
#include "app/slides/vector_slide.hpp"
#include "app/worksheet/document_format.hpp"
#include "app/worksheet/run_worksheet.hpp"
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
  take("--queries", state.shape.queries, r.shape.queries);
  take("--batch", state.shape.batch, r.shape.batch);
  take("--window", state.shape.window, r.shape.window);
  take("--v-head-dim", state.shape.v_head_dim, r.shape.v_head_dim);
  take("--mla-q-rank", state.shape.mla.q_rank, r.shape.mla.q_rank);
  take("--mla-kv-rank", state.shape.mla.kv_rank, r.shape.mla.kv_rank);
  take("--mla-rope-dim", state.shape.mla.rope_dim, r.shape.mla.rope_dim);
  take("--mla-form", state.shape.mla.form, r.shape.mla.form);
  // New heads without --kv-heads: kv heads follow as the heads slider's do.
  if (!all && !r.was_given("--kv-heads") && state.shape.heads != loaded.heads)
    state.shape.kv_heads = with_heads(loaded, state.shape.heads, false).kv_heads;
  take("--values", state.trace.values, r.options.values);
  take("--seed", state.trace.seed, r.options.seed);
  take("--layout", state.trace.layout, r.options.layout);
  take("--dtype", state.hardware.dtype, r.dtype);
  take("--fused", state.hardware.fused, r.fused);
  take("--chip", state.hardware.chips, r.chips);
  if (r.was_given("--example")) { // its shape and values, over a loaded state too
    state.shape = r.shape;
    state.trace.values = r.options.values;
  }
}

} // namespace

int fail(const std::string& message) {
  std::cerr << "attention-by-hand: " << one_line(message) << "\n";
  return 2;
}

void note(const std::string& message) { std::cerr << "attention-by-hand: " << one_line(message) << "\n"; }

std::optional<Settings> settings_for(const LaunchRequest& request, std::vector<std::string>& notes) {
  if (request.mode != Mode::window && request.mode != Mode::export_png) return std::nullopt;
  std::string warning;
  auto settings = read_settings_or_set_aside(settings_path(), warning);
  if (!warning.empty()) notes.push_back(warning);
  return settings;
}

ResolvedState resolve_state(const LaunchRequest& request, const std::optional<Settings>& settings) {
  ResolvedState resolved;
  nlohmann::json state = nlohmann::json::object();
  if (!request.load_path.empty()) {
    StateFile file = read_state_file(request.load_path);
    if (std::string mismatch = sidecar_image_mismatch(file.json, request.load_path); !mismatch.empty())
      resolved.notes.push_back(mismatch);
    resolved.state = file.state;
    state = std::move(file.json);
  }
  if (settings) {
    try {
      resolved.state = state_from_json(with_settings(std::move(state), *settings));
    } catch (const std::runtime_error& e) {
      throw std::runtime_error("cannot read " + settings_path() + ": " + e.what());
    }
  }
  apply_flags(request, resolved.state);
  if (const std::optional<ModelChoice> model = choose_model(request)) {
    resolved.state.shape = model_shape(*model, resolved.state.shape, request);
    resolved.state.model = {model->entry.model.key, static_cast<std::int64_t>(model->kind)};
    resolved.notes.push_back(model_choice_note(*model));
  } else {
    check_loaded_model(request, resolved.state.model, resolved.notes);
  }
  validate(resolved.state.shape);
  if (request.panel == "hardware") resolved.state.hardware.shown = true;
  return resolved;
}

std::optional<int> run_without_window(const LaunchRequest& request, const AppState& state) {
  try {
    switch (request.mode) {
    case Mode::report: {
      const std::optional<ModelChoice> model = choose_model(request);
      if (request.json)
        std::cout << count_report_json(state.shape,
                                       model ? model_report_json(*model) : nlohmann::json())
                         .dump(2)
                  << "\n";
      else
        std::cout << count_report_text(state.shape, model ? model_report_text(*model) : "");
      return 0;
    }
    case Mode::list_models: std::cout << list_models_output(request); return 0;
    case Mode::hardware_report: {
      const LoadedSpecs loaded = load_app_hardware_specs();
      if (!loaded.warning.empty()) std::cerr << "attention-by-hand: " << loaded.warning << "\n";
      nlohmann::json report = hardware_report_json(state.shape, state.hardware.dtype, state.hardware.fused,
                                                   state.hardware.chips, loaded.specs, host_cpu_spec());
      if (const std::optional<ModelChoice> model = choose_model(request)) {
        report["whole_model"] = whole_model_json(model->entry.model, state.shape, state.hardware.dtype,
                                                 state.hardware.fused, state.hardware.chips,
                                                 loaded.specs, host_cpu_spec());
        for (const auto& machine : report["whole_model"]["machines"])
          std::cerr << "attention-by-hand: whole model: " << machine["text"].get<std::string>() << "\n";
      }
      std::cout << report.dump(2) << "\n";
      return 0;
    }
    case Mode::trace_json: {
      check_trace_json_size(state.shape);
      const AttentionTrace heads = compute_trace(state.shape, state.trace);
      const AttentionTrace one_head = compute_trace(single_head_of(state.shape), state.trace);
      std::cout << trace_json(one_head, heads).dump() << "\n";
      return 0;
    }
    case Mode::worksheet:
      run_worksheet(state.shape, state.trace,
                    {request.worksheet_path, request.answers, request.paper});
      return 0;
    case Mode::export_png: { // PDF and SVG need no window; PNG does
      if (!is_vector_path(request.export_path)) return std::nullopt;
      if (!request.panel.empty() && request.panel != "comparison")
        return fail("--export " + request.export_path +
                    ": a PDF or SVG holds only --panel comparison (use .png for panel '" +
                    request.panel + "')");
      AppState slide = state; // --caption and --counts over a loaded state's
      if (request.was_given("--caption")) slide.export_options.caption_text = request.caption_text;
      if (request.was_given("--counts")) slide.export_options.counts = request.counts;
      write_vector_slide(slide, {request.export_path, slide.export_options.caption,
                                 slide.export_options.counts});
      std::cout << "wrote " << request.export_path << "\n";
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
