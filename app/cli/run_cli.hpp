#pragma once
// The command line's modes that need no window: the state a request
// describes (a state file, then flags over it), and the reports.

#include <optional>
#include <string>
#include <vector>

#include "app/cli/command_line.hpp"
#include "app/io/app_state.hpp"
#include "app/io/settings_file.hpp"

namespace abh {

// The settings the request's mode draws with: the window and --export read
// settings.json (a refused one is set aside, with a note); reports do not.
std::optional<Settings> settings_for(const LaunchRequest& request, std::vector<std::string>& notes);

struct ResolvedState {
  AppState state;
  std::vector<std::string> notes; // one line each, for stderr (the run goes on)
};

// The state to run: the --load file (if any), with the settings filling
// the view and export fields it does not set, then each given flag over it.
// Throws std::runtime_error or ShapeError with one line.
ResolvedState resolve_state(const LaunchRequest& request, const std::optional<Settings>& settings);

// Runs --report or --hardware-report and returns the exit code; nullopt when
// the request needs the window (window, export, benchmark).
std::optional<int> run_without_window(const LaunchRequest& request, const AppState& state);

// "attention-by-hand: MESSAGE" on stderr, on one line (control characters
// escaped); returns exit code 2.
int fail(const std::string& message);
// The same line for something the user should know while the run goes on.
void note(const std::string& message);

} // namespace abh
