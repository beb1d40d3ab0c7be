// Manifest: a model's files (or file shards) paired with their digests, in the
// OpenSSF model-signing v1.0 form.
//
// Resources are sorted by path component order (see path_order.h), then by
// shard start and end. The subject digest is SHA-256 over the concatenated raw
// resource digests in that order. HashModel reads files in parallel on a
// ThreadPool; Manifest values are plain data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "crypto/digest.h"

namespace custody {

enum class SerializationMethod { kFiles, kShards };
const char* SerializationMethodName(SerializationMethod method);
Result<SerializationMethod> ParseSerializationMethod(std::string_view name);

inline constexpr uint64_t kDefaultShardSize = 1'000'000'000;

// Every setting needed to reproduce a manifest; recorded in signatures.
struct Serialization {
  SerializationMethod method = SerializationMethod::kFiles;
  HashAlgorithm hash = HashAlgorithm::kSha256;
  uint64_t shard_size = kDefaultShardSize;  // used by kShards only
  bool allow_symlinks = false;
  std::vector<std::string> ignore_paths;   // relative to the model root
};

// The paths model_signing ignores by default (git metadata).
const std::vector<std::string>& DefaultIgnorePaths();

struct Resource {
  std::string name;    // "path" (files) or "path:start:end" (shards)
  std::string path;    // the file this resource covers
  uint64_t start = 0;  // shard byte range [start, end); whole file for kFiles
  uint64_t end = 0;
  std::string algorithm;  // as written in the manifest ("sha256", "blake2b")
  std::string digest;     // raw bytes
};

// Sorts by path components, then start, then end.
void SortResources(std::vector<Resource>& resources);

struct Manifest {
  std::string model_name;  // final component of the model path; informative only
  Serialization serialization;
  std::vector<Resource> resources;  // sorted

  // Raw SHA-256 over the concatenation of resources[i].digest.
  std::string SubjectDigest() const;
  uint64_t TotalBytes() const;
  size_t FileCount() const;
};

struct HashSettings {
  size_t threads = 0;     // 0: one per CPU
  bool progress = false;  // draw a progress bar on a terminal for large models
};

// Hashes the model at `model` (a directory or a single file).
Result<Manifest> HashModel(const std::filesystem::path& model, const Serialization& serialization,
                           const HashSettings& settings = {});

// What differs between a signed manifest and a freshly computed one, by file.
struct ManifestDiff {
  std::vector<std::string> modified;  // in both, different content (or shard layout)
  std::vector<std::string> added;     // only in `actual`
  std::vector<std::string> removed;   // only in `expected`
  bool empty() const { return modified.empty() && added.empty() && removed.empty(); }
};
ManifestDiff CompareManifests(const Manifest& expected, const Manifest& actual);

}  // namespace custody
