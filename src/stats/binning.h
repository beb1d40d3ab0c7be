// Turning two samples into comparable shares, as Evidently 0.7's
// get_binned_data does for its PSI and Jensen-Shannon tests:
//  - numeric data with more than 20 distinct reference values: counts in
//    Sturges bins over the pooled data (numpy.histogram_bin_edges(...,
//    'sturges') and numpy.histogram, whose last bin is closed on the right);
//  - otherwise: counts of each value seen in either sample.
// Shares are counts divided by the sample's size. Pure; any thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace custody::stats {

// Above this many distinct reference values, numeric data is binned.
inline constexpr size_t kMaxUnbinnedValues = 20;

// Bin edges of numpy.histogram_bin_edges(concat(a, b), bins='sturges'):
// ceil(range / (range / (log2(n) + 1))) equal bins from min to max
// (min - 0.5 to max + 0.5 when all values are equal; one bin then).
// REQUIRES: a and b sorted, finite, not both empty.
std::vector<double> SturgesEdges(std::span<const double> a, std::span<const double> b);

// numpy.histogram(sorted, edges)[0]: bin i counts edges[i] <= x < edges[i+1],
// the last bin also x == edges.back(); values outside are not counted.
// REQUIRES: `sorted` ascending; edges ascending, at least two.
std::vector<int64_t> HistogramCounts(std::span<const double> sorted, std::span<const double> edges);

// For two sorted samples: the distinct values of both pooled (ascending) and
// how often each occurs in each sample.
struct ValueCounts {
  std::vector<double> values;
  std::vector<int64_t> a;
  std::vector<int64_t> b;
};
ValueCounts CountValues(std::span<const double> a, std::span<const double> b);

// counts[i] / total.
std::vector<double> Shares(std::span<const int64_t> counts, int64_t total);

// Evidently's fill for empty bins before PSI: zero shares become 1e-4, or a
// millionth of the smallest non-zero share when that is at most 1e-4.
void FillEmptyShares(std::vector<double>& shares);

}  // namespace custody::stats
