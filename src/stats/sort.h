// Sorting finite samples fast: the drift tests sort every numeric column of
// both data sets, which dominates their cost on large files.
//
// SortSample orders doubles ascending with a radix sort on their bit
// patterns (std::sort below a few thousand values). -0.0 is stored as 0.0,
// so equal values have equal bits. Pure; any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace custody::stats {

// Sorts `values` ascending in place.
// REQUIRES: no NaN (callers drop missing values first).
void SortSample(std::vector<double>& values);

// Memory a sort reuses from one call to the next. Give each thread its own;
// it is released with the object.
struct SortBuffers {
  std::unique_ptr<uint64_t[]> keys, other;
  size_t capacity = 0;
  std::vector<uint32_t> start, next;
  std::vector<uint64_t> few_keys;  // counting sort of few distinct values
  std::vector<uint32_t> few_counts;
};

// The finite values of `values` (NaN and infinities dropped), sorted
// ascending: the first elements of `out`, which grows when needed and is
// never shrunk (a buffer reused for many columns is not cleared each time).
std::span<const double> SortFinite(std::span<const double> values, SortBuffers& buffers,
                                   std::vector<double>& out);

// Number of distinct values of a sorted sample.
size_t CountDistinctSorted(std::span<const double> sorted);

// Number of distinct values of two sorted samples pooled.
size_t CountDistinctSorted(std::span<const double> a, std::span<const double> b);

// What the drift tests read from the merged order of two sorted samples,
// taken in one walk over it. Each figure equals the one the separate
// functions compute, operation for operation.
struct PooledWalk {
  double ks_statistic = 0;  // sup |F_a - F_b| (KsTwoSample's statistic)
  double wasserstein = 0;   // integral of |F_a - F_b| (WassersteinDistance)
  size_t distinct = 0;      // distinct values of a and b pooled
  size_t distinct_a = 0;    // distinct values of a
};
// REQUIRES: a and b sorted ascending, without NaN.
PooledWalk WalkPooled(std::span<const double> a, std::span<const double> b);

}  // namespace custody::stats
