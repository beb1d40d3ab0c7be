#include "stats/neighbors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

namespace custody::stats {
namespace {

FeatureMatrix Uniform(size_t n, size_t d, uint32_t seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(-1, 1);
  FeatureMatrix x;
  x.rows = n;
  x.cols = d;
  for (size_t i = 0; i < n * d; ++i) x.values.push_back(u(gen));
  return x;
}

// Brute force: every other row by (squared distance, row).
std::vector<uint32_t> BruteNearest(const FeatureMatrix& x, size_t q, size_t k) {
  std::vector<std::pair<double, uint32_t>> all;
  for (size_t r = 0; r < x.rows; ++r) {
    if (r == q) continue;
    double d = 0;
    for (size_t c = 0; c < x.cols; ++c) {
      double diff = x.values[r * x.cols + c] - x.values[q * x.cols + c];
      d += diff * diff;
    }
    all.push_back({d, static_cast<uint32_t>(r)});
  }
  std::sort(all.begin(), all.end());
  std::vector<uint32_t> out;
  for (size_t i = 0; i < k; ++i) out.push_back(all[i].second);
  return out;
}

TEST(KdTreeTest, MatchesBruteForceIncludingTies) {
  for (size_t d : {1u, 3u, 8u}) {
    FeatureMatrix x = Uniform(2000, d, static_cast<uint32_t>(d));
    // Duplicated rows make exact ties; the lower row must win.
    for (size_t r = 0; r < 50; ++r) {
      std::copy_n(x.values.begin() + static_cast<ptrdiff_t>(r * d), d,
                  x.values.begin() + static_cast<ptrdiff_t>((1000 + r) * d));
    }
    KdTree tree(x);
    std::vector<uint32_t> got;
    for (size_t q = 0; q < x.rows; q += 37) {
      tree.Nearest(q, 10, got);
      EXPECT_EQ(got, BruteNearest(x, q, 10)) << "d=" << d << " q=" << q;
    }
  }
}

TEST(LabelScreenTest, FindsFlippedLabelsInSeparatedClusters) {
  // Two clusters, labels 0 and 1; three rows of cluster 0 carry label 1.
  std::mt19937 gen(3);
  std::normal_distribution<double> normal(0, 0.3);
  FeatureMatrix x;
  x.cols = 2;
  std::vector<int32_t> labels;
  for (int r = 0; r < 400; ++r) {
    int cls = r < 200 ? 0 : 1;
    x.values.push_back(cls * 5 + normal(gen));
    x.values.push_back(cls * 5 + normal(gen));
    labels.push_back(cls);
  }
  x.rows = 400;
  labels[10] = labels[20] = labels[30] = 1;
  labels[50] = -1;  // unlabelled rows take no part
  ThreadPool pool(3);
  auto found = FindLabelDisagreements(Standardize(x), labels, 10, &pool);
  ASSERT_TRUE(found.ok()) << found.error().message();
  ASSERT_EQ(found->size(), 3u);
  EXPECT_EQ((*found)[0].row, 10u);
  EXPECT_EQ((*found)[1].row, 20u);
  EXPECT_EQ((*found)[2].row, 30u);
  EXPECT_EQ((*found)[0].label, 1);
  EXPECT_EQ((*found)[0].majority, 0);
  EXPECT_EQ((*found)[0].majority_votes, 10u);
  auto too_few = FindLabelDisagreements(Standardize(x), labels, 400, &pool);
  EXPECT_FALSE(too_few.ok());
}

TEST(LabelScreenTest, StandardizeScalesColumns) {
  FeatureMatrix x;
  x.rows = 4;
  x.cols = 2;
  x.values = {1, 7, 2, 7, 3, 7, 4, 7};
  FeatureMatrix z = Standardize(x);
  double sd = std::sqrt(1.25);
  EXPECT_DOUBLE_EQ(z.values[0], -1.5 / sd);
  EXPECT_DOUBLE_EQ(z.values[6], 1.5 / sd);
  EXPECT_EQ(z.values[1], 0.0);  // no spread
}

}  // namespace
}  // namespace custody::stats
