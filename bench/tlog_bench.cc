// The transparency log's speed: durable appends per second through the library
// with many concurrent clients, against this disk's fsync rate measured in the
// same run (the limit of any durable log is fsyncs/s x batch size); latency from
// append to a verified inclusion proof; proofs served per second; memory.
//
// Usage: tlog_bench [ENTRIES] [CLIENTS]   (defaults 200000, 64)
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
#include <string>
#include <thread>
#include <vector>

#include "tlog/log.h"

using namespace custody;
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// fsyncs per second of 4 KB appends to one file in `dir`.
double FsyncRate(const std::string& dir) {
  std::string path = dir + "/fsync-probe";
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  if (fd < 0) return 0;
  std::string block(4096, 'x');
  int n = 0;
  auto start = Clock::now();
  while (Seconds(start, Clock::now()) < 1.0) {
    if (::write(fd, block.data(), block.size()) < 0 || ::fdatasync(fd) != 0) break;
    ++n;
  }
  double rate = n / Seconds(start, Clock::now());
  ::close(fd);
  std::filesystem::remove(path);
  return rate;
}

long MaxRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024;
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
  size_t entries = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 200000;
  size_t clients = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 64;
  std::string dir = std::filesystem::temp_directory_path() / ("custody-tlog-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  double fsyncs = FsyncRate(dir);
  std::printf("fsync rate of %s: %.0f/s (4 KB fdatasync)\n", dir.c_str(), fsyncs);
  std::printf("anchors: Tessera ~10,000 entries/s (POSIX), Trillian 400-500/s (MySQL); goal >= 50,000/s on SQLite\n");
  Run("sqlite", dir + "/bench.db", entries, clients, fsyncs);
  if (const char* pg = std::getenv("CUSTODY_BENCH_POSTGRES"); pg != nullptr && *pg != '\0') {
    Run("postgresql", pg, entries, clients, 0);
  }
  std::filesystem::remove_all(dir);
  return 0;
}
