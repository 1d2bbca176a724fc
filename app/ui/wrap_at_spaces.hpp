#pragma once
// Text wrapped at spaces only. ImGui's own wrapping also breaks after a
// comma, which splits a number such as 540,012,512 across two lines.

#include <algorithm>
#include <string>
#include <vector>

namespace abh {

// `text` in lines no wider than `width` (as `measure` gives a string's
// width), broken at spaces; a word wider than `width` has a line of its own.
template <class Measure>
std::vector<std::string> lines_at_spaces(const std::string& text, float width, Measure measure) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(' ', start), text.size());
    const std::string word = text.substr(start, end - start);
    if (line.empty()) line = word;
    else if (measure(line + " " + word) <= width) line += " " + word;
    else {
      lines.push_back(line);
      line = word;
    }
    start = end + 1;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// ImGui::TextWrapped at spaces only, `width` pixels wide.
void text_wrapped_at_spaces(const std::string& text, float width);

} // namespace abh
