#pragma once
// The window's side of settings.json (app/io/settings_file.hpp reads and
// checks the file): the size it opens at, and the settings written on exit.

#include "app/io/app_state.hpp"

namespace abh {

struct WindowSize {
  int width = 1600, height = 900;
};

// The saved window size (clamped to what a window may open at), else
// `fallback`. A refused file is set aside with a one-line warning on stderr.
WindowSize saved_window_size(WindowSize fallback);

// Writes the view, export options and window size atomically; a failure is a
// one-line warning on stderr.
void save_settings(const AppState& state, WindowSize size);

} // namespace abh
