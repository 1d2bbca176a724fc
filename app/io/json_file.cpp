#include "app/io/json_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace abh {

using nlohmann::json;

namespace {

[[noreturn]] void refuse(const std::string& where, const std::string& rule, const json& value) {
  throw std::runtime_error(fmt::format("field \"{}\" must be {}, got {}", where, rule, value.dump()));
}

std::string reason(int error) {
  return error == ENOENT ? "no such file" : std::strerror(error);
}

// A closing file descriptor.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

} // namespace

std::string read_small_file(const std::string& path, std::size_t limit) {
  const auto fail = [&](const std::string& why) {
    return std::runtime_error("cannot read " + path + ": " + why);
  };
  const Fd file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (file.fd < 0) throw fail(reason(errno));
  struct stat info {};
  if (::fstat(file.fd, &info) != 0) throw fail(reason(errno));
  if (!S_ISREG(info.st_mode)) throw fail("not a regular file");
  const auto too_large = [&] {
    return fail(fmt::format("larger than the {} MiB a file may have", limit >> 20));
  };
  if (static_cast<std::uint64_t>(info.st_size) > limit) throw too_large();
  // Read at most one byte past the limit: a file that grows while it is
  // read is refused too.
  std::string text(static_cast<std::size_t>(info.st_size) + 1, '\0');
  std::size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (text.size() > limit) throw too_large();
      text.resize(std::min(limit + 1, text.size() * 2));
    }
    const ssize_t n = ::read(file.fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw fail(reason(errno));
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > limit) throw too_large();
  text.resize(got);
  return text;
}

json parse_json(const std::string& text) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw std::runtime_error("not valid JSON (byte " + std::to_string(e.byte) + ")");
  } catch (const json::exception& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'":
    // the words after the exception's tag.
    const std::string what = e.what();
    const auto tag_end = what.find("] ");
    throw std::runtime_error(tag_end == std::string::npos ? what : what.substr(tag_end + 2));
  }
}

json read_json_file(const std::string& path) {
  const std::string text = read_small_file(path);
  try {
    return parse_json(text);
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("cannot read " + path + ": " + e.what());
  }
}

void read_field(const json& value, const std::string& where, std::int64_t& into, std::int64_t lo,
                std::int64_t hi) {
  const std::string rule =
      lo == std::numeric_limits<std::int64_t>::min() && hi == std::numeric_limits<std::int64_t>::max()
          ? "a whole number"
          : fmt::format("a whole number from {} to {}", lo, hi);
  std::int64_t v = 0;
  if (value.is_number_unsigned()) {
    const auto u = value.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) refuse(where, rule, value);
    v = static_cast<std::int64_t>(u);
  } else if (value.is_number_integer()) {
    v = value.get<std::int64_t>();
  } else {
    refuse(where, rule, value);
  }
  if (v < lo || v > hi) refuse(where, rule, value);
  into = v;
}

void read_field(const json& value, const std::string& where, std::uint64_t& into) {
  if (!value.is_number_unsigned()) refuse(where, "a whole number from 0 to 18446744073709551615", value);
  into = value.get<std::uint64_t>();
}

void read_field(const json& value, const std::string& where, int& into, int lo, int hi) {
  std::int64_t v = 0;
  read_field(value, where, v, lo, hi);
  into = static_cast<int>(v);
}

void read_field(const json& value, const std::string& where, float& into, float lo, float hi) {
  const std::string rule = fmt::format("a number from {} to {}", lo, hi);
  if (!value.is_number()) refuse(where, rule, value);
  const double v = value.get<double>();
  if (!(v >= lo && v <= hi)) refuse(where, rule, value);
  into = static_cast<float>(v);
}

void read_field(const json& value, const std::string& where, bool& into) {
  if (!value.is_boolean()) refuse(where, "true or false", value);
  into = value.get<bool>();
}

void read_field(const json& value, const std::string& where, std::string& into) {
  if (!value.is_string()) refuse(where, "text", value);
  into = value.get<std::string>();
}

} // namespace abh
