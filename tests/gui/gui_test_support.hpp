#pragma once
// Shared by the GUI tests: the real binary run with its output captured,
// temporary folders, PNGs and JSON sidecars.

#include <gtest/gtest.h>

#include "tests/support/run_binary.hpp"
#include "tests/support/test_files.hpp"

namespace abh::gui_test {

using namespace abh::test_support;

// Runs the built attention-by-hand with `args` (already shell-safe).
inline Outcome run_app(const std::string& args, const std::string& prefix = "") {
  return run_binary(args, prefix);
}

} // namespace abh::gui_test
