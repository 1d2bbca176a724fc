#pragma once
// 64-bit integer arithmetic that refuses to wrap: every count goes through
// these, so a shape whose counts overflow is rejected instead of lying.

#include <cstdint>
#include <stdexcept>
#include <string>

namespace abh {

// The field of a shape an error is about, so each front end can name it its
// own way (the command line as --seq, the window as its slider).
enum class ShapeField {
  none, seq, d_model, heads, head_dim, kv_heads,
  queries, batch, window, v_head_dim, mla_q_rank, mla_kv_rank, mla_rope_dim,
};

// "seq", "d_model", …: the field's name in code and in state files ("" for none).
inline const char* shape_field_key(ShapeField field) {
  switch (field) {
  case ShapeField::seq: return "seq";
  case ShapeField::d_model: return "d_model";
  case ShapeField::heads: return "heads";
  case ShapeField::head_dim: return "head_dim";
  case ShapeField::kv_heads: return "kv_heads";
  case ShapeField::queries: return "queries";
  case ShapeField::batch: return "batch";
  case ShapeField::window: return "window";
  case ShapeField::v_head_dim: return "v_head_dim";
  case ShapeField::mla_q_rank: return "mla.q_rank";
  case ShapeField::mla_kv_rank: return "mla.kv_rank";
  case ShapeField::mla_rope_dim: return "mla.rope_dim";
  case ShapeField::none: break;
  }
  return "";
}

// A shape the program cannot count, draw or compute; what() is one line in
// the words of DESIGN.md ("heads H must be at least 1, got 0").
class ShapeError : public std::runtime_error {
public:
  explicit ShapeError(const std::string& message, ShapeField field = ShapeField::none)
      : std::runtime_error(message), field_(field) {}
  ShapeField field() const { return field_; }

private:
  ShapeField field_;
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
