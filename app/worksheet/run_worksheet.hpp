#pragma once
// --worksheet: the exercise for a shape, its values and seed, printed.

#include <string>

#include "core/trace.hpp"

namespace abh {

struct WorksheetRequest {
  std::string path;         // ends in .pdf or .svg
  bool answers = false;     // fill in every result and count
  std::string paper = "a4"; // a4 | letter
};

// Computes the trace and writes the sheet. Throws with one line (a shape too
// large for a page, an unwritable path, a wrong extension).
void run_worksheet(const Shape& shape, const TraceOptions& options,
                   const WorksheetRequest& request);

} // namespace abh
