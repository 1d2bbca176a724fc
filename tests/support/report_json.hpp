#pragma once
// Runs `attention-by-hand --report --json ARGS` and parses what it prints;
// a failed run or unparsable output fails the calling test.

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_binary.hpp"

namespace abh::test_support {

inline nlohmann::json report_json(const std::string& args) {
  const Outcome r = run_binary("--report --json " + args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j;
  EXPECT_NO_THROW(j = nlohmann::json::parse(r.out)) << r.out;
  return j;
}

} // namespace abh::test_support
