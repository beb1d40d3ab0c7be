#include "stats/roc.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace custody::stats {
namespace {

// Arrays of bool for spans (std::vector<bool> has no data()).
std::unique_ptr<bool[]> Labels(std::initializer_list<int> v) {
  auto out = std::make_unique<bool[]>(v.size());
  size_t i = 0;
  for (int x : v) out[i++] = x != 0;
  return out;
}

TEST(RocAucTest, ScikitLearnDocumentationExample) {
  // roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) == 0.75 and
  // average_precision_score(...) == 0.83333...
  auto y = Labels({0, 0, 1, 1});
  std::vector<double> s{0.1, 0.4, 0.35, 0.8};
  EXPECT_DOUBLE_EQ(*RocAuc({y.get(), 4}, s), 0.75);
  EXPECT_DOUBLE_EQ(*AveragePrecision({y.get(), 4}, s), 5.0 / 6.0);
}

TEST(RocAucTest, TiesCountHalf) {
  auto y = Labels({0, 1});
  std::vector<double> s{0.5, 0.5};
  EXPECT_DOUBLE_EQ(*RocAuc({y.get(), 2}, s), 0.5);
  EXPECT_DOUBLE_EQ(*AveragePrecision({y.get(), 2}, s), 0.5);
  auto perfect = Labels({0, 0, 1});
  std::vector<double> t{1, 2, 3};
  EXPECT_DOUBLE_EQ(*RocAuc({perfect.get(), 3}, t), 1.0);
  EXPECT_DOUBLE_EQ(*AveragePrecision({perfect.get(), 3}, t), 1.0);
}

TEST(RocAucTest, OneClassOrBadInputIsAnError) {
  auto y = Labels({1, 1});
  std::vector<double> s{0.1, 0.2};
  auto r = RocAuc({y.get(), 2}, s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("only one class"), std::string::npos);
  EXPECT_FALSE(AveragePrecision({y.get(), 2}, s).ok());
  auto z = Labels({0, 1});
  std::vector<double> nan{0.1, NAN};
  EXPECT_FALSE(RocAuc({z.get(), 2}, nan).ok());
  EXPECT_FALSE(RocAuc({z.get(), 2}, std::vector<double>{0.1}).ok());
}

// The peer itself: scikit-learn from Debian, on random labels and tied scores.
TEST(RocAucTest, AgreesWithScikitLearn) {
  const char* python = "/usr/bin/python3";
  if (std::system("/usr/bin/python3 -c 'import sklearn' >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "scikit-learn is not installed for " << python << " (scripts/bootstrap installs it)";
  }
  std::mt19937_64 rng(7);
  std::ostringstream script;
  script.precision(17);
  script << "import sys\nfrom sklearn.metrics import roc_auc_score, average_precision_score\n";
  std::vector<std::pair<std::vector<int>, std::vector<double>>> cases;
  for (int c = 0; c < 40; ++c) {
    size_t n = 2 + rng() % 300;
    std::vector<int> y(n);
    std::vector<double> s(n);
    for (size_t i = 0; i < n; ++i) {
      y[i] = static_cast<int>(rng() % 3 == 0);
      // Few distinct scores in half of the cases: many ties.
      s[i] = (c % 2) ? static_cast<double>(rng() % 7) / 7 : static_cast<double>(rng() % 1000000) / 1e6 + y[i] * 0.1;
    }
    y[0] = 0;
    y[1] = 1;
    cases.emplace_back(y, s);
    script << "y=[";
    for (int v : y) script << v << ",";
    script << "]\ns=[";
    for (double v : s) script << v << ",";
    script << "]\nprint(repr(roc_auc_score(y,s)), repr(average_precision_score(y,s)))\n";
  }
  std::string path = ::testing::TempDir() + "/roc_peer.py";
  FILE* f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs(script.str().c_str(), f);
  std::fclose(f);
  FILE* p = ::popen((std::string(python) + " " + path).c_str(), "r");
  ASSERT_NE(p, nullptr);
  double worst = 0;
  for (auto& [y, s] : cases) {
    double auc = 0, ap = 0;
    ASSERT_EQ(std::fscanf(p, "%lf %lf", &auc, &ap), 2);
    auto labels = std::make_unique<bool[]>(y.size());
    for (size_t i = 0; i < y.size(); ++i) labels[i] = y[i] != 0;
    double got_auc = *RocAuc({labels.get(), y.size()}, s), got_ap = *AveragePrecision({labels.get(), y.size()}, s);
    EXPECT_NEAR(got_auc, auc, 1e-12);
    EXPECT_NEAR(got_ap, ap, 1e-12);
    worst = std::max({worst, std::fabs(got_auc - auc), std::fabs(got_ap - ap)});
  }
  EXPECT_EQ(::pclose(p), 0);
  std::printf("largest difference from scikit-learn over %zu cases: %g\n", cases.size() * 2, worst);
}

}  // namespace
}  // namespace custody::stats
