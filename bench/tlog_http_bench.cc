// The transparency log over HTTP: durable appends per second through
// `custody log serve`'s POST /add with many concurrent keep-alive clients,
// against the goal (10,000/s with 64 clients) and this disk's fsync rate
// measured in the same run. The server is the real binary, spawned on a free
// port; each run is repeated with the server's worker pool at each size given,
// so that a pool too small to let batches fill up shows.
//
// Usage: tlog_http_bench [--custody BIN] [--entries N] [--clients N] [--workers N]...
//   defaults: the custody binary built beside this benchmark, 50000 entries,
//   64 clients, workers 8 (cpp-httplib's default pool on this machine) and the
//   server's own default.
// CUSTODY_BENCH_POSTGRES=URI adds the same runs on PostgreSQL (the log tables in
// that database are emptied before each run: use a throwaway database).
#include <arpa/inet.h>
#include <fcntl.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "crypto/key.h"
#include "fsync_rate.h"
#include "store/store.h"
#include "tlog/log.h"

extern char** environ;

using namespace custody;
using Clock = std::chrono::steady_clock;
using custody::bench::FsyncRate;

namespace {

constexpr double kGoal = 10000;  // entries/s through POST /add with 64 clients

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

// Empties the log tables (a log is never re-created in a store otherwise).
bool ResetLog(const std::string& location) {
  auto store = store::Store::Open(location);
  if (!store.ok()) return false;
  auto tx = (*store)->Begin();
  if (!tx.ok()) return false;
  for (const char* table : {"log_entries", "log_tiles", "log_checkpoints", "log_meta"}) {
    if (!(*tx)->Exec(std::string("DELETE FROM ") + table).ok()) return false;
  }
  return (*tx)->Commit().ok();
}

// Checkpoints signed since the log was created (one per integrated batch).
long Batches(const std::string& location) {
  auto store = store::Store::Open(location);
  if (!store.ok()) return -1;
  auto tx = (*store)->Begin();
  if (!tx.ok()) return -1;
  auto rows = (*tx)->Query("SELECT count(*) FROM log_checkpoints WHERE size > 0");
  if (!rows.ok() || rows->empty()) return -1;
  return static_cast<long>((*rows)[0].Int(0));
}

struct RunResult {
  double rate = 0;
  bool ok = false;
};

RunResult Run(const std::string& engine, const std::string& bin, const std::string& dir, const std::string& location,
              size_t entries, size_t clients, int workers, double fsyncs) {
  RunResult result;
  std::string label = engine + (workers > 0 ? " workers=" + std::to_string(workers) : " workers=default");
  if (!ResetLog(location)) {
    std::fprintf(stderr, "%s: cannot open or empty the store %s\n", label.c_str(), location.c_str());
    return result;
  }
  auto key = PrivateKey::Generate(KeyType::kEd25519).value();
  std::string key_path = dir + "/log.key";
  {
    std::ofstream(key_path) << key.ToPem();
  }
  auto signer = tlog::NoteSigner::Create("bench.custody/log", std::move(key)).value();
  if (auto s = tlog::Log::Create(location, "bench.custody/log", signer); !s.ok()) {
    std::fprintf(stderr, "%s: %s\n", label.c_str(), s.error().message().c_str());
    return result;
  }
  int port = FreePort();
  std::string listen = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {bin, "-q", "log", "serve", "--store", location, "--key", key_path,
                                   "--listen", listen};
  if (workers > 0) {
    args.push_back("--workers");
    args.push_back(std::to_string(workers));
  }
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, bin.c_str(), nullptr, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "%s: cannot run %s\n", label.c_str(), bin.c_str());
    return result;
  }
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    httplib::Client probe("127.0.0.1", port);
    auto res = probe.Get("/checkpoint");
    up = res && res->status == 200;
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!up) {
    std::fprintf(stderr, "%s: the server did not start\n", label.c_str());
    ::kill(pid, SIGKILL);
    ::waitpid(pid, nullptr, 0);
    return result;
  }

  std::atomic<size_t> next{0};
  std::atomic<size_t> failures{0};
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::thread> threads;
  auto start = Clock::now();
  for (size_t c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);  // as curl and most HTTP clients do
      client.set_read_timeout(60);
      std::string entry(200, 'e');
      while (true) {
        size_t i = next.fetch_add(1);
        if (i >= entries) break;
        std::snprintf(entry.data(), 24, "%020zu", i);
        auto t0 = Clock::now();
        auto res = client.Post("/add", entry, "application/octet-stream");
        latencies[c].push_back(Seconds(t0, Clock::now()) * 1e3);
        if (!res || res->status != 200) {
          if (failures++ == 0) {
            std::fprintf(stderr, "first failure after %.3f s: %s\n", Seconds(start, t0),
                         res ? (std::to_string(res->status) + " " + res->body).c_str()
                             : httplib::to_string(res.error()).c_str());
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double secs = Seconds(start, Clock::now());
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);

  std::vector<double> lat;
  for (auto& l : latencies) lat.insert(lat.end(), l.begin(), l.end());
  std::sort(lat.begin(), lat.end());
  long batches = Batches(location);
  result.rate = entries / secs;
  result.ok = failures == 0;
  std::printf("%-28s POST /add x %zu (200 B) from %zu keep-alive clients: %.0f entries/s (%.2f s); %zu failed\n",
              label.c_str(), entries, clients, result.rate, secs, failures.load());
  std::printf("%-28s latency p50 %.2f ms, p99 %.2f ms; %ld batches, %.1f entries per batch\n", label.c_str(),
              lat[lat.size() / 2], lat[lat.size() * 99 / 100], batches,
              batches > 0 ? static_cast<double>(entries) / batches : 0.0);
  std::printf("%-28s %.2fx the goal (10,000/s)", label.c_str(), result.rate / kGoal);
  if (fsyncs > 0) std::printf("; %.1fx the fsync rate (%.0f/s)", result.rate / fsyncs, fsyncs);
  std::printf("\n");
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  std::string bin = CUSTODY_BIN;
  size_t entries = 50000;
  size_t clients = 64;
  std::vector<int> workers;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--custody") {
      bin = value();
    } else if (a == "--entries") {
      entries = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--clients") {
      clients = std::strtoull(value().c_str(), nullptr, 10);
    } else if (a == "--workers") {
      workers.push_back(std::atoi(value().c_str()));
    } else {
      std::fprintf(stderr,
                   "usage: tlog_http_bench [--custody BIN] [--entries N] [--clients N] [--workers N]...\n"
                   "  (--workers 0: the server's default)\n");
      return 2;
    }
  }
  if (workers.empty()) workers = {8, 0};
  if (entries == 0 || clients == 0) return 2;
  std::string dir =
      std::filesystem::temp_directory_path() / ("custody-tlog-http-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  double fsyncs = FsyncRate(dir);
  std::printf("fsync rate of %s: %.0f/s (4 KB fdatasync)\n", dir.c_str(), fsyncs);
  std::printf("server: %s; goal >= 10,000 entries/s through POST /add with 64 clients\n", bin.c_str());
  bool ok = true;
  for (int w : workers) {
    std::filesystem::remove(dir + "/bench.db");
    std::filesystem::remove(dir + "/bench.db-wal");
    std::filesystem::remove(dir + "/bench.db-shm");
    ok = Run("sqlite", bin, dir, dir + "/bench.db", entries, clients, w, fsyncs).ok && ok;
  }
  if (const char* pg = std::getenv("CUSTODY_BENCH_POSTGRES"); pg != nullptr && *pg != '\0') {
    for (int w : workers) ok = Run("postgresql", bin, dir, pg, entries, clients, w, 0).ok && ok;
  }
  std::filesystem::remove_all(dir);
  return ok ? 0 : 1;
}
