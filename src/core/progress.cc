#include "core/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace custody {
namespace {
int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

Progress::Progress(std::string label, uint64_t total_bytes, bool enabled)
    : label_(std::move(label)), total_(total_bytes) {
  active_ = enabled && total_bytes > 0 && ::isatty(STDERR_FILENO) == 1;
  if (!active_) return;
  start_ms_ = NowMs();
  drawer_ = std::thread([this] {
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stop_; })) {
      Draw(false);
    }
  });
}

Progress::~Progress() { Finish(); }

void Progress::Finish() {
  if (!active_) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  drawer_.join();
  active_ = false;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

void Progress::Draw(bool /*final*/) {
  uint64_t done = done_.load(std::memory_order_relaxed);
  double frac = total_ == 0 ? 1.0 : static_cast<double>(done) / static_cast<double>(total_);
  if (frac > 1) frac = 1;
  constexpr int kWidth = 30;
  int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  double secs = static_cast<double>(NowMs() - start_ms_) / 1000.0;
  double mbps = secs > 0 ? static_cast<double>(done) / 1e6 / secs : 0;
  std::fprintf(stderr, "\r\033[K%s [%s] %5.1f%%  %.0f/%.0f MB  %.0f MB/s", label_.c_str(), bar.c_str(),
               frac * 100, static_cast<double>(done) / 1e6, static_cast<double>(total_) / 1e6, mbps);
  std::fflush(stderr);
}

}  // namespace custody
