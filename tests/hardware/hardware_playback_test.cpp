// What the hardware panel computes without drawing: the replay axis, tile
// numbering, the schedule cache and the "measured here" timing rule.

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/hardware/measurement.hpp"
#include "core/hardware/playback.hpp"
#include "core/hardware/schedule_set.hpp"
#include "core/hardware/tiling.hpp"
#include "hardware_test_support.hpp"

namespace abh {
namespace {

using test::make_shape;

Schedule schedule_of(double seconds, std::vector<std::pair<double, double>> events = {}) {
  Schedule s;
  s.total_seconds = seconds;
  for (auto [start, end] : events) {
    ScheduleEvent e;
    e.start = start;
    e.end = end;
    s.events.push_back(e);
  }
  return s;
}

TEST(HardwarePlayback, LinearAxisSpansTheSlowestSchedule) {
  const PlaybackAxis axis = playback_axis({schedule_of(2e-3), schedule_of(8e-3), schedule_of(0)}, false);
  EXPECT_DOUBLE_EQ(axis.longest, 8e-3);
  EXPECT_DOUBLE_EQ(axis.shortest, 2e-3);
  EXPECT_DOUBLE_EQ(axis.time_at(0.25), 2e-3);
  EXPECT_DOUBLE_EQ(axis.playhead_at(4e-3), 0.5);
  EXPECT_DOUBLE_EQ(axis.playhead_at(1.0), 1.0); // clamped
}

TEST(HardwarePlayback, LogAxisStartsAtATwentiethOfTheFastest) {
  const PlaybackAxis axis = playback_axis({schedule_of(1e-6), schedule_of(1e-2)}, true);
  EXPECT_DOUBLE_EQ(axis.time_at(0), 1e-6 / 20);
  EXPECT_NEAR(axis.time_at(1), 1e-2, 1e-15);
  for (double p : {0.1, 0.37, 0.5, 0.93})
    EXPECT_NEAR(axis.playhead_at(axis.time_at(p)), p, 1e-12) << p;
  EXPECT_EQ(axis.playhead_at(1e-9), 0.0);
  // The fastest machine ends visibly after the start, the slowest at the end.
  EXPECT_NEAR(axis.playhead_at(1e-6), std::log(20.0) / std::log(1e-2 / (1e-6 / 20)), 1e-12);
}

TEST(HardwarePlayback, NoSchedulesIsAnEmptyAxis) {
  const PlaybackAxis axis = playback_axis({}, true);
  EXPECT_EQ(axis.time_at(0.5), 0.0);
  EXPECT_EQ(axis.playhead_at(1.0), 0.0);
}

TEST(HardwarePlayback, StepGoesToTheNextEventBoundary) {
  const std::vector<Schedule> s = {schedule_of(10, {{0, 4}, {4, 10}}), schedule_of(5, {{1, 3}})};
  const PlaybackAxis axis = playback_axis(s, false);
  double p = 0;
  std::vector<double> times;
  while (p < 1.0) {
    p = next_event_playhead(axis, s, p);
    times.push_back(axis.time_at(p));
  }
  ASSERT_EQ(times.size(), 4u);
  EXPECT_NEAR(times[0], 1, 1e-4);
  EXPECT_NEAR(times[1], 3, 1e-4);
  EXPECT_NEAR(times[2], 4, 1e-4);
  EXPECT_NEAR(times[3], 10, 1e-4);
}

TEST(HardwarePlayback, AdvanceWrapsAndHasAMinimumReplay) {
  EXPECT_DOUBLE_EQ(advance_playhead(0.25, 1, 8), 0.375);
  EXPECT_DOUBLE_EQ(advance_playhead(0.9, 1, 8), 0.0);  // past the end: start again
  EXPECT_DOUBLE_EQ(advance_playhead(0.0, 0.1, 0), 0.2); // replays last at least 0.5 s
}

TEST(HardwareTiles, PositionAndIndexFollowOneNumbering) {
  for (bool triangular : {false, true})
    for (std::int64_t rows : {1, 2, 5, 37})
      for (std::int64_t cols : {1, 3, 37}) {
        TileGrid g;
        g.batch = 3;
        g.rows = rows * 16, g.cols = (triangular ? rows : cols) * 16;
        g.tile_rows = g.tile_cols = 16;
        g.triangular = triangular;
        std::int64_t index = 0;
        for (std::int64_t b = 0; b < g.batch; ++b)
          for (std::int64_t r = 0; r < g.row_tiles(); ++r)
            for (std::int64_t c = 0; c < (triangular ? r + 1 : g.col_tiles()); ++c, ++index) {
              const TilePosition p{b, r, c};
              EXPECT_EQ(tile_position(g, index), p) << index;
              EXPECT_EQ(tile_index(g, p), index);
            }
        EXPECT_EQ(index, g.tiles());
      }
  // A triangular grid far past where a square root loses precision.
  TileGrid big;
  big.rows = big.cols = 3'000'000'000;
  big.triangular = true;
  const TilePosition last{0, big.rows - 1, big.rows - 1};
  EXPECT_EQ(tile_position(big, big.tiles() - 1), last);
  EXPECT_EQ(tile_position(big, tile_index(big, {0, 2'999'999'999, 5})), (TilePosition{0, 2'999'999'999, 5}));
}

TEST(HardwareScheduleCache, RecomputesOnlyWhenItsInputsChange) {
  ScheduleCache cache;
  const HardwareSpec cpu = test::fixed_cpu_specs().front();
  ScheduleInputs in{make_shape(256, 64, 4, 16, 4), {Dtype::bf16, false}, false, {}, 1};
  EXPECT_TRUE(cache.update(in, test::shipped_specs(), cpu));
  EXPECT_FALSE(cache.update(in, test::shipped_specs(), cpu)); // the next frame
  const ScheduleSet& set = cache.current();
  ASSERT_EQ(set.schedules.size(), 5u);
  ASSERT_EQ(set.single.size(), 5u);
  EXPECT_EQ(set.error, "");
  EXPECT_EQ(set.schedules[1].total_seconds,
            run_model(in.shape, in.options, test::chip("H100")).total_seconds);
  EXPECT_EQ(set.single[1].total_seconds,
            run_model(single_head_of(in.shape), in.options, test::chip("H100")).total_seconds);
  ASSERT_TRUE(set.this_cpu.has_value());
  EXPECT_EQ(set.this_cpu->chip, cpu.chip);
  EXPECT_EQ(set.this_cpu->dtype, Dtype::fp32);
  in.options.fused = true;
  EXPECT_TRUE(cache.update(in, test::shipped_specs(), cpu));
  in.specs_version = 2; // an edited spec
  EXPECT_TRUE(cache.update(in, test::shipped_specs(), cpu));
  in.chips = {"this machine"};
  EXPECT_TRUE(cache.update(in, test::shipped_specs(), cpu));
  EXPECT_EQ(cache.current().schedules.front().chip, cpu.chip);
}

TEST(HardwareScheduleCache, AFailureIsOneLineAndNoSchedules) {
  ScheduleCache cache;
  ScheduleInputs in{make_shape(256, 64, 4, 16, 4), {}, false, {"Z80"}, 1};
  cache.update(in, test::shipped_specs(), test::fixed_cpu_specs().front());
  EXPECT_TRUE(cache.current().schedules.empty());
  EXPECT_NE(cache.current().error.find("Z80"), std::string::npos);
  EXPECT_EQ(cache.current().error.find('\n'), std::string::npos);
}

TEST(HardwareMeasurement, WarmUpThenMedianIgnoresTheColdRun) {
  // A cold first run 900× slower than the rest, then a noisy steady state.
  const std::vector<double> durations = {0.9, 1.1e-3, 0.9e-3, 1.0e-3, 5e-3, 1.05e-3, 7, 7};
  std::size_t next = 0;
  const Timing t = warm_median([&] { return durations.at(next++); }, 1, 5, 10.0);
  EXPECT_EQ(t.warmups, 1);
  EXPECT_EQ(t.runs, 5);
  EXPECT_EQ(next, 6u);
  EXPECT_DOUBLE_EQ(t.median_seconds, 1.05e-3);
}

TEST(HardwareMeasurement, StopsAfterThreeRunsOverTheBudget) {
  int calls = 0;
  const Timing t = warm_median([&] { ++calls; return 1.0; }, 1, 5, 2.5);
  EXPECT_EQ(t.runs, 3);
  EXPECT_EQ(calls, 4);
  EXPECT_DOUBLE_EQ(t.median_seconds, 1.0);
  const Timing even = warm_median([&] { return double(++calls % 2 + 1); }, 0, 4, 100);
  EXPECT_DOUBLE_EQ(even.median_seconds, 1.5);
}

} // namespace
} // namespace abh
