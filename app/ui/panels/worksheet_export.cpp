#include "app/ui/panels/worksheet_export.hpp"

#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "app/io/data_files.hpp"
#include "app/slides/vector_slide.hpp"
#include "app/worksheet/page_layout.hpp"
#include "app/worksheet/run_worksheet.hpp"

namespace abh {

namespace fs = std::filesystem;

namespace {

// "<folder>/attention-by-hand-<kind>YYYYmmdd-HHMMSS<suffix><extension>" in
// the export folder (made if missing), "-2", "-3", … added while the name is
// taken: an export never replaces an earlier one.
std::string fresh_export_path(const ExportOptions& options, const std::string& kind,
                              const std::string& suffix, const std::string& extension) {
  const std::string folder = options.folder.empty() ? default_export_dir() : options.folder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error("cannot create export folder " + folder + ": " + ec.message());

  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string stem = folder + "/attention-by-hand-" + kind + stamp + suffix;
  std::string path = stem + extension;
  for (int i = 2; fs::exists(path, ec); ++i) path = stem + "-" + std::to_string(i) + extension;
  return path;
}

} // namespace

std::string export_worksheet(const AppState& state, bool answers) {
  // Refused before the folder is made: a shape too large writes nothing.
  check_sheet_dimensions(state.shape, paper_named("a4"));
  const std::string path =
      fresh_export_path(state.export_options, "worksheet-", answers ? "-answers" : "", ".pdf");
  run_worksheet(state.shape, state.trace, {path, answers, "a4"});
  return path;
}

std::string export_slide(const AppState& state, const std::string& extension) {
  if (extension != ".pdf" && extension != ".svg")
    throw std::invalid_argument("a vector slide is .pdf or .svg, not " + extension);
  const std::string path = fresh_export_path(state.export_options, "slide-", "", extension);
  write_vector_slide(state, {path, state.export_options.caption, state.export_options.counts});
  return path;
}

} // namespace abh
