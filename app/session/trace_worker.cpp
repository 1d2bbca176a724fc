#include "app/session/trace_worker.hpp"

#include <sys/resource.h>
#include <unistd.h>

namespace abh {

TraceWorker::TraceWorker(bool background) : background_(background), thread_([this] { run(); }) {}

TraceWorker::~TraceWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    cancel_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

namespace {
// A snapshot without matrices that says why the computation failed.
std::shared_ptr<TraceSnapshot> failed_snapshot(const ComputeKey& key, const std::exception& e) {
  auto s = std::make_shared<TraceSnapshot>();
  s->key = key;
  s->hidden_reason = std::string("the trace could not be computed (") + e.what() + ")";
  return s;
}
} // namespace

void TraceWorker::publish(std::shared_ptr<const TraceSnapshot> snapshot,
                          std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (generation < latest_generation_) return;
  latest_ = std::move(snapshot);
  latest_generation_ = generation;
}

void TraceWorker::request(const ComputeKey& key, std::int64_t budget) {
  bool here = true; // too large to size, over the budget, or small: computed right here
  try {
    const std::int64_t bytes = snapshot_bytes(key);
    // Streamed shapes hold little but compute H·n² scores: always the thread.
    // Over the budget: a reduced drawing goes to the thread, none is published here.
    here = (bytes <= synchronous_bytes && !streamed_shape(key.shape)) ||
           (bytes > budget && !drawable_key(key, budget));
  } catch (const ShapeError&) {
  }
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    generation = ++requests_;
    cancel_ = true; // anything older still running is superseded
    pending_.reset();
    if (!running_) busy_ = false; // a job superseded before the thread took it
  }
  if (here) {
    try {
      publish(build_snapshot(key, budget, nullptr, nullptr), generation);
    } catch (const std::exception& e) {
      publish(failed_snapshot(key, e), generation);
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    pending_ = Job{key, budget, generation};
    busy_ = true;
  }
  wake_.notify_all();
}

std::shared_ptr<const TraceSnapshot> TraceWorker::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

void TraceWorker::run() {
  // Below the UI thread in priority, so a long trace never steals the frame
  // rate; its OpenMP team is created from this thread and inherits it.
  if (background_) setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), background_nice);
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
      if (stop_) return;
      job = *pending_;
      pending_.reset();
      running_ = true;
      cancel_ = false;
      progress_ = 0;
    }
    try {
      // The multi-head trace shows as soon as it is drawn; the one-head panel
      // keeps the picture it had until its own trace follows.
      const FirstPart first_part = [&](std::shared_ptr<const TraceSnapshot> first) {
        std::lock_guard lock(mutex_);
        if (job.generation < latest_generation_) return;
        latest_ = with_older_single(std::move(first), latest_.get());
        latest_generation_ = job.generation;
      };
      publish(build_snapshot(job.key, job.budget, &cancel_, &progress_, first_part), job.generation);
    } catch (const TraceCancelled&) {
    } catch (const std::exception& e) { // out of memory, say: say so, keep running
      publish(failed_snapshot(job.key, e), job.generation);
    }
    std::lock_guard lock(mutex_);
    running_ = false;
    if (!pending_) busy_ = false;
  }
}

} // namespace abh
