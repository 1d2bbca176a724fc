#pragma once
// The "Worksheet PDF" button's work: the printable exercise for the current
// shape, values and seed, written into the export folder.

#include <string>

#include "app/io/app_state.hpp"

namespace abh {

// Writes a fresh, timestamped PDF into the export folder (the state's, or
// default_export_dir()) and returns its path. Throws with one line when the
// shape is too large for a page or the folder cannot be written; then nothing
// is written.
std::string export_worksheet(const AppState& state, bool answers);

} // namespace abh
