#pragma once
// --model, --layer-kind and --list-models: a model of the gallery chosen on
// the command line, the shape it sets, and what the reports say about it.

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/cli/command_line.hpp"
#include "app/io/app_state.hpp"
#include "app/io/models_json.hpp"

namespace abh {

struct ModelChoice {
  GalleryModel entry;
  std::size_t kind = 0; // index into entry.model.layer_kinds: an attention kind
};

// The gallery the request reads: --models FILE, else assets/models.json.
std::vector<GalleryModel> request_models(const LaunchRequest& request);

// The model --model names and the layer kind --layer-kind picks (N from 1,
// "global" or "sliding": the first of that kind; default: the first
// attention kind); nullopt without --model. Throws std::runtime_error.
std::optional<ModelChoice> choose_model(const LaunchRequest& request);

// The shape of the chosen layer kind: the model sets d, H, Hkv, dh, dv, w,
// the MLA ranks and causal; n, n_q, B, the MLA form and any shape flag given
// on the command line are kept from `shape`.
Shape model_shape(const ModelChoice& choice, const Shape& shape, const LaunchRequest& request);

// model_figures_json plus "layer_kind": {"index" (from 1), "kind", "count", "description"}.
nlohmann::json model_report_json(const ModelChoice& choice);
// "model: Llama 3 8B (llama-3-8b), layer kind 1 of 1: 32 global (…)\n" and the figures.
std::string model_report_text(const ModelChoice& choice);
// What the choice set, one line for stderr.
std::string model_choice_note(const ModelChoice& choice);

// The model a loaded state file names: kept when the gallery has it and the
// layer kind is one of its attention kinds; cleared with a note when the
// gallery cannot be read; otherwise std::runtime_error with one line.
void check_loaded_model(const LaunchRequest& request, ModelPick& pick, std::vector<std::string>& notes);

// --list-models: names one per line, or with --json a list of figures.
std::string list_models_output(const LaunchRequest& request);

} // namespace abh
