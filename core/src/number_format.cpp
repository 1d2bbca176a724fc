#include "core/number_format.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace abh {

std::string with_separators(std::int64_t value) {
  const bool negative = value < 0;
  // Work in unsigned so INT64_MIN does not overflow on negation.
  std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(value)
                                     : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  std::string out;
  const std::size_t lead = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out.append(digits, 0, lead);
  for (std::size_t i = lead; i < digits.size(); i += 3) out += ',' + digits.substr(i, 3);
  return negative ? "-" + out : out;
}

namespace {
std::string printf_string(const char* format, double value, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value, suffix);
  return buf;
}
// `value` rounded to the `digits` significant digits printf("%.Ng") shows.
double round_significant(double value, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", digits, value);
  return std::strtod(buf, nullptr);
}

const char* superscript_digit(int d) {
  static const char* const digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  return digits[d];
}
} // namespace

std::string engineering(double value) {
  if (value == 0) return "0";
  if (!std::isfinite(value)) return printf_string("%g%s", value, "");
  int exponent = static_cast<int>(std::floor(std::log10(std::fabs(value))));
  exponent -= ((exponent % 3) + 3) % 3;
  double mantissa = round_significant(value / std::pow(10.0, exponent), 3);
  if (std::fabs(mantissa) >= 1000) { // 999.96 rounds to 1000: carry into the exponent
    mantissa /= 1000;
    exponent += 3;
  }
  std::string out = printf_string("%.3g%s", mantissa, "×10");
  if (exponent < 0) out += "⁻";
  std::string digits = std::to_string(std::abs(exponent));
  for (char ch : digits) out += superscript_digit(ch - '0');
  return out;
}

std::string count_text(std::int64_t value) {
  std::string out = with_separators(value);
  if (value >= 1'000'000'000 || value <= -1'000'000'000)
    out += " (" + engineering(static_cast<double>(value)) + ")";
  return out;
}

std::string compact_count_text(std::int64_t value) {
  if (value >= 1'000'000'000 || value <= -1'000'000'000)
    return engineering(static_cast<double>(value));
  return with_separators(value);
}

std::string significant_text(double value) {
  const double a = round_significant(std::fabs(value), 3);
  if (a == 0) return "0";
  if (!std::isfinite(value) || a >= 1e6 || a < 1e-3) return engineering(value);
  if (a >= 1000) return with_separators(std::llround(round_significant(value, 3)));
  return printf_string("%.3g%s", value, "");
}

std::string bytes_text(double bytes) {
  static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  int unit = 0;
  // Compare after rounding to what is printed, so 1 MiB − 1 B reads "1.00 MiB".
  while (unit < 6 && std::fabs(unit == 0 ? std::round(bytes) : std::round(bytes * 100) / 100) >= 1024) {
    bytes /= 1024;
    ++unit;
  }
  return printf_string(unit == 0 ? "%.0f %s" : "%.2f %s", bytes, units[unit]);
}

std::string seconds_text(double seconds) {
  const double a = round_significant(std::fabs(seconds), 3);
  if (a == 0) return "0 s";
  if (a >= 1e15) return engineering(seconds) + " s";
  if (a >= 1000) return with_separators(std::llround(seconds)) + " s";
  if (a >= 1) return printf_string("%.3g %s", seconds, "s");
  if (a >= 1e-3) return printf_string("%.3g %s", seconds * 1e3, "ms");
  if (a >= 1e-6) return printf_string("%.3g %s", seconds * 1e6, "µs");
  if (a >= 1e-9) return printf_string("%.3g %s", seconds * 1e9, "ns");
  return engineering(seconds) + " s";
}

std::string rate_text(double per_second, const char* unit) {
  static const char* const prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  const std::string per = std::string(unit) + "/s";
  const double a = round_significant(std::fabs(per_second), 3);
  if (a >= 1e21 || (a > 0 && a < 1e-3)) return engineering(per_second) + " " + per;
  int p = 0;
  while (round_significant(std::fabs(per_second), 3) >= 1000) {
    per_second /= 1000;
    ++p;
  }
  return printf_string("%.3g %s", per_second, (prefixes[p] + per).c_str());
}

std::size_t display_width(std::string_view utf8) {
  std::size_t width = 0;
  for (char c : utf8)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++width; // not a continuation byte
  return width;
}

// [SECTION] matrix cells

std::string MatrixNumberFormat::text(double value) const {
  const std::string minus = "−";
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value < 0 ? minus + "∞" : "∞";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(value));
  const std::string digits = buf;
  const bool zero = digits.find_first_not_of("0.") == std::string::npos;
  return value < 0 && !zero ? minus + digits : digits;
}

MatrixNumberFormat choose_format(std::span<const float> values) {
  float largest = 0;
  bool integers = true;
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    largest = std::max(largest, std::fabs(v));
    integers = integers && v == std::round(v);
  }
  if (integers) return {0};
  const int leading = static_cast<int>(std::floor(std::log10(largest)));
  return {std::clamp(1 - leading, 1, 3)};
}

std::string value_text(double v) {
  char buf[32];
  if (v == std::round(v) && std::fabs(v) < 1e7) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%.4g", v);
  std::string s = buf;
  if (s == "-0") s = "0";
  if (!s.empty() && s[0] == '-') s = "−" + s.substr(1);
  return s;
}

} // namespace abh
