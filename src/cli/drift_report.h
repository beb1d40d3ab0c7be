// The HTML pages of `custody drift --report` (the drift table and, per column,
// reference-vs-current shares as an inline SVG bar chart) and `custody detect
// outliers --report` (the distribution of the rows' scores). Self-contained (no
// scripts, fonts or stylesheets from elsewhere), so it can be archived or
// attached to an attestation as it is. Pure; any thread.
#pragma once

#include <string>

#include <cstddef>
#include <vector>

#include "stats/drift.h"

namespace custody::cli {

// `reference` and `current` name the two data sets in the page's heading.
std::string DriftReportHtml(const stats::DatasetDrift& drift, const std::string& reference,
                            const std::string& current);

// The outlier screen of `data`: a histogram of `scores` (40 bins over their
// range; the rows `flagged` marks, those above `threshold`, drawn apart), and
// the `top` rows (0-based).
std::string OutlierReportHtml(const std::string& data, const std::vector<double>& scores,
                              const std::vector<bool>& flagged, double threshold, const std::vector<size_t>& top);

}  // namespace custody::cli
