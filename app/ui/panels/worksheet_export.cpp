#include "app/ui/panels/worksheet_export.hpp"

#include <ctime>
#include <filesystem>
#include <stdexcept>

#include "app/io/data_files.hpp"
#include "app/worksheet/page_layout.hpp"
#include "app/worksheet/run_worksheet.hpp"

namespace abh {

namespace fs = std::filesystem;

std::string export_worksheet(const AppState& state, bool answers) {
  // Refused before the folder is made: a shape too large writes nothing.
  check_sheet_dimensions(state.shape, paper_named("a4"));
  const std::string folder =
      state.export_options.folder.empty() ? default_export_dir() : state.export_options.folder;
  std::error_code ec;
  fs::create_directories(folder, ec);
  if (ec) throw std::runtime_error("cannot create export folder " + folder + ": " + ec.message());

  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char stamp[64];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
  const std::string stem = folder + "/attention-by-hand-worksheet-" + stamp + (answers ? "-answers" : "");
  std::string path = stem + ".pdf";
  for (int i = 2; fs::exists(path, ec); ++i) path = stem + "-" + std::to_string(i) + ".pdf";

  run_worksheet(state.shape, state.trace, {path, answers, "a4"});
  return path;
}

} // namespace abh
