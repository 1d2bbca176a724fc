// A build without the app (-DABH_BUILD_APP=OFF): every mode that needs a
// window says so in one line.

#include "app/cli/run_cli.hpp"
#include "app/window_modes.hpp"

namespace abh {

int run_window_mode(const LaunchRequest&, const AppState&) {
  return fail("this build has no window (configured with -DABH_BUILD_APP=OFF): "
              "use --report, --hardware-report, --trace, --worksheet or --export to .pdf or .svg");
}

} // namespace abh
