#pragma once
// The user's settings between runs: view and export options and the window
// size, in settings.json of the config folder.

#include <string>

#include "app/io/app_state.hpp"

namespace abh {

struct WindowSize {
  int width = 1600, height = 900;
};

std::string settings_path();

// Reads the settings into `state`'s view and export options and `size`. A
// file that cannot be read is set aside as settings.json.bad (never
// overwritten) with a one-line warning on stderr; nothing is changed then.
void load_settings(AppState& state, WindowSize& size);

// Writes them atomically; a failure is a one-line warning on stderr.
void save_settings(const AppState& state, WindowSize size);

} // namespace abh
