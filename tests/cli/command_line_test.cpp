// parse_command_line on argv arrays: defaults, every shape flag, every way to
// get it wrong (exit code 2 and one line starting "attention-by-hand: ").

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "app/cli/command_line.hpp"

namespace abh {
namespace {

ParseOutcome parse(const std::vector<std::string>& args) {
  std::vector<const char*> argv{"attention-by-hand"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}

std::string joined(const std::vector<std::string>& args) {
  std::string out;
  for (const std::string& a : args) out += (out.empty() ? "" : " ") + a;
  return out;
}

TEST(CommandLine, DefaultsAreTheWorkedExample) {
  const ParseOutcome outcome = parse({});
  ASSERT_TRUE(outcome.request.has_value()) << outcome.message;
  EXPECT_EQ(outcome.exit_code, 0);
  const LaunchRequest& r = *outcome.request;
  EXPECT_EQ(r.shape, worked_example());
  EXPECT_EQ(r.mode, Mode::window);
  EXPECT_FALSE(r.shape_given);
  EXPECT_FALSE(r.json);
  EXPECT_EQ(r.options.values, ValueMode::by_hand);
  EXPECT_EQ(r.options.layout, WqkvLayout::triples);
  EXPECT_EQ(r.options.seed, 1u);
  EXPECT_TRUE(r.export_path.empty());
}

TEST(CommandLine, EveryShapeFlag) {
  const ParseOutcome outcome = parse({"--seq", "7", "--d-model", "5", "--heads", "4",
                                      "--head-dim", "3", "--kv-heads", "2", "--causal"});
  ASSERT_TRUE(outcome.request.has_value()) << outcome.message;
  const Shape& s = outcome.request->shape;
  EXPECT_EQ(s.seq, 7);
  EXPECT_EQ(s.d_model, 5);
  EXPECT_EQ(s.heads, 4);
  EXPECT_EQ(s.head_dim, 3);
  EXPECT_EQ(s.kv_heads, 2);
  EXPECT_TRUE(s.causal);
  EXPECT_TRUE(outcome.request->shape_given);
}

TEST(CommandLine, EachShapeFlagAloneKeepsTheOtherDefaults) {
  struct Case {
    std::vector<std::string> args;
    Shape expected;
  };
  Shape seq = worked_example(), d = seq, heads = seq, head_dim = seq, kv = seq, causal = seq;
  seq.seq = 128;
  d.d_model = 512;
  heads.heads = 6; // --kv-heads defaults to --heads
  heads.kv_heads = 6;
  head_dim.head_dim = 64;
  kv.kv_heads = 1;
  causal.causal = true;
  const std::vector<Case> cases{{{"--seq", "128"}, seq},          {{"--d-model", "512"}, d},
                                {{"--heads", "6"}, heads},        {{"--head-dim", "64"}, head_dim},
                                {{"--kv-heads", "1"}, kv},        {{"--causal"}, causal},
                                {{"--seq=128"}, seq}};
  for (const Case& c : cases) {
    SCOPED_TRACE(joined(c.args));
    const ParseOutcome outcome = parse(c.args);
    ASSERT_TRUE(outcome.request.has_value()) << outcome.message;
    EXPECT_EQ(outcome.request->shape, c.expected);
    EXPECT_TRUE(outcome.request->shape_given);
  }
}

TEST(CommandLine, ValueModeSeedLayoutAndReport) {
  const ParseOutcome outcome =
      parse({"--values", "gaussian", "--seed", "42", "--layout", "blocks", "--report", "--json"});
  ASSERT_TRUE(outcome.request.has_value()) << outcome.message;
  const LaunchRequest& r = *outcome.request;
  EXPECT_EQ(r.options.values, ValueMode::gaussian);
  EXPECT_EQ(r.options.seed, 42u);
  EXPECT_EQ(r.options.layout, WqkvLayout::blocks);
  EXPECT_EQ(r.mode, Mode::report);
  EXPECT_TRUE(r.json);
  EXPECT_FALSE(r.shape_given);
  EXPECT_EQ(r.shape, worked_example());

  const ParseOutcome text = parse({"--report"});
  ASSERT_TRUE(text.request.has_value()) << text.message;
  EXPECT_EQ(text.request->mode, Mode::report);
  EXPECT_FALSE(text.request->json);
}

TEST(CommandLine, OtherModes) {
  const ParseOutcome png = parse({"--export", "shot.png", "--scale", "2"});
  ASSERT_TRUE(png.request.has_value()) << png.message;
  EXPECT_EQ(png.request->mode, Mode::export_png);
  EXPECT_EQ(png.request->export_path, "shot.png");
  EXPECT_EQ(png.request->scale, 2);
  const ParseOutcome bench = parse({"--bench-frames", "3"});
  ASSERT_TRUE(bench.request.has_value()) << bench.message;
  EXPECT_EQ(bench.request->mode, Mode::bench_frames);
  EXPECT_EQ(bench.request->bench_frames, 3);
}

TEST(CommandLine, BadInputExitsTwoWithOneLine) {
  const std::vector<std::vector<std::string>> bad{
      {"--seq", "abc"},
      {"--seq", "1.5"},
      {"--seq", "12abc"},
      {"--seq", ""},
      {"--seq"},
      {"--seq", "0"},
      {"--seq", "-3"},
      {"--seq=-3"},
      {"--d-model", "0"},
      {"--d-model", "x"},
      {"--heads", "0"},
      {"--heads", "-1"},
      {"--head-dim", "0"},
      {"--head-dim", "-12"},
      {"--kv-heads", "0"},
      {"--kv-heads", "-1"},
      {"--kv-heads", "2"},                    // 3 heads
      {"--kv-heads", "6"},                    // more kv heads than heads
      {"--heads", "4", "--kv-heads", "3"},
      {"--seq", "99999999999999999999"},      // not an int64
      {"--seq", "4000000000", "--d-model", "4000000000"}, // counts overflow
      {"--heads", "9223372036854775807"},
      {"--bogus"},
      {"stray"},
      {"--seq", "40", "--seq", "41"},
      {"--report", "--export", "x.png"},
      {"--report", "--hardware-report"},
      {"--report", "--bench-frames", "2"},
      {"--export", "x.png", "--bench-frames", "2"},
      {"--values", "uniform"},
      {"--layout", "rows"},
      {"--scale", "4"},
  };
  const std::string prefix = "attention-by-hand: ";
  for (const std::vector<std::string>& args : bad) {
    SCOPED_TRACE(joined(args));
    const ParseOutcome outcome = parse(args);
    EXPECT_FALSE(outcome.request.has_value());
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_EQ(outcome.message.rfind(prefix, 0), 0u) << outcome.message;
    EXPECT_GT(outcome.message.size(), prefix.size()) << outcome.message;
    EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << outcome.message;
  }
}

TEST(CommandLine, MessagesSayWhatIsWrong) {
  EXPECT_NE(parse({"--seq", "0"}).message.find("--seq"), std::string::npos);
  EXPECT_NE(parse({"--heads", "0"}).message.find("--heads"), std::string::npos);
  EXPECT_NE(parse({"--heads", "4", "--kv-heads", "3"}).message.find("--kv-heads"),
            std::string::npos);
  EXPECT_NE(parse({"--seq", "4000000000", "--d-model", "4000000000"}).message.find("too large"),
            std::string::npos);
  EXPECT_NE(parse({"--seq", "abc"}).message.find("abc"), std::string::npos);
  EXPECT_NE(parse({"--bogus"}).message.find("--bogus"), std::string::npos);
}

// A leading zero is still decimal: "--seq 010" means ten tokens, never
// eight; "--seq 08" is a number, not an error.
TEST(CommandLine, LeadingZerosAreDecimal) {
  const ParseOutcome ten = parse({"--seq", "010"});
  ASSERT_TRUE(ten.request.has_value()) << ten.message;
  EXPECT_EQ(ten.request->shape.seq, 10);
  const ParseOutcome eight = parse({"--seq", "08"});
  ASSERT_TRUE(eight.request.has_value()) << eight.message;
  EXPECT_EQ(eight.request->shape.seq, 8);
}

// A value-taking option never swallows the next flag as its value: a
// forgotten value is an error naming the option, not a silently different run.
TEST(CommandLine, AFlagIsNeverTakenAsAValue) {
  const std::vector<std::string> value_options{
      "--seq",   "--d-model", "--heads", "--head-dim", "--kv-heads", "--values",
      "--seed",  "--layout",  "--export", "--scale",   "--panel",    "--load",
      "--bench-frames", "--dtype", "--chip"};
  const std::string prefix = "attention-by-hand: ";
  for (const std::string& option : value_options)
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--report", option, "--json"},
          std::vector<std::string>{option, "--heads", "1", "--report"},
          std::vector<std::string>{option + "=--causal", "--report"}}) {
      SCOPED_TRACE(joined(args));
      const ParseOutcome outcome = parse(args);
      EXPECT_FALSE(outcome.request.has_value())
          << "accepted, with --heads " << (outcome.request ? outcome.request->shape.heads : 0);
      EXPECT_EQ(outcome.exit_code, 2);
      EXPECT_EQ(outcome.message.rfind(prefix, 0), 0u) << outcome.message;
      EXPECT_NE(outcome.message.find(option), std::string::npos) << outcome.message;
      EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << outcome.message;
    }
  // The cases of the audit, by name.
  EXPECT_FALSE(parse({"--report", "--json", "--chip", "--heads", "1"}).request.has_value());
  EXPECT_FALSE(parse({"--report", "--panel", "--json"}).request.has_value());
  // A negative number is still a value (and refused as such, by its option).
  EXPECT_NE(parse({"--seq", "-3"}).message.find("-3"), std::string::npos);
}

// What the user typed is echoed on one line, whatever it holds.
TEST(CommandLine, ValuesWithNewlinesAreEchoedOnOneLine) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"--seq", "4\n0"}, std::vector<std::string>{"--values", "gauss\nian"},
        std::vector<std::string>{"--bogus\nflag"}}) {
    SCOPED_TRACE(joined(args));
    const ParseOutcome outcome = parse(args);
    EXPECT_EQ(outcome.exit_code, 2);
    EXPECT_EQ(outcome.message.find('\n'), std::string::npos) << outcome.message;
    EXPECT_NE(outcome.message.find("\\n"), std::string::npos)
        << "the newline is shown, not cut off: " << outcome.message;
  }
}

TEST(CommandLine, HelpAndVersionExitZero) {
  const ParseOutcome help = parse({"--help"});
  EXPECT_FALSE(help.request.has_value());
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.message.find("--seq"), std::string::npos);
  EXPECT_NE(help.message.find("--report"), std::string::npos);
  const ParseOutcome version = parse({"--version"});
  EXPECT_FALSE(version.request.has_value());
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_NE(version.message.find("attention-by-hand"), std::string::npos);
}

} // namespace
} // namespace abh
