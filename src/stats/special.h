// Special functions behind the drift tests' p-values: the regularized upper
// incomplete gamma function (chi-square tail), the standard normal tail, and
// the distribution of the two-sided one-sample Kolmogorov-Smirnov statistic.
//
// Each follows the algorithm SciPy 1.10 uses for the same quantity
// (scipy.special.gammaincc, scipy.special.ndtr, scipy.stats.kstwo.sf), so
// p-values agree with SciPy's to rounding. Pure functions; any thread.
#pragma once

#include <cstdint>

namespace custody::stats {

// Q(a, x) = Gamma(a, x) / Gamma(a), as scipy.special.gammaincc.
// NaN for a < 0, x < 0 or NaN input; Q(0, x > 0) = 0; Q(a, 0) = 1; Q(a, inf) = 0.
double GammaIncUpper(double a, double x);

// P(X > x) for X chi-square with `df` degrees of freedom, as
// scipy.stats.chi2.sf: NaN when df <= 0.
double ChiSquareSf(double x, double df);

// Phi(x), the standard normal CDF, computed as scipy.special.ndtr (erf near
// zero, erfc in the tails).
double NormalCdf(double x);

// Pr(D+_n >= x): the one-sided one-sample Smirnov statistic's tail, as
// scipy.special.smirnov (Birnbaum-Tingey sum). NaN outside 0 <= x <= 1.
double SmirnovSf(int64_t n, double x);

// Pr(D_n > x) for the two-sided one-sample Kolmogorov-Smirnov statistic with
// n observations, as scipy.stats.kstwo.sf(x, n) (Simard and L'Ecuyer's choice
// of exact and asymptotic methods). REQUIRES: n >= 1.
double KolmogorovSf(int64_t n, double x);

}  // namespace custody::stats
