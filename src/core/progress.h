// Progress: a byte-count progress bar drawn on stderr while long work runs.
//
// Draws only when stderr is a terminal and the work is large enough to be worth
// watching; otherwise every call is a cheap no-op. Add() is safe from any
// thread; the bar is redrawn by a background thread a few times a second and
// erased by Finish() or the destructor.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace custody {

class Progress {
 public:
  // `enabled` is the caller's wish; the bar still stays off when stderr is not
  // a terminal.
  Progress(std::string label, uint64_t total_bytes, bool enabled);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Add(uint64_t bytes) { done_.fetch_add(bytes, std::memory_order_relaxed); }
  void Finish();

 private:
  void Draw(bool final);

  std::string label_;
  uint64_t total_;
  std::atomic<uint64_t> done_{0};
  bool active_ = false;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread drawer_;
  int64_t start_ms_ = 0;
};

}  // namespace custody
