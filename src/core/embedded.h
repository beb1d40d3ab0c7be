// Files compiled into the binary: everything under policies/ (the built-in
// Rego packs of the gate and the scanner), so the binary needs no data files
// at run time. Read-only; safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace custody {

struct EmbeddedFile {
  std::string_view path;     // relative to policies/, '/'-separated: "posture/lambda.rego"
  std::string_view content;  // the file's bytes
};

// Every embedded file, sorted by path.
std::span<const EmbeddedFile> EmbeddedPolicyFiles();

}  // namespace custody
