// Mechanical fixes: a check's (or a finding's) `fix` applied to the text of
// the template, so that every line the fix does not touch, comments
// included, stays exactly as it was.
//
// Fix forms (docs/formats/posture-policy.md):
//   {"set": {"TracingConfig": {"Mode": "Active"}}}   keys under the resource's
//        properties: missing keys are added, differing scalars replaced,
//        objects merged key by key
//   {"tags": {"owner": "TODO"}}                      tags added when missing
// Supported: CloudFormation/SAM YAML (block and flow style) and JSON. Other
// formats' findings are reported as not fixed.
//
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/error.h"
#include "scan/check.h"
#include "scan/scanner.h"

namespace custody::scan {

struct FileFix {
  std::string file;
  std::string original;
  std::string fixed;                     // == original when nothing applied
  std::vector<const Finding*> applied;   // findings the edit fixes
  std::vector<std::string> skipped;      // "FILE:LINE RULE: why not"
};

// The fixes for every unsuppressed fixable finding of `result`, one FileFix
// per file that has any. Reads the files again.
Result<std::vector<FileFix>> PlanFixes(const ScanResult& result, const CheckSet& checks);

// One edit of one resource in a CloudFormation text (YAML or JSON): applies
// `fix` to resource `logical_id`. Errors say why the text could not be edited.
Result<std::string> ApplyFix(const std::string& text, const std::string& file, const std::string& logical_id,
                             const rego::Value& fix);

// A unified diff (3 lines of context) from `before` to `after`, with
// headers a/FILE and b/FILE; "" when equal.
std::string UnifiedDiff(const std::string& file, const std::string& before, const std::string& after);

}  // namespace custody::scan
