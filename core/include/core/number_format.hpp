#pragma once
// One place that formats counts, sizes and times for people.

#include <cstdint>
#include <string>

namespace abh {

std::string with_separators(std::int64_t value);   // 57600 -> "57,600"
std::string engineering(double value);             // 1.23e10 -> "12.3×10⁹"
// with_separators, plus engineering notation in brackets beyond 10⁹.
std::string count_text(std::int64_t value);
std::string bytes_text(double bytes);               // "1.50 GiB"
std::string seconds_text(double seconds);           // "12.3 ms"
std::string rate_text(double per_second, const char* unit); // "1.23 TFLOP/s"

} // namespace abh
