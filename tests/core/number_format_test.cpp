// Number formatting for people: thousands separators, engineering notation,
// units, and one format per matrix for the cells drawn by hand.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/number_format.hpp"

namespace abh {
namespace {

TEST(NumberFormat, WithSeparators) {
  EXPECT_EQ(with_separators(0), "0");
  EXPECT_EQ(with_separators(7), "7");
  EXPECT_EQ(with_separators(999), "999");
  EXPECT_EQ(with_separators(1000), "1,000");
  EXPECT_EQ(with_separators(1600), "1,600");
  EXPECT_EQ(with_separators(4800), "4,800");
  EXPECT_EQ(with_separators(57600), "57,600");
  EXPECT_EQ(with_separators(100000), "100,000");
  EXPECT_EQ(with_separators(999999), "999,999");
  EXPECT_EQ(with_separators(1000000), "1,000,000");
  EXPECT_EQ(with_separators(1234567890), "1,234,567,890");
  EXPECT_EQ(with_separators(-1), "-1");
  EXPECT_EQ(with_separators(-999), "-999");
  EXPECT_EQ(with_separators(-1000), "-1,000");
  EXPECT_EQ(with_separators(-57600), "-57,600");
  EXPECT_EQ(with_separators(std::numeric_limits<std::int64_t>::max()),
            "9,223,372,036,854,775,807");
  EXPECT_EQ(with_separators(std::numeric_limits<std::int64_t>::min()),
            "-9,223,372,036,854,775,808");
}

// Removing the commas gives back the number, and groups are 3 digits.
TEST(NumberFormat, WithSeparatorsRoundTrips) {
  std::int64_t v = 1;
  for (int i = 0; i < 60; ++i, v = v * 2 + (i % 3)) {
    for (std::int64_t x : {v, -v}) {
      const std::string text = with_separators(x);
      std::string digits;
      for (char c : text)
        if (c != ',') digits += c;
      EXPECT_EQ(std::stoll(digits), x) << text;
      const std::size_t first_comma = text.find(',');
      if (first_comma != std::string::npos) {
        const std::size_t lead = first_comma - (x < 0 ? 1 : 0);
        EXPECT_GE(lead, 1u) << text;
        EXPECT_LE(lead, 3u) << text;
        for (std::size_t p = first_comma; p < text.size(); p += 4) {
          EXPECT_EQ(text[p], ',') << text;
        }
        EXPECT_EQ((text.size() - first_comma) % 4, 0u) << text;
      }
    }
  }
}

TEST(NumberFormat, CountTextAddsEngineeringFromOneBillion) {
  EXPECT_EQ(count_text(0), "0");
  EXPECT_EQ(count_text(57600), "57,600");
  EXPECT_EQ(count_text(999'999'999), "999,999,999");
  EXPECT_EQ(count_text(-999'999'999), "-999,999,999");
  EXPECT_EQ(count_text(1'000'000'000), "1,000,000,000 (1×10⁹)");
  EXPECT_EQ(count_text(1'500'000'000), "1,500,000,000 (1.5×10⁹)");
  EXPECT_EQ(count_text(12'300'000'000), "12,300,000,000 (12.3×10⁹)");
  EXPECT_EQ(count_text(123'000'000'000), "123,000,000,000 (123×10⁹)");
  EXPECT_EQ(count_text(1'000'000'000'000), "1,000,000,000,000 (1×10¹²)");
  EXPECT_EQ(count_text(-2'000'000'000), "-2,000,000,000 (-2×10⁹)");
  EXPECT_EQ(count_text(std::numeric_limits<std::int64_t>::max()),
            "9,223,372,036,854,775,807 (9.22×10¹⁸)");
  EXPECT_EQ(count_text(std::numeric_limits<std::int64_t>::min()),
            "-9,223,372,036,854,775,808 (-9.22×10¹⁸)");
  // Every power of ten from 10⁹ on: mantissa 1, 10 or 100.
  const char* const expected[] = {"1×10⁹",   "10×10⁹",   "100×10⁹",  "1×10¹²",  "10×10¹²",
                                  "100×10¹²", "1×10¹⁵",   "10×10¹⁵",  "100×10¹⁵", "1×10¹⁸"};
  std::int64_t v = 1'000'000'000;
  for (const char* e : expected) {
    const std::string text = count_text(v);
    EXPECT_NE(text.find(std::string("(") + e + ")"), std::string::npos) << text;
    if (v <= std::numeric_limits<std::int64_t>::max() / 10) v *= 10;
  }
}

TEST(NumberFormat, Engineering) {
  EXPECT_EQ(engineering(1.23e10), "12.3×10⁹");
  EXPECT_EQ(engineering(1e9), "1×10⁹");
  EXPECT_EQ(engineering(4.56e-7), "456×10⁻⁹");
  EXPECT_EQ(engineering(0.001), "1×10⁻³");
  EXPECT_EQ(engineering(1), "1×10⁰");
  EXPECT_EQ(engineering(0), "0");
}

// A mantissa that rounds up to 1000 must carry into the next exponent:
// 999,999,999,999 is "1×10¹²", not "1e+03×10⁹".
TEST(NumberFormat, EngineeringMantissaRoundingCarries) {
  const std::string text = count_text(999'999'999'999);
  const std::string eng = engineering(999.9e9);
  EXPECT_EQ(text, "999,999,999,999 (1×10¹²)");
  EXPECT_EQ(eng, "1×10¹²");
  for (std::int64_t v = 999'500'000'000; v < 1'000'000'000'000; v += 12'345'678) {
    const std::string t = count_text(v);
    EXPECT_EQ(t.find("e+"), std::string::npos) << t;
  }
}

TEST(NumberFormat, BytesSecondsRates) {
  EXPECT_EQ(bytes_text(0), "0 B");
  EXPECT_EQ(bytes_text(512), "512 B");
  EXPECT_EQ(bytes_text(1536), "1.50 KiB");
  EXPECT_EQ(bytes_text(1.5 * 1024 * 1024 * 1024), "1.50 GiB");
  EXPECT_EQ(bytes_text(2.0 * 1024 * 1024 * 1024), "2.00 GiB");
  EXPECT_EQ(seconds_text(12.3), "12.3 s");
  EXPECT_EQ(seconds_text(0.0123), "12.3 ms");
  EXPECT_EQ(seconds_text(12.3e-6), "12.3 µs");
  EXPECT_EQ(seconds_text(12.3e-9), "12.3 ns");
  EXPECT_EQ(rate_text(1.23e12, "FLOP"), "1.23 TFLOP/s");
  EXPECT_EQ(rate_text(5, "B"), "5 B/s");
  EXPECT_EQ(rate_text(2.5e9, "B"), "2.5 GB/s");
}

// Same rounding carry for the unit-scaled formats.
TEST(NumberFormat, UnitRoundingCarries) {
  const std::string s = seconds_text(0.9996);
  const std::string r = rate_text(999.9e9, "FLOP");
  const std::string b = bytes_text(1024.0 * 1024.0 - 1.0);
  EXPECT_EQ(s, "1 s");
  EXPECT_EQ(r, "1 TFLOP/s");
  EXPECT_EQ(b, "1.00 MiB");
}

// No unit format ever falls back to printf's e-notation, at any magnitude:
// past the largest unit, or below the smallest, the number is written ×10ⁿ.
TEST(NumberFormat, UnitFormatsNeverPrintENotation) {
  for (int exponent = -18; exponent <= 24; ++exponent)
    for (double mantissa : {1.0, 1.5, 9.99, 9.996, 9.9996}) {
      const double v = mantissa * std::pow(10.0, exponent);
      for (const std::string& text :
           {seconds_text(v), rate_text(v, "FLOP"), engineering(v), engineering(-v)}) {
        EXPECT_EQ(text.find("e+"), std::string::npos) << v << " -> " << text;
        EXPECT_EQ(text.find("e-"), std::string::npos) << v << " -> " << text;
      }
    }
}

TEST(NumberFormat, LongTimesAndHugeRates) {
  EXPECT_EQ(seconds_text(999.4), "999 s");
  EXPECT_EQ(seconds_text(999.6), "1,000 s");
  EXPECT_EQ(seconds_text(1234), "1,234 s");
  EXPECT_EQ(seconds_text(31'536'000), "31,536,000 s");
  EXPECT_EQ(seconds_text(2e18), "2×10¹⁸ s");
  EXPECT_EQ(seconds_text(5e-12), "5×10⁻¹² s");
  EXPECT_EQ(seconds_text(0), "0 s");
  EXPECT_EQ(rate_text(999e18, "FLOP"), "999 EFLOP/s");
  EXPECT_EQ(rate_text(1e21, "FLOP"), "1×10²¹ FLOP/s");
  EXPECT_EQ(engineering(-0.0), "0");
}

// Below 10⁹ with separators, from 10⁹ only the engineering form: short
// enough to stand beside a bar.
TEST(NumberFormat, SignificantTextHasThreeDigitsAndNoENotation) {
  EXPECT_EQ(significant_text(3.0416), "3.04");
  EXPECT_EQ(significant_text(0.012345), "0.0123");
  EXPECT_EQ(significant_text(1234.5), "1,230");
  EXPECT_EQ(significant_text(999.96), "1,000");
  EXPECT_EQ(significant_text(-2.5), "-2.5");
  EXPECT_EQ(significant_text(0.0), "0");
  EXPECT_EQ(significant_text(4.5e-6), "4.5×10⁻⁶");
  EXPECT_EQ(significant_text(2.5e7), "25×10⁶");
}

TEST(NumberFormat, CompactCountText) {
  EXPECT_EQ(compact_count_text(0), "0");
  EXPECT_EQ(compact_count_text(57600), "57,600");
  EXPECT_EQ(compact_count_text(999'999'999), "999,999,999");
  EXPECT_EQ(compact_count_text(1'000'000'000), "1×10⁹");
  EXPECT_EQ(compact_count_text(999'999'999'999), "1×10¹²");
  EXPECT_EQ(compact_count_text(std::numeric_limits<std::int64_t>::max()), "9.22×10¹⁸");
}

TEST(NumberFormat, DisplayWidthCountsCodePoints) {
  EXPECT_EQ(display_width(""), 0u);
  EXPECT_EQ(display_width("57,600"), 6u);
  EXPECT_EQ(display_width("1,000,000,000 (1×10⁹)"), 21u);
  EXPECT_EQ(display_width("−3.0"), 4u);
  EXPECT_EQ(display_width("scores H·n²"), 11u);
}

std::vector<std::string> texts(const std::vector<float>& values) {
  const MatrixNumberFormat format = choose_format(values);
  std::vector<std::string> out;
  for (float v : values) out.push_back(format.text(v));
  return out;
}

using Texts = std::vector<std::string>;

TEST(MatrixNumberFormat, IntegersPrintWithoutDecimals) {
  EXPECT_EQ(choose_format(std::vector<float>{3, -9, 0, 12}).decimals, 0);
  EXPECT_EQ(texts({3, -9, 0, 12, 1234}), (Texts{"3", "−9", "0", "12", "1234"}));
  EXPECT_EQ(texts({}), Texts{});
  EXPECT_EQ(choose_format(std::vector<float>{}).decimals, 0);
}

// One non-integer gives the whole matrix its decimals: "3.0" beside "9.5",
// never "3" beside "9.5".
TEST(MatrixNumberFormat, OneDecimalCountPerMatrix) {
  EXPECT_EQ(texts({3, 9.5f}), (Texts{"3.0", "9.5"}));
  EXPECT_EQ(texts({-3, 9, 0.5f}), (Texts{"−3.0", "9.0", "0.5"}));
  // Probabilities: two decimals for a largest value below 1.
  EXPECT_EQ(texts({0.93f, 0.012f, 0, 1.0f / 3}), (Texts{"0.93", "0.01", "0.00", "0.33"}));
  // Two significant digits of the largest magnitude, at least one decimal, at most three.
  EXPECT_EQ(choose_format(std::vector<float>{0.5f, 42.5f}).decimals, 1);
  EXPECT_EQ(choose_format(std::vector<float>{-4.25f, 1}).decimals, 1);
  EXPECT_EQ(choose_format(std::vector<float>{0.05f, 0.01f}).decimals, 3);
  EXPECT_EQ(choose_format(std::vector<float>{1e-6f, -2e-6f}).decimals, 3);
  EXPECT_EQ(choose_format(std::vector<float>{12345.5f}).decimals, 1);
}

TEST(MatrixNumberFormat, MinusSignAndZero) {
  const MatrixNumberFormat two{2};
  EXPECT_EQ(two.text(-1.5), "−1.50");
  EXPECT_EQ(two.text(-0.001), "0.00"); // rounds to zero: no sign
  EXPECT_EQ(two.text(-0.0), "0.00");
  EXPECT_EQ(two.text(0.005), "0.01");
  const MatrixNumberFormat none{0};
  EXPECT_EQ(none.text(-0.0), "0");
  EXPECT_EQ(none.text(-7), "−7");
  EXPECT_EQ(none.text(std::numeric_limits<double>::infinity()), "∞");
  EXPECT_EQ(none.text(-std::numeric_limits<double>::infinity()), "−∞");
  EXPECT_EQ(none.text(std::nan("")), "NaN");
  // Infinities and NaN do not decide the decimals.
  const float inf = std::numeric_limits<float>::infinity();
  EXPECT_EQ(texts({1, -inf, std::nanf(""), 2}), (Texts{"1", "−∞", "NaN", "2"}));
}

// For matrices across magnitudes: every cell has the same digits after the
// point, no ASCII '-' appears, and each text reads back within half a unit
// of its last digit.
TEST(MatrixNumberFormat, EveryCellSameDecimalsAndReadsBack) {
  for (int exponent = -7; exponent <= 6; ++exponent) {
    std::vector<float> values;
    for (int i = -20; i <= 20; ++i)
      values.push_back(static_cast<float>(i * 0.37 * std::pow(10.0, exponent)));
    const MatrixNumberFormat format = choose_format(values);
    SCOPED_TRACE("exponent " + std::to_string(exponent) + ", decimals " +
                 std::to_string(format.decimals));
    for (float v : values) {
      const std::string text = format.text(v);
      EXPECT_EQ(text.find('-'), std::string::npos) << text;
      const std::size_t point = text.find('.');
      const int decimals = point == std::string::npos ? 0 : static_cast<int>(text.size() - point - 1);
      EXPECT_EQ(decimals, format.decimals) << text;
      std::string ascii = text;
      const std::string minus = "−";
      if (ascii.rfind(minus, 0) == 0) ascii.replace(0, minus.size(), "-");
      EXPECT_NEAR(std::stod(ascii), v, 0.5 * std::pow(10.0, -format.decimals) * 1.0001) << text;
    }
  }
}

} // namespace
} // namespace abh
