#include "app/cli/variant_report.hpp"

#include <cmath>
#include <vector>

#include <fmt/format.h>

#include "core/checked_int.hpp"
#include "core/number_format.hpp"

namespace abh {

std::string per_token_text(double value) {
  if (std::fabs(value) >= 1e9) return compact_count_text(std::llround(value));
  const long long tenths = std::llround(value * 10);
  const std::string whole = with_separators(tenths / 10);
  return tenths % 10 == 0 ? whole : whole + "." + std::to_string(std::llabs(tenths % 10));
}

namespace {

nlohmann::json variant_comparison_json(const VariantComparison& comparison) {
  nlohmann::json out = nlohmann::json::array();
  for (const VariantFigures& f : comparison.variants) {
    const DtypeBytes& kv = f.kv_cache_bytes_per_token;
    out.push_back({{"name", variant_name(f.variant)},
                   {"kv_heads", f.shape.kv_heads},
                   {"current", f.current},
                   {"detail", f.detail},
                   {"kv_cache_bytes_per_token", {{"fp32", kv.fp32}, {"bf16", kv.bf16}, {"int8", kv.int8}}},
                   {"multiplies_per_token", f.multiplies_per_token},
                   {"score_dot_products", f.score_dot_products},
                   {"score_memory", f.score_memory},
                   {"attention_params", f.attention_params}});
  }
  return out;
}

// The comparison, or the one line that refuses it (a variant of a valid
// shape can overflow where the shape does not).
struct Compared {
  VariantComparison comparison;
  std::string refused;
};
Compared compared(const Shape& shape) {
  try {
    return {compare_variants(shape), ""};
  } catch (const ShapeError& e) {
    return {{}, e.what()};
  }
}

} // namespace

void add_variant_comparison(nlohmann::json& report, const Shape& shape) {
  const Compared c = compared(shape);
  report["variant_comparison"] = variant_comparison_json(c.comparison);
  nlohmann::json notes = nlohmann::json::array();
  if (!c.refused.empty()) notes.push_back(c.refused);
  if (!c.comparison.absent.empty()) notes.push_back(c.comparison.absent);
  if (!notes.empty()) report["variant_comparison_notes"] = notes;
}

std::string variant_comparison_text(const Shape& shape) {
  const Compared c = compared(shape);
  std::string out = "\nMHA · GQA · MQA · MLA at this width (KV cache per token and layer, bf16)\n";
  if (!c.refused.empty()) return out + "  not compared: " + c.refused + "\n";
  const std::vector<std::string> head{"", "KV side", "KV/token", "multiplies/token", "score memory",
                                      "attention params"};
  std::vector<std::vector<std::string>> rows{head};
  for (const VariantFigures& f : c.comparison.variants)
    rows.push_back({std::string(variant_name(f.variant)) + (f.current ? " *" : ""), f.detail,
                    bytes_text(static_cast<double>(f.kv_cache_bytes_per_token.bf16)),
                    per_token_text(f.multiplies_per_token), with_separators(f.score_memory),
                    with_separators(f.attention_params)});
  std::vector<std::size_t> width(head.size(), 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t i = 0; i < row.size(); ++i) {
      const std::string pad(width[i] - display_width(row[i]), ' ');
      line += " " + (i < 2 ? row[i] + pad : pad + row[i]); // names left, figures right
    }
    out += line + "\n";
  }
  out += "  * this shape";
  if (!c.comparison.absent.empty()) out += "; " + c.comparison.absent;
  return out + "\n";
}

} // namespace abh
