// ThreadPool: a fixed set of worker threads running submitted tasks.
//
// The one thread pool of custody. Submit() may be called from any thread,
// including from inside a task; Wait() blocks until every task submitted so
// far has finished. Destruction waits for queued tasks, then joins.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace custody {

class ThreadPool {
 public:
  // `threads` == 0 means one per online CPU.
  explicit ThreadPool(size_t threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  void Submit(std::function<void()> task);
  void Wait();
  size_t size() const { return workers_.size(); }

  // Runs fn(i, slot) for i in [0, n) on the pool and waits for all of them.
  // `slot` < size() identifies the task running the item, so callers can keep
  // per-worker scratch space in a vector indexed by it.
  // REQUIRES: not called from inside one of this pool's tasks.
  void ParallelFor(size_t n, const std::function<void(size_t i, size_t slot)>& fn);

  static size_t DefaultThreads();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::function<void()>> queue_;
  size_t active_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace custody
