#pragma once
// Writing files so that a failure loses nothing: each file is written to
// PATH.part beside its target, then renamed into place.

#include <string>

namespace abh {

// Returns "" on success, else one line saying why (the old file, if any, is intact).
std::string write_text_atomically(const std::string& path, const std::string& text);

// The steps, for writing several files together (all or none):
std::string write_text_part(const std::string& path, const std::string& text); // PATH.part
std::string rename_part(const std::string& path);   // PATH.part -> PATH
void discard_part(const std::string& path);         // removes PATH.part, if any
std::string cannot_write(const std::string& path, int error); // "cannot write PATH: reason"

} // namespace abh
