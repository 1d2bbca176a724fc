#pragma once
// Why a machine is bound where it is, as numbers and one sentence: the
// machine's roof (compute ceilings and memory slope), one roofline point per
// stage, and the line the hardware panel prints under each machine. Reads a
// Schedule and its spec; draws nothing.

#include <optional>
#include <string>
#include <vector>

#include "core/hardware/schedule.hpp"
#include "core/shape.hpp"

namespace abh {

// The roof of a roofline chart: attainable ops/s = min(ceiling, intensity × bandwidth).
struct Roof {
  double matrix_flops = 0; // matrix-unit peak at the schedule's datatype × chips, ops/s
  double vector_flops = 0; // element-wise peak × chips, ops/s (0: not published)
  double bandwidth = 0;    // main memory (LPU: its SRAM), bytes/s × chips
  std::string memory;      // that level's name
  // Ops per byte where the memory slope meets the matrix ceiling.
  double ridge() const { return bandwidth > 0 ? matrix_flops / bandwidth : 0; }
};
Roof machine_roof(const Schedule& schedule, const HardwareSpec& spec);

// One stage on the chart: x its arithmetic intensity, y the ops/s it achieved.
struct RooflinePoint {
  Stage stage = Stage::projection;
  double flops = 0;     // multiplies + adds + exps + divides
  double bytes = 0;     // through main memory
  double intensity = 0; // flops / bytes; 0 when no bytes cross main memory
  double achieved = 0;  // flops / seconds (overhead included)
  Bound bound = Bound::compute;
};
std::vector<RooflinePoint> roofline_points(const Schedule& schedule);

// The bound of the stage that takes longest.
Bound dominant_bound(const Schedule& schedule);
// Every schedule is overhead-bound: the shape is too small to show a machine.
bool all_overhead_bound(const std::vector<Schedule>& schedules);

struct BoundReason {
  Bound bound = Bound::compute;
  Stage stage = Stage::projection; // the stage that takes longest
  // "softmax reads and writes H·n² scores: 8.59 GB at 4.80 TB/s (HBM3e) = 1.79 ms"
  std::string text;
};
// Why the longest stage of `schedule` (computed for `shape`) is bound where
// it is, with the bytes, ops and rates the model used.
BoundReason bound_reason(const Schedule& schedule, const Shape& shape);

// Timings shorter than this on the host are mostly thread start-up and
// allocation, not the stages: they are shown, never divided by a model.
inline constexpr double min_comparable_seconds = 1e-3;
// measured ÷ model when both sides time the work itself: the measured warm
// median is at least min_comparable_seconds and the model is not
// overhead-bound. Otherwise nothing: a ratio of two start-up costs teaches nothing.
std::optional<double> comparable_ratio(double measured_seconds, const Schedule& model);

// One-line definitions of the panel's words, for hover text.
inline constexpr const char* tile_definition =
    "tile: the block of outputs one unit computes at a time (a GPU's 128×128, a TPU's array); "
    "a stage's output is cut into tiles and the units take them in waves.";
inline constexpr const char* use_definition =
    "use: the ops per second achieved over the whole run, as a share of the chip's peak at "
    "this datatype (× chips). 100% means every unit multiplied every cycle.";
inline constexpr const char* bound_definition =
    "bound: what limits the longest stage. compute: the units are busy; memory: waiting for "
    "bytes from main memory; overhead: the fixed cost of starting the work exceeds both.";
inline constexpr const char* overhead_definition =
    "overhead: time paid per stage whatever its size (a kernel launch, a dispatch, a "
    "framework call). At small shapes it is most of the time.";

} // namespace abh
