#include "app/cli/count_report.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "app/cli/variant_report.hpp"
#include "app/io/core_json.hpp"
#include "core/model.hpp"
#include "core/number_format.hpp"

namespace abh {

// The report's field names are the members' names.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counts::Params, wqkv, wo)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Counts::Totals, multiplies, adds, exps, divides, flops,
                                   matmul_multiplies)

nlohmann::json counts_json(const Counts& c, const std::vector<Stage>& program) {
  nlohmann::json stages = nlohmann::json::object();
  for (Stage stage : program) {
    nlohmann::json& counts = stages[std::string(stage_key(stage))];
    for (Operation op : all_operations) counts[std::string(operation_key(op))] = c[stage][op];
  }
  const DtypeBytes kv = dtype_bytes(c.memory.kv_cache_per_token);
  const nlohmann::json memory = {
      {"scores_elements", c.memory.scores_elements},
      {"kv_cache_elements", c.memory.kv_cache_elements},
      {"kv_cache_bytes_per_token", {{"fp32", kv.fp32}, {"bf16", kv.bf16}, {"int8", kv.int8}}}};
  return {{"params", c.params}, {"stages", stages}, {"totals", c.totals}, {"memory", memory}};
}

nlohmann::json count_report_json(const Shape& shape, const nlohmann::json& model) {
  const Shape single = single_head_of(shape);
  nlohmann::json j = {{"shape", shape_json(shape)},
                      {"single", counts_json(count(single), program_stages(single))},
                      {"multi", counts_json(count(shape), program_stages(shape))}};
  if (!model.is_null()) j["model"] = model;
  add_variant_comparison(j, shape);
  return j;
}

namespace {

std::string mark(std::int64_t single, std::int64_t multi) {
  if (single == multi) return "same";
  return multi > single ? "grows with H" : "shrinks with H";
}

} // namespace

std::string count_report_text(const Shape& shape, const std::string& model_lines) {
  const Shape single_shape = single_head_of(shape);
  const Counts single = count(single_shape), multi = count(shape);
  // Headings (no numbers) and rows, laid out once the widest count is known.
  struct Line {
    std::string label, single, multi, mark;
  };
  std::vector<Line> lines;
  const auto heading = [&](std::string_view title) { lines.push_back({std::string(title), "", "", ""}); };
  const auto row = [&](std::string label, std::int64_t a, std::int64_t b) {
    lines.push_back({"  " + std::move(label), count_text(a), count_text(b), mark(a, b)});
  };
  for (const StageSpec& stage : attention_program(shape).stages) {
    heading(stage_title(stage.id));
    for (Operation op : all_operations)
      if (single[stage.id][op] || multi[stage.id][op])
        row(std::string(operation_name(op)), single[stage.id][op], multi[stage.id][op]);
  }
  heading("Totals");
  row("multiplies", single.totals.multiplies, multi.totals.multiplies);
  row("  of which in matmuls", single.totals.matmul_multiplies, multi.totals.matmul_multiplies);
  row("adds", single.totals.adds, multi.totals.adds);
  row("exps", single.totals.exps, multi.totals.exps);
  row("divides", single.totals.divides, multi.totals.divides);
  row("flops (multiplies + adds)", single.totals.flops, multi.totals.flops);
  heading("Parameters");
  row("Wqkv", single.params.wqkv, multi.params.wqkv);
  row("Wo", single.params.wo, multi.params.wo);
  heading("Memory (elements)");
  const std::string batch = shape.batch > 1 ? "B·" : "";
  row("scores " + batch + (shape.is_prefill() ? "H·n²" : "H·n_q·n"), single.memory.scores_elements,
      multi.memory.scores_elements);
  row(shape.is_mla() ? "KV cache B·(dc+dr)·n" : "KV cache B·Hkv·(dh+dv)·n",
      single.memory.kv_cache_elements, multi.memory.kv_cache_elements);
  heading("KV cache per token, one layer (bytes)");
  const DtypeBytes single_kv = dtype_bytes(single.memory.kv_cache_per_token),
                   multi_kv = dtype_bytes(multi.memory.kv_cache_per_token);
  row("fp32", single_kv.fp32, multi_kv.fp32);
  row("bf16", single_kv.bf16, multi_kv.bf16);
  row("int8", single_kv.int8, multi_kv.int8);

  const std::string multi_title = fmt::format("{} heads", shape.heads);
  std::size_t width = std::max<std::size_t>(14, display_width(multi_title));
  for (const Line& l : lines) width = std::max({width, display_width(l.single), display_width(l.multi)});
  std::string out = fmt::format("Attention by Hand: {}\n", describe(shape));
  out += model_lines;
  out += fmt::format("single head: {}\n\n", describe(single_shape));
  out += fmt::format("  {:<28} {:>{}} {:>{}}\n", "", "1 head", width, multi_title, width);
  for (const Line& l : lines) {
    if (l.single.empty()) out += l.label + "\n";
    else out += fmt::format("{:<30} {:>{}} {:>{}}  {}\n", l.label, l.single, width, l.multi, width, l.mark);
  }
  return out + variant_comparison_text(shape);
}

} // namespace abh
