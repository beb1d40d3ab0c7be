#include "stats/ks.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "stats/sort.h"

namespace custody::stats {
namespace {

TEST(KsTwoSampleTest, SeparatedSamplesEqualSizes) {
  // Of the C(6,3) = 20 orderings, 2 separate the samples fully.
  std::vector<double> a{1, 2, 3}, b{4, 5, 6};
  auto r = KsTwoSample(a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statistic, 1.0);
  EXPECT_NEAR(r->pvalue, 0.1, 1e-15);
  EXPECT_TRUE(r->exact);
}

TEST(KsTwoSampleTest, SeparatedSamplesUnequalSizes) {
  // 2 of the C(5,2) = 10 orderings.
  std::vector<double> a{1, 2}, b{3, 4, 5};
  auto r = KsTwoSample(a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statistic, 1.0);
  EXPECT_NEAR(r->pvalue, 0.2, 1e-15);
}

TEST(KsTwoSampleTest, IdenticalSamplesAndTies) {
  std::vector<double> a{1, 1, 2, 2, 3}, b{1, 1, 2, 2, 3};
  auto r = KsTwoSample(a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statistic, 0.0);
  EXPECT_EQ(r->pvalue, 1.0);
  // Ties are evaluated at each distinct value (ECDFs with side='right'):
  // at 1: 2/4 - 0/2, at 2: 3/4 - 1/2, at 3: 1 - 1.
  std::vector<double> c{1, 1, 2, 3}, d{2, 3};
  auto t = KsTwoSample(c, d);
  ASSERT_TRUE(t.ok());
  EXPECT_DOUBLE_EQ(t->statistic, 0.5);
}

TEST(KsTwoSampleTest, OneValueEach) {
  std::vector<double> a{1}, b{2};
  auto r = KsTwoSample(a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->statistic, 1.0);
  EXPECT_EQ(r->pvalue, 1.0);  // 2 of C(2,1) = 2 orderings
}

TEST(KsTwoSampleTest, EmptySampleIsAnError) {
  std::vector<double> a{1, 2}, empty;
  auto r = KsTwoSample(a, empty);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kInput);
  EXPECT_NE(r.error().message().find("at least one value"), std::string::npos);
}

TEST(KsTwoSampleTest, LargeSamplesUseTheAsymptoticDistribution) {
  // 10,001 values against 3 shifted ones: max(n1, n2) > 10,000.
  std::vector<double> a(10001), b{100, 101, 102};
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<double>(i) / 1000.0;
  auto r = KsTwoSample(a, b);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->exact);
  EXPECT_EQ(r->statistic, 1.0);
  EXPECT_EQ(r->pvalue, 0.0);  // D = 1 >= 1: the distribution's upper end
}

TEST(KsExactPValueTest, SymmetricInTheSampleSizes) {
  for (int64_t h : {1, 5, 7, 12}) EXPECT_DOUBLE_EQ(KsExactPValue(3, 5, h), KsExactPValue(5, 3, h));
  EXPECT_EQ(KsExactPValue(4, 6, 0), 1.0);
}

TEST(SortSampleTest, MatchesStdSortAcrossTheRadixThreshold) {
  for (size_t n : {0, 1, 7, 4095, 4096, 50000}) {
    std::vector<double> v(n);
    uint64_t s = 88172645463325252ULL;
    for (auto& x : v) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      x = (static_cast<double>(s % 2000001) - 1000000.0) / 7.0;
    }
    if (n > 10) {
      v[3] = -0.0;
      v[4] = INFINITY;
      v[5] = -INFINITY;
      v[6] = 0.0;
    }
    std::vector<double> want = v;
    std::sort(want.begin(), want.end());
    SortSample(v);
    ASSERT_EQ(v.size(), want.size());
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(v[i], want[i]) << n << " " << i;
    EXPECT_FALSE(n > 10 && std::signbit(v[std::lower_bound(v.begin(), v.end(), 0.0) - v.begin()]));
  }
}

// Every path of the sort: few distinct values (counted), just more than the
// counted path takes, and many; with signed zeros, infinities and NaN (dropped
// by SortFinite, which reuses its buffers from call to call).
TEST(SortSampleTest, AllPathsMatchStdSort) {
  SortBuffers buffers;
  std::vector<double> reused;
  for (size_t distinct : {1, 3, 1000, 1024, 1025, 2000, 100000}) {
    const size_t n = 60000;
    std::vector<double> v(n);
    uint64_t s = 88172645463325252ULL + distinct;
    for (auto& x : v) {
      s ^= s << 13, s ^= s >> 7, s ^= s << 17;
      x = static_cast<double>(s % distinct) * 0.5 - static_cast<double>(distinct) / 4;
    }
    v[10] = -0.0;
    v[11] = INFINITY;
    v[12] = -INFINITY;
    std::vector<double> with_nan = v;
    with_nan[13] = NAN;
    std::vector<double> want = v;
    std::sort(want.begin(), want.end());
    SortSample(v);
    ASSERT_EQ(v.size(), n);
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(v[i], want[i]) << distinct << " " << i;
    EXPECT_FALSE(std::signbit(v[std::lower_bound(v.begin(), v.end(), 0.0) - v.begin()])) << distinct;

    std::vector<double> finite;
    for (size_t i = 0; i < n; ++i) {
      if (std::isfinite(with_nan[i])) finite.push_back(with_nan[i]);
    }
    std::sort(finite.begin(), finite.end());
    std::span<const double> got = SortFinite(with_nan, buffers, reused);
    ASSERT_EQ(got.size(), finite.size()) << distinct;
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], finite[i]) << distinct << " " << i;
  }
}

TEST(SortSampleTest, CountsDistinctValues) {
  std::vector<double> a{1, 1, 2, 5}, b{0, 2, 2, 6};
  EXPECT_EQ(CountDistinctSorted(a), 3u);
  EXPECT_EQ(CountDistinctSorted(a, b), 5u);
  EXPECT_EQ(CountDistinctSorted(std::vector<double>{}, std::vector<double>{}), 0u);
}

}  // namespace
}  // namespace custody::stats
