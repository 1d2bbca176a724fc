#pragma once
// 64-bit integer arithmetic that refuses to wrap: every count goes through
// these, so a shape whose counts overflow is rejected instead of lying.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace abh {

// A shape the program cannot count, draw or compute; what() is one line.
class ShapeError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

inline std::int64_t checked_mul(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r))
    throw ShapeError("shape too large to count: a count overflows 64-bit integers");
  return r;
}

inline std::int64_t checked_add(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r))
    throw ShapeError("shape too large to count: a count overflows 64-bit integers");
  return r;
}

inline std::int64_t checked_sub(std::int64_t a, std::int64_t b) {
  std::int64_t r = 0;
  if (__builtin_sub_overflow(a, b, &r))
    throw ShapeError("shape too large to count: a count overflows 64-bit integers");
  return r;
}

// checked_product(a, b, c, ...) = a·b·c·… or ShapeError.
template <typename... Rest>
std::int64_t checked_product(std::int64_t first, Rest... rest) {
  std::int64_t r = first;
  ((r = checked_mul(r, static_cast<std::int64_t>(rest))), ...);
  return r;
}

} // namespace abh
