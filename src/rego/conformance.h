// OPA's YAML conformance cases, run against custody's engine: each case's
// modules, data, input and query, compared with want_result / want_error /
// want_error_code as OPA's own runner compares them. Folders under a `v0`
// directory are parsed as Rego v0, everything else as v1.
//
// Used by `custody policy conformance` and by the test suite.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/error.h"

namespace custody::rego {

struct ConformanceCase {
  std::string file;
  std::string folder;  // e.g. "v1/aggregates"
  std::string note;
  enum class Status { kPass, kFail, kSkip } status = Status::kFail;
  std::string reason;  // why it failed or was skipped
};

struct FolderCount {
  int passed = 0, failed = 0, skipped = 0;
};

struct ConformanceReport {
  std::vector<ConformanceCase> cases;
  std::map<std::string, FolderCount> folders;
  int passed = 0, failed = 0, skipped = 0;
};

struct ConformanceOptions {
  // Called after each file with (files done, files total).
  std::function<void(size_t, size_t)> progress;
};

// Runs every *.yaml under each of `dirs`.
Result<ConformanceReport> RunConformance(const std::vector<std::string>& dirs, const ConformanceOptions& options);

}  // namespace custody::rego
