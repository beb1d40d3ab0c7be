#include "stats/binning.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace custody::stats {

std::vector<double> SturgesEdges(std::span<const double> a, std::span<const double> b) {
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  if (!a.empty()) {
    lo = std::min(lo, a.front());
    hi = std::max(hi, a.back());
  }
  if (!b.empty()) {
    lo = std::min(lo, b.front());
    hi = std::max(hi, b.back());
  }
  const double n = static_cast<double>(a.size() + b.size());
  // _hist_bin_sturges: ptp / (log2(n) + 1); the ptp is of the data, the
  // edges may be widened below.
  double width = (hi - lo) / (std::log2(n) + 1.0);
  double first = lo, last = hi;
  if (first == last) {
    first -= 0.5;
    last += 0.5;
  }
  int64_t bins = 1;
  if (width != 0.0) bins = static_cast<int64_t>(std::ceil((last - first) / width));
  // numpy.linspace(first, last, bins + 1): i * step + first, the last edge exact.
  std::vector<double> edges(static_cast<size_t>(bins + 1));
  const double delta = last - first;
  const double div = static_cast<double>(bins);
  const double step = delta / div;
  for (int64_t i = 0; i <= bins; ++i) {
    double y = static_cast<double>(i);
    edges[static_cast<size_t>(i)] = (step == 0.0 ? y / div * delta : y * step) + first;
  }
  edges.back() = last;
  return edges;
}

std::vector<int64_t> HistogramCounts(std::span<const double> sorted, std::span<const double> edges) {
  // cumulative[i] = #(x < edges[i]), and #(x <= last edge) for the last one.
  std::vector<int64_t> cumulative(edges.size());
  for (size_t i = 0; i + 1 < edges.size(); ++i) {
    cumulative[i] = std::lower_bound(sorted.begin(), sorted.end(), edges[i]) - sorted.begin();
  }
  cumulative.back() = std::upper_bound(sorted.begin(), sorted.end(), edges.back()) - sorted.begin();
  std::vector<int64_t> counts(edges.size() - 1);
  for (size_t i = 0; i < counts.size(); ++i) counts[i] = cumulative[i + 1] - cumulative[i];
  return counts;
}

ValueCounts CountValues(std::span<const double> a, std::span<const double> b) {
  ValueCounts out;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    double v = (j == b.size() || (i < a.size() && a[i] <= b[j])) ? a[i] : b[j];
    int64_t ca = 0, cb = 0;
    while (i < a.size() && a[i] == v) ++i, ++ca;
    while (j < b.size() && b[j] == v) ++j, ++cb;
    out.values.push_back(v);
    out.a.push_back(ca);
    out.b.push_back(cb);
  }
  return out;
}

std::vector<double> Shares(std::span<const int64_t> counts, int64_t total) {
  std::vector<double> s(counts.size());
  for (size_t i = 0; i < counts.size(); ++i) s[i] = static_cast<double>(counts[i]) / static_cast<double>(total);
  return s;
}

void FillEmptyShares(std::vector<double>& shares) {
  double smallest = std::numeric_limits<double>::infinity();
  for (double s : shares) {
    if (s != 0.0) smallest = std::min(smallest, s);
  }
  if (std::isinf(smallest)) return;  // nothing to scale by: every share is zero
  double fill = smallest <= 0.0001 ? smallest / 1e6 : 0.0001;
  for (double& s : shares) {
    if (s == 0.0) s = fill;
  }
}

}  // namespace custody::stats
