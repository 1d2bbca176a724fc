// The trace worker (no window): small shapes are ready when request() returns,
// large ones arrive from the worker thread; a newer request always wins over
// an older one; a failure is a snapshot that says why, and the worker goes on.
// Waiting polls with a deadline: nothing here sleeps for a fixed time.

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/session/trace_worker.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using Clock = std::chrono::steady_clock;
using test::make_shape;

constexpr auto deadline = std::chrono::seconds(30); // only a guard against a hang

ComputeKey key_of(const Shape& shape, std::uint64_t seed = 1) {
  ComputeKey key;
  key.shape = shape;
  key.trace.seed = seed;
  return key;
}

// Computed on the calling thread.
ComputeKey small_key(std::uint64_t seed = 1) { return key_of(make_shape(8, 6, 2, 3, 2), seed); }

// Computed on the worker thread: over TraceWorker::synchronous_bytes.
ComputeKey large_key(std::uint64_t seed = 1) { return key_of(make_shape(500, 32, 4, 8, 4), seed); }

// Streamed (more tokens than display_max_side): the worker thread, however
// few bytes it holds.
ComputeKey streamed_key() { return key_of(make_shape(600, 8, 2, 4, 2)); }

// Polls `done` until it holds or the deadline passes; true if it held.
bool wait_until(const std::function<bool()>& done) {
  const auto end = Clock::now() + deadline;
  while (!done()) {
    if (Clock::now() > end) return false;
    std::this_thread::yield();
  }
  return true;
}

bool holds(const std::shared_ptr<const TraceSnapshot>& s, const ComputeKey& key) {
  return s && s->key == key;
}

// The newest request answered and nothing left to do.
bool settled_on(const TraceWorker& worker, const ComputeKey& key) {
  return wait_until([&] { return !worker.busy() && holds(worker.latest(), key); });
}

TEST(TraceWorker, TheTestKeysAreOnEitherSideOfTheThreshold) {
  EXPECT_LE(snapshot_bytes(small_key()), TraceWorker::synchronous_bytes);
  EXPECT_GT(snapshot_bytes(large_key()), TraceWorker::synchronous_bytes);
  EXPECT_LT(snapshot_bytes(large_key()), default_trace_budget);
}

TEST(TraceWorker, SmallShapesAreReadyWhenRequestReturns) {
  TraceWorker worker(false);
  EXPECT_EQ(worker.latest(), nullptr);
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    worker.request(small_key(seed), default_trace_budget);
    const auto s = worker.latest();
    ASSERT_TRUE(holds(s, small_key(seed)));
    EXPECT_FALSE(worker.busy());
    EXPECT_TRUE(s->hidden_reason.empty()) << s->hidden_reason;
    ASSERT_NE(s->multi, nullptr);
    ASSERT_NE(s->single, nullptr);
    EXPECT_EQ(s->multi->shape, small_key().shape);
    EXPECT_EQ(s->single->shape, single_head_of(small_key().shape));
  }
}

TEST(TraceWorker, StreamedShapesArriveFromTheWorkerThread) {
  ASSERT_TRUE(streamed_shape(streamed_key().shape));
  EXPECT_LE(snapshot_bytes(streamed_key()), TraceWorker::synchronous_bytes);
  TraceWorker worker(false);
  worker.request(streamed_key(), default_trace_budget);
  EXPECT_TRUE(worker.busy());
  ASSERT_TRUE(settled_on(worker, streamed_key()));
  const auto s = worker.latest();
  ASSERT_NE(s->multi_streamed, nullptr);
  EXPECT_EQ(s->streamed(*s->multi), s->multi_streamed.get());
}

TEST(TraceWorker, LargeShapesArriveFromTheWorkerThread) {
  TraceWorker worker(false);
  worker.request(large_key(), default_trace_budget);
  EXPECT_TRUE(worker.busy()); // set before request() returns
  ASSERT_TRUE(settled_on(worker, large_key()));
  const auto s = worker.latest();
  EXPECT_TRUE(s->hidden_reason.empty()) << s->hidden_reason;
  ASSERT_NE(s->multi, nullptr);
  EXPECT_EQ(s->multi->shape, large_key().shape);
}

// A small request made while a large one is queued or running is answered at
// once, and the large one (cancelled, or finished late) never replaces it.
// The large one is superseded at different moments: before the worker picks
// it up, while it computes, and near or after its end.
TEST(TraceWorker, AnOlderLargeRequestNeverReplacesANewerSmallOne) {
  TraceWorker worker(false);
  const auto start = Clock::now();
  worker.request(large_key(100), default_trace_budget);
  ASSERT_TRUE(settled_on(worker, large_key(100)));
  const auto large_time = Clock::now() - start;

  constexpr int rounds = 8;
  for (int i = 0; i < rounds; ++i) {
    SCOPED_TRACE("round " + std::to_string(i));
    worker.request(large_key(static_cast<std::uint64_t>(i)), default_trace_budget);
    const auto wait = large_time * i / (rounds - 2); // the last rounds let it finish
    for (const auto until = Clock::now() + wait; Clock::now() < until;) std::this_thread::yield();
    worker.request(small_key(static_cast<std::uint64_t>(i)), default_trace_budget);
    ASSERT_TRUE(holds(worker.latest(), small_key(static_cast<std::uint64_t>(i))));
    ASSERT_TRUE(wait_until([&] { return !worker.busy(); })) << "busy() stays true";
    const auto s = worker.latest();
    ASSERT_TRUE(holds(s, small_key(static_cast<std::uint64_t>(i))))
        << "replaced by the older request of seed " << s->key.trace.seed;
  }
}

// Two large requests in a row: the second is what the worker settles on, and
// once it has been published the first never appears again.
TEST(TraceWorker, ANewerLargeRequestSupersedesAnOlderOne) {
  TraceWorker worker(false);
  for (std::uint64_t round = 0; round < 4; ++round) {
    const ComputeKey older = large_key(10 + round), newer = large_key(20 + round);
    worker.request(older, default_trace_budget);
    worker.request(newer, default_trace_budget);
    std::vector<std::uint64_t> seen; // seeds published, in the order observed
    ASSERT_TRUE(wait_until([&] {
      if (const auto s = worker.latest(); s && (seen.empty() || seen.back() != s->key.trace.seed))
        seen.push_back(s->key.trace.seed);
      return !worker.busy() && holds(worker.latest(), newer);
    }));
    ASSERT_FALSE(seen.empty());
    const auto first_newer = std::find(seen.begin(), seen.end(), newer.trace.seed);
    ASSERT_NE(first_newer, seen.end());
    EXPECT_EQ(std::find(first_newer, seen.end(), older.trace.seed), seen.end())
        << "the older request was published after the newer one";
  }
}

// A budget not even one head over one token fits: hidden, with the reason.
TEST(TraceWorker, OverBudgetGivesASnapshotThatSaysWhyAndTheWorkerGoesOn) {
  TraceWorker worker(false);
  const ComputeKey key = small_key();
  worker.request(key, 100);
  auto s = worker.latest();
  ASSERT_TRUE(holds(s, key));
  EXPECT_EQ(s->multi, nullptr);
  EXPECT_EQ(s->single, nullptr);
  EXPECT_NE(s->hidden_reason.find("budget"), std::string::npos) << s->hidden_reason;
  EXPECT_TRUE(s->display.empty());

  worker.request(large_key(), default_trace_budget);
  ASSERT_TRUE(settled_on(worker, large_key()));
  EXPECT_NE(worker.latest()->multi, nullptr);
}

// A budget the shape is over but a reduced drawing fits: the worker thread
// computes the drawing (fewer heads, then fewer tokens) under the key asked for.
TEST(TraceWorker, OverBudgetWithAReducedDrawingThatFitsDrawsIt) {
  TraceWorker worker(false);
  const ComputeKey key = small_key();
  const std::int64_t budget = 1000;
  ASSERT_GT(snapshot_bytes(key), budget);
  worker.request(key, budget);
  ASSERT_TRUE(settled_on(worker, key));
  const auto s = worker.latest();
  EXPECT_TRUE(s->hidden_reason.empty()) << s->hidden_reason;
  ASSERT_NE(s->multi, nullptr);
  ASSERT_NE(s->single, nullptr);
  const Shape& drawn = s->multi->shape;
  EXPECT_TRUE(drawn.seq < key.shape.seq || drawn.heads < key.shape.heads) << describe(drawn);
  ComputeKey drawn_key = key;
  drawn_key.shape = drawn;
  EXPECT_LE(snapshot_bytes(drawn_key), budget);
  EXPECT_EQ(s->single->shape, single_head_of(drawn));
}

// Shapes whose sizes overflow 64 bits, with any budget up to the largest.
TEST(TraceWorker, ShapesTooLargeToSizeGiveASnapshotThatSaysWhy) {
  TraceWorker worker(false);
  const ComputeKey huge = key_of(make_shape(4'000'000'000, 4'000'000'000, 3, 12, 3));
  for (std::int64_t budget : {default_trace_budget, std::numeric_limits<std::int64_t>::max()}) {
    worker.request(huge, budget);
    const auto s = worker.latest();
    ASSERT_TRUE(holds(s, huge));
    EXPECT_EQ(s->multi, nullptr);
    EXPECT_FALSE(s->hidden_reason.empty());
    EXPECT_FALSE(worker.busy());
  }
  worker.request(small_key(), default_trace_budget);
  ASSERT_TRUE(holds(worker.latest(), small_key()));
  EXPECT_NE(worker.latest()->multi, nullptr);
}

// A computation that fails on the worker thread (here an invalid shape large
// enough to go there) publishes a snapshot with the reason; the next request
// is served as usual.
TEST(TraceWorker, AFailureOnTheWorkerThreadIsASnapshotAndTheWorkerGoesOn) {
  TraceWorker worker(false);
  const ComputeKey invalid = key_of(make_shape(600, 32, 4, 8, 3)); // 3 kv heads do not divide 4
  worker.request(invalid, default_trace_budget);
  ASSERT_TRUE(settled_on(worker, invalid));
  const auto s = worker.latest();
  EXPECT_EQ(s->multi, nullptr);
  EXPECT_NE(s->hidden_reason.find("could not be computed"), std::string::npos) << s->hidden_reason;

  worker.request(large_key(), default_trace_budget);
  ASSERT_TRUE(settled_on(worker, large_key()));
  EXPECT_NE(worker.latest()->multi, nullptr);
}

TEST(TraceWorker, DestroyingABusyWorkerReturns) {
  const auto start = Clock::now();
  {
    TraceWorker worker(false);
    worker.request(large_key(), default_trace_budget);
  }
  EXPECT_LT(Clock::now() - start, deadline);
}

} // namespace
} // namespace abh
