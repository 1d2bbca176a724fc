#include "app/worksheet/document_format.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace abh {

namespace {

bool ends_with_lower(const std::string& path, const std::string& ext) {
  std::string lower = path;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower.size() > ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0;
}

} // namespace

bool is_vector_path(const std::string& path) {
  return ends_with_lower(path, ".pdf") || ends_with_lower(path, ".svg");
}

SheetFormat sheet_format_of(const std::string& path, const std::string& flag) {
  if (ends_with_lower(path, ".pdf")) return SheetFormat::pdf;
  if (ends_with_lower(path, ".svg")) return SheetFormat::svg;
  throw std::runtime_error(flag + ": " + path + " must end in .pdf or .svg");
}

} // namespace abh
