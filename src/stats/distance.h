// Distances between two distributions used as drift scores: Wasserstein
// (earth mover's) distance between samples, and the Jensen-Shannon distance
// and population stability index between binned shares. Computed as SciPy
// 1.10 and Evidently 0.7 compute them. Pure; any thread.
#pragma once

#include <span>

namespace custody::stats {

// scipy.stats.wasserstein_distance(u, v): the integral of |F_u - F_v|.
// REQUIRES: u and v sorted ascending, finite, non-empty.
double WassersteinDistance(std::span<const double> u, std::span<const double> v);

// Population standard deviation (numpy.std, ddof 0). REQUIRES: non-empty.
double StdDev(std::span<const double> x);

// scipy.spatial.distance.jensenshannon(p, q) with the natural logarithm:
// p and q are normalized to sum 1 first. REQUIRES: same size.
double JensenShannonDistance(std::span<const double> p, std::span<const double> q);

// Evidently's PSI: sum (p - q) * ln(p / q). Zero shares must be filled first
// (FillEmptyShares), else the result is infinite or NaN.
double PopulationStabilityIndex(std::span<const double> p, std::span<const double> q);

}  // namespace custody::stats
