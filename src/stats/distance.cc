#include "stats/distance.h"

#include <cmath>
#include <limits>
#include <vector>

#include "stats/sort.h"

namespace custody::stats {

double WassersteinDistance(std::span<const double> u, std::span<const double> v) {
  return WalkPooled(u, v).wasserstein;
}

double StdDev(std::span<const double> x) {
  double sum = 0;
  for (double v : x) sum += v;
  double mean = sum / static_cast<double>(x.size());
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(x.size()));
}

namespace {

// scipy.special.rel_entr: x ln(x/y), 0 when x == 0, inf when y == 0 < x.
double RelEntr(double x, double y) {
  if (std::isnan(x) || std::isnan(y)) return std::numeric_limits<double>::quiet_NaN();
  if (x > 0 && y > 0) return x * std::log(x / y);
  if (x == 0 && y >= 0) return 0.0;
  return std::numeric_limits<double>::infinity();
}

}  // namespace

double JensenShannonDistance(std::span<const double> p, std::span<const double> q) {
  double sp = 0, sq = 0;
  for (double x : p) sp += x;
  for (double x : q) sq += x;
  double left = 0, right = 0;
  for (size_t i = 0; i < p.size(); ++i) {
    double pi = p[i] / sp, qi = q[i] / sq;
    double m = (pi + qi) / 2.0;
    left += RelEntr(pi, m);
    right += RelEntr(qi, m);
  }
  return std::sqrt((left + right) / 2.0);
}

double PopulationStabilityIndex(std::span<const double> p, std::span<const double> q) {
  double sum = 0;
  for (size_t i = 0; i < p.size(); ++i) sum += (p[i] - q[i]) * std::log(p[i] / q[i]);
  return sum;
}

}  // namespace custody::stats
