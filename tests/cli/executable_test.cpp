// The real attention-by-hand binary: --report --json output, and bad input
// giving exit code 2 with exactly one line on stderr and nothing on stdout.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/run_binary.hpp"

namespace {

using abh::test_support::line_count;
using abh::test_support::read_file;
using abh::test_support::Outcome;
Outcome run(const std::string& args) { return abh::test_support::run_binary(args); }

TEST(Executable, ReportJsonOfTheWorkedExample) {
  // Read stdout through a pipe, as a script would.
  const std::string command = std::string("'") + ABH_EXECUTABLE + "' --report --json 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buffer[4096];
  for (std::size_t got; (got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, got);
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);

  nlohmann::json j;
  ASSERT_NO_THROW(j = nlohmann::json::parse(out)) << out;
  EXPECT_EQ(j["shape"]["seq"], 40);
  EXPECT_EQ(j["shape"]["d_model"], 36);
  EXPECT_EQ(j["shape"]["heads"], 3);
  EXPECT_EQ(j["shape"]["head_dim"], 12);
  EXPECT_EQ(j["shape"]["kv_heads"], 3);
  EXPECT_EQ(j["shape"]["causal"], false);
  EXPECT_EQ(j["single"]["stages"]["scores"]["dot_products"], 1600);
  EXPECT_EQ(j["multi"]["stages"]["scores"]["dot_products"], 4800);
  EXPECT_EQ(j["single"]["stages"]["scores"]["multiplies"], 57600);
  EXPECT_EQ(j["multi"]["stages"]["scores"]["multiplies"], 57600);
}

TEST(Executable, ReportJsonFollowsShapeFlags) {
  const Outcome r = run("--report --json --seq 10 --heads 4 --kv-heads 2 --head-dim 8 --causal");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["shape"]["kv_heads"], 2);
  EXPECT_EQ(j["shape"]["causal"], true);
  EXPECT_EQ(j["multi"]["stages"]["scores"]["dot_products"], 4 * 55);
  EXPECT_EQ(j["single"]["stages"]["scores"]["dot_products"], 55);
  EXPECT_EQ(j["multi"]["memory"]["kv_cache_elements"], 2 * 2 * 8 * 10);
}

TEST(Executable, ReportText) {
  const Outcome r = run("--report");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("57,600"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("4,800"), std::string::npos) << r.out;
}

TEST(Executable, BadInputIsOneLineOnStderrAndExitTwo) {
  for (const char* args :
       {"--seq abc --report", "--seq 0 --report", "--heads 4 --kv-heads 3 --report",
        "--seq 4000000000 --d-model 4000000000 --report", "--bogus", "--report --export x.png"}) {
    SCOPED_TRACE(args);
    const Outcome r = run(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_EQ(r.err.rfind("attention-by-hand: ", 0), 0u) << r.err;
  }
}

// As the brief's shell check does it: both streams into one temp file.
TEST(Executable, SeqAbcCombinedOutputIsOneLine) {
  const std::string path =
      ::testing::TempDir() + "abh_cli_combined_" + std::to_string(getpid()) + ".txt";
  const std::string command =
      std::string("'") + ABH_EXECUTABLE + "' --seq abc --report >'" + path + "' 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string text = read_file(path);
  std::remove(path.c_str());
  EXPECT_EQ(line_count(text), 1u) << text;
  EXPECT_EQ(text.rfind("attention-by-hand: ", 0), 0u) << text;
}

TEST(Executable, HelpExitsZero) {
  const Outcome r = run("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--seq"), std::string::npos);
  EXPECT_TRUE(r.err.empty()) << r.err;
}

} // namespace
