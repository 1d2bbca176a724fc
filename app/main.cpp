// attention-by-hand: parse the command line, then report, export, benchmark
// or open the window. Every failure is one line on stderr and exit code 2.

#include <malloc.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/cli/command_line.hpp"
#include "app/cli/run_cli.hpp"
#include "app/window_modes.hpp"

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

  // [SECTION] state: a saved state file, the settings under it, then flags over it
  std::vector<std::string> notes;
  AppState state;
  try {
    const std::optional<Settings> settings = settings_for(request, notes);
    ResolvedState resolved = resolve_state(request, settings);
    state = std::move(resolved.state);
    notes.insert(notes.end(), resolved.notes.begin(), resolved.notes.end());
  } catch (const ShapeError& e) {
    return fail(cli_message(e));
  } catch (const std::exception& e) {
    return fail(e.what());
  }
  for (const std::string& line : notes) note(line);

  // [SECTION] modes without a window, then the window
  if (const auto code = run_without_window(request, state)) return *code;
  return run_window_mode(request, state);
}
