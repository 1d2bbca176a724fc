#pragma once
// The command line's modes that need no window: the state a request
// describes (a state file, then flags over it), and the reports.

#include <optional>
#include <string>

#include "app/cli/command_line.hpp"
#include "app/io/app_state.hpp"

namespace abh {

// The state to run: the --load file (if any) with each given flag over it.
// Throws std::runtime_error or ShapeError with one line.
AppState resolve_state(const LaunchRequest& request);

// Runs --report or --hardware-report and returns the exit code; nullopt when
// the request needs the window (window, export, benchmark).
std::optional<int> run_without_window(const LaunchRequest& request, const AppState& state);

// "attention-by-hand: MESSAGE" on stderr; returns exit code 2.
int fail(const std::string& message);

} // namespace abh
