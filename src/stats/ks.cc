#include "stats/ks.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <vector>

#include "stats/sort.h"
#include "stats/special.h"

namespace custody::stats {
namespace {

constexpr int64_t kMaxExactN = 10000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

// n1 == n2: Pr(D >= h/n) = 2 * (C(2n, n-h) - C(2n, n-2h) + ...) / C(2n, n),
// each ratio expanded into a product and summed Horner-like so nothing
// cancels (SciPy's _compute_prob_outside_square).
double ProbOutsideSquare(int64_t n, int64_t h) {
  double p = 0.0;
  for (int64_t k = n / h; k >= 0; --k) {
    double p1 = 1.0;
    for (int64_t j = 0; j < h; ++j) {
      p1 = static_cast<double>(n - k * h - j) * p1 / static_cast<double>(n + k * h + j + 1);
    }
    p = p1 * (1.0 - p);
  }
  return 2 * p;
}

// n1 != n2: the share of lattice paths from (0,0) to (m,n) that leave the
// band |x/m - y/n| < h/lcm(m,n), computed column by column as 1 - share
// inside (Hodges 1958; Viehmann 2021's recursion for 1 - p), as SciPy's
// _compute_outer_prob_inside_method.
double ProbOutsideBand(int64_t m, int64_t n, int64_t g, int64_t h) {
  if (m < n) std::swap(m, n);
  const int64_t mg = m / g, ng = n / g;
  int64_t minj = 0, maxj = std::min(CeilDiv(h, mg), n + 1);
  int64_t curlen = maxj - minj;
  const int64_t len = std::min(2 * maxj + 2, n + 1);
  std::vector<double> a(static_cast<size_t>(len), 1.0);
  std::fill(a.begin() + minj, a.begin() + maxj, 0.0);
  for (int64_t i = 1; i <= m; ++i) {
    int64_t lastminj = minj, lastlen = curlen;
    minj = std::min(std::max(FloorDiv(ng * i - h, mg) + 1, int64_t{0}), n);
    maxj = std::min(CeilDiv(ng * i + h, mg), n + 1);
    if (maxj <= minj) return 1.0;
    double val = minj == 0 ? 0.0 : 1.0;
    const double di = static_cast<double>(i);
    for (int64_t jj = 0; jj < maxj - minj; ++jj) {
      int64_t j = jj + minj;
      val = (a[jj + minj - lastminj] * di + val * static_cast<double>(j)) / (di + static_cast<double>(j));
      a[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      int64_t end = std::min(maxj - minj + (lastlen - curlen), len);
      std::fill(a.begin() + (maxj - minj), a.begin() + end, 1.0);
    }
  }
  return a[maxj - minj - 1];
}

}  // namespace

double KsExactPValue(int64_t n1, int64_t n2, int64_t h) {
  if (h == 0) return 1.0;
  double p = n1 == n2 ? ProbOutsideSquare(n1, h) : ProbOutsideBand(n1, n2, std::gcd(n1, n2), h);
  if (!std::isfinite(p) || p < 0 || p > 1) return std::numeric_limits<double>::quiet_NaN();
  return p;
}

Result<KsResult> KsTwoSample(std::span<const double> a, std::span<const double> b) {
  if (a.empty() || b.empty()) {
    return Error::Input("the Kolmogorov-Smirnov test needs at least one value in each sample (got " +
                        std::to_string(a.size()) + " and " + std::to_string(b.size()) + ")");
  }
  return KsFromStatistic(a.size(), b.size(), WalkPooled(a, b).ks_statistic);
}

KsResult KsFromStatistic(size_t size_a, size_t size_b, double statistic) {
  const auto n1 = static_cast<int64_t>(size_a), n2 = static_cast<int64_t>(size_b);
  const double dn1 = static_cast<double>(n1), dn2 = static_cast<double>(n2);
  KsResult r;
  r.statistic = statistic;

  const int64_t g = std::gcd(n1, n2);
  if (std::max(n1, n2) <= kMaxExactN) {
    const int64_t lcm = (n1 / g) * n2;
    const auto h = static_cast<int64_t>(std::nearbyint(r.statistic * static_cast<double>(lcm)));
    double d = static_cast<double>(h) / static_cast<double>(lcm);
    double p = KsExactPValue(n1, n2, h);
    if (!std::isnan(p)) {
      r.statistic = d;
      r.pvalue = std::clamp(p, 0.0, 1.0);
      r.exact = true;
      return r;
    }
    r.statistic = d;  // SciPy keeps the rounded statistic when it falls back
  }
  double m = std::max(dn1, dn2), n = std::min(dn1, dn2);
  double en = m * n / (m + n);
  r.pvalue = std::clamp(KolmogorovSf(static_cast<int64_t>(std::nearbyint(en)), r.statistic), 0.0, 1.0);
  return r;
}

}  // namespace custody::stats
