#pragma once
// The export menu's cairo documents, written into the export folder beside
// the PNGs: the printable exercise ("Worksheet PDF") and the comparison
// slide as PDF or SVG ("Slide PDF", "Slide SVG").

#include <string>

#include "app/io/app_state.hpp"

namespace abh {

// Writes a fresh, timestamped PDF into the export folder (the state's, or
// default_export_dir()) and returns its path. Throws with one line when the
// shape is too large for a page or the folder cannot be written; then nothing
// is written.
std::string export_worksheet(const AppState& state, bool answers);

// Writes the one-head vs H-heads slide (`extension` ".pdf" or ".svg"), with
// the counts and the caption as the export options say, under a fresh
// timestamped name in the export folder, and returns its path. Throws with
// one line when the folder cannot be made or written; no file is then
// changed.
std::string export_slide(const AppState& state, const std::string& extension);

} // namespace abh
