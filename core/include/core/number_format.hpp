#pragma once
// One place that formats numbers for people: counts, sizes, times, rates, and
// the cells of a matrix drawn by hand. Standard library only.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace abh {

// [SECTION] counts, sizes, times

std::string with_separators(std::int64_t value);   // 57600 -> "57,600"
std::string engineering(double value);             // 1.23e10 -> "12.3×10⁹"
// with_separators, plus engineering notation in brackets from 10⁹.
std::string count_text(std::int64_t value);
// with_separators below 10⁹, only engineering notation from 10⁹ ("1.5×10⁹").
std::string compact_count_text(std::int64_t value);
// One value as a derivation writes it: integers plain, others to 4
// significant digits; "−" for minus, no sign on zero ("−2", "0.4375").
std::string value_text(double value);
// Three significant digits, never e-notation: "3.04", "0.0123", "1,230";
// engineering notation from 10⁶ and below 10⁻³ ("4.5×10⁻⁶").
std::string significant_text(double value);
std::string bytes_text(double bytes);               // "1.50 GiB"
// "12.3 ms", "1,234 s"; beyond the units, "5×10⁻¹² s".
std::string seconds_text(double seconds);
// "1.23 TFLOP/s"; beyond the exa prefix, "1×10²¹ FLOP/s".
std::string rate_text(double per_second, const char* unit);

// Columns a UTF-8 text takes in a terminal: its code points (the texts
// above hold no double-width characters). For aligning tables of them.
std::size_t display_width(std::string_view utf8);

// [SECTION] matrix cells, as written by hand

// One format for every cell of a matrix, so "3.0" never stands beside "9":
// the same number of decimals in every cell.
struct MatrixNumberFormat {
  int decimals = 0; // = 0 // digits after the point, in every cell
  // "−3", "0.25": "−" (U+2212) for minus, no sign on a value that rounds to
  // zero, "∞", "−∞", "NaN".
  std::string text(double value) const;
};

// No decimals when every finite value is an integer; otherwise two
// significant digits of the largest magnitude, at least one decimal and at
// most three. Infinities and NaN do not count.
MatrixNumberFormat choose_format(std::span<const float> values);

} // namespace abh
