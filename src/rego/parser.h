// Parser: Rego source to a Module (or a query to a Body).
//
// Two syntaxes: Rego v1 (OPA 1.x: `if` before rule bodies, `contains` for
// multi-value rules, the keywords `if contains in every` always on) and v0
// (keywords only through `import future.keywords...` or `import rego.v1`).
// Errors are rego_parse_error with file:line:col and the offending token.
//
// Stateless between calls; safe from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/error.h"
#include "rego/ast.h"

namespace custody::rego {

enum class RegoVersion { kV0, kV1 };

Result<std::unique_ptr<Module>> ParseModule(std::string_view src, const std::string& file, RegoVersion version);

// A query ("data.x.p = y; z := 1"). Keywords are on (as in OPA's eval).
Result<std::shared_ptr<Body>> ParseQuery(std::string_view src, const std::string& file, RegoVersion version);

}  // namespace custody::rego
