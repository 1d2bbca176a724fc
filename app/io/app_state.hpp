#pragma once
// Everything the user chose, in one serialisable struct. Panels read it;
// only controls write it. Saved beside each export so --load reopens it.

#include <cstdint>
#include <string>
#include <vector>

#include "core/shape.hpp"
#include "core/stepper.hpp"
#include "core/trace.hpp"

namespace abh {

enum class Theme { dark, light };

// The range a state or settings file may set the trace budget to: below it
// nothing of interest fits; above it a trace would not fit in the memory of
// the machines the app is for.
inline constexpr std::int64_t min_memory_budget = std::int64_t{64} << 20; // 64 MiB
inline constexpr std::int64_t max_memory_budget = std::int64_t{8} << 30;  // 8 GiB

struct ViewOptions {
  Theme theme = Theme::dark;           // = dark // light for printed handouts
  float ui_size = 18.0f;               // = 18 // font size in pixels; the layout scales with it
  bool keep_wqkv_height = true;        // = true // heads steps through divisors of H·dh
  bool show_values = true;             // = true // print values in cells large enough to read
  bool zoom_together = true;           // = true // both slicing panels share one zoom and pan
  std::int64_t memory_budget = default_trace_budget; // = 2 GiB // bytes a trace may take, min_memory_budget…max_memory_budget
  bool presenter = false;              // = false // F5: no controls, the slicing panels fill the window
  bool presenter_counts = false;       // = false // the presenter view keeps the counts panel on the right
  bool compare_variants = false;       // = false // the counts panel's MHA · GQA · MQA · MLA bars are open
  std::string compare_model;           // = "" // gallery model the picked model is compared with ("" none)
  bool operator==(const ViewOptions&) const = default;
};

struct ExportOptions {
  int scale = 2;                 // = 2 // 1, 2 or 3: re-rendered, never upscaled
  std::string panel;             // = "" // "" whole window, else a panel name
  bool caption = true;           // = true // a line under the image
  std::string folder;            // = "" // "" means the default exports folder
  std::string caption_text;      // = "" // one line; "" states the shape automatically
  bool counts = false;           // = false // the "comparison" picture shows the counts panel too
  bool operator==(const ExportOptions&) const = default;
};

// The hardware panel: which run each machine is shown doing.
struct HardwareOptions {
  bool shown = false;              // = false // the centre shows hardware instead of heatmaps
  std::string dtype = "fp32";      // = fp32 // fp32 | bf16 | int8
  bool fused = false;              // = false // fused attention keeps S and A on chip
  bool log_scale = true;           // = true // time bars on a log scale
  bool single_head = false;        // = false // run the one-head comparison shape instead
  float replay_seconds = 8.0f;     // = 8 // wall seconds the slowest machine's replay takes
  std::vector<std::string> chips;  // chosen chip per kind (empty: the first of each kind)
  // What the panel's machines run instead of the main shape (core/hardware/what_if.hpp).
  std::string what_if_phase = "follow"; // = follow // follow | prefill | decode
  std::string what_if_heads = "follow"; // = follow // follow | mha | gqa | mqa
  bool operator==(const HardwareOptions&) const = default;
};

// The stepper as a state file keeps it: on or off, what one step is, and
// where both panels stand (core/stepper.hpp StepperState).
struct StepState {
  bool on = false;                             // = false
  Granularity granularity = Granularity::cell; // = cell
  float steps_per_second = 4.0f;               // = 4
  StepperState position;                       // = the start
  bool operator==(const StepState&) const = default;
};

// The gallery model the shape was set from (assets/models.json), if any.
struct ModelPick {
  std::string key;             // = "" // "" = custom, no model
  std::int64_t layer_kind = 0; // = 0 // index into the model's layer kinds
  bool operator==(const ModelPick&) const = default;
};

struct AppState {
  Shape shape;             // = worked example
  ModelPick model;         // kept equal to what the picker shows
  TraceOptions trace;      // values, seed, Wqkv layout
  ViewOptions view;
  ExportOptions export_options;
  HardwareOptions hardware;
  StepState step;          // kept in step with Session::steps each frame
  bool operator==(const AppState&) const = default;
};

// What undo/redo and recompute care about: the computation, not the view.
struct ComputeKey {
  Shape shape;
  TraceOptions trace;
  bool operator==(const ComputeKey&) const = default;
};
inline ComputeKey compute_key(const AppState& s) { return {s.shape, s.trace}; }

} // namespace abh
