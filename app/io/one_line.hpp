#pragma once
// Messages are one line: text a message echoes (a path, a chip name, a
// typed value) is shown with its control characters escaped.

#include <string>
#include <string_view>

namespace abh {

// `text` with each control character written out: a newline as \n, a tab
// as \t, a carriage return as \r, any other as \xNN. UTF-8 is kept.
std::string one_line(std::string_view text);

} // namespace abh
