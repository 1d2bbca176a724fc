// Session::wait_for_snapshot: an idle window sleeps in it and wakes as soon
// as the worker publishes; on_snapshot is called for each published snapshot.

#include <atomic>
#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "app/session/session.hpp"
#include "tests/support/shapes.hpp"

namespace abh {
namespace {

TEST(SessionWait, WakesWhenTheWorkerPublishesAndNotOtherwise) {
  AppState state;
  Session session(state, false);
  std::atomic<int> notified{0};
  session.on_snapshot([&] { ++notified; });
  session.wait_for_trace();
  EXPECT_FALSE(session.wait_for_snapshot(std::chrono::milliseconds(20))) << "nothing was asked for";

  // Large enough for the worker thread: the request returns before it is done.
  session.state().shape = test::make_shape(500, 32, 4, 8, 4);
  const int before = notified.load();
  session.update(false);
  ASSERT_TRUE(session.wait_for_snapshot(std::chrono::seconds(60)));
  session.wait_for_trace();
  EXPECT_TRUE(session.current());
  // The worker calls on_snapshot just after publishing: give it until a deadline.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (notified.load() <= before && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  EXPECT_GT(notified.load(), before);
}

} // namespace
} // namespace abh
