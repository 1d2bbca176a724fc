#pragma once
// Which vector format a document's path asks for (no cairo needed to ask).

#include <string>

namespace abh {

enum class SheetFormat { pdf, svg };

// From the path's extension (.pdf, .svg, any case); throws
// std::runtime_error "FLAG: PATH must end in .pdf or .svg" otherwise.
SheetFormat sheet_format_of(const std::string& path, const std::string& flag = "--worksheet");
// True when the path ends in .pdf or .svg (any case).
bool is_vector_path(const std::string& path);

} // namespace abh
