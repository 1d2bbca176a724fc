#pragma once
// The GPU model held against measured attention (tests/hardware/calib/, an
// NVIDIA H200): each measured stage beside the model's, split into the rows
// the calibrated figures were fitted on and the rows held out to test them,
// summarised per stage and per regime, and the fit itself. The caller reads
// the CSV files; nothing here touches the host.

#include <string>
#include <string_view>
#include <vector>

#include "core/hardware/hardware_spec.hpp"

namespace abh {

// A CSV file with a header line; values stay text until asked for.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  // The value of `column` in row `row`; std::invalid_argument naming both
  // when the column is missing or the text is not a number.
  double number(std::size_t row, std::string_view column) const;
  const std::string& text(std::size_t row, std::string_view column) const;
};
// Throws std::invalid_argument with one line when a row's width differs from the header's.
CsvTable parse_csv(std::string_view text);

// The fixed split: data rows numbered from 0 in file order; even rows fit, odd rows test.
bool is_fit_row(std::size_t row);

// One measured figure beside the model's.
struct Comparison {
  std::string stage;    // a CSV column without "_us": "softmax", "sdpa_causal", "decode"
  std::string regime;   // "bf16, dh 32–256"
  std::string row;      // "bf16 d=1024 H=8 dh=128 n=4096"
  bool fit = false;     // a fit row (else held out)
  double model = 0, measured = 0; // seconds
  double ratio() const { return model / measured; }
};

// Every stage of every row of h200_prefill.csv (eager, unfused and fused,
// causal fused) and of h200_decode.csv (n_q = 1: one decode step from the KV
// bytes; n_q = n_kv: the fused model with Hkv key/value heads).
std::vector<Comparison> prefill_comparisons(const CsvTable& prefill, const HardwareSpec& gpu);
std::vector<Comparison> decode_comparisons(const CsvTable& decode, const HardwareSpec& gpu);

struct RatioSummary {
  int count = 0;
  double within = 0;    // share of ratios in [1/1.5, 1.5]
  double geomean = 0, min = 0, max = 0;
};
RatioSummary summarise(const std::vector<Comparison>& comparisons);

// The slowdown from H = 1 to H = 64 at a fixed width (attention stages,
// unfused), measured and modelled, for each (dtype, width, n) the data holds.
struct HeadTrend {
  std::string row;      // "bf16 d=1024 n=4096"
  double measured = 0, model = 0; // time(H=64) / time(H=1)
};
std::vector<HeadTrend> head_trends(const CsvTable& prefill, const HardwareSpec& gpu);

// The calibrated figures fitted on the fit rows: memory_efficiency and
// matrix_efficiency from the ceilings, the rest by minimising the squared log
// ratio of the stages each one drives (golden-section search, two sweeps).
struct CalibrationFit {
  HardwareSpec spec;               // `start` with the fitted figures
  std::vector<std::string> fields; // the figures fitted, in order
};
CalibrationFit fit_gpu_calibration(const HardwareSpec& start, const CsvTable& ceilings,
                                   const CsvTable& prefill, const CsvTable& decode);

// docs/hardware-validation.md: the tables, from the model with `gpu`'s figures.
std::string validation_report(const HardwareSpec& gpu, const CsvTable& prefill,
                              const CsvTable& decode, const CalibrationFit& refit);

} // namespace abh
