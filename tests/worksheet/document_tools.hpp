#pragma once
// Reading back the PDF and SVG the binary writes: poppler's pdftotext and
// libxml2's xmllint (scripts/install-deps.sh installs them; a missing tool
// fails the tests), and the numbers a document should hold.

#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/worksheet/cell_format.hpp"
#include "tests/support/run_binary.hpp"
#include "tests/support/test_files.hpp"

namespace abh::document_tools {

using test_support::Outcome;
using test_support::quote;
using test_support::read_file;
using test_support::run_binary;
using test_support::TempDir;
using Json = nlohmann::json;
using Tokens = std::map<std::string, int>; // numeric token -> how many times

// Runs a shell command, stdout captured; the exit code must be 0.
inline std::string tool_output(const std::string& command, const TempDir& dir) {
  const std::string out = dir / "tool.out";
  const int status = std::system((command + " >" + quote(out) + " 2>&1").c_str());
  EXPECT_EQ(status, 0) << command << ": " << read_file(out);
  return read_file(out);
}

inline std::string pdf_text(const std::string& pdf, const TempDir& dir) {
  std::string text = tool_output("pdftotext -layout " + quote(pdf) + " -", dir);
  // The sheet writes a real minus sign; compare numbers with ASCII '-'.
  const std::string minus = "\u2212";
  std::string ascii;
  for (std::size_t from = 0;;) {
    const std::size_t at = text.find(minus, from);
    ascii.append(text, from, at == std::string::npos ? std::string::npos : at - from);
    if (at == std::string::npos) return ascii;
    ascii += '-';
    from = at + minus.size();
  }
}

// Whole-word numbers ("-3", "0.25", "1,600") and how often each occurs.
inline Tokens numeric_tokens(const std::string& text) {
  static const std::regex number(R"(^-?[0-9][0-9,]*(\.[0-9]+)?$)");
  Tokens tokens;
  std::istringstream words(text);
  for (std::string w; words >> w;)
    if (std::regex_match(w, number)) ++tokens[w];
  return tokens;
}

inline Tokens minus(Tokens a, const Tokens& b) {
  for (const auto& [token, n] : b) {
    a[token] -= n;
    if (a[token] == 0) a.erase(token);
  }
  return a;
}

// How the sheet writes a matrix of --trace --json, with ASCII minus.
inline void add_formatted(Tokens& tokens, const Json& m) {
  Eigen::MatrixXf values(m.at("rows").get<Eigen::Index>(), m.at("cols").get<Eigen::Index>());
  for (Eigen::Index r = 0; r < values.rows(); ++r)
    for (Eigen::Index c = 0; c < values.cols(); ++c)
      values(r, c) = m.at("values").at(static_cast<std::size_t>(r * values.cols() + c)).get<float>();
  const int decimals = cell_decimals(m.at("name"), values);
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    std::string text = cell_text(values.data()[i], decimals);
    if (text.rfind("\u2212", 0) == 0) text = "-" + text.substr(3);
    ++tokens[text];
  }
}

// The matrices of --trace --json for these shape flags: every one, or one panel's.
inline Json trace_matrices_json(const std::string& shape_args, const std::string& panel = "") {
  const Outcome r = run_binary("--trace --json " + shape_args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  Json out = Json::array();
  const Json all = Json::parse(r.out);
  for (const Json& m : all.at("matrices"))
    if (panel.empty() || m.at("panel") == panel) out.push_back(m);
  return out;
}
inline Json heads_matrices(const std::string& shape_args) {
  return trace_matrices_json(shape_args, "heads");
}

} // namespace abh::document_tools
