// The transparency log's speed: durable appends per second through the library
// with many concurrent clients, against this disk's fsync rate measured in the
// same run (the limit of any durable log is fsyncs/s x batch size); latency from
// append to a verified inclusion proof; proofs served per second; memory.
//
// Usage: tlog_bench [ENTRIES] [CLIENTS]   (defaults 200000, 64)
//        tlog_bench --memory [ENTRIES]     (default 10000000)
// --memory appends ENTRIES (in batches, from 8 threads) and reports resident
// memory at every power of ten: it stays flat, since the tree is never held in
// memory (the sequencer keeps the right edge, readers a bounded tile cache).
// CUSTODY_BENCH_POSTGRES=URI adds the same run on PostgreSQL.
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fsync_rate.h"
#include "tlog/log.h"

using namespace custody;
using Clock = std::chrono::steady_clock;
using custody::bench::FsyncRate;

namespace {

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

long MaxRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
}

// Resident memory now (VmRSS), in MB.
long RssMb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10) / 1024;
  }
  return -1;
}

uint64_t SizeOf(tlog::Log& log) {
  auto size = log.Size();
  return size.ok() ? *size : 0;
}

// Appends `entries` entries and reports memory at 10^k entries and at the end.
void RunMemory(const std::string& engine, const std::string& location, size_t entries) {
  auto signer = tlog::NoteSigner::Create("bench.custody/log", PrivateKey::Generate(KeyType::kEd25519).value()).value();
  if (auto s = tlog::Log::Create(location, "bench.custody/log", signer); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", engine.c_str(), s.error().message().c_str());
    return;
  }
  auto log = std::move(tlog::Log::Open(location, signer).value());
  constexpr size_t kChunk = 1024;
  constexpr size_t kThreads = 8;
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<size_t> failures{0};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      while (true) {
        size_t first = next.fetch_add(kChunk);
        if (first >= entries) break;
        size_t n = std::min(kChunk, entries - first);
        std::vector<std::string> chunk(n, std::string(200, 'e'));
        for (size_t i = 0; i < n; ++i) std::snprintf(chunk[i].data(), 24, "%020zu", first + i);
        if (!log->AppendAll(std::move(chunk)).ok()) failures++;
        done += n;
      }
    });
  }
  size_t milestone = 100000;
  auto report = [&](size_t size) {
    uint64_t x = 88172645463325252ull;
    std::vector<double> plat;
    for (int i = 0; i < 2000; ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      auto t0 = Clock::now();
      if (!log->ProveInclusion(x % size, size).ok()) failures++;
      plat.push_back(Seconds(t0, Clock::now()) * 1e3);
    }
    std::sort(plat.begin(), plat.end());
    std::printf("%-10s %10zu entries after %6.1f s: resident %ld MB, peak %ld MB; proof median %.3f ms, p99 %.3f ms\n",
                engine.c_str(), size, Seconds(start, Clock::now()), RssMb(), MaxRssMb(), plat[plat.size() / 2],
                plat[plat.size() * 99 / 100]);
    std::fflush(stdout);
  };
  while (true) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    size_t size = SizeOf(*log);
    bool finished = done.load() >= entries;
    if (size >= milestone && milestone <= entries) {
      report(size);
      milestone *= 10;
    }
    if (finished) break;
  }
  for (auto& t : threads) t.join();
  uint64_t size = SizeOf(*log);
  std::printf("%-10s %zu entries in %.1f s (%.0f/s), %zu failed\n", engine.c_str(), static_cast<size_t>(size),
              Seconds(start, Clock::now()), size / Seconds(start, Clock::now()), failures.load());
  report(size);
}

void Run(const std::string& engine, const std::string& location, size_t entries, size_t clients, double fsyncs) {
  auto signer = tlog::NoteSigner::Create("bench.custody/log", PrivateKey::Generate(KeyType::kEd25519).value()).value();
  if (auto s = tlog::Log::Create(location, "bench.custody/log", signer); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", engine.c_str(), s.error().message().c_str());
    return;
  }
  auto log = std::move(tlog::Log::Open(location, signer).value());
  std::atomic<size_t> next{0};
  std::atomic<size_t> failures{0};
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (size_t c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      std::string entry(200, 'e');
      while (true) {
        size_t i = next.fetch_add(1);
        if (i >= entries) break;
        std::snprintf(entry.data(), 24, "%020zu", i);
        if (!log->Append(entry).ok()) failures++;
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = Seconds(start, Clock::now());
  double rate = entries / secs;
  std::printf("%-10s %zu durable appends of 200 B from %zu clients: %.0f entries/s (%.2f s); %zu failed\n",
              engine.c_str(), entries, clients, rate, secs, failures.load());
  if (fsyncs > 0) {
    std::printf("%-10s ratio to one fsync per entry (%.0f fsyncs/s): %.1fx\n", engine.c_str(), fsyncs, rate / fsyncs);
  }
  // Latency: one append, then its inclusion proof, verified.
  std::vector<double> lat;
  for (int i = 0; i < 200; ++i) {
    auto t0 = Clock::now();
    auto a = log->Append("latency probe " + std::to_string(i));
    auto p = log->ProveInclusion(a->index, a->size);
    auto cp = tlog::ParseCheckpoint(tlog::OpenNote(a->checkpoint, log->verifier())->text).value();
    bool ok = tlog::VerifyInclusion(a->index, a->size, a->leaf, *p, cp.root).ok();
    lat.push_back(Seconds(t0, Clock::now()) * 1e3);
    if (!ok) failures++;
  }
  std::sort(lat.begin(), lat.end());
  std::printf("%-10s append -> verified inclusion proof, one client: median %.2f ms, p99 %.2f ms\n", engine.c_str(),
              lat[lat.size() / 2], lat[lat.size() * 99 / 100]);
  // Proofs per second on one thread, random indices, latest size.
  uint64_t size = log->Size().value();
  std::vector<double> plat;
  auto p0 = Clock::now();
  int proofs = 0;
  uint64_t x = 88172645463325252ull;
  while (Seconds(p0, Clock::now()) < 2.0) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    auto t0 = Clock::now();
    auto p = log->ProveInclusion(x % size, size);
    plat.push_back(Seconds(t0, Clock::now()) * 1e3);
    if (!p.ok()) failures++;
    ++proofs;
  }
  std::sort(plat.begin(), plat.end());
  std::printf("%-10s inclusion proofs at size %llu: %.0f/s on one thread, median %.3f ms, p99 %.3f ms\n",
              engine.c_str(), static_cast<unsigned long long>(size), proofs / Seconds(p0, Clock::now()),
              plat[plat.size() / 2], plat[plat.size() * 99 / 100]);
  std::printf("%-10s peak resident memory so far: %ld MB\n", engine.c_str(), MaxRssMb());
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::filesystem::temp_directory_path() / ("custody-tlog-bench-" + std::to_string(getpid()));
  const char* pg = std::getenv("CUSTODY_BENCH_POSTGRES");
  if (argc > 1 && std::string(argv[1]) == "--memory") {
    size_t entries = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 10000000;
    std::filesystem::create_directories(dir);
    std::printf("memory while appending %zu entries of 200 B (peak = ru_maxrss)\n", entries);
    RunMemory("sqlite", dir + "/bench.db", entries);
    std::filesystem::remove_all(dir);
    if (pg != nullptr && *pg != '\0') RunMemory("postgresql", pg, entries);
    return 0;
  }
  size_t entries = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  size_t clients = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 64;
  std::filesystem::create_directories(dir);
  double fsyncs = FsyncRate(dir);
  std::printf("fsync rate of %s: %.0f/s (4 KB fdatasync)\n", dir.c_str(), fsyncs);
  std::printf("anchors: Tessera ~10,000 entries/s (POSIX), Trillian 400-500/s (MySQL); goal >= 50,000/s on SQLite\n");
  Run("sqlite", dir + "/bench.db", entries, clients, fsyncs);
  if (pg != nullptr && *pg != '\0') {
    Run("postgresql", pg, entries, clients, 0);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
