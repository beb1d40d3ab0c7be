// Many small files: custody's HashModel against the simplest in-process peer,
// a sequential loop that reads each file and hashes it with OpenSSL. Both run
// in this process on the same directory with a warm page cache, so the ratio
// shows what the parallel walk and scheduling buy (or cost) per file.
//
// Run: build/bench/manifest_bench  (the directory is made in $TMPDIR and removed)
#include <benchmark/benchmark.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <vector>

#include "manifest/manifest.h"
#include "manifest/walk.h"

namespace {

struct Model {
  std::filesystem::path dir;
  size_t bytes = 0;
  Model(int files, size_t size) {
    dir = std::filesystem::temp_directory_path() / ("custody-bench-" + std::to_string(::getpid()) + "-" +
                                                    std::to_string(files) + "x" + std::to_string(size));
    std::mt19937 rng(42);
    std::string data(size, '\0');
    for (int i = 0; i < files; ++i) {
      for (auto& c : data) c = static_cast<char>(rng());
      auto p = dir / ("d" + std::to_string(i % 16)) / ("f" + std::to_string(i));
      std::filesystem::create_directories(p.parent_path());
      std::ofstream(p, std::ios::binary) << data;
      bytes += size;
    }
  }
  ~Model() { std::filesystem::remove_all(dir); }
};

void BM_HashModel(benchmark::State& state) {
  Model model(static_cast<int>(state.range(0)), static_cast<size_t>(state.range(1)));
  custody::Serialization ser;
  for (auto _ : state) {
    auto m = custody::HashModel(model.dir, ser);
    if (!m.ok()) state.SkipWithError(m.error().message().c_str());
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * model.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * state.range(0)));
}

void BM_SequentialPeer(benchmark::State& state) {
  Model model(static_cast<int>(state.range(0)), static_cast<size_t>(state.range(1)));
  std::vector<char> buf(1 << 20);
  for (auto _ : state) {
    auto files = custody::ListModelFiles(model.dir, {});
    for (const auto& f : *files) {
      EVP_MD_CTX* ctx = EVP_MD_CTX_new();
      EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
      std::ifstream in(f.path, std::ios::binary);
      while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        EVP_DigestUpdate(ctx, buf.data(), static_cast<size_t>(in.gcount()));
      }
      unsigned char out[32];
      EVP_DigestFinal_ex(ctx, out, nullptr);
      EVP_MD_CTX_free(ctx);
      benchmark::DoNotOptimize(out);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * model.bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * state.range(0)));
}

BENCHMARK(BM_HashModel)->Args({2000, 4096})->Args({200, 1 << 20})->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SequentialPeer)->Args({2000, 4096})->Args({200, 1 << 20})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
