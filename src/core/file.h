// Whole-file reads and safe writes. Errors name the file and the OS reason.
// Stateless; safe from any thread.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

#include "core/error.h"

namespace custody {

// Reads a regular file completely. Refuses directories and special files
// (a FIFO would block forever) and files larger than `max_bytes`.
Result<std::string> ReadFile(const std::filesystem::path& path,
                             size_t max_bytes = size_t{256} << 20);

// Writes `data` to `path` through a temporary file in the same directory and a
// rename, so a crash never leaves a half-written file. With `overwrite` false
// an existing file is an error and is left untouched.
Status WriteFileAtomic(const std::filesystem::path& path, const std::string& data, mode_t mode,
                       bool overwrite);

// "strerror(errno)" for the current errno.
std::string ErrnoMessage();

}  // namespace custody
