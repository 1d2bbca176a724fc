#pragma once
// Shared fixtures of the hardware tests: the shipped specs, fixed CPU
// descriptions standing in for "this machine" (never the host's), and small
// shapes in tests/core's argument order.

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "app/io/hardware_specs_json.hpp"
#include "tests/support/shapes.hpp"
#include "core/hardware/models.hpp"
#include "core/hardware/this_machine.hpp"

namespace abh::test {

inline const std::vector<HardwareSpec>& shipped_specs() {
  static const std::vector<HardwareSpec> specs = load_hardware_specs(default_hardware_specs_path());
  return specs;
}

inline const HardwareSpec& chip(const char* name) {
  const HardwareSpec* s = find_chip(shipped_specs(), name);
  if (s == nullptr) throw std::runtime_error(std::string("no chip ") + name);
  return *s;
}

// A fresh folder under the temp directory (mkdtemp), removed with its files.
class TempDir {
public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "abh_hw_XXXXXX").string();
    if (mkdtemp(pattern.data())) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; } // "" when mkdtemp failed

private:
  std::string path_;
};

inline constexpr double KiB = 1024, MiB = 1024 * KiB;

// CPUs the "This machine" spec must handle, as a probe could describe them.
inline std::vector<CpuDescription> fixed_cpus() {
  const std::vector<std::string> avx2 = {"fpu", "sse", "sse2", "avx", "avx2", "fma"};
  std::vector<std::string> avx512 = avx2;
  avx512.insert(avx512.end(), {"avx512f", "avx512_vnni", "avx512_bf16"});
  CpuDescription vm{"KVM VM without L3", 4, 4, 2200, avx2, 512 * KiB, 0, "fixed", "fixed"};
  CpuDescription one{"1-core machine", 1, 1, 1800, {"fpu", "sse", "sse2"}, 256 * KiB, 0, "fixed", "fixed"};
  CpuDescription two{"2-core AVX2 machine", 2, 4, 3000, avx2, 512 * KiB, 256 * MiB, "fixed", "fixed"};
  CpuDescription server{"64-core AVX-512 server", 64, 128, 2000, avx512, 2 * MiB, 96 * MiB, "fixed", "fixed"};
  CpuDescription bare{}; // nothing known: every figure assumed
  return {vm, one, two, server, bare};
}

inline std::vector<HardwareSpec> fixed_cpu_specs() {
  std::vector<HardwareSpec> specs;
  for (const CpuDescription& cpu : fixed_cpus()) specs.push_back(this_machine_spec(cpu));
  return specs;
}

// The shipped chips and the fixed CPUs: what every behaviour must hold for.
inline std::vector<HardwareSpec> every_spec() {
  std::vector<HardwareSpec> all = shipped_specs();
  for (const HardwareSpec& s : fixed_cpu_specs()) all.push_back(s);
  return all;
}


inline const StageCost& stage(const Schedule& s, Stage id) {
  for (const StageCost& st : s.stages)
    if (st.stage == id) return st;
  throw std::runtime_error("no stage " + std::string(stage_key(id)));
}

inline double attention_seconds(const Schedule& s) {
  double t = 0;
  for (const StageCost& st : s.stages)
    if (st.stage != Stage::projection && st.stage != Stage::output) t += st.seconds;
  return t;
}

} // namespace abh::test
