#include "core/hardware/measurement.hpp"

#include <algorithm>

#include "core/number_format.hpp"

namespace abh {

namespace {

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t mid = v.size() / 2;
  return v.size() % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

} // namespace

std::vector<Timing> warm_medians(const std::function<std::vector<double>()>& timed_round, std::size_t parts,
                                 int warmups, int runs, double budget_seconds) {
  int done_warmups = 0;
  for (; done_warmups < warmups; ++done_warmups) timed_round();
  std::vector<std::vector<double>> seconds(parts);
  double spent = 0;
  int rounds = 0;
  while (rounds < runs) {
    const std::vector<double> round = timed_round();
    for (std::size_t p = 0; p < parts; ++p) {
      const double s = p < round.size() ? round[p] : 0;
      seconds[p].push_back(s);
      spent += s;
    }
    ++rounds;
    if (rounds >= 3 && spent >= budget_seconds) break;
  }
  std::vector<Timing> out(parts);
  for (std::size_t p = 0; p < parts; ++p) out[p] = {median(seconds[p]), rounds, done_warmups};
  return out;
}

Timing warm_median(const std::function<double()>& timed_run, int warmups, int runs,
                   double budget_seconds) {
  return warm_medians([&] { return std::vector<double>{timed_run()}; }, 1, warmups, runs, budget_seconds)
      .front();
}

std::string_view trace_part_name(TracePart part) {
  switch (part) {
  case TracePart::projection: return "projection";
  case TracePart::attention: return "scores … weighted sum";
  case TracePart::output: return "output";
  }
  return "projection";
}

namespace {

bool in_part(Stage stage, TracePart part) {
  switch (stage) {
  case Stage::projection: return part == TracePart::projection;
  case Stage::output: return part == TracePart::output;
  default: return part == TracePart::attention;
  }
}

} // namespace

std::vector<MeasuredPart> compare_parts(const Schedule& cpu_model, const std::array<double, 3>& measured) {
  std::vector<MeasuredPart> out;
  for (std::size_t i = 0; i < all_trace_parts.size(); ++i) {
    MeasuredPart m;
    m.part = all_trace_parts[i];
    for (const StageCost& c : cpu_model.stages)
      if (in_part(c.stage, m.part)) m.model_seconds += c.seconds;
    m.measured_seconds = measured[i];
    if (m.model_seconds >= min_measurable_seconds && m.measured_seconds >= min_measurable_seconds)
      m.ratio = m.measured_seconds / m.model_seconds;
    m.text = std::string(trace_part_name(m.part)) + ": model " + seconds_text(m.model_seconds) + ", measured " +
             seconds_text(m.measured_seconds) + ", " + (m.ratio ? "×" + significant_text(*m.ratio) : "—");
    out.push_back(m);
  }
  return out;
}

} // namespace abh
