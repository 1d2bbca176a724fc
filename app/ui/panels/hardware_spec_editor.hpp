#pragma once
// The specs the hardware panel runs, and the in-app editor for them: loaded
// through app/io (the user's saved file, else the shipped one with a warning),
// edited only within each figure's physical range, saved atomically.

#include <cstddef>
#include <string>
#include <vector>

#include "core/hardware/hardware_spec.hpp"

namespace abh {

struct SpecBook {
  std::vector<HardwareSpec> specs; // from the specs file, in file order
  HardwareSpec this_cpu;           // probed from the host (app/io/host_cpu.hpp)
  std::size_t version = 0;         // bumped by every load and accepted edit
  std::string status;              // where the specs came from, or why not
  std::string warning;             // the user's file failed to load: shipped specs in use
};

// Loads the specs (load_app_hardware_specs) and probes this CPU.
void reload_specs(SpecBook& book);

class SpecEditor {
public:
  // Reload / Save buttons, then one tree node per chip of editable figures.
  // An out-of-range value is refused with one line; the figure keeps its value.
  void draw(SpecBook& book);

private:
  std::string refusal_; // why the last typed value was refused ("" = none)
};

} // namespace abh
