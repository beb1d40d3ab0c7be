// The posture scanner: files in, findings out. Scan() finds the
// infrastructure-as-code files under the given paths, loads each into a
// Template (src/iac), evaluates the CheckSet's checks against every resource
// (only the checks about its type) and every template (whole-template
// checks), and returns findings with rule, severity, message, file, line,
// resource, risk score and suppression state. Templates are loaded and
// evaluated in parallel on the thread pool.
//
// Scan() is reentrant; its inputs are only read.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/thread_pool.h"
#include "iac/resource.h"
#include "scan/check.h"
#include "scan/risk.h"

namespace custody::scan {

struct Finding {
  size_t check = 0;  // index into CheckSet::checks()
  std::string rule_id;
  Severity severity = Severity::kMedium;
  std::string message;
  std::string file;  // as found (the path given or below a directory given)
  std::string uri;   // relative to the scan root, '/'-separated (SARIF artifactLocation.uri)
  int line = 1;
  std::string resource;       // address, "" for a finding about the whole template
  std::string resource_type;  // "" likewise
  std::vector<std::string> path;  // under properties, as the check gave it
  RiskFactors risk;
  std::string fingerprint;  // hex SHA-256 of rule, uri, resource, path and message (no line)
  bool suppressed = false;
  std::string suppression_kind;  // "inSource" (the template) or "external" (the baseline)
  std::string justification;
  rego::Value fix;  // the finding's own fix, else its check's; undefined when none
};

struct TemplateReport {
  std::string file;
  std::string uri;
  std::string format;  // "" when the file could not be loaded
  size_t resources = 0;
  std::map<std::string, size_t> resource_types;  // resources by type
  // Suppressions written in the template: (resource address, id as written).
  std::vector<std::pair<std::string, std::string>> suppressions;
  std::string error;                  // a parse or load error: the template was not scanned
  std::vector<std::string> warnings;  // loader warnings and checks that failed to evaluate
  std::vector<Finding> findings;      // sorted by risk, highest first
  double risk = 0;                    // sum of the unsuppressed findings' scores
};

struct ScanOptions {
  std::vector<std::string> paths;  // files and directories
  // Findings' `uri` is relative to this directory ("" = the current one).
  std::string root;
  // Fingerprints of accepted findings (--baseline): reported as suppressed.
  std::set<std::string> baseline;
  size_t threads = 0;
  // Called after each template, from worker threads (serialize yourself).
  std::function<void(size_t done, size_t total)> progress;
};

struct ScanResult {
  std::vector<TemplateReport> templates;  // in path order
  std::string root;                       // absolute scan root
  size_t files_skipped = 0;               // files under a directory that are not IaC
  double load_seconds = 0, eval_seconds = 0;

  size_t resources() const;
  // Every finding, sorted by risk (highest first), then file and line.
  std::vector<const Finding*> AllFindings() const;
};

// The files a scan of `paths` reads: every named file, and below each
// directory every file whose name suggests IaC (.yaml, .yml, .json, .template,
// .tf), hidden directories, node_modules and .terraform skipped. Sorted.
Result<std::vector<std::string>> CollectFiles(const std::vector<std::string>& paths);

// Evaluates the checks against one loaded template (for tests and callers
// that load templates themselves). `uri` as in Finding.
TemplateReport ScanTemplate(const CheckSet& checks, const iac::Template& tmpl, const std::string& uri,
                            const std::set<std::string>& baseline);

Result<ScanResult> Scan(const CheckSet& checks, const ScanOptions& options);

// The fingerprint of a finding (see Finding::fingerprint).
std::string Fingerprint(const std::string& rule_id, const std::string& uri, const std::string& resource,
                        const std::vector<std::string>& path, const std::string& message);

}  // namespace custody::scan
