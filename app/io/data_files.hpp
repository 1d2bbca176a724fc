#pragma once
// Where the app finds what it ships (shaders/, assets/ with the font) and
// where it keeps the user's files.

#include <optional>
#include <string>

namespace abh {

// $ABH_DATA_DIR if set, else the source tree the app was built from.
std::string data_dir();
std::string data_path(const std::string& relative); // data_dir()/relative
// Reads a whole text file; nullopt if it cannot.
std::optional<std::string> read_text_file(const std::string& path);
// The UI font the app ships: assets/fonts/DejaVuSans.ttf in data_dir().
std::string ui_font_path();
// ui_font_path() if the file is there, else "".
std::string find_ui_font();
// $XDG_CONFIG_HOME/attention-by-hand (or ~/.config/…); created on demand.
std::string config_dir();
// Default folder for exports: ~/Pictures/attention-by-hand.
std::string default_export_dir();

} // namespace abh
