#include "stats/distance.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stats/chisquare.h"
#include "stats/ztest.h"

namespace custody::stats {
namespace {

TEST(WassersteinDistanceTest, SciPyDocumentationExample) {
  // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) == 5.0
  std::vector<double> u{0, 1, 3}, v{5, 6, 8};
  EXPECT_DOUBLE_EQ(WassersteinDistance(u, v), 5.0);
}

TEST(WassersteinDistanceTest, ShiftAndTies) {
  std::vector<double> u{1, 1, 2, 2}, v{1, 1, 2, 2};
  EXPECT_EQ(WassersteinDistance(u, v), 0.0);
  // Moving half the mass from 0 to 1: distance 1/2.
  std::vector<double> a{0, 0}, b{0, 1};
  EXPECT_DOUBLE_EQ(WassersteinDistance(a, b), 0.5);
  std::vector<double> one{3};
  EXPECT_DOUBLE_EQ(WassersteinDistance(one, std::vector<double>{-1}), 4.0);
}

TEST(StdDevTest, PopulationDeviation) {
  std::vector<double> x{2, 4, 4, 4, 5, 5, 7, 9};
  EXPECT_DOUBLE_EQ(StdDev(x), 2.0);
  EXPECT_EQ(StdDev(std::vector<double>{5}), 0.0);
}

TEST(JensenShannonDistanceTest, SciPyDocumentationExamples) {
  // jensenshannon([1, 0, 0], [0, 1, 0], 2.0) == 1.0, so sqrt(ln 2) in nats.
  std::vector<double> p{1, 0, 0}, q{0, 1, 0};
  EXPECT_NEAR(JensenShannonDistance(p, q), std::sqrt(std::log(2.0)), 1e-15);
  // jensenshannon([1.0, 0.0], [0.5, 0.5]) == 0.46450140402245893
  std::vector<double> a{1.0, 0.0}, b{0.5, 0.5};
  EXPECT_NEAR(JensenShannonDistance(a, b), 0.46450140402245893, 1e-15);
  // Inputs are normalized first.
  std::vector<double> c{2, 0}, d{3, 3};
  EXPECT_NEAR(JensenShannonDistance(c, d), 0.46450140402245893, 1e-15);
  EXPECT_EQ(JensenShannonDistance(b, b), 0.0);
}

TEST(PopulationStabilityIndexTest, HandComputed) {
  // (0.5-0.25) ln 2 + (0.5-0.75) ln(2/3) = ln(3) / 4
  std::vector<double> p{0.5, 0.5}, q{0.25, 0.75};
  EXPECT_NEAR(PopulationStabilityIndex(p, q), std::log(3.0) / 4, 1e-15);
  EXPECT_EQ(PopulationStabilityIndex(p, p), 0.0);
}

TEST(ChiSquareTest, SciPyDocumentationExamples) {
  // chisquare([16, 18, 16, 14, 12, 12]) -> (2.0, 0.84914503608460956)
  std::vector<double> obs{16, 18, 16, 14, 12, 12}, uniform(6, 88.0 / 6);
  auto r = ChiSquareTest(obs, uniform);
  EXPECT_NEAR(r.statistic, 2.0, 1e-13);
  EXPECT_NEAR(r.pvalue, 0.84914503608460956, 1e-14);
  // chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8]) -> (3.5, 0.62338762774958223)
  std::vector<double> exp{16, 16, 16, 16, 16, 8};
  r = ChiSquareTest(obs, exp);
  EXPECT_NEAR(r.statistic, 3.5, 1e-13);
  EXPECT_NEAR(r.pvalue, 0.62338762774958223, 1e-14);
}

TEST(ChiSquareTest, TwoSampleAsEvidently) {
  // Reference shares 1/4, 3/4 scaled to 100 current values: 25, 75 expected.
  std::vector<int64_t> ref{10, 30}, cur{30, 70};
  auto r = ChiSquareTwoSample(ref, cur);
  double stat = 25.0 / 25 + 25.0 / 75;
  EXPECT_NEAR(r.statistic, stat, 1e-13);
  EXPECT_NEAR(r.pvalue, std::erfc(std::sqrt(stat / 2)), 1e-14);  // chi2(1) tail
  // A category the reference never saw: infinite statistic, p 0.
  std::vector<int64_t> ref2{10, 0}, cur2{5, 5};
  EXPECT_EQ(ChiSquareTwoSample(ref2, cur2).pvalue, 0.0);
  // One category: no degrees of freedom.
  std::vector<int64_t> one{4}, one2{6};
  EXPECT_TRUE(std::isnan(ChiSquareTwoSample(one, one2).pvalue));
}

TEST(ProportionsZTestTest, HandComputed) {
  EXPECT_DOUBLE_EQ(ProportionsZTestPValue(100, 50, 100, 50), 1.0);  // z = 0
  // 0 of 10 against 10 of 10: pooled 1/2, z = -1 / sqrt(1/4 * 2/10).
  double z = 1.0 / std::sqrt(0.25 * 0.2);
  EXPECT_NEAR(ProportionsZTestPValue(10, 0, 10, 10), std::erfc(z / std::sqrt(2.0)), 1e-15);
  // Both hold only the first category: p = 1 by definition.
  EXPECT_EQ(ProportionsZTestPValue(5, 0, 7, 0), 1.0);
}

}  // namespace
}  // namespace custody::stats
