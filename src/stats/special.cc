#include "stats/special.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <tuple>
#include <vector>

namespace custody::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMachEp = 1.11022302462515654042e-16;  // 2^-53, Cephes MACHEP
constexpr double kMaxLog = 7.09782712893383996843e2;    // log(DBL_MAX)
constexpr double kBig = 4.503599627370496e15;           // 2^52: continued-fraction rescale
constexpr double kBigInv = 2.22044604925031308085e-16;
// Enough for a and x up to ~1e9, where the series needs O(sqrt(a)) terms.
constexpr int kMaxIterations = 1'000'000;

// x^a e^-x / Gamma(a), the common factor of both incomplete gamma functions.
double GammaFactor(double a, double x) {
  double ax = a * std::log(x) - x - std::lgamma(a);
  if (ax < -kMaxLog) return 0.0;
  return std::exp(ax);
}

// P(a, x) by its power series; good for x < a + 1 (Cephes igam).
double LowerSeries(double a, double x) {
  double ax = GammaFactor(a, x);
  if (ax == 0.0) return 0.0;
  double r = a, c = 1.0, ans = 1.0;
  for (int i = 0; i < kMaxIterations; ++i) {
    r += 1.0;
    c *= x / r;
    ans += c;
    if (c <= kMachEp * ans) break;
  }
  return ans * ax / a;
}

// Q(a, x) by Legendre's continued fraction; good for x > a (Cephes igamc).
double UpperContinuedFraction(double a, double x) {
  double ax = GammaFactor(a, x);
  if (ax == 0.0) return 0.0;
  double y = 1.0 - a, z = x + y + 1.0, c = 0.0;
  double pkm2 = 1.0, qkm2 = x, pkm1 = x + 1.0, qkm1 = z * x;
  double ans = pkm1 / qkm1;
  for (int i = 0; i < kMaxIterations; ++i) {
    c += 1.0;
    y += 1.0;
    z += 2.0;
    double yc = y * c;
    double pk = pkm1 * z - pkm2 * yc;
    double qk = qkm1 * z - qkm2 * yc;
    double t = 1.0;
    if (qk != 0.0) {
      double r = pk / qk;
      t = std::fabs((ans - r) / r);
      ans = r;
    }
    pkm2 = pkm1;
    pkm1 = pk;
    qkm2 = qkm1;
    qkm1 = qk;
    if (std::fabs(pk) > kBig) {
      pkm2 *= kBigInv;
      pkm1 *= kBigInv;
      qkm2 *= kBigInv;
      qkm1 *= kBigInv;
    }
    if (t <= kMachEp) break;
  }
  return ans * ax;
}

// Q(a, x) for small x, where 1 - P would cancel: the series of
// Gamma(a, x) = Gamma(a) - sum (-1)^n x^(a+n) / (n! (a+n)).
double UpperSeries(double a, double x) {
  double fac = 1.0, sum = 0.0;
  for (int n = 1; n < kMaxIterations; ++n) {
    fac *= -x / n;
    double term = fac / (a + n);
    sum += term;
    if (std::fabs(term) <= kMachEp * std::fabs(sum)) break;
  }
  double logx = std::log(x);
  double term = -std::expm1(a * logx - std::lgamma(1.0 + a));
  return term - std::exp(a * logx - std::lgamma(a)) * sum;
}

}  // namespace

double GammaIncUpper(double a, double x) {
  if (std::isnan(a) || std::isnan(x) || x < 0 || a < 0) return kNaN;
  if (a == 0) return x > 0 ? 0.0 : kNaN;
  if (x == 0) return 1.0;
  if (std::isinf(a)) return std::isinf(x) ? kNaN : 1.0;
  if (std::isinf(x)) return 0.0;
  // The region boundaries are Cephes' (as in SciPy): each method where it
  // converges fast and does not cancel.
  if (x > 1.1) return x < a ? 1.0 - LowerSeries(a, x) : UpperContinuedFraction(a, x);
  if (x <= 0.5) return -0.4 / std::log(x) < a ? 1.0 - LowerSeries(a, x) : UpperSeries(a, x);
  return x * 1.1 < a ? 1.0 - LowerSeries(a, x) : UpperSeries(a, x);
}

double ChiSquareSf(double x, double df) {
  if (std::isnan(x) || std::isnan(df) || !(df > 0)) return kNaN;
  if (x < 0) return 1.0;
  return GammaIncUpper(df / 2.0, x / 2.0);
}

double NormalCdf(double x) {
  if (std::isnan(x)) return kNaN;
  double t = x * std::numbers::sqrt2 / 2.0;
  double z = std::fabs(t);
  if (z < std::numbers::sqrt2 / 2.0) return 0.5 + 0.5 * std::erf(t);
  double y = 0.5 * std::erfc(z);
  return t > 0 ? 1.0 - y : y;
}

double SmirnovSf(int64_t n, double x) {
  if (n <= 0 || std::isnan(x) || x < 0.0 || x > 1.0) return kNaN;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;
  const double dn = static_cast<double>(n);
  const auto last = static_cast<int64_t>(std::floor(dn * (1.0 - x)));
  // Birnbaum and Tingey: x * sum_v C(n,v) (x+v/n)^(v-1) (1-x-v/n)^(n-v).
  // Every term is positive; summed in log space, stopping once the terms,
  // past their peak, are 1e-22 of the largest.
  const double lg_n1 = std::lgamma(dn + 1.0);
  double sum = 0.0, peak = -std::numeric_limits<double>::infinity();
  for (int64_t v = 0; v <= last; ++v) {
    double dv = static_cast<double>(v);
    double evn = x + dv / dn;
    double omevn = 1.0 - evn;
    if (!(omevn > 0.0)) {
      // Only (1-x-v/n)^0 = 1 survives when v == n.
      if (v == n) sum += std::exp(lg_n1 - std::lgamma(dv + 1.0) - std::lgamma(dn - dv + 1.0) + (dv - 1.0) * std::log(evn));
      continue;
    }
    double t = lg_n1 - std::lgamma(dv + 1.0) - std::lgamma(dn - dv + 1.0) + (dv - 1.0) * std::log(evn) +
               (dn - dv) * std::log(omevn);
    if (t > -kMaxLog) sum += std::exp(t);
    if (t > peak) {
      peak = t;
    } else if (t < peak - 50.0) {
      break;
    }
  }
  return std::clamp(sum * x, 0.0, 1.0);
}

namespace {

constexpr int kExp128 = 128;
const double kP128 = std::ldexp(1.0, kExp128);
const double kM128 = std::ldexp(1.0, -kExp128);

double Clip(double p) { return std::clamp(p, 0.0, 1.0); }

using Matrix = std::vector<double>;  // row-major, m x m

void MatMul(const Matrix& a, const Matrix& b, Matrix& out, int m) {
  std::fill(out.begin(), out.end(), 0.0);
  for (int i = 0; i < m; ++i) {
    for (int k = 0; k < m; ++k) {
      double aik = a[i * m + k];
      if (aik == 0.0) continue;
      for (int j = 0; j < m; ++j) out[i * m + j] += aik * b[k * m + j];
    }
  }
}

// Pr(D_n <= d) by Durbin's matrix method as Marsaglia, Tsang and Wang
// compute it: the (k,k) entry of H^n, scaled by n!/n^n.
double KolmogorovCdfDurbin(int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  int k = static_cast<int>(std::ceil(nd));
  double h = k - nd;
  int m = 2 * k - 1;
  std::vector<double> v(m), w(m);
  double fac = 1.0;
  for (int j = 1; j <= m; ++j) {
    w[j - 1] = fac;
    fac /= j;
    v[j - 1] = (1.0 - std::pow(h, j)) * fac;
  }
  double tt = std::pow(std::max(2.0 * h - 1.0, 0.0), m) - 2.0 * std::pow(h, m);
  v[m - 1] = (1.0 + tt) * fac;
  Matrix hm(static_cast<size_t>(m) * m, 0.0);
  for (int i = 1; i < m; ++i) {
    for (int r = i - 1; r < m; ++r) hm[r * m + i] = w[r - (i - 1)];
  }
  for (int r = 0; r < m; ++r) hm[r * m] = v[r];
  for (int c = 0; c < m; ++c) hm[(m - 1) * m + c] = v[m - 1 - c];

  Matrix pw(static_cast<size_t>(m) * m, 0.0), tmp(static_cast<size_t>(m) * m);
  for (int i = 0; i < m; ++i) pw[i * m + i] = 1.0;
  int64_t expnt = 0, hexpnt = 0;
  for (int64_t nn = n; nn > 0; nn /= 2) {
    if (nn % 2) {
      MatMul(pw, hm, tmp, m);
      pw.swap(tmp);
      expnt += hexpnt;
    }
    MatMul(hm, hm, tmp, m);
    hm.swap(tmp);
    hexpnt *= 2;
    if (std::fabs(hm[(k - 1) * m + (k - 1)]) > kP128) {
      for (double& x : hm) x /= kP128;
      hexpnt += kExp128;
    }
  }
  long double p = pw[(k - 1) * m + (k - 1)];
  for (int64_t i = 1; i <= n; ++i) {
    p = static_cast<long double>(i) * p / static_cast<long double>(n);
    if (std::fabs(p) < kM128) {
      p *= kP128;
      expnt -= kExp128;
    }
  }
  return Clip(static_cast<double>(std::ldexp(p, static_cast<int>(expnt))));
}

// Interval of row i in Pomeranz's recursion.
std::pair<int64_t, int64_t> PomeranzInterval(int64_t i, int64_t n, int64_t ll, int ceilf, int roundf) {
  int64_t j1, j2;
  if (i == 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {
      if (half == n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return {std::max<int64_t>(j1 + 2, 0), std::min(j2, n)};
}

// Pr(D_n <= x) by Pomeranz's recursion (1974).
double KolmogorovCdfPomeranz(int64_t n, double x) {
  double t = static_cast<double>(n) * x;
  auto ll = static_cast<int64_t>(std::floor(t));
  double f = t - static_cast<double>(ll);
  double g = std::min(f, 1.0 - f);
  int ceilf = f > 0 ? 1 : 0;
  int roundf = f > 0.5 ? 1 : 0;
  auto npwrs = static_cast<size_t>(2 * (ll + 1));
  std::vector<double> gpower(npwrs), twogpower(npwrs), onem2gpower(npwrs);
  gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
  double dn = static_cast<double>(n);
  double g_n = g / dn, two_g_n = 2 * g / dn, one_m2g_n = (1 - 2 * g) / dn;
  for (size_t m = 1; m < npwrs; ++m) {
    gpower[m] = gpower[m - 1] * g_n / static_cast<double>(m);
    twogpower[m] = twogpower[m - 1] * two_g_n / static_cast<double>(m);
    onem2gpower[m] = onem2gpower[m - 1] * one_m2g_n / static_cast<double>(m);
  }
  std::vector<double> v0(npwrs, 0.0), v1(npwrs, 0.0), conv;
  v1[0] = 1.0;
  int64_t v0s = 0, v1s = 0, expnt = 0;
  auto [j1, j2] = PomeranzInterval(0, n, ll, ceilf, roundf);
  for (int64_t i = 1; i < 2 * n + 2; ++i) {
    int64_t k1 = j1;
    v0.swap(v1);
    std::swap(v0s, v1s);
    std::fill(v1.begin(), v1.end(), 0.0);
    std::tie(j1, j2) = PomeranzInterval(i, n, ll, ceilf, roundf);
    const std::vector<double>& pwrs = (i == 1 || i == 2 * n + 1) ? gpower : (i % 2 ? twogpower : onem2gpower);
    int64_t ln2 = j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // Full convolution of V0[k1-v0s, +ln2) with pwrs[0, ln2), as np.convolve.
    int64_t off = k1 - v0s;
    int64_t alen = std::min<int64_t>(ln2, static_cast<int64_t>(npwrs) - off);
    int64_t blen = std::min<int64_t>(ln2, static_cast<int64_t>(npwrs));
    conv.assign(static_cast<size_t>(alen + blen - 1), 0.0);
    for (int64_t a = 0; a < alen; ++a) {
      double va = v0[off + a];
      if (va == 0.0) continue;
      for (int64_t b = 0; b < blen; ++b) conv[a + b] += va * pwrs[b];
    }
    int64_t start = j1 - k1, len = j2 - j1 + 1;
    for (int64_t c = 0; c < len && start + c < static_cast<int64_t>(conv.size()); ++c) v1[c] = conv[start + c];
    double mx = *std::max_element(v1.begin(), v1.end());
    if (mx > 0 && mx < kM128) {
      for (double& y : v1) y *= kP128;
      expnt -= kExp128;
    }
    v1s = v0s + j1 - k1;
  }
  double ans = v1[n - v1s];
  for (int64_t m = 1; m <= n; ++m) {
    if (std::fabs(ans) > kP128) {
      ans *= kM128;
      expnt += kExp128;
    }
    ans *= static_cast<double>(m);
  }
  return Clip(std::ldexp(ans, static_cast<int>(expnt)));
}

// Pr(D_n <= x) by the Pelz-Good asymptotic series (1976).
double KolmogorovCdfPelzGood(int64_t n, double x) {
  constexpr double kPi = std::numbers::pi;
  constexpr double kPi2 = kPi * kPi, kPi4 = kPi2 * kPi2, kPi6 = kPi4 * kPi2;
  const double sqrt2pi = std::sqrt(2 * kPi);
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  double dn = static_cast<double>(n);
  double z = std::sqrt(dn) * x;
  double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  double qlog = -kPi2 / 8 / z2;
  if (qlog < -708) return 0.0;
  double q = std::exp(qlog);
  double k1a = -z2, k1b = kPi2 / 4;
  double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * kPi2 / 4, k2c = kPi4 * (1 - 2 * z2) / 16;
  double k3d = kPi6 * (5 - 30 * z2) / 64, k3c = kPi4 * (-60 * z2 + 212 * z4) / 16;
  double k3b = kPi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * std::pow(z, 8);
  double k[4] = {0, 0, 0, 0};
  int maxk = static_cast<int>(std::ceil(16 * z / kPi));
  for (int kk = maxk; kk > 0; --kk) {
    double m = 2.0 * kk - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
    double qp = std::pow(q, 8 * kk);
    double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) k[i] = k[i] * qp + c[i];
  }
  double den[4] = {z, 6 * z4, 72 * std::pow(z, 7), 6480 * std::pow(z, 10)};
  for (int i = 0; i < 4; ++i) k[i] = k[i] * q * sqrt2pi / den[i];
  q = std::exp(-kPi2 / 2 / z2);
  double k2extra = 0, k3extra = 0, sqrt3z = std::sqrt(3.0) * z;
  for (int kk = maxk; kk > 0; --kk) {
    double ks2 = static_cast<double>(kk) * kk;
    double qp = std::pow(q, ks2);
    double kspi = kPi * kk;
    k2extra += ks2 * qp;
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp;
  }
  k[2] += k2extra * kPi2 * sqrt2pi / (-36 * z3);
  k[3] += k3extra * kPi2 * sqrt2pi / (216 * z6);
  double sum = 0;
  for (int i = 0; i < 4; ++i) sum += k[i] / std::pow(dn, i / 2.0);
  return sum;
}

double LogFactorialOverPower(double n) {  // log(n! / n^n) by Stirling's series
  static constexpr double kCoeffs[] = {-2.955065359477124183e-2, 6.4102564102564102564e-3,
                                       -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                       -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                       -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  double rn = 1.0 / n, y = rn / n, poly = 0.0;
  for (double c : kCoeffs) poly = poly * y + c;
  return std::log(n) / 2 - n + std::log(2 * std::numbers::pi) / 2 + rn * poly;
}

}  // namespace

double KolmogorovSf(int64_t n, double x) {
  if (n <= 0 || std::isnan(x)) return kNaN;
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double dn = static_cast<double>(n);
  double t = dn * x;
  if (t <= 1.0) {  // Ruben and Gambino: exact for 1/2n <= x <= 1/n
    if (t <= 0.5) return 1.0;
    double prob;
    if (n <= 140) {
      prob = 1.0;
      for (int64_t i = 1; i <= n; ++i) prob *= static_cast<double>(i) * (1.0 / dn) * (2 * t - 1);
    } else {
      prob = std::exp(LogFactorialOverPower(dn) + dn * std::log(2 * t - 1));
    }
    return Clip(1.0 - prob);
  }
  if (t >= dn - 1) return Clip(2 * std::pow(1.0 - x, dn));
  if (x >= 0.5) return Clip(2 * SmirnovSf(n, x));
  double nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 0.754693) return Clip(1.0 - KolmogorovCdfDurbin(n, x));
    if (nx2 <= 4) return Clip(1.0 - KolmogorovCdfPomeranz(n, x));
    return Clip(2 * SmirnovSf(n, x));
  }
  if (nx2 >= 370.0) return 0.0;
  if (nx2 >= 2.2) return Clip(2 * SmirnovSf(n, x));
  double cdf = (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) ? KolmogorovCdfDurbin(n, x)
                                                              : KolmogorovCdfPelzGood(n, x);
  return Clip(1.0 - Clip(cdf));
}

}  // namespace custody::stats
