// attention-by-hand: parse the command line, then report, export, benchmark
// or open the window. Every failure is one line on stderr and exit code 2.

#include <iostream>
#include <malloc.h>

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

  // [SECTION] state: a saved state file, then flags over it
  AppState state;
  try {
    state = resolve_state(request);
  } catch (const ShapeError& e) {
    return fail(cli_message(e));
  } catch (const std::exception& e) {
    return fail(e.what());
  }

  // [SECTION] modes without a window, then the window
  if (const auto code = run_without_window(request, state)) return *code;
  return run_window_mode(request, state);
}
