// Compiler: parsed modules and base data to an immutable compiled policy.
//
// It resolves every name (local variables to frame slots, rule names and
// imports to data references, calls to built-ins or user functions), checks
// safety (every variable bound before it is used) and orders each body so
// that it is, groups rules into a tree by the document path they define, and
// precomputes ground terms. Errors are rego_compile_error,
// rego_unsafe_var_error, rego_type_error or rego_recursion_error, each with
// file:line.
//
// A CompiledPolicy never changes after Compile(); any number of threads may
// evaluate it at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "rego/ast.h"
#include "rego/builtins.h"
#include "rego/parser.h"

namespace custody::rego {

// A node of the data namespace: the rules that define the document at this
// path, and children by path element.
struct DocNode {
  std::vector<Value> path;
  std::map<Value, std::unique_ptr<DocNode>, ValueLess> children;
  std::vector<const Rule*> rules;      // complete, partial set and partial object rules (not default)
  std::vector<const Rule*> defaults;   // default rules
  std::vector<const Rule*> functions;  // function definitions (default ones included)
  bool rules_below = false;            // any rule here or in a descendant
  RuleKind kind = RuleKind::kComplete;
  // The value of every complete rule here is the same ground term: the first
  // solution of any body settles the document (early exit).
  bool constant_value = false;
  // Rule index: when many rules here test one input path for equality with
  // a constant (`input.resource_type == "AWS::S3::Bucket"`), evaluation looks
  // the input value up and runs only the rules that can match, plus those
  // that do not test that path.
  bool indexed = false;
  std::vector<Value> index_path;  // below input
  std::map<Value, std::vector<const Rule*>, ValueLess> index;
  std::vector<const Rule*> unindexed;
  // The document when it is one rule with a constant value and no body
  // (`roles := {...}`): no evaluation needed.
  Value const_doc;
  const DocNode* Child(const Value& key) const {
    auto it = children.find(key);
    return it == children.end() ? nullptr : it->second.get();
  }
};

struct CompiledQuery {
  std::shared_ptr<Body> body;
  int num_slots = 0;
  // Named query variables in order of first appearance, with their slots.
  std::vector<std::pair<std::string, int>> vars;
};

class CompiledPolicy {
 public:
  std::vector<std::unique_ptr<Module>> modules;
  DocNode root;
  Value data;  // base documents
  const BuiltinTable* builtins = nullptr;
  std::vector<std::string> notices;  // e.g. files read as Rego v0

  // Compiles a query against this policy. Errors as for Compile.
  Result<CompiledQuery> CompileQuery(std::string_view text, RegoVersion version) const;

  const DocNode* Find(const std::vector<Value>& path) const;
};

struct SourceModule {
  std::string file;
  std::string text;
};

struct CompileOptions {
  RegoVersion version = RegoVersion::kV1;
  // A v1 file that fails to parse but parses as v0 is accepted as v0 with a
  // notice (most published examples are v0).
  bool v0_fallback = true;
};

Result<std::shared_ptr<const CompiledPolicy>> Compile(const std::vector<SourceModule>& sources, Value data,
                                                      const CompileOptions& options);
// Compiles already-parsed modules (ownership moves into the policy).
Result<std::shared_ptr<const CompiledPolicy>> CompileModules(std::vector<std::unique_ptr<Module>> modules,
                                                             Value data);

}  // namespace custody::rego
