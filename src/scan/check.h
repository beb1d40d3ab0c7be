// Posture checks as the scanner runs them: the built-in pack
// (policies/posture/, compiled into the binary) and the user's --policy
// directories compiled together into one immutable CheckSet, each Rego
// package with a `deny` or `warn` rule becoming a Check described by its
// `metadata` rule (docs/formats/posture-policy.md).
//
// A CheckSet never changes after Load(); any number of threads may evaluate
// its checks at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.h"
#include "rego/compiler.h"
#include "rego/value.h"

namespace custody::scan {

enum class Severity { kInfo = 0, kLow = 1, kMedium = 2, kHigh = 3, kCritical = 4 };

// "CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO".
const char* SeverityName(Severity s);
// Case-insensitive; also accepts "ERROR" (HIGH), "WARNING" (MEDIUM) and
// "NOTE" (LOW) as SARIF levels. False when `text` is none of them.
bool ParseSeverity(const std::string& text, Severity* out);

struct Check {
  std::string package;  // "custody.posture.lambda_tracing"
  std::string id;       // metadata.id, else the package path
  std::string title;
  Severity severity = Severity::kMedium;
  std::vector<std::string> resource_types;  // empty: every resource
  bool template_scope = false;              // metadata.scope == "template"
  std::vector<std::string> checkov, kics, trivy, cfn_guard, cfn_nag;
  std::string follows;
  std::string remediation;
  std::string description;
  // Risk factors from metadata; 0 when the check does not give one (the
  // scanner then derives it from the resource type, see risk.h).
  double exposure = 0, data_sensitivity = 0, blast_radius = 0;
  rego::Value fix;  // undefined when the check has no mechanical fix
  bool builtin = false;
  bool has_deny = false, has_warn = false;

  // The check's own id and every id it corresponds to (for suppressions).
  std::vector<std::string> AllIds() const;
  // True when `id` names this check (case-insensitive).
  bool Matches(const std::string& id) const;
};

struct CheckSetOptions {
  std::vector<std::string> policy_dirs;  // the user's --policy paths
  bool builtin = true;                   // include policies/posture/
  // Data given to every check at data.custody.scan (e.g. required_tags).
  rego::Value scan_data = rego::Value::EmptyObject();
};

class CheckSet {
 public:
  static Result<std::shared_ptr<const CheckSet>> Load(const CheckSetOptions& options);

  const std::vector<Check>& checks() const { return checks_; }
  const rego::CompiledPolicy& policy() const { return *policy_; }
  // Indexes into checks() of the per-resource checks that apply to a
  // resource of `type` (those listing it, and those listing no type).
  const std::vector<size_t>& ResourceChecks(const std::string& type) const;
  // Indexes of the whole-template checks.
  const std::vector<size_t>& TemplateChecks() const { return template_checks_; }
  // The compiled query `data.<package>.deny` / `.warn` of check `i`
  // (nullptr when the package has no such rule).
  const rego::CompiledQuery* DenyQuery(size_t i) const { return deny_[i].get(); }
  const rego::CompiledQuery* WarnQuery(size_t i) const { return warn_[i].get(); }
  const std::vector<std::string>& notices() const { return policy_->notices; }
  double compile_seconds() const { return compile_seconds_; }

 private:
  std::shared_ptr<const rego::CompiledPolicy> policy_;
  std::vector<Check> checks_;
  std::vector<std::unique_ptr<rego::CompiledQuery>> deny_, warn_;
  std::map<std::string, std::vector<size_t>, std::less<>> by_type_;
  std::vector<size_t> untyped_;  // per-resource checks without resource_types
  std::vector<size_t> template_checks_;
  double compile_seconds_ = 0;
};

}  // namespace custody::scan
