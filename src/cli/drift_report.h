// The HTML page of `custody drift --report`: the drift table and, per column,
// reference-vs-current shares as an inline SVG bar chart. Self-contained (no
// scripts, fonts or stylesheets from elsewhere), so it can be archived or
// attached to an attestation as it is. Pure; any thread.
#pragma once

#include <string>

#include "stats/drift.h"

namespace custody::cli {

// `reference` and `current` name the two data sets in the page's heading.
std::string DriftReportHtml(const stats::DatasetDrift& drift, const std::string& reference,
                            const std::string& current);

}  // namespace custody::cli
