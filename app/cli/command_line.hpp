#pragma once
// Parses the command line (CLI11) into what the user asked for.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/shape.hpp"
#include "core/trace.hpp"

namespace abh {

enum class Mode {
  window, report, export_png, bench_frames, hardware_report, trace_json, worksheet, list_models
};

struct LaunchRequest {
  Mode mode = Mode::window;
  Shape shape;              // = worked example
  TraceOptions options;     // values, seed, layout
  bool json = false;        // --json: machine-readable report
  std::string export_path;  // --export PATH
  int scale = 1;            // --scale 1|2|3
  std::string panel;        // --panel NAME ("" = whole window, "comparison" = the 16:9 slide)
  std::string caption_text; // --caption TEXT: one line under an export ("" = the shape)
  bool counts = false;      // --counts: the comparison slide shows the counts panel
  std::string load_path;    // --load state.json
  int bench_frames = 0;     // --bench-frames N
  std::string dtype = "fp32"; // --dtype fp32|bf16|int8
  bool fused = false;       // --fused
  std::vector<std::string> chips; // --chip NAME (repeatable)
  bool shape_given = false;  // any shape flag present
  // Real models (assets/models.json): --model sets the shape from a layer kind.
  std::string model;         // --model KEY (any case; a unique part of a key or name)
  std::string layer_kind;    // --layer-kind N|global|sliding ("" = the first attention kind)
  bool list_models = false;  // --list-models: one name per line (--json: figures)
  std::string models_path;   // --models FILE ("" = assets/models.json)
  std::set<std::string> given; // the flags present ("--seq", "--seed", …): each overrides --load
  bool was_given(const std::string& flag) const { return given.count(flag) > 0; }

  // Exercises on paper: the trace as JSON, printable worksheets, the example.
  std::string worksheet_path; // --worksheet out.pdf|out.svg
  bool answers = false;       // --answers: fill in every result cell and count
  std::string paper = "a4";   // --paper a4|letter
  std::string example;        // --example sentence: its shape and values ("" = none)
};

// What parse_command_line decided: a request, or an exit with a message.
struct ParseOutcome {
  std::optional<LaunchRequest> request;
  int exit_code = 0;   // when no request: 0 for --help/--version, 2 for errors
  std::string message; // printed to stdout (help) or stderr (error, one line)
};

ParseOutcome parse_command_line(int argc, const char* const* argv);

// The flag that sets a shape field ("--seq"), or "" for none.
std::string flag_of(ShapeField field);
// A shape error as the command line says it: "--seq: sequence length … got 0".
std::string cli_message(const ShapeError& error);

} // namespace abh
