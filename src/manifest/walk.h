// Listing the files of a model: a directory walked recursively, or one file.
//
// Only regular files, directories and (when allowed) symlinks to regular files
// may be part of a model; anything else is an error naming the path, so a FIFO
// or device never blocks a hash. Stateless; safe from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace custody {

struct ModelFile {
  std::string name;             // POSIX path relative to the model root ("." for a single-file model)
  std::filesystem::path path;   // where to read the bytes
  uint64_t size = 0;
};

struct WalkOptions {
  bool allow_symlinks = false;
  // Relative to the model root; a path and everything below it is skipped.
  std::vector<std::string> ignore_paths;
};

// Files in no particular order.
Result<std::vector<ModelFile>> ListModelFiles(const std::filesystem::path& model, const WalkOptions& options);

// Turns a user-given ignore path into the form stored in manifests: relative to
// `model`, no "./" prefix, no trailing '/'. Absolute paths inside the model are
// made relative; other absolute paths are returned unchanged (they match nothing).
std::string NormalizeIgnorePath(const std::filesystem::path& model, const std::string& path);

}  // namespace custody
