#include "core/hardware/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>
#include <stdexcept>

#include "core/hardware/gpu_kernels.hpp"
#include "core/hardware/models.hpp"

namespace abh {

namespace {

std::vector<std::string> split_line(std::string_view line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == ',') out.emplace_back();
    else if (c != '\r') out.back() += c;
  }
  return out;
}

std::size_t column_index(const CsvTable& t, std::string_view column) {
  for (std::size_t i = 0; i < t.header.size(); ++i)
    if (t.header[i] == column) return i;
  throw std::invalid_argument("calibration data has no column \"" + std::string(column) + "\"");
}

std::int64_t whole(const CsvTable& t, std::size_t row, std::string_view column) {
  return static_cast<std::int64_t>(std::llround(t.number(row, column)));
}

std::string fmt(const char* format, double v) {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string regime_of(Dtype dtype, std::int64_t dh) {
  const std::string range = dh <= 24 ? "narrow dh 8–24" : dh <= 256 ? "dh 32–256" : "dh > 256";
  return std::string(dtype_key(dtype)) + ", " + range;
}

Dtype dtype_of(const CsvTable& t, std::size_t row) {
  const auto d = parse_dtype(t.text(row, "dtype"));
  if (!d) throw std::invalid_argument("calibration data: unknown dtype \"" + t.text(row, "dtype") + "\"");
  return *d;
}

double stage_seconds(const Schedule& s, Stage id) {
  for (const StageCost& st : s.stages)
    if (st.stage == id) return st.seconds;
  return 0;
}

Shape prefill_shape(const CsvTable& t, std::size_t i) {
  Shape s;
  s.seq = whole(t, i, "n");
  s.d_model = whole(t, i, "d");
  s.heads = whole(t, i, "H");
  s.head_dim = whole(t, i, "dh");
  s.kv_heads = s.heads;
  return s;
}

// The comparisons of one prefill row; `only` limits them to those stages (empty: all).
void compare_prefill_row(const CsvTable& t, std::size_t i, const HardwareSpec& gpu,
                         const std::set<std::string>& only, std::vector<Comparison>& out) {
  const Dtype dtype = dtype_of(t, i);
  Shape shape = prefill_shape(t, i);
  const std::string row = std::string(dtype_key(dtype)) + " d=" + std::to_string(shape.d_model) +
                          " H=" + std::to_string(shape.heads) + " dh=" + std::to_string(shape.head_dim) +
                          " n=" + std::to_string(shape.seq);
  const std::string regime = regime_of(dtype, shape.head_dim);
  const auto wanted = [&](const std::string& stage) { return only.empty() || only.count(stage) > 0; };
  const auto add = [&](const std::string& stage, double model) {
    out.push_back({stage, regime, row, is_fit_row(i), model, t.number(i, stage + "_us") * 1e-6});
  };
  static const std::set<std::string> unfused_stages = {"projection", "scores", "scale", "softmax",
                                                       "weighted_sum", "output", "unfused_attention"};
  if (std::any_of(unfused_stages.begin(), unfused_stages.end(), wanted)) {
    const Schedule s = run_model(shape, {dtype, false, false}, gpu);
    for (Stage id : all_stages)
      if (wanted(std::string(stage_key(id)))) add(std::string(stage_key(id)), stage_seconds(s, id));
    if (wanted("unfused_attention"))
      add("unfused_attention", stage_seconds(s, Stage::scores) + stage_seconds(s, Stage::scale) +
                                   stage_seconds(s, Stage::softmax) + stage_seconds(s, Stage::weighted_sum));
  }
  if (wanted("sdpa"))
    add("sdpa", stage_seconds(run_model(shape, {dtype, true, false}, gpu), Stage::attention));
  if (wanted("sdpa_causal")) {
    shape.causal = true;
    add("sdpa_causal", stage_seconds(run_model(shape, {dtype, true, false}, gpu), Stage::attention));
  }
}

void compare_decode_row(const CsvTable& t, std::size_t i, const HardwareSpec& gpu,
                        std::vector<Comparison>& out) {
  const Dtype dtype = dtype_of(t, i);
  const std::int64_t H = whole(t, i, "H"), Hkv = whole(t, i, "Hkv"), dh = whole(t, i, "dh");
  const std::int64_t nq = whole(t, i, "n_q"), nkv = whole(t, i, "n_kv");
  const std::string kind = Hkv == H ? "MHA" : Hkv == 1 ? "MQA" : "GQA";
  const std::string row = std::string(dtype_key(dtype)) + " H=" + std::to_string(H) + " Hkv=" +
                          std::to_string(Hkv) + " dh=" + std::to_string(dh) + " n_q=" +
                          std::to_string(nq) + " n_kv=" + std::to_string(nkv);
  const double measured = t.number(i, "sdpa_us") * 1e-6;
  if (nq == 1) {
    const double model = decode_step_seconds(gpu, t.number(i, "kv_bytes"), false);
    out.push_back({"decode", "decode, " + kind, row, is_fit_row(i), model, measured});
  } else {
    Shape s;
    s.seq = nq;
    s.heads = H;
    s.kv_heads = Hkv;
    s.head_dim = dh;
    s.d_model = H * dh;
    const double model = stage_seconds(run_model(s, {dtype, true, false}, gpu), Stage::attention);
    out.push_back({"sdpa_gqa", "prefill n_q = n_kv, " + kind, row, is_fit_row(i), model, measured});
  }
}

double squared_log_error(const std::vector<Comparison>& cs) {
  double e = 0;
  for (const Comparison& c : cs) e += std::pow(std::log(c.ratio()), 2);
  return e;
}

} // namespace

double CsvTable::number(std::size_t row, std::string_view column) const {
  const std::string& s = text(row, column);
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used == s.size() && std::isfinite(v)) return v;
  } catch (const std::exception&) {
  }
  throw std::invalid_argument("calibration data row " + std::to_string(row) + ": " +
                              std::string(column) + " is not a number: \"" + s + "\"");
}

const std::string& CsvTable::text(std::size_t row, std::string_view column) const {
  return rows.at(row).at(column_index(*this, column));
}

CsvTable parse_csv(std::string_view text) {
  CsvTable t;
  std::size_t start = 0, line = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view l = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (l.empty() || l == "\r") continue;
    std::vector<std::string> cells = split_line(l);
    if (t.header.empty()) {
      t.header = std::move(cells);
    } else if (cells.size() != t.header.size()) {
      throw std::invalid_argument("calibration data line " + std::to_string(line) + " has " +
                                  std::to_string(cells.size()) + " values, the header " +
                                  std::to_string(t.header.size()));
    } else {
      t.rows.push_back(std::move(cells));
    }
  }
  return t;
}

bool is_fit_row(std::size_t row) { return row % 2 == 0; }

std::vector<Comparison> prefill_comparisons(const CsvTable& prefill, const HardwareSpec& gpu) {
  std::vector<Comparison> out;
  for (std::size_t i = 0; i < prefill.rows.size(); ++i) compare_prefill_row(prefill, i, gpu, {}, out);
  return out;
}

std::vector<Comparison> decode_comparisons(const CsvTable& decode, const HardwareSpec& gpu) {
  std::vector<Comparison> out;
  for (std::size_t i = 0; i < decode.rows.size(); ++i) compare_decode_row(decode, i, gpu, out);
  return out;
}

RatioSummary summarise(const std::vector<Comparison>& cs) {
  RatioSummary s;
  if (cs.empty()) return s;
  double logs = 0;
  s.min = s.max = cs.front().ratio();
  for (const Comparison& c : cs) {
    const double r = c.ratio();
    ++s.count;
    if (r >= 1 / 1.5 && r <= 1.5) s.within += 1;
    logs += std::log(r);
    s.min = std::min(s.min, r);
    s.max = std::max(s.max, r);
  }
  s.within /= s.count;
  s.geomean = std::exp(logs / s.count);
  return s;
}

std::vector<HeadTrend> head_trends(const CsvTable& t, const HardwareSpec& gpu) {
  // (dtype, d, n) → row index of H = 1 and of H = 64.
  std::map<std::string, std::pair<int, int>> pairs;
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    const std::int64_t H = whole(t, i, "H");
    if (H != 1 && H != 64) continue;
    const std::string key = t.text(i, "dtype") + " d=" + t.text(i, "d") + " n=" + t.text(i, "n");
    auto& p = pairs.try_emplace(key, -1, -1).first->second;
    (H == 1 ? p.first : p.second) = static_cast<int>(i);
  }
  std::vector<HeadTrend> out;
  for (const auto& [key, p] : pairs) {
    if (p.first < 0 || p.second < 0) continue;
    double model[2], measured[2];
    for (int k = 0; k < 2; ++k) {
      const auto i = static_cast<std::size_t>(k == 0 ? p.first : p.second);
      std::vector<Comparison> cs;
      compare_prefill_row(t, i, gpu, {"unfused_attention"}, cs);
      model[k] = cs.front().model;
      measured[k] = cs.front().measured;
    }
    out.push_back({key, measured[1] / measured[0], model[1] / model[0]});
  }
  return out;
}

CalibrationFit fit_gpu_calibration(const HardwareSpec& start, const CsvTable& ceilings,
                                   const CsvTable& prefill, const CsvTable& decode) {
  CalibrationFit fit{start, {}};
  HardwareSpec& s = fit.spec;
  const MemoryLevel* main = s.level(MemoryRole::main);
  for (std::size_t i = 0; i < ceilings.rows.size(); ++i) {
    const std::string& what = ceilings.text(i, "what");
    const double v = ceilings.number(i, "value");
    if (what == "copy_2GiB_read_plus_write_GBps" && main != nullptr)
      s.memory_efficiency = {std::min(1.0, v * 1e9 / main->bandwidth.value), "fitted"};
    if (what == "gemm_8192_bf16_TFLOPs")
      s.matrix_efficiency = {std::min(1.0, v * 1e12 / s.peak_bf16.value), "fitted"};
  }
  fit.fields = {"memory_efficiency", "matrix_efficiency"};

  struct Param {
    const char* key;
    std::set<std::string> stages;
    double max;
  };
  const std::vector<Param> params = {
      {"framework_overhead", {"projection", "scores", "scale", "softmax", "weighted_sum", "output"}, 1e-3},
      {"store_efficiency", {"scores"}, 1},
      {"softmax_ops", {"softmax"}, 1e4},
      {"softmax_row_seconds", {"softmax"}, 1e-3},
      {"fused_efficiency", {"sdpa", "sdpa_causal"}, 1},
      {"fused_score_ops", {"sdpa", "sdpa_causal"}, 1e4},
      {"fallback_flops", {"sdpa", "sdpa_causal"}, 1e16},
      {"fallback_score_ops", {"sdpa", "sdpa_causal"}, 1e4},
      {"kv_stream_efficiency", {"decode"}, 1},
  };
  const auto error = [&](const Param& p) {
    std::vector<Comparison> cs;
    if (p.stages.count("decode")) {
      for (std::size_t i = 0; i < decode.rows.size(); i += 2) compare_decode_row(decode, i, s, cs);
    } else {
      for (std::size_t i = 0; i < prefill.rows.size(); ++i)
        if (is_fit_row(i)) compare_prefill_row(prefill, i, s, p.stages, cs);
    }
    std::erase_if(cs, [&](const Comparison& c) { return !p.stages.count(c.stage) || !c.fit; });
    return squared_log_error(cs);
  };
  for (int sweep = 0; sweep < 2; ++sweep)
    for (const Param& p : params) {
      Figure& f = s.*(find_figure_field(p.key)->member);
      if (f.value <= 0) continue; // a figure the start spec leaves out stays out
      // Golden-section search of log(value) over a factor of 3 either way.
      double lo = std::log(f.value / 3), hi = std::log(std::min(p.max, f.value * 3));
      const double g = (std::sqrt(5.0) - 1) / 2;
      const auto at = [&](double x) {
        f.value = std::exp(x);
        return error(p);
      };
      double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
      double fa = at(a), fb = at(b);
      for (int k = 0; k < 30; ++k) {
        if (fa < fb) {
          hi = b, b = a, fb = fa;
          a = hi - g * (hi - lo);
          fa = at(a);
        } else {
          lo = a, a = b, fa = fb;
          b = lo + g * (hi - lo);
          fb = at(b);
        }
      }
      f = {std::exp((lo + hi) / 2), "fitted"};
      if (sweep == 0) fit.fields.push_back(p.key);
    }
  return fit;
}

namespace {

std::string summary_cells(const RatioSummary& s) {
  if (s.count == 0) return "– | – | – | –";
  return std::to_string(s.count) + " | " + fmt("%.0f%%", 100 * s.within) + " | " + fmt("%.2f", s.geomean) +
         " | " + fmt("%.2f", s.min) + "–" + fmt("%.2f", s.max);
}

std::vector<Comparison> select(const std::vector<Comparison>& cs,
                               const std::function<bool(const Comparison&)>& keep) {
  std::vector<Comparison> out;
  for (const Comparison& c : cs)
    if (keep(c)) out.push_back(c);
  return out;
}

std::string figure_text(double v) { return fmt("%.4g", v); }

} // namespace

std::string validation_report(const HardwareSpec& gpu, const CsvTable& prefill, const CsvTable& decode,
                              const CalibrationFit& refit) {
  const std::vector<Comparison> pre = prefill_comparisons(prefill, gpu);
  const std::vector<Comparison> dec = decode_comparisons(decode, gpu);
  std::vector<Comparison> all = pre;
  all.insert(all.end(), dec.begin(), dec.end());
  std::string r;
  r += "# GPU model vs a measured NVIDIA H200\n\n";
  r += "Generated by `scripts/hardware_validation.sh` (the `hardware_validation` tool runs the GPU\n"
       "model of `core/hardware/gpu_model.cpp` with the `" + gpu.chip + "` entry of\n"
       "`assets/hardware.json`); do not edit by hand. Data: `tests/hardware/calib/` (a copy of the\n"
       "measurements described in its README: PyTorch eager, medians of 15 runs, CUDA events).\n\n";
  r += "**Split.** Data rows are numbered from 0 in file order; even rows are the fit rows, odd rows\n"
       "are held out. Every figure marked *fitted* in `assets/hardware.json` was chosen on fit rows\n"
       "only: `memory_efficiency` and `matrix_efficiency` from `h200_ceilings.csv` (the 2 GiB copy\n"
       "and the 8192³ bf16 product), the others by golden-section search of the squared log ratio\n"
       "of the stages each one drives. Ratios are model / measured.\n\n";
  {
    r += "## Targets on the held-out rows\n\n";
    std::vector<std::string> names;
    for (const Comparison& c : all)
      if (std::find(names.begin(), names.end(), c.stage) == names.end()) names.push_back(c.stage);
    double worst = 1;
    std::string worst_stage;
    for (const std::string& st : names) {
      const RatioSummary s = summarise(select(all, [&](const Comparison& c) { return c.stage == st && !c.fit; }));
      if (s.count > 0 && s.within < worst) worst = s.within, worst_stage = st;
    }
    const RatioSummary soft =
        summarise(select(all, [](const Comparison& c) { return c.stage == "softmax" && !c.fit; }));
    double trend_lo = 1e9, trend_hi = 0;
    for (const HeadTrend& h : head_trends(prefill, gpu)) {
      trend_lo = std::min(trend_lo, h.model / h.measured);
      trend_hi = std::max(trend_hi, h.model / h.measured);
    }
    const auto mark = [](bool ok) { return ok ? std::string("met") : std::string("**missed**"); };
    r += "- Each stage within 1.5× of measured for ≥ 85% of comparisons: the lowest share is " +
         fmt("%.0f%%", 100 * worst) + " (" + worst_stage + "): " + mark(worst >= 0.85) + ".\n";
    r += "- Softmax geometric-mean ratio within 0.8–1.25: " + fmt("%.2f", soft.geomean) + ": " +
         mark(soft.geomean >= 0.8 && soft.geomean <= 1.25) + ".\n";
    r += "- H = 1 → 64 slowdown within 1.5× of measured: model / measured " + fmt("%.2f", trend_lo) + "–" +
         fmt("%.2f", trend_hi) + ": " + mark(trend_lo >= 1 / 1.5 && trend_hi <= 1.5) + ".\n\n";
  }
  r += "## Calibrated figures\n\n| figure | shipped | refit now | source |\n|---|---|---|---|\n";
  for (const std::string& key : refit.fields) {
    const FigureField* f = find_figure_field(key);
    r += "| `" + key + "` | " + figure_text((gpu.*(f->member)).value) + " | " +
         figure_text((refit.spec.*(f->member)).value) + " | " + (gpu.*(f->member)).source + " |\n";
  }
  r += "\n## Per stage\n\nWithin = share of ratios in [1/1.5, 1.5]; gm = geometric mean; range = min–max.\n\n";
  r += "| stage | fit: n | within | gm | range | test: n | within | gm | range |\n";
  r += "|---|---|---|---|---|---|---|---|---|\n";
  std::vector<std::string> stages;
  for (const Comparison& c : all)
    if (std::find(stages.begin(), stages.end(), c.stage) == stages.end()) stages.push_back(c.stage);
  for (const std::string& st : stages) {
    r += "| " + st + " | " +
         summary_cells(summarise(select(all, [&](const Comparison& c) { return c.stage == st && c.fit; }))) +
         " | " +
         summary_cells(summarise(select(all, [&](const Comparison& c) { return c.stage == st && !c.fit; }))) +
         " |\n";
  }
  r += "\n## Per regime\n\n| regime | stage | fit: n | within | gm | range | test: n | within | gm | range |\n";
  r += "|---|---|---|---|---|---|---|---|---|---|\n";
  std::vector<std::string> regimes;
  for (const Comparison& c : all)
    if (std::find(regimes.begin(), regimes.end(), c.regime) == regimes.end()) regimes.push_back(c.regime);
  for (const std::string& reg : regimes)
    for (const std::string& st : stages) {
      const auto in = [&](bool fit) {
        return select(all, [&](const Comparison& c) { return c.regime == reg && c.stage == st && c.fit == fit; });
      };
      if (in(true).empty() && in(false).empty()) continue;
      r += "| " + reg + " | " + st + " | " + summary_cells(summarise(in(true))) + " | " +
           summary_cells(summarise(in(false))) + " |\n";
    }
  r += "\n## Heads at a fixed width: the H = 1 → 64 slowdown (unfused attention stages)\n\n";
  r += "| dtype, width, n | measured | model | model / measured |\n|---|---|---|---|\n";
  for (const HeadTrend& h : head_trends(prefill, gpu))
    r += "| " + h.row + " | " + fmt("%.2f×", h.measured) + " | " + fmt("%.2f×", h.model) + " | " +
         fmt("%.2f", h.model / h.measured) + " |\n";
  r += "\n## Decode: one query against the KV cache\n\n";
  r += "A decode step reads the K and V cache once: time = KV bytes / (HBM bandwidth × "
       "`kv_stream_efficiency`) + 2 × per-operator overhead (flash-decoding's split and combine "
       "kernels). Achieved KV-streaming bandwidth: " +
       fmt("%.0f GB/s", kv_stream_bandwidth(gpu) / 1e9) + ".\n\n";
  r += "| row | split | measured | model | ratio |\n|---|---|---|---|---|\n";
  for (const Comparison& c : dec)
    r += "| " + c.row + " | " + (c.fit ? "fit" : "test") + " | " + fmt("%.1f µs", c.measured * 1e6) + " | " +
         fmt("%.1f µs", c.model * 1e6) + " | " + fmt("%.2f", c.ratio()) + " |\n";
  r += "\n## Every prefill comparison\n\n| row | stage | split | measured | model | ratio |\n"
       "|---|---|---|---|---|---|\n";
  for (const Comparison& c : pre)
    r += "| " + c.row + " | " + c.stage + " | " + (c.fit ? "fit" : "test") + " | " +
         fmt("%.1f µs", c.measured * 1e6) + " | " + fmt("%.1f µs", c.model * 1e6) + " | " +
         fmt("%.2f", c.ratio()) + " |\n";
  return r;
}

} // namespace abh
