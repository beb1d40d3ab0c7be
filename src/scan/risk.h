// The risk score that orders findings: severity weight x exposure x data
// sensitivity x blast radius (docs/commands/scan.md). A check's metadata may
// give the three factors; where it does not, they follow from the type of the
// resource the finding is about. Pure functions; safe from any thread.
#pragma once

#include <string>

#include "scan/check.h"

namespace custody::scan {

struct RiskFactors {
  double severity = 0;          // CRITICAL 10, HIGH 7, MEDIUM 4, LOW 2, INFO 0.5
  double exposure = 1;          // 1 internal .. 2 reachable from the internet
  double data_sensitivity = 1;  // 1 no data .. 2 secrets and keys
  double blast_radius = 1;      // 1 one resource .. 2 account-wide (IAM)
  double score() const { return severity * exposure * data_sensitivity * blast_radius; }
};

double SeverityWeight(Severity s);

// The factors of a finding of `check` at `severity` on a resource of `type`.
RiskFactors RiskFor(const Check& check, Severity severity, const std::string& type);

// Defaults by resource type, for checks whose metadata gives none.
double DefaultExposure(const std::string& type);
double DefaultDataSensitivity(const std::string& type);
double DefaultBlastRadius(const std::string& type);

}  // namespace custody::scan
