// The two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp(a, b)
// computes it with its defaults (two-sided, method 'auto'): exact p-values
// when both samples have at most 10,000 values, Smirnov's asymptotic
// distribution otherwise (or when the exact computation fails). Pure; any
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"

namespace custody::stats {

struct KsResult {
  double statistic = 0;  // sup |F_a - F_b|
  double pvalue = 1;
  bool exact = false;    // which method gave the p-value
};

// REQUIRES: `a` and `b` sorted ascending (SortSample), without NaN.
// An empty sample is an input error.
Result<KsResult> KsTwoSample(std::span<const double> a, std::span<const double> b);

// The p-value of statistic D = sup |F_a - F_b| (as WalkPooled gives it) for
// samples of sizes `size_a` and `size_b`, both at least 1.
KsResult KsFromStatistic(size_t size_a, size_t size_b, double statistic);

// Pr(D >= h / lcm(n1, n2)) under the null hypothesis, exactly; the p-value
// KsTwoSample reports in exact mode. NaN when the computation would lose
// its precision (SciPy then falls back to the asymptotic distribution).
double KsExactPValue(int64_t n1, int64_t n2, int64_t h);

}  // namespace custody::stats
