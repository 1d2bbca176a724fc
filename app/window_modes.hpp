#pragma once
// The modes that need a window (or an off-screen GL context): the app itself,
// --export and --bench-frames. Built from app/ui, or, in a build without the
// app (-DABH_BUILD_APP=OFF), refused with one line.

#include "app/cli/command_line.hpp"
#include "app/io/app_state.hpp"

namespace abh {

// Returns the process exit code.
int run_window_mode(const LaunchRequest& request, const AppState& state);

} // namespace abh
