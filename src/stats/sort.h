// Sorting finite samples fast: the drift tests sort every numeric column of
// both data sets, which dominates their cost on large files.
//
// SortSample orders doubles ascending with a radix sort on their bit
// patterns (std::sort below a few thousand values). -0.0 is stored as 0.0,
// so equal values have equal bits. Pure; any thread.
#pragma once

#include <span>
#include <vector>

namespace custody::stats {

// Sorts `values` ascending in place.
// REQUIRES: no NaN (callers drop missing values first).
void SortSample(std::vector<double>& values);

// Number of distinct values of a sorted sample.
size_t CountDistinctSorted(std::span<const double> sorted);

// Number of distinct values of two sorted samples pooled.
size_t CountDistinctSorted(std::span<const double> a, std::span<const double> b);

}  // namespace custody::stats
