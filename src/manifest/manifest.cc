#include "manifest/manifest.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <map>
#include <memory>
#include <optional>

#include "core/encoding.h"
#include "core/file.h"
#include "core/progress.h"
#include "core/thread_pool.h"
#include "manifest/path_order.h"
#include "manifest/walk.h"

namespace custody {
namespace {

// 1 MiB reads: large enough to keep syscall cost small, small enough that the
// buffer stays in the core's L2 cache between the copy and the hash.
constexpr size_t kReadSize = size_t{1} << 20;
// Below this size a progress bar would only flicker.
constexpr uint64_t kProgressThreshold = uint64_t{256} << 20;

struct Job {
  const ModelFile* file;
  uint64_t start;
  uint64_t end;
};

// Hashes bytes [start, end) of one file. The file must still be at least `end`
// bytes long: a file that shrinks while it is hashed is an error, not a silent
// short read.
Result<std::string> HashRange(const ModelFile& file, uint64_t start, uint64_t end, HashAlgorithm algorithm,
                              char* buffer, Progress& progress) {
  int fd = ::open(file.path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Error::Input("cannot open " + file.path.string() + ": " + ErrnoMessage());
  ::posix_fadvise(fd, static_cast<off_t>(start), static_cast<off_t>(end - start), POSIX_FADV_SEQUENTIAL);
  Hasher hasher(algorithm);
  uint64_t offset = start;
  while (offset < end) {
    size_t want = static_cast<size_t>(std::min<uint64_t>(kReadSize, end - offset));
    ssize_t n = ::pread(fd, buffer, want, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      std::string why = ErrnoMessage();
      ::close(fd);
      return Error::Input("cannot read " + file.path.string() + ": " + why);
    }
    if (n == 0) {
      ::close(fd);
      return Error::Input(file.path.string() + " shrank while it was being hashed; hash again when it is stable");
    }
    hasher.Update(buffer, static_cast<size_t>(n));
    offset += static_cast<uint64_t>(n);
    progress.Add(static_cast<uint64_t>(n));
  }
  ::close(fd);
  return hasher.Finish();
}

std::string ShardName(const std::string& path, uint64_t start, uint64_t end) {
  return path + ":" + std::to_string(start) + ":" + std::to_string(end);
}

}  // namespace

const char* SerializationMethodName(SerializationMethod method) {
  return method == SerializationMethod::kFiles ? "files" : "shards";
}

Result<SerializationMethod> ParseSerializationMethod(std::string_view name) {
  if (name == "files") return SerializationMethod::kFiles;
  if (name == "shards") return SerializationMethod::kShards;
  return Error::Input("unknown serialization method '" + std::string(name) + "' (use files or shards)");
}

const std::vector<std::string>& DefaultIgnorePaths() {
  static const std::vector<std::string> paths = {".git", ".gitattributes", ".github", ".gitignore"};
  return paths;
}

void SortResources(std::vector<Resource>& resources) {
  std::sort(resources.begin(), resources.end(), [](const Resource& a, const Resource& b) {
    int c = ComparePaths(a.path, b.path);
    if (c != 0) return c < 0;
    if (a.start != b.start) return a.start < b.start;
    return a.end < b.end;
  });
}

std::string Manifest::SubjectDigest() const {
  Hasher h(HashAlgorithm::kSha256);
  for (const auto& r : resources) h.Update(r.digest);
  return h.Finish();
}

uint64_t Manifest::TotalBytes() const {
  uint64_t total = 0;
  for (const auto& r : resources) total += r.end - r.start;
  return total;
}

size_t Manifest::FileCount() const {
  size_t n = 0;
  for (size_t i = 0; i < resources.size(); ++i) {
    if (i == 0 || resources[i].path != resources[i - 1].path) ++n;
  }
  return n;
}

Result<Manifest> HashModel(const std::filesystem::path& model, const Serialization& serialization,
                           const HashSettings& settings) {
  if (serialization.method == SerializationMethod::kShards && serialization.shard_size == 0) {
    return Error::Input("shard size must be at least 1 byte");
  }
  WalkOptions walk{serialization.allow_symlinks, serialization.ignore_paths};
  CUSTODY_ASSIGN_OR_RETURN(std::vector<ModelFile> files, ListModelFiles(model, walk));
  std::filesystem::path abs = std::filesystem::absolute(model).lexically_normal();
  std::string model_name = abs.filename().string();
  if (model_name.empty()) model_name = abs.parent_path().filename().string();
  if (!IsValidUtf8(model_name)) {
    return Error::Input(model.string() + ": the model's name is not valid UTF-8 and cannot be recorded in a manifest; rename it");
  }

  std::vector<Job> jobs;
  uint64_t total = 0;
  for (const auto& f : files) {
    total += f.size;
    if (serialization.method == SerializationMethod::kFiles) {
      jobs.push_back({&f, 0, f.size});
    } else {
      // Empty files have no shards, as in model_signing.
      for (uint64_t start = 0; start < f.size; start += serialization.shard_size) {
        jobs.push_back({&f, start, std::min(f.size, start + serialization.shard_size)});
      }
    }
  }
  // Largest first, so one big file does not start last and run alone.
  std::stable_sort(jobs.begin(), jobs.end(),
                   [](const Job& a, const Job& b) { return a.end - a.start > b.end - b.start; });

  std::vector<std::optional<Result<std::string>>> digests(jobs.size());
  Progress progress("hashing", total, settings.progress && total >= kProgressThreshold);
  {
    size_t threads = settings.threads == 0 ? ThreadPool::DefaultThreads() : settings.threads;
    ThreadPool pool(std::min(threads, std::max<size_t>(jobs.size(), 1)));
    std::vector<std::unique_ptr<char[]>> buffers(pool.size());  // one per worker, reused
    pool.ParallelFor(jobs.size(), [&](size_t i, size_t slot) {
      if (!buffers[slot]) buffers[slot] = std::make_unique<char[]>(kReadSize);
      char* buffer = buffers[slot].get();
      const Job& job = jobs[i];
      digests[i] = HashRange(*job.file, job.start, job.end, serialization.hash, buffer, progress);
    });
  }
  progress.Finish();

  Manifest manifest;
  manifest.model_name = std::move(model_name);
  manifest.serialization = serialization;
  manifest.resources.reserve(jobs.size());
  std::optional<Error> first_error;
  std::string first_error_path;
  for (size_t i = 0; i < jobs.size(); ++i) {
    const Job& job = jobs[i];
    if (!digests[i]->ok()) {
      if (!first_error || PathLess(job.file->name, first_error_path)) {
        first_error = digests[i]->error();
        first_error_path = job.file->name;
      }
      continue;
    }
    Resource r;
    r.path = job.file->name;
    r.start = job.start;
    r.end = job.end;
    r.name = serialization.method == SerializationMethod::kFiles ? r.path : ShardName(r.path, r.start, r.end);
    r.algorithm = HashAlgorithmName(serialization.hash);
    r.digest = std::move(*digests[i]).value();
    manifest.resources.push_back(std::move(r));
  }
  if (first_error) return *first_error;
  SortResources(manifest.resources);
  return manifest;
}

ManifestDiff CompareManifests(const Manifest& expected, const Manifest& actual) {
  // file -> the (name, digest) pairs that describe it
  using Parts = std::vector<std::pair<std::string, std::string>>;
  auto by_file = [](const Manifest& m) {
    std::map<std::string, Parts> files;
    for (const auto& r : m.resources) files[r.path].emplace_back(r.name, r.digest);
    for (auto& [path, parts] : files) std::sort(parts.begin(), parts.end());
    return files;
  };
  auto want = by_file(expected);
  auto have = by_file(actual);
  ManifestDiff diff;
  for (const auto& [path, parts] : want) {
    auto it = have.find(path);
    if (it == have.end()) {
      diff.removed.push_back(path);
    } else if (it->second != parts) {
      diff.modified.push_back(path);
    }
  }
  for (const auto& [path, parts] : have) {
    if (!want.count(path)) diff.added.push_back(path);
  }
  auto sort_paths = [](std::vector<std::string>& v) { std::sort(v.begin(), v.end(), PathLess); };
  sort_paths(diff.modified);
  sort_paths(diff.added);
  sort_paths(diff.removed);
  return diff;
}

}  // namespace custody
