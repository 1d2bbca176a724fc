#include "core/hardware/bound_reason.hpp"

#include <algorithm>
#include <cmath>

#include "core/number_format.hpp"

namespace abh {

namespace {

// The level a stage's `bytes` counts: main memory, else the outermost on-chip one.
const LevelTraffic* main_traffic(const StageCost& stage) {
  const LevelTraffic* outer = nullptr;
  for (const LevelTraffic& t : stage.traffic) {
    if (t.role == MemoryRole::main) return &t;
    if (t.role != MemoryRole::link) outer = &t;
  }
  return outer;
}

const StageCost* longest_stage(const Schedule& s) {
  const StageCost* longest = nullptr;
  for (const StageCost& c : s.stages)
    if (!longest || c.seconds > longest->seconds) longest = &c;
  return longest;
}

// What a stage moves, in the notation of DESIGN.md.
std::string traffic_phrase(Stage stage, const Shape& shape) {
  const std::string scores = "H·" + symbol_text(Symbol::P, shape);
  switch (stage) {
  case Stage::projection: return "Wqkv·X reads X and Wqkv and writes Q, K and V";
  case Stage::scores: return "kᵀ·q writes " + scores + " scores";
  case Stage::scale: return "scaling reads and writes " + scores + " scores";
  case Stage::softmax: return "softmax reads and writes " + scores + " scores";
  case Stage::weighted_sum: return "v·A reads " + scores + " weights";
  case Stage::output: return "Wo·Z reads Z and Wo and writes O";
  case Stage::attention: return "fused attention reads Q, K and V and writes Z";
  case Stage::latent_projection: return "the down-projection reads X and writes the latent";
  case Stage::query_up: return "the query up-projection writes every head's q";
  case Stage::kv_up: return "the up-projection writes every head's k and v from the latent";
  case Stage::query_absorb: return "absorbing W_UK writes latent-wide queries";
  case Stage::latent_scores: return "scores against the latent write " + scores + " scores";
  case Stage::latent_weighted_sum: return "A·latent reads " + scores + " weights";
  case Stage::value_up: return "the value up-projection reads the latent sums and writes Z";
  case Stage::latent_attention: return "fused latent attention reads q and the latent and writes Z";
  }
  return "?";
}

// What a stage computes, in the notation of DESIGN.md.
std::string work_phrase(Stage stage, const Shape& shape) {
  const std::string scores = "H·" + symbol_text(Symbol::P, shape);
  switch (stage) {
  case Stage::projection: return "Wqkv·X multiplies and adds";
  case Stage::scores: return "kᵀ·q takes " + scores + " dot products of length dh";
  case Stage::scale: return "scaling divides " + scores + " scores";
  case Stage::softmax: return "softmax takes exps, sums and divides of " + scores + " scores";
  case Stage::weighted_sum: return "v·A takes dot products of length " + symbol_text(Symbol::n, shape);
  case Stage::output: return "Wo·Z multiplies and adds";
  case Stage::attention: return "fused attention computes scores, softmax and v·A";
  case Stage::latent_projection: return "the down-projection multiplies and adds";
  case Stage::query_up: return "the query up-projection multiplies and adds";
  case Stage::kv_up: return "the k and v up-projections multiply and add";
  case Stage::query_absorb: return "absorbing W_UK multiplies and adds per head";
  case Stage::latent_scores: return "scores take " + scores + " dot products of latent width";
  case Stage::latent_weighted_sum: return "A·latent takes dot products of length " + symbol_text(Symbol::n, shape);
  case Stage::value_up: return "the value up-projection multiplies and adds per head";
  case Stage::latent_attention: return "fused latent attention computes scores, softmax and A·latent";
  }
  return "?";
}

} // namespace

Roof machine_roof(const Schedule& s, const HardwareSpec& spec) {
  Roof roof;
  roof.matrix_flops = spec.peak(s.dtype) * s.chips;
  roof.vector_flops = spec.vector_flops.value * s.chips;
  for (const StageCost& c : s.stages)
    if (const LevelTraffic* t = main_traffic(c); t && t->bandwidth > 0) {
      roof.bandwidth = t->bandwidth;
      roof.memory = t->level;
      break;
    }
  return roof;
}

std::vector<RooflinePoint> roofline_points(const Schedule& s) {
  std::vector<RooflinePoint> points;
  for (const StageCost& c : s.stages) {
    RooflinePoint p;
    p.stage = c.stage;
    p.flops = c.flops;
    p.bytes = c.bytes;
    p.intensity = c.bytes > 0 ? c.flops / c.bytes : 0;
    p.achieved = c.seconds > 0 ? c.flops / c.seconds : 0;
    p.bound = c.bound;
    points.push_back(p);
  }
  return points;
}

Bound dominant_bound(const Schedule& s) {
  const StageCost* longest = longest_stage(s);
  return longest ? longest->bound : Bound::compute;
}

bool all_overhead_bound(const std::vector<Schedule>& schedules) {
  return !schedules.empty() && std::all_of(schedules.begin(), schedules.end(), [](const Schedule& s) {
    return dominant_bound(s) == Bound::overhead;
  });
}

std::optional<double> comparable_ratio(double measured_seconds, const Schedule& model) {
  if (!(measured_seconds >= min_comparable_seconds) || model.total_seconds <= 0 ||
      dominant_bound(model) == Bound::overhead)
    return std::nullopt;
  return measured_seconds / model.total_seconds;
}

BoundReason bound_reason(const Schedule& s, const Shape& shape) {
  BoundReason r;
  const StageCost* c = longest_stage(s);
  if (!c) return r;
  r.bound = c->bound;
  r.stage = c->stage;
  switch (c->bound) {
  case Bound::overhead: {
    double overhead = 0, work = 0;
    for (const StageCost& st : s.stages) {
      overhead += st.overhead_seconds;
      work += std::max(st.compute_seconds, st.memory_seconds);
    }
    r.text = "overhead: " + std::to_string(s.stages.size()) + " stages × " +
             seconds_text(c->overhead_seconds) + " to start each = " + seconds_text(overhead) +
             ", while their work takes " + seconds_text(work);
    break;
  }
  case Bound::memory: {
    const LevelTraffic* slowest = nullptr;
    for (const LevelTraffic& t : c->traffic)
      if (!slowest || t.seconds > slowest->seconds) slowest = &t;
    r.text = traffic_phrase(c->stage, shape) + ": " + bytes_text(slowest ? slowest->bytes : c->bytes) +
             " at " + rate_text(slowest ? slowest->bandwidth : 0, "B") + " (" +
             (slowest ? slowest->level : std::string("memory")) + ") = " + seconds_text(c->memory_seconds);
    break;
  }
  case Bound::compute: {
    const double rate = c->compute_seconds > 0 ? c->flops / c->compute_seconds : 0;
    r.text = work_phrase(c->stage, shape) + ": " + compact_count_text(std::llround(std::min(c->flops, 9e18))) + " ops at " +
             rate_text(rate, "op") + " = " + seconds_text(c->compute_seconds);
    break;
  }
  }
  return r;
}

} // namespace abh
