#include "stats/special.h"

#include <gtest/gtest.h>

#include <cmath>

namespace custody::stats {
namespace {

TEST(GammaIncUpperTest, ClosedForms) {
  // Q(1, x) = e^-x; Q(1/2, x) = erfc(sqrt(x)); Q(3, x) = e^-x (1 + x + x^2/2).
  for (double x : {1e-8, 0.3, 0.5, 1.0, 1.1, 2.5, 10.0, 50.0}) {
    EXPECT_NEAR(GammaIncUpper(1.0, x), std::exp(-x), 1e-15 + 1e-13 * std::exp(-x)) << x;
    EXPECT_NEAR(GammaIncUpper(0.5, x), std::erfc(std::sqrt(x)), 1e-15 + 1e-13 * std::erfc(std::sqrt(x))) << x;
    double q3 = std::exp(-x) * (1 + x + x * x / 2);
    EXPECT_NEAR(GammaIncUpper(3.0, x), q3, 1e-15 + 1e-13 * q3) << x;
  }
}

TEST(GammaIncUpperTest, EdgesAsSciPy) {
  EXPECT_EQ(GammaIncUpper(2.0, 0.0), 1.0);
  EXPECT_EQ(GammaIncUpper(2.0, INFINITY), 0.0);
  EXPECT_EQ(GammaIncUpper(0.0, 1.0), 0.0);
  EXPECT_TRUE(std::isnan(GammaIncUpper(0.0, 0.0)));
  EXPECT_TRUE(std::isnan(GammaIncUpper(-1.0, 1.0)));
  EXPECT_TRUE(std::isnan(GammaIncUpper(1.0, -1.0)));
  EXPECT_TRUE(std::isnan(GammaIncUpper(NAN, 1.0)));
}

TEST(GammaIncUpperTest, LargeShapeNearItsMean) {
  // The median of Gamma(a) is about a - 1/3 for large a: Q is near one half
  // there, and the series must still converge.
  double q = GammaIncUpper(5000.0, 5000.0 - 1.0 / 3);
  EXPECT_NEAR(q, 0.5, 1e-4);
}

TEST(ChiSquareSfTest, TableValues) {
  // The familiar 5% critical values of the chi-square table.
  EXPECT_NEAR(ChiSquareSf(3.841458820694124, 1), 0.05, 1e-12);
  EXPECT_NEAR(ChiSquareSf(5.991464547107979, 2), 0.05, 1e-12);
  EXPECT_NEAR(ChiSquareSf(11.070497693516351, 5), 0.05, 1e-12);
  EXPECT_NEAR(ChiSquareSf(4.0, 2), std::exp(-2.0), 1e-15);
  EXPECT_TRUE(std::isnan(ChiSquareSf(1.0, 0)));  // no degrees of freedom
  EXPECT_EQ(ChiSquareSf(-1.0, 3), 1.0);
}

TEST(NormalCdfTest, KnownQuantiles) {
  EXPECT_DOUBLE_EQ(NormalCdf(0.0), 0.5);
  EXPECT_NEAR(NormalCdf(1.959963984540054), 0.975, 1e-15);
  EXPECT_NEAR(NormalCdf(-1.959963984540054), 0.025, 1e-15);
  EXPECT_NEAR(NormalCdf(-10.0), 7.619853024160527e-24, 1e-36);
}

TEST(KolmogorovSfTest, ExactSmallSamples) {
  // n = 1: D = max(U, 1 - U), so Pr(D > x) = 2 (1 - x) on [1/2, 1].
  EXPECT_NEAR(KolmogorovSf(1, 0.7), 0.6, 1e-15);
  // Ruben-Gambino, 1/2n <= x <= 1/n: Pr(D <= x) = n!/n^n (2nx - 1)^n.
  EXPECT_NEAR(KolmogorovSf(2, 0.4), 1 - 0.5 * 0.6 * 0.6, 1e-15);
  // n x >= n - 1: Pr(D > x) = 2 (1 - x)^n.
  EXPECT_NEAR(KolmogorovSf(5, 0.85), 2 * std::pow(0.15, 5), 1e-17);
  EXPECT_EQ(KolmogorovSf(10, 0.0), 1.0);
  EXPECT_EQ(KolmogorovSf(10, 1.0), 0.0);
  EXPECT_EQ(KolmogorovSf(10, 0.04), 1.0);  // below 1/2n
}

TEST(KolmogorovSfTest, ApproachesKolmogorovsLimit) {
  // sqrt(n) D_n tends to Kolmogorov's K, whose 5% point is 1.3581.
  EXPECT_NEAR(KolmogorovSf(1000000, 1.3581 / 1000.0), 0.05, 2e-4);
  EXPECT_NEAR(KolmogorovSf(200000, 1.3581 / std::sqrt(200000.0)), 0.05, 5e-4);
}

TEST(SmirnovSfTest, SmallCases) {
  // n = 1: Pr(D+ >= x) = 1 - x.
  EXPECT_NEAR(SmirnovSf(1, 0.25), 0.75, 1e-15);
  // n = 2: x [ (x)^-1 (1-x)^2 + 2 (1-x-1/2) ] for x < 1/2.
  double x = 0.3;
  EXPECT_NEAR(SmirnovSf(2, x), x * (std::pow(1 - x, 2) / x + 2 * (0.5 - x)), 1e-15);
  EXPECT_TRUE(std::isnan(SmirnovSf(3, 1.5)));
}

}  // namespace
}  // namespace custody::stats
