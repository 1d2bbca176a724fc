// A large shape's snapshot comes in two parts: its multi-head trace as soon
// as it is drawn, then both. Meanwhile the one-head panel shows the older
// choice's one-head trace, labelled by that older choice.

#include <chrono>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/session/trace_snapshot.hpp"
#include "app/session/trace_worker.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

using test::make_shape;

ComputeKey key_of(const Shape& shape, std::uint64_t seed = 1) {
  ComputeKey key;
  key.shape = shape;
  key.trace.seed = seed;
  return key;
}

void expect_two_parts(const ComputeKey& key) {
  std::vector<std::shared_ptr<const TraceSnapshot>> firsts;
  const auto complete = build_snapshot(key, default_trace_budget, nullptr, nullptr,
                                       [&](std::shared_ptr<const TraceSnapshot> s) { firsts.push_back(s); });
  ASSERT_EQ(firsts.size(), 1u);
  const TraceSnapshot& first = *firsts.front();
  EXPECT_TRUE(first.single_pending);
  EXPECT_EQ(first.key, key);
  ASSERT_NE(first.multi, nullptr);
  EXPECT_EQ(first.single, nullptr);
  EXPECT_NE(first.find(first.multi->QKV), nullptr) << "the multi-head matrices are drawn";
  EXPECT_EQ(first.multi, complete->multi) << "the complete snapshot keeps the same trace";

  EXPECT_FALSE(complete->single_pending);
  EXPECT_EQ(complete->single_key, key);
  ASSERT_NE(complete->single, nullptr);
  EXPECT_EQ(complete->single->shape, single_head_of(key.shape));
  EXPECT_NE(complete->find(complete->single->QKV), nullptr);
  EXPECT_EQ(complete->find(complete->multi->QKV)->block_means,
            first.find(first.multi->QKV)->block_means)
      << "block means are shared, not copied";
}

TEST(SnapshotFirstPart, TheMultiHeadTraceIsHandedOverBeforeTheOneHead) {
  expect_two_parts(key_of(make_shape(40, 12, 3, 4, 3)));
}

TEST(SnapshotFirstPart, AStreamedShapeIsHandedOverInTwoPartsToo) {
  const ComputeKey key = key_of(make_shape(600, 8, 2, 4, 2));
  ASSERT_TRUE(streamed_shape(key.shape));
  expect_two_parts(key);
}

TEST(SnapshotFirstPart, WithoutAReceiverTheSnapshotIsBuiltInOnePiece) {
  const auto s = build_snapshot(key_of(make_shape(8, 6, 2, 3, 2)), default_trace_budget, nullptr, nullptr);
  EXPECT_FALSE(s->single_pending);
  EXPECT_NE(s->single, nullptr);
}

TEST(SnapshotFirstPart, TheOlderOneHeadTraceIsShownWithItsOwnLabelAndMatrices) {
  const ComputeKey older_key = key_of(make_shape(8, 6, 2, 3, 2), 1);
  const ComputeKey newer_key = key_of(make_shape(12, 6, 3, 2, 3), 2);
  const auto older = build_snapshot(older_key, default_trace_budget, nullptr, nullptr);
  std::shared_ptr<const TraceSnapshot> first;
  build_snapshot(newer_key, default_trace_budget, nullptr, nullptr,
                 [&](std::shared_ptr<const TraceSnapshot> s) { first = s; });
  ASSERT_NE(first, nullptr);

  const auto shown = with_older_single(first, older.get());
  EXPECT_EQ(shown->key, newer_key);
  EXPECT_EQ(shown->multi, first->multi);
  EXPECT_TRUE(shown->single_pending);
  EXPECT_EQ(shown->single, older->single);
  EXPECT_EQ(shown->single_key, older_key) << "the one-head panel is labelled by the older choice";
  for (const TraceMatrix& m : trace_matrices(*older->single)) {
    ASSERT_NE(shown->find(*m.matrix), nullptr) << m.matrix->name;
    EXPECT_EQ(shown->find(*m.matrix)->source, older->find(*m.matrix)->source);
  }
  EXPECT_NE(shown->find(shown->multi->QKV), nullptr);

  EXPECT_EQ(with_older_single(first, nullptr), first) << "no older snapshot: nothing to show";
}

TEST(SnapshotFirstPart, TheWorkerSettlesOnTheCompleteSnapshot) {
  TraceWorker worker(false);
  const ComputeKey key = key_of(make_shape(500, 32, 4, 8, 4));
  ASSERT_GT(snapshot_bytes(key), TraceWorker::synchronous_bytes);
  worker.request(key, default_trace_budget);
  bool settled = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60); // a guard against a hang
  while (!settled && std::chrono::steady_clock::now() < deadline) {
    const auto s = worker.latest();
    settled = !worker.busy() && s && s->key == key;
    if (!settled) std::this_thread::yield();
  }
  ASSERT_TRUE(settled);
  const auto s = worker.latest();
  EXPECT_FALSE(s->single_pending);
  EXPECT_NE(s->single, nullptr);
  EXPECT_EQ(s->single_key, key);
}

} // namespace
} // namespace abh
