// The disk's durable-write rate, measured in the same run as a benchmark:
// the limit of any durable log is this rate times the batch size.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>

namespace custody::bench {

// fsyncs per second of 4 KB appends to one file in `dir` (for one second);
// 0 when the probe file cannot be created.
inline double FsyncRate(const std::string& dir) {
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  std::string path = dir + "/fsync-probe";
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return 0;
  std::string block(4096, 'x');
  int n = 0;
  auto start = Clock::now();
  while (seconds(start, Clock::now()) < 1.0) {
    if (::write(fd, block.data(), block.size()) < 0 || ::fdatasync(fd) != 0) break;
    ++n;
  }
  double rate = n / seconds(start, Clock::now());
  ::close(fd);
  std::filesystem::remove(path);
  return rate;
}

}  // namespace custody::bench
