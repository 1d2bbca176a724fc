#pragma once
// Shared by the GUI tests: the real binary run with its output captured,
// temporary folders, PNGs and JSON sidecars.

#include <gtest/gtest.h>

#include "tests/support/run_binary.hpp"
#include "tests/support/test_files.hpp"

namespace abh::gui_test {

using namespace abh::test_support;

// Runs the built attention-by-hand with `args` (already shell-safe). Xvfb
// now and then refuses a connection; a run that could not open the display
// is tried once more, so only a display that stays unreachable fails a test.
inline Outcome run_app(const std::string& args, const std::string& prefix = "") {
  const Outcome first = run_binary(args, prefix);
  if (first.exit_code == 2 && first.err.find("cannot open the display") != std::string::npos)
    return run_binary(args, prefix);
  return first;
}

} // namespace abh::gui_test
