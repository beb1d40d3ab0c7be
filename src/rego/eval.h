// Evaluation of a compiled query against a compiled policy, input and base
// data: top-down with backtracking, as OPA evaluates. Rule documents are
// computed once per evaluation and cached; `with` starts a fresh cache.
//
// One Evaluate() call is single-threaded and owns its state; any number of
// calls may run at once on the same CompiledPolicy.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "rego/compiler.h"

namespace custody::rego {

struct EvalOptions {
  Value input;  // undefined: no input document
  // Built-in errors end evaluation (OPA's strict-builtin-errors); otherwise
  // they make the expression undefined.
  bool strict_builtin_errors = false;
  std::ostream* print = nullptr;  // print() output; nullptr discards it
  int64_t now_ns = 0;             // time.now_ns(); 0: read the clock
  bool allow_network = false;
  uint64_t seed = 0;
  // Bound on nested rule and function calls (a safety net: recursion itself
  // is detected and refused).
  int max_depth = 400;
};

struct QueryRow {
  std::vector<std::pair<std::string, Value>> bindings;  // named query variables
  std::vector<Value> expressions;                       // the value of each query expression
};

Result<std::vector<QueryRow>> Evaluate(const CompiledPolicy& policy, const CompiledQuery& query,
                                       const EvalOptions& options);

}  // namespace custody::rego
