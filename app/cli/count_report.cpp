#include "app/cli/count_report.hpp"

#include <fmt/format.h>

#include "app/io/core_json.hpp"
#include "core/number_format.hpp"

namespace abh {

// The report's field names are the members' names.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counts::Params, wqkv, wo)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counts::Totals, multiplies, adds, exps, divides, flops,
                                   matmul_multiplies)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counts::Memory, scores_elements, kv_cache_elements)

nlohmann::json counts_json(const Counts& c) {
  nlohmann::json stages = nlohmann::json::object();
  for (Stage stage : all_stages) {
    nlohmann::json& counts = stages[std::string(stage_key(stage))];
    for (Operation op : all_operations) counts[std::string(operation_key(op))] = c[stage][op];
  }
  return {{"params", c.params}, {"stages", stages}, {"totals", c.totals}, {"memory", c.memory}};
}

nlohmann::json count_report_json(const Shape& shape) {
  return {{"shape", shape_json(shape)},
          {"single", counts_json(count(single_head_of(shape)))},
          {"multi", counts_json(count(shape))}};
}

namespace {

std::string mark(std::int64_t single, std::int64_t multi) {
  if (single == multi) return "same";
  return multi > single ? "grows with H" : "shrinks with H";
}

} // namespace

std::string count_report_text(const Shape& shape) {
  const Shape single_shape = single_head_of(shape);
  const Counts single = count(single_shape), multi = count(shape);
  std::string out = fmt::format("Attention by Hand: {}\n", describe(shape));
  out += fmt::format("single head: {}\n\n", describe(single_shape));
  const auto row = [&](const std::string& label, std::int64_t a, std::int64_t b) {
    out += fmt::format("  {:<28} {:>26} {:>26}  {}\n", label, count_text(a), count_text(b),
                       mark(a, b));
  };
  out += fmt::format("  {:<28} {:>26} {:>26}\n", "", "1 head", fmt::format("{} heads", shape.heads));
  for (const StageSpec& stage : attention_program(shape).stages) {
    out += fmt::format("{}\n", stage_title(stage.id));
    for (Operation op : all_operations)
      if (single[stage.id][op] || multi[stage.id][op])
        row(std::string(operation_name(op)), single[stage.id][op], multi[stage.id][op]);
  }
  out += "Totals\n";
  row("multiplies", single.totals.multiplies, multi.totals.multiplies);
  row("  of which in matmuls", single.totals.matmul_multiplies, multi.totals.matmul_multiplies);
  row("adds", single.totals.adds, multi.totals.adds);
  row("exps", single.totals.exps, multi.totals.exps);
  row("divides", single.totals.divides, multi.totals.divides);
  row("flops (multiplies + adds)", single.totals.flops, multi.totals.flops);
  out += "Parameters\n";
  row("Wqkv", single.params.wqkv, multi.params.wqkv);
  row("Wo", single.params.wo, multi.params.wo);
  out += "Memory (elements)\n";
  row("scores H·n²", single.memory.scores_elements, multi.memory.scores_elements);
  row("KV cache 2·Hkv·dh·n", single.memory.kv_cache_elements, multi.memory.kv_cache_elements);
  return out;
}

} // namespace abh
