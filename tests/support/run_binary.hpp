#pragma once
// Runs the built attention-by-hand (ABH_EXECUTABLE) as a script would, with
// stdout and stderr captured; shared by the CLI and GUI tests.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace abh::test_support {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::size_t line_count(const std::string& text) {
  std::size_t lines = 0;
  for (char c : text)
    if (c == '\n') ++lines;
  if (!text.empty() && text.back() != '\n') ++lines;
  return lines;
}

// Single-quoted for the shell.
inline std::string quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += "'\\''";
    else out += c;
  }
  return out + "'";
}

struct Outcome {
  int exit_code = -1; // -1 when the process did not exit normally (crash)
  std::string out, err;
};

// `args` are already shell-safe; `prefix` (e.g. "env -u DISPLAY") goes before.
inline Outcome run_binary(const std::string& args, const std::string& prefix = "") {
  static int counter = 0;
  const std::string base = "/tmp/abh_run_" + std::to_string(getpid()) + "_" +
                           std::to_string(counter++);
  const std::string out_path = base + ".out", err_path = base + ".err";
  const std::string command = prefix + (prefix.empty() ? "" : " ") + quote(ABH_EXECUTABLE) +
                              " " + args + " >" + quote(out_path) + " 2>" + quote(err_path) +
                              " </dev/null";
  const int status = std::system(command.c_str());
  Outcome r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  return r;
}

} // namespace abh::test_support
