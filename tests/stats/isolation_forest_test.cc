#include "stats/isolation_forest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/file.h"
#include "test_util.h"

namespace custody::stats {
namespace {

// n rows of d standard-normal features (a fixed stream), plus `outliers`
// rows far out at the end.
FeatureMatrix Gaussian(size_t n, size_t d, size_t outliers = 0, uint32_t seed = 7) {
  std::mt19937 gen(seed);
  std::normal_distribution<double> normal;
  FeatureMatrix x;
  x.rows = n + outliers;
  x.cols = d;
  for (size_t r = 0; r < n; ++r) {
    for (size_t c = 0; c < d; ++c) x.values.push_back(normal(gen));
  }
  for (size_t r = 0; r < outliers; ++r) {
    for (size_t c = 0; c < d; ++c) x.values.push_back(8.0 + normal(gen));
  }
  for (size_t c = 0; c < d; ++c) x.names.push_back("x" + std::to_string(c));
  return x;
}

TEST(IsolationForestTest, AveragePathLengthAsScikitLearn) {
  EXPECT_EQ(AveragePathLength(0), 0.0);
  EXPECT_EQ(AveragePathLength(1), 0.0);
  EXPECT_EQ(AveragePathLength(2), 1.0);
  // 2 (ln(n - 1) + 0.5772156649) - 2 (n - 1) / n, computed by hand.
  EXPECT_NEAR(AveragePathLength(3), 2 * (std::log(2.0) + 0.5772156649015329) - 4.0 / 3, 1e-15);
  EXPECT_NEAR(AveragePathLength(256), 10.244770920119917, 1e-12);  // sklearn _average_path_length([256])
  EXPECT_NEAR(AveragePathLength(10), 3.748880484475504, 1e-12);
}

TEST(IsolationForestTest, ObviousOutliersScoreHighest) {
  FeatureMatrix x = Gaussian(1000, 4, 5);
  auto forest = IsolationForest::Fit(x, {}, nullptr);
  ASSERT_TRUE(forest.ok()) << forest.error().message();
  auto scores = forest->ScoreAll(x);
  ASSERT_TRUE(scores.ok());
  double max_inlier = 0;
  for (size_t r = 0; r < 1000; ++r) max_inlier = std::max(max_inlier, (*scores)[r]);
  for (size_t r = 1000; r < 1005; ++r) {
    EXPECT_GT((*scores)[r], max_inlier) << r;
    EXPECT_GT((*scores)[r], 0.6);
    EXPECT_TRUE(forest->IsOutlier((*scores)[r]));
  }
  for (double s : *scores) {
    EXPECT_GT(s, 0.0);
    EXPECT_LE(s, 1.0);
  }
  // One row at a time gives the batch's scores.
  EXPECT_EQ(forest->Score(x.row(1003)), (*scores)[1003]);
  EXPECT_EQ(forest->Score(x.row(17)), (*scores)[17]);
}

TEST(IsolationForestTest, SameSeedSameScoresOnAnyNumberOfThreads) {
  FeatureMatrix x = Gaussian(3000, 6, 10);
  IsolationForestOptions o;
  o.seed = 42;
  std::vector<double> one, four, again;
  ThreadPool pool1(1), pool4(4);
  ASSERT_TRUE(IsolationForest::Fit(x, o, &pool1, &one).ok());
  ASSERT_TRUE(IsolationForest::Fit(x, o, &pool4, &four).ok());
  ASSERT_TRUE(IsolationForest::Fit(x, o, nullptr, &again).ok());
  EXPECT_EQ(one, four);
  EXPECT_EQ(one, again);
  o.seed = 43;
  std::vector<double> other;
  ASSERT_TRUE(IsolationForest::Fit(x, o, &pool4, &other).ok());
  EXPECT_NE(one, other);
}

TEST(IsolationForestTest, ShapeFollowsScikitLearnDefaults) {
  FeatureMatrix x = Gaussian(100, 3);
  auto small = IsolationForest::Fit(x, {}, nullptr);
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->max_samples(), 100u);  // min(256, n)
  EXPECT_EQ(small->trees(), 100u);
  Json j = small->ToJson();
  size_t max_depth = static_cast<size_t>(std::ceil(std::log2(100.0)));
  for (const auto& tree : j["trees"]) {
    EXPECT_EQ(tree["samples"][0], 100);  // the root holds every drawn row
    // Walk the tree: no leaf deeper than ceil(log2(max_samples)).
    std::vector<std::pair<size_t, size_t>> stack{{0, 0}};
    while (!stack.empty()) {
      auto [i, depth] = stack.back();
      stack.pop_back();
      EXPECT_LE(depth, max_depth);
      if (tree["feature"][i] == -1) continue;
      size_t left = tree["left"][i];
      stack.push_back({left, depth + 1});
      stack.push_back({left + 1, depth + 1});
    }
  }
  auto big = IsolationForest::Fit(Gaussian(1000, 3), {}, nullptr);
  EXPECT_EQ(big->max_samples(), 256u);
}

TEST(IsolationForestTest, SaveLoadRoundTripScoresTheSame) {
  FeatureMatrix x = Gaussian(500, 5, 3);
  IsolationForestOptions o;
  o.seed = 9;
  o.contamination = 0.05;
  std::vector<double> fitted;
  auto forest = IsolationForest::Fit(x, o, nullptr, &fitted);
  ASSERT_TRUE(forest.ok());
  testing::TempDir dir;
  std::string path = (dir / "forest.json").string();
  ASSERT_TRUE(forest->Save(path).ok());
  auto loaded = IsolationForest::Load(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded->threshold(), forest->threshold());
  EXPECT_EQ(loaded->feature_names(), x.names);
  EXPECT_EQ(loaded->options().contamination, 0.05);
  auto rescored = loaded->ScoreAll(x);
  ASSERT_TRUE(rescored.ok());
  EXPECT_EQ(*rescored, fitted);
  EXPECT_EQ(loaded->ToJson(), forest->ToJson());
}

TEST(IsolationForestTest, ContaminationSetsThresholdAtTheTrainingPercentile) {
  FeatureMatrix x = Gaussian(1000, 3, 0);
  IsolationForestOptions o;
  o.contamination = 0.1;
  std::vector<double> scores;
  auto forest = IsolationForest::Fit(x, o, nullptr, &scores);
  ASSERT_TRUE(forest.ok());
  size_t flagged = 0;
  for (double s : scores) flagged += forest->IsOutlier(s) ? 1 : 0;
  EXPECT_NEAR(static_cast<double>(flagged), 100.0, 2.0);
  // auto: the paper's 0.5.
  auto automatic = IsolationForest::Fit(x, {}, nullptr);
  EXPECT_EQ(automatic->threshold(), 0.5);
}

TEST(IsolationForestTest, BadInputIsAnError) {
  FeatureMatrix empty;
  empty.cols = 3;
  auto r = IsolationForest::Fit(empty, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("no rows"), std::string::npos);

  FeatureMatrix x = Gaussian(10, 2);
  x.values[2 * 2 + 1] = std::numeric_limits<double>::quiet_NaN();
  r = IsolationForest::Fit(x, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("row 3, column 'x1': missing value"), std::string::npos)
      << r.error().message();
  x.values[2 * 2 + 1] = HUGE_VAL;
  r = IsolationForest::Fit(x, {}, nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("infinite value"), std::string::npos);

  IsolationForestOptions o;
  o.contamination = 0.7;
  EXPECT_FALSE(IsolationForest::Fit(Gaussian(10, 2), o, nullptr).ok());

  auto fitted = IsolationForest::Fit(Gaussian(50, 2), {}, nullptr);
  ASSERT_TRUE(fitted.ok());
  auto wrong = fitted->ScoreAll(Gaussian(5, 3));
  ASSERT_FALSE(wrong.ok());
  EXPECT_NE(wrong.error().message().find("3 feature columns, the model was fitted on 2"), std::string::npos);
}

TEST(IsolationForestTest, ConstantColumnsAreNeverSplit) {
  FeatureMatrix x = Gaussian(300, 3);
  for (size_t r = 0; r < x.rows; ++r) x.values[r * 3 + 1] = 4.0;  // column x1 constant
  auto forest = IsolationForest::Fit(x, {}, nullptr);
  ASSERT_TRUE(forest.ok());
  Json model = forest->ToJson();
  for (const auto& tree : model["trees"]) {
    for (const auto& f : tree["feature"]) EXPECT_NE(f, 1);
  }
  // All columns constant: every row lands in the root, s = 2^-1.
  FeatureMatrix flat;
  flat.rows = 40;
  flat.cols = 2;
  flat.values.assign(80, 1.5);
  std::vector<double> scores;
  ASSERT_TRUE(IsolationForest::Fit(flat, {}, nullptr, &scores).ok());
  auto flat_forest = IsolationForest::Fit(flat, {}, nullptr);
  for (double s : scores) {
    EXPECT_NEAR(s, 0.5, 1e-14);
    EXPECT_FALSE(flat_forest->IsOutlier(s));
  }
}

TEST(IsolationForestTest, CorruptModelsAreRefused) {
  auto forest = IsolationForest::Fit(Gaussian(64, 2), {}, nullptr);
  ASSERT_TRUE(forest.ok());
  Json good = forest->ToJson();
  Json cycle = good;
  cycle["trees"][0]["left"][0] = 0;  // the root as its own child
  auto r = IsolationForest::FromJson(cycle, "m.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("m.json"), std::string::npos);
  Json feature = good;
  feature["trees"][0]["feature"][0] = 5;
  EXPECT_FALSE(IsolationForest::FromJson(feature, "m.json").ok());
  Json format = good;
  format["format"] = "other";
  EXPECT_FALSE(IsolationForest::FromJson(format, "m.json").ok());
  Json shortened = good;
  shortened["trees"][1]["samples"].erase(0);
  EXPECT_FALSE(IsolationForest::FromJson(shortened, "m.json").ok());
  EXPECT_TRUE(IsolationForest::FromJson(good, "m.json").ok());
}

}  // namespace
}  // namespace custody::stats
