// Pearson's chi-square goodness-of-fit test (scipy.stats.chisquare), and
// Evidently 0.7's two-sample use of it for categorical drift: the current
// counts are observed, the reference shares scaled to the current size
// expected. Pure; any thread.
#pragma once

#include <cstdint>
#include <span>

namespace custody::stats {

struct ChiSquareResult {
  double statistic = 0;
  double pvalue = 1;
};

// sum (obs - exp)^2 / exp with len - 1 degrees of freedom. A category
// expected 0 times but observed gives an infinite statistic and p 0; a
// single category gives p NaN (no degrees of freedom), as SciPy.
// REQUIRES: same, non-zero size.
ChiSquareResult ChiSquareTest(std::span<const double> observed, std::span<const double> expected);

// Evidently's chi_stat_test on per-category counts of the two samples.
// REQUIRES: same size; both totals positive.
ChiSquareResult ChiSquareTwoSample(std::span<const int64_t> reference, std::span<const int64_t> current);

}  // namespace custody::stats
