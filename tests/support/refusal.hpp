#pragma once
// How every test holds a refused command line: exit 2, nothing on stdout,
// one line on stderr that starts with the program's name and says why.

#include <string>

#include <gtest/gtest.h>

#include "tests/support/run_binary.hpp"

namespace abh::test_support {

inline void expect_refused(const Outcome& r, const std::string& mentions) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(r.out.empty()) << "nothing on stdout when refused: " << r.out;
  EXPECT_EQ(line_count(r.err), 1u) << "stderr:\n" << r.err;
  EXPECT_EQ(r.err.rfind("attention-by-hand: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(mentions), std::string::npos)
      << "stderr \"" << r.err << "\" should mention \"" << mentions << "\"";
}

} // namespace abh::test_support
