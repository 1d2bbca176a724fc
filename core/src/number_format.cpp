#include "core/number_format.hpp"

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
  if (value == 0 || !std::isfinite(value)) return printf_string("%g%s", value, "");
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
  if (a >= 1) return printf_string("%.3g %s", seconds, "s");
  if (a >= 1e-3) return printf_string("%.3g %s", seconds * 1e3, "ms");
  if (a >= 1e-6) return printf_string("%.3g %s", seconds * 1e6, "µs");
  return printf_string("%.3g %s", seconds * 1e9, "ns");
}

std::string rate_text(double per_second, const char* unit) {
  static const char* const prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  int p = 0;
  while (round_significant(std::fabs(per_second), 3) >= 1000 && p < 6) {
    per_second /= 1000;
    ++p;
  }
  return printf_string("%.3g %s", per_second, (std::string(prefixes[p]) + unit + "/s").c_str());
}

} // namespace abh
