#include "app/window_modes.hpp"

#include <iostream>

#include "app/cli/run_cli.hpp"
#include "app/ui/app.hpp"

namespace abh {

int run_window_mode(const LaunchRequest& request, const AppState& resolved) {
  // --caption and --counts change the export options of a loaded state too.
  AppState state = resolved;
  if (request.was_given("--caption")) state.export_options.caption_text = request.caption_text;
  if (request.was_given("--counts")) state.export_options.counts = request.counts;
  AppConfig config;
  config.visible = request.mode == Mode::window;
  config.persist = request.mode == Mode::window;
  config.background_trace = request.mode == Mode::window || request.mode == Mode::bench_frames;
  std::string error;
  auto app = App::create(config, state, error);
  if (!app) return fail(error);

  switch (request.mode) {
  case Mode::export_png: {
    const ExportResult r = app->export_png(request.export_path, request.scale, request.panel,
                                           state.export_options.caption);
    if (!r.error.empty()) return fail(r.error);
    std::cout << "wrote " << r.png_path << " (" << r.width << "×" << r.height << ") and "
              << r.json_path << "\n";
    return 0;
  }
  case Mode::bench_frames:
    std::cout << app->bench_frames(request.bench_frames) << "\n";
    return 0;
  default:
    app->run();
    return 0;
  }
}

} // namespace abh
