#include "stats/drift.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <string>
#include <vector>

#include "stats/distance.h"
#include "stats/ks.h"

namespace custody::stats {
namespace {

ColumnView Numbers(const char* name, const std::vector<double>& v) { return {name, true, v, {}, {}}; }

// A text column coded as the CSV loader codes it ("" = missing); the codes
// are kept until the test program ends.
ColumnView Texts(const char* name, const std::vector<std::string>& v) {
  struct Coded {
    std::vector<uint32_t> codes;
    std::vector<std::string> categories;
  };
  static std::deque<Coded> kept;
  Coded& c = kept.emplace_back();
  for (const std::string& s : v) {
    if (s.empty()) {
      c.codes.push_back(CsvColumn::kMissingCode);
      continue;
    }
    auto at = std::find(c.categories.begin(), c.categories.end(), s);
    c.codes.push_back(static_cast<uint32_t>(at - c.categories.begin()));
    if (at == c.categories.end()) c.categories.push_back(s);
  }
  return {name, false, {}, c.codes, c.categories};
}

std::vector<double> Range(double from, size_t n, double step = 1.0) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = from + step * static_cast<double>(i);
  return v;
}

TEST(DriftTest, SmallNumericColumnUsesKs) {
  auto ref = Range(0, 100), cur = Range(50, 100);
  auto r = ComputeColumnDrift(Numbers("x", ref), Numbers("x", cur), {});
  ASSERT_TRUE(r.ok()) << r.error().message();
  EXPECT_EQ(r->kind, ColumnKind::kNumerical);
  EXPECT_EQ(r->method, DriftMethod::kKs);
  EXPECT_EQ(r->threshold, 0.05);
  EXPECT_DOUBLE_EQ(*r->stats.ks_statistic, 0.5);
  EXPECT_EQ(r->score, *r->stats.ks_pvalue);
  EXPECT_TRUE(r->drifted);
  // The Wasserstein distance of a shift by 50 is 50, normed by the reference's std.
  EXPECT_NEAR(*r->stats.wasserstein_norm, 50 / StdDev(ref), 1e-12);
  EXPECT_TRUE(r->stats.jensenshannon && r->stats.psi);
  EXPECT_FALSE(r->stats.chisquare_pvalue);  // 150 distinct values
  EXPECT_FALSE(r->stats.z_pvalue);
}

TEST(DriftTest, ReferenceSizeSwitchesToDistances) {
  auto ref = Range(0, 1000, 0.5), cur = Range(0, 1000, 0.5);
  auto small = ComputeColumnDrift(Numbers("x", ref), Numbers("x", cur), {});
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->method, DriftMethod::kKs);
  ref.push_back(1000);
  auto large = ComputeColumnDrift(Numbers("x", ref), Numbers("x", cur), {});
  ASSERT_TRUE(large.ok());
  EXPECT_EQ(large->method, DriftMethod::kWasserstein);
  EXPECT_EQ(large->threshold, 0.1);
  EXPECT_FALSE(large->drifted);
}

TEST(DriftTest, FewValuesUseChiSquareOrZ) {
  // Whole numbers without gaps, at most 5 distinct: categorical, as Evidently reads int columns.
  std::vector<double> ref{0, 1, 2, 0, 1, 2, 0, 1, 2, 0}, cur{2, 2, 2, 2, 1, 1, 0, 2, 2, 2};
  auto r = ComputeColumnDrift(Numbers("c", ref), Numbers("c", cur), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, ColumnKind::kCategorical);
  EXPECT_EQ(r->method, DriftMethod::kChiSquare);
  EXPECT_FALSE(r->stats.ks_pvalue);
  // Two values: the z-test.
  std::vector<std::string> a{"m", "f", "m", "m"}, b{"f", "f", "f", "m"};
  auto z = ComputeColumnDrift(Texts("sex", a), Texts("sex", b), {});
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->method, DriftMethod::kZ);
  EXPECT_TRUE(z->stats.chisquare_pvalue);
  // "f" sorts first; others ("m") are 3/4 against 1/4.
  double p1 = 0.75, p2 = 0.25, pooled = 0.5;
  double zs = (p1 - p2) / std::sqrt(pooled * (1 - pooled) * 0.5);
  EXPECT_NEAR(*z->stats.z_pvalue, std::erfc(zs / std::sqrt(2.0)), 1e-14);
}

TEST(DriftTest, NumericWithMissingValuesStaysNumerical) {
  // NaN makes it a float column for pandas: numerical even with 3 values,
  // then chi-square because there are at most 5 of them.
  std::vector<double> ref{1, 2, 3, NAN, 1, 2}, cur{1, 1, 1, 2, INFINITY, 3};
  auto r = ComputeColumnDrift(Numbers("x", ref), Numbers("x", cur), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->kind, ColumnKind::kNumerical);
  EXPECT_EQ(r->method, DriftMethod::kChiSquare);
  EXPECT_EQ(r->reference_count, 5u);  // NaN dropped
  EXPECT_EQ(r->current_count, 5u);    // inf dropped
  EXPECT_TRUE(r->stats.ks_pvalue);
}

TEST(DriftTest, OverridesMethodAndThreshold) {
  auto ref = Range(0, 100), cur = Range(1, 100);
  DriftOptions o;
  o.methods["x"] = DriftMethod::kPsi;
  o.thresholds["x"] = 1e-9;
  auto r = ComputeColumnDrift(Numbers("x", ref), Numbers("x", cur), o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, DriftMethod::kPsi);
  EXPECT_EQ(r->score, *r->stats.psi);
  EXPECT_TRUE(r->drifted);
}

TEST(DriftTest, ErrorsNameTheColumnAndDataSet) {
  DriftOptions o;
  o.reference_name = "ref.csv";
  o.current_name = "cur.csv";
  std::vector<double> missing{NAN, NAN}, ok{1, 2};
  auto r = ComputeColumnDrift(Numbers("age", ok), Numbers("age", missing), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("column 'age' of cur.csv has no values"), std::string::npos)
      << r.error().message();
  std::vector<std::string> text{"1", "x"};
  r = ComputeColumnDrift(Numbers("age", ok), Texts("age", text), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("numeric in ref.csv but text in cur.csv (row 2: 'x')"), std::string::npos)
      << r.error().message();
  std::vector<std::string> words{"a", "b"};
  o.methods["w"] = DriftMethod::kKs;
  r = ComputeColumnDrift(Texts("w", words), Texts("w", words), o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("needs numbers"), std::string::npos);
}

TEST(DriftTest, DatasetDriftsAtHalfTheColumns) {
  auto same = Range(0, 200), shifted = Range(100, 200);
  std::vector<ColumnView> ref{Numbers("a", same), Numbers("b", same)};
  std::vector<ColumnView> cur{Numbers("a", same), Numbers("b", shifted)};
  ThreadPool pool(2);
  auto r = ComputeDrift(ref, cur, {}, pool);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->drifted_columns, 1u);
  EXPECT_EQ(r->share, 0.5);
  EXPECT_TRUE(r->dataset_drift);
  DriftOptions strict;
  strict.drift_share = 0.6;
  auto s = ComputeDrift(ref, cur, strict, pool);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(s->dataset_drift);
  Json j = DatasetDriftJson(*r);
  EXPECT_EQ(j["columns"][1]["column"], "b");
  EXPECT_EQ(j["columns"][1]["drifted"], true);
  EXPECT_TRUE(j["columns"][0]["stats"].contains("ks_pvalue"));
}

TEST(DriftTest, ConstantColumns) {
  std::vector<double> c{4, 4, 4};
  auto r = ComputeColumnDrift(Numbers("k", c), Numbers("k", c), {});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, DriftMethod::kZ);
  EXPECT_EQ(r->score, 1.0);
  EXPECT_FALSE(r->drifted);
  EXPECT_TRUE(std::isnan(*r->stats.chisquare_pvalue));  // one category: no degrees of freedom
}

}  // namespace
}  // namespace custody::stats
