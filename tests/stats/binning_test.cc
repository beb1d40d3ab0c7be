#include "stats/binning.h"

#include <gtest/gtest.h>

#include <vector>

namespace custody::stats {
namespace {

TEST(SturgesEdgesTest, TenValues) {
  // range 9, width 9 / (log2(10) + 1) = 2.08: ceil(4.32) = 5 bins of 1.8.
  std::vector<double> a{0, 1, 2, 3, 4}, b{5, 6, 7, 8, 9};
  auto edges = SturgesEdges(a, b);
  ASSERT_EQ(edges.size(), 6u);
  EXPECT_EQ(edges.front(), 0.0);
  EXPECT_EQ(edges.back(), 9.0);
  EXPECT_DOUBLE_EQ(edges[1], 1.8);
  EXPECT_DOUBLE_EQ(edges[3], 5.4);
}

TEST(SturgesEdgesTest, AllEqualValuesGetOneUnitBin) {
  std::vector<double> a{3, 3}, b{3};
  auto edges = SturgesEdges(a, b);
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0], 2.5);
  EXPECT_EQ(edges[1], 3.5);
}

TEST(HistogramCountsTest, LastBinIsClosed) {
  std::vector<double> x{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<double> edges{0, 1.8, 3.6, 5.4, 7.2, 9};
  EXPECT_EQ(HistogramCounts(x, edges), (std::vector<int64_t>{2, 2, 2, 2, 2}));
  // A value on an inner edge goes right; values outside are not counted.
  std::vector<double> y{-1, 1.8, 1.8, 10};
  EXPECT_EQ(HistogramCounts(y, edges), (std::vector<int64_t>{0, 2, 0, 0, 0}));
}

TEST(CountValuesTest, PoolsDistinctValues) {
  std::vector<double> a{1, 1, 3}, b{2, 3, 3, 3};
  auto vc = CountValues(a, b);
  EXPECT_EQ(vc.values, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(vc.a, (std::vector<int64_t>{2, 0, 1}));
  EXPECT_EQ(vc.b, (std::vector<int64_t>{0, 1, 3}));
}

TEST(FillEmptySharesTest, AsEvidently) {
  std::vector<double> s{0, 0.5, 0.5};
  FillEmptyShares(s);
  EXPECT_EQ(s[0], 0.0001);
  std::vector<double> tiny{0, 0.00005, 0.99995};
  FillEmptyShares(tiny);
  EXPECT_DOUBLE_EQ(tiny[0], 0.00005 / 1e6);
  std::vector<double> zeros{0, 0};
  FillEmptyShares(zeros);  // nothing to scale by: unchanged
  EXPECT_EQ(zeros, (std::vector<double>{0, 0}));
}

TEST(SharesTest, DividesByTheTotal) {
  std::vector<int64_t> c{1, 3};
  EXPECT_EQ(Shares(c, 4), (std::vector<double>{0.25, 0.75}));
}

}  // namespace
}  // namespace custody::stats
