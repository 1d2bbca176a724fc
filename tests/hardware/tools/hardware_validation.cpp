// Prints docs/hardware-validation.md: the GPU model held against the measured
// H200 (tests/hardware/calib/), with the figures refitted on the fit rows
// beside the shipped ones. scripts/hardware_validation.sh runs it.
//   hardware_validation SPECS_JSON CALIB_DIR CHIP

#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>
#include <string>

#include "app/io/hardware_specs_json.hpp"
#include "core/hardware/calibration.hpp"

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: hardware_validation SPECS_JSON CALIB_DIR CHIP\n");
    return 2;
  }
  try {
    const auto specs = abh::load_hardware_specs(argv[1]);
    const abh::HardwareSpec* gpu = abh::find_chip(specs, argv[3]);
    if (gpu == nullptr) throw std::runtime_error(std::string("no chip ") + argv[3]);
    const std::string dir = argv[2];
    const abh::CsvTable ceilings = abh::parse_csv(read_text(dir + "/h200_ceilings.csv"));
    const abh::CsvTable prefill = abh::parse_csv(read_text(dir + "/h200_prefill.csv"));
    const abh::CsvTable decode = abh::parse_csv(read_text(dir + "/h200_decode.csv"));
    const abh::CalibrationFit refit = abh::fit_gpu_calibration(*gpu, ceilings, prefill, decode);
    std::fputs(abh::validation_report(*gpu, prefill, decode, refit).c_str(), stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hardware_validation: %s\n", e.what());
    return 2;
  }
  return 0;
}
