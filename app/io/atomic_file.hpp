#pragma once
// Writing files so that a failure, a full disk or a crash loses nothing.
// Each file is written to a temporary file with a unique name beside its
// target (".NAME.XXXXXX.part"), every write and the close are checked, the
// data is flushed to disk (fsync), and only then is it renamed into place.
// Writers of the same folder take turns (flock on the folder), and each
// removes the temporary files a killed writer left for its targets.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace abh {

// Returns "" on success, else one line saying why (the old file, if any, is intact).
std::string write_file_atomically(const std::string& path, std::string_view bytes);
inline std::string write_text_atomically(const std::string& path, std::string_view text) {
  return write_file_atomically(path, text);
}

// Several files as one unit: each is written beside its target, then they
// are renamed into place in order; if one rename fails, the files already
// replaced get their old contents back (or are removed if they were new).
// A crash between two renames leaves the first replaced and the rest old:
// files that must agree say which bytes they go with (see png_file.hpp).
std::string write_files_together(const std::vector<std::pair<std::string, std::string_view>>& files);

std::string cannot_write(const std::string& path, int error); // "cannot write PATH: reason"

} // namespace abh
