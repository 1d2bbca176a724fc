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

// A new empty file under the temporary folder (mkstemp), for captured output.
inline std::string new_temp_file(const char* name) {
  std::string pattern = std::string("/tmp/abh_run_") + name + "_XXXXXX";
  const int fd = mkstemp(pattern.data());
  if (fd < 0) return "";
  close(fd);
  return pattern;
}

// `args` are already shell-safe; `prefix` (e.g. "env -u DISPLAY") goes before.
inline Outcome run_binary(const std::string& args, const std::string& prefix = "") {
  Outcome r;
  const std::string out_path = new_temp_file("out"), err_path = new_temp_file("err");
  if (out_path.empty() || err_path.empty()) {
    r.err = "cannot create a temporary file for the output";
    return r;
  }
  const std::string command = prefix + (prefix.empty() ? "" : " ") + quote(ABH_EXECUTABLE) +
                              " " + args + " >" + quote(out_path) + " 2>" + quote(err_path) +
                              " </dev/null";
  const int status = std::system(command.c_str());
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(out_path);
  r.err = read_file(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  return r;
}

} // namespace abh::test_support
