// Loading policy and data files the way `opa eval -d` does: .rego files are
// modules; .json, .yaml and .yml files are data, placed at the path of their
// directory relative to the directory given (data.json at the top merges into
// data itself). An OPA bundle is a directory (read the same way) or a
// `.tar.gz` archive: its .rego files and its data.json / data.yaml files at
// their directory's path.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "rego/compiler.h"
#include "rego/value.h"

namespace custody::rego {

struct LoadedFiles {
  std::vector<SourceModule> modules;
  Value data = Value::EmptyObject();
};

// Each path is a file or a directory (walked recursively, hidden entries
// skipped). Errors name the file and, for data, the line.
Result<LoadedFiles> LoadPolicyPaths(const std::vector<std::string>& paths);

// A JSON or YAML document from a file (by extension; JSON when unknown).
Result<Value> LoadDocument(const std::string& path);

// Merges `doc` into `data` at `path`; objects merge key by key. A conflict
// (two files giving different non-object values for one key) is an error.
Result<Value> MergeAt(const Value& data, const std::vector<std::string>& path, const Value& doc,
                      const std::string& source);

}  // namespace custody::rego
