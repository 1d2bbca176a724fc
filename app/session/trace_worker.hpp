#pragma once
// Recomputes the traces once per change, off the UI thread when the shape is
// large; a newer request cancels an older computation.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "app/session/trace_snapshot.hpp"

namespace abh {

class TraceWorker {
public:
  // `background`: the worker thread runs below the caller's priority (an
  // interactive window keeps its frame rate); otherwise at the same priority.
  explicit TraceWorker(bool background);
  ~TraceWorker();
  TraceWorker(const TraceWorker&) = delete;
  TraceWorker& operator=(const TraceWorker&) = delete;

  // Asks for the traces of `key`. Small shapes are computed right here, so
  // the view updates in the same frame; large ones go to the worker thread.
  void request(const ComputeKey& key, std::int64_t budget);

  // The newest finished snapshot (may be older than the last request, and
  // for a large shape may first be only its multi-head part: single_pending).
  std::shared_ptr<const TraceSnapshot> latest() const;
  bool busy() const { return busy_.load(); }
  float progress() const { return progress_.load(); }

  // Niceness of a background worker. Mild: at 10 a worker competing with
  // llvmpipe's render threads and other processes for two cores got about a
  // tenth of a core and a 41 ms trace took seconds.
  static constexpr int background_nice = 2;

  // Bytes below which request() computes synchronously.
  static constexpr std::int64_t synchronous_bytes = std::int64_t{8} << 20;

private:
  void run();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  struct Job {
    ComputeKey key;
    std::int64_t budget = 0;
    std::uint64_t generation = 0;
  };
  // Keeps `snapshot` unless a newer request has already been answered.
  void publish(std::shared_ptr<const TraceSnapshot> snapshot, std::uint64_t generation);

  std::optional<Job> pending_;
  bool running_ = false;                 // the thread is computing a job
  std::uint64_t requests_ = 0;           // generation of the newest request
  std::uint64_t latest_generation_ = 0;  // generation of latest_
  std::shared_ptr<const TraceSnapshot> latest_;
  std::atomic<bool> cancel_{false}, busy_{false}, stop_{false};
  std::atomic<float> progress_{0};
  bool background_ = false;
  std::thread thread_;
};

} // namespace abh
