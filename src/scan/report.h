// How a scan is written out: custody's JSON report, SARIF 2.1.0 as GitHub
// code scanning reads it, and a table for terminals sorted by risk.
// Pure functions of a finished ScanResult; safe from any thread.
#pragma once

#include <ostream>
#include <set>
#include <string>

#include "core/json.h"
#include "scan/check.h"
#include "scan/scanner.h"

namespace custody::scan {

// SARIF's security-severity for a severity: CRITICAL 9.5, HIGH 8.0,
// MEDIUM 5.5, LOW 3.0, INFO 0.5.
double SecuritySeverity(Severity s);
// SARIF level: "error" (CRITICAL, HIGH), "warning" (MEDIUM), "note".
const char* SarifLevel(Severity s);

// The JSON report (docs/commands/scan.md): summary, findings sorted by
// risk, templates.
Json ScanJson(const ScanResult& result, const CheckSet& checks, double compile_seconds);

// One SARIF 2.1.0 log with one run: every check as a rule, every finding as
// a result (suppressed ones with `suppressions`), load errors as
// tool execution notifications.
Json ScanSarif(const ScanResult& result, const CheckSet& checks, const std::string& version);

// Findings sorted by risk, then a summary; `color` adds ANSI colours.
void PrintScanTable(std::ostream& out, const ScanResult& result, const CheckSet& checks, bool color);

// The baseline file (docs/formats/scan-baseline.md) accepting every
// unsuppressed finding of `result`.
Json BaselineJson(const ScanResult& result, const CheckSet& checks);
// Reads a baseline file's fingerprints.
Result<std::set<std::string>> ReadBaseline(const std::string& path);

}  // namespace custody::scan
