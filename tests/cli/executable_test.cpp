// The real attention-by-hand binary: --report --json output, and bad input
// giving exit code 2 with exactly one line on stderr and nothing on stdout.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/support/refusal.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/temp_dir.hpp"

namespace {

using abh::test_support::line_count;
using abh::test_support::read_file;
using abh::test_support::Outcome;
using abh::test_support::expect_refused;
using abh::test_support::quote;
using abh::test_support::TempDir;
using abh::test_support::write_file;
Outcome run(const std::string& args, const std::string& prefix = "") {
  return abh::test_support::run_binary(args, prefix);
}

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

// As a shell script checks it: both streams into one temp file.
TEST(Executable, SeqAbcCombinedOutputIsOneLine) {
  const std::string path = abh::test_support::new_temp_file("combined");
  ASSERT_FALSE(path.empty());
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

// --load then --hardware-report runs what the state file chose: its datatype,
// its fused flag and its chips, unless a flag names another.
TEST(Executable, HardwareReportRunsTheLoadedHardwareChoice) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string state = dir / "state.json";
  write_file(state, R"({"shape": {"seq": 16, "d_model": 8, "heads": 2, "head_dim": 4},
                        "hardware": {"dtype": "bf16", "fused": true, "chips": ["H200"]}})");
  const Outcome r = run("--load " + quote(state) + " --hardware-report");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_TRUE(j.is_object()) << r.out;
  EXPECT_EQ(j["shape"]["seq"], 16);
  EXPECT_EQ(j["dtype"], "bf16");
  EXPECT_EQ(j["fused"], true);
  bool h200 = false;
  for (const nlohmann::json& a : j["architectures"]) h200 = h200 || a["chip"] == "NVIDIA H200 SXM";
  EXPECT_TRUE(h200) << j["architectures"].dump();

  // A flag after --load overrides its own field only.
  const Outcome fp32 = run("--load " + quote(state) + " --hardware-report --dtype fp32");
  ASSERT_EQ(fp32.exit_code, 0) << fp32.err;
  const nlohmann::json k = nlohmann::json::parse(fp32.out, nullptr, false);
  EXPECT_EQ(k["dtype"], "fp32");
  EXPECT_EQ(k["fused"], true);
}

// Whatever a message echoes (a chip name, a path) stays on one line.
TEST(Executable, EchoedTextWithNewlinesStaysOnOneLine) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  expect_refused(run("--hardware-report --chip " + quote("no\nsuch chip")), "no\\nsuch chip");
  const std::string missing = dir / "two\nlines.json";
  expect_refused(run("--load " + quote(missing) + " --report"), "two\\nlines.json");
  const std::string state = dir / "chips.json";
  write_file(state, R"({"hardware": {"chips": ["line one\nline two"]}})");
  expect_refused(run("--load " + quote(state) + " --hardware-report"), "line one\\nline two");
}

// The hardware specs file: a number beyond double and a file over the size
// limit are refused in one line naming the file.
// A user hardware.json that cannot be used: the report runs on the shipped
// specs, and one line on stderr names the user's file.
void expect_fallback(const Outcome& r, const std::string& mentions) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"architectures\""), std::string::npos) << r.out;
  EXPECT_EQ(line_count(r.err), 1u) << r.err;
  EXPECT_NE(r.err.find(mentions), std::string::npos) << "\"" << r.err << "\" should mention " << mentions;
}

TEST(Executable, BadHardwareSpecsNameTheFileAndFallBackToTheShippedOnes) {
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(std::filesystem::create_directories(dir / "config/attention-by-hand"));
  const std::string specs = dir / "config/attention-by-hand/hardware.json";
  const std::string env = "env XDG_CONFIG_HOME=" + quote(dir / "config");
  // CTest runs the suites from the source folder.
  const std::string shipped = read_file("assets/hardware.json");
  ASSERT_FALSE(shipped.empty());

  write_file(specs, R"({"chips": [{"kind": "CPU", "chip": "X", "clock": {"value": 1e400}}]})");
  expect_fallback(run("--hardware-report", env), specs);

  write_file(specs, std::string(5 << 20, ' ') + shipped);
  expect_fallback(run("--hardware-report", env), specs);

  write_file(specs, shipped);
  EXPECT_EQ(run("--hardware-report", env).exit_code, 0);
}

} // namespace

#if !ABH_WITH_WINDOW
// The command-line-only build (-DABH_BUILD_APP=OFF): the reports run, and
// every mode that needs a window says in one line that this build has none.
TEST(CliOnlyBuild, ReportsRunAndWindowModesSayThereIsNoWindow) {
  EXPECT_EQ(run("--report --json").exit_code, 0);
  EXPECT_EQ(run("--hardware-report").exit_code, 0);
  TempDir dir;
  ASSERT_TRUE(dir.ok());
  for (const std::string& args : {"--export " + quote(dir / "x.png"), std::string("--bench-frames 3")}) {
    const Outcome r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args;
    EXPECT_EQ(line_count(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("no window"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.png"));
}
#endif
