#include "stats/drift.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "stats/binning.h"
#include "stats/chisquare.h"
#include "stats/distance.h"
#include "stats/ks.h"
#include "stats/sort.h"
#include "stats/ztest.h"

namespace custody::stats {

std::string DriftMethodName(DriftMethod method) {
  switch (method) {
    case DriftMethod::kKs: return "ks";
    case DriftMethod::kChiSquare: return "chisquare";
    case DriftMethod::kZ: return "z";
    case DriftMethod::kWasserstein: return "wasserstein";
    case DriftMethod::kJensenShannon: return "jensenshannon";
    case DriftMethod::kPsi: return "psi";
  }
  return "?";
}

Result<DriftMethod> ParseDriftMethod(std::string_view name) {
  for (DriftMethod m : {DriftMethod::kKs, DriftMethod::kChiSquare, DriftMethod::kZ, DriftMethod::kWasserstein,
                        DriftMethod::kJensenShannon, DriftMethod::kPsi}) {
    if (name == DriftMethodName(m)) return m;
  }
  return Error::Input("unknown drift method '" + std::string(name) +
                      "': use ks, chisquare, z, wasserstein, jensenshannon or psi");
}

std::string ColumnKindName(ColumnKind kind) {
  return kind == ColumnKind::kNumerical ? "numerical" : "categorical";
}

double DefaultThreshold(DriftMethod method) {
  switch (method) {
    case DriftMethod::kKs:
    case DriftMethod::kChiSquare:
    case DriftMethod::kZ:
      return 0.05;
    case DriftMethod::kWasserstein:
    case DriftMethod::kJensenShannon:
    case DriftMethod::kPsi:
      return 0.1;
  }
  return 0.05;
}

namespace {

// Evidently reads an integer column with at most this many distinct values as categorical.
constexpr size_t kMaxCategoricalIntegers = 5;
constexpr size_t kMaxExactTestRows = 1000;  // reference rows up to which p-value tests decide
constexpr size_t kMaxBinaryValues = 2;      // z-test up to here, chi-square above

std::string FormatNumber(double x) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string FormatEdge(double x) {
  char buf[32];
  auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::general, 6);
  return std::string(buf, r.ptr);
}

bool LooksNumeric(const std::string& s) {
  const char* begin = s.c_str();
  char* end = nullptr;
  std::strtod(begin, &end);
  return end != begin && *end == '\0';
}

// One column of both data sets, missing values dropped, ready for the tests.
struct Prepared {
  bool text = false;
  // Numeric data: the finite values, sorted (in the workspace's buffers).
  std::span<const double> ref, cur;
  // Text: per-category counts; categories sorted by their bytes (as Python sorts str).
  std::vector<std::string> categories;
  std::vector<int64_t> ref_counts, cur_counts;
  PooledWalk walk;  // numeric data
  size_t n_ref = 0, n_cur = 0;
  size_t distinct = 0;
  size_t ref_distinct = 0;
};

// Whole numbers with nothing missing: what pandas reads as an int64 column.
bool IsIntegerColumn(std::span<const double> numbers) {
  return std::all_of(numbers.begin(), numbers.end(),
                     [](double x) { return std::isfinite(x) && x == std::nearbyint(x); });
}

// Per-category counts of both sides, categories sorted by their bytes.
void CountCategories(const ColumnView& reference, const ColumnView& current, Prepared& p) {
  auto count = [](const ColumnView& c, size_t& n) {
    std::vector<int64_t> k(c.categories.size(), 0);
    for (uint32_t code : c.codes) {
      if (code != CsvColumn::kMissingCode) ++k[code];
    }
    for (int64_t x : k) n += static_cast<size_t>(x);
    return k;
  };
  const std::vector<int64_t> ref = count(reference, p.n_ref), cur = count(current, p.n_cur);
  std::vector<std::pair<std::string_view, std::pair<size_t, bool>>> all;  // text -> (code, is_current)
  for (size_t i = 0; i < ref.size(); ++i) {
    if (ref[i] > 0) all.push_back({reference.categories[i], {i, false}});
  }
  for (size_t i = 0; i < cur.size(); ++i) {
    if (cur[i] > 0) all.push_back({current.categories[i], {i, true}});
  }
  std::sort(all.begin(), all.end());
  for (size_t k = 0; k < all.size(); ++k) {
    const auto& [text, at] = all[k];
    if (k == 0 || text != all[k - 1].first) {
      p.categories.emplace_back(text);
      p.ref_counts.push_back(0);
      p.cur_counts.push_back(0);
    }
    (at.second ? p.cur_counts : p.ref_counts).back() += (at.second ? cur : ref)[at.first];
  }
  for (int64_t x : p.ref_counts) p.ref_distinct += x > 0;
  p.distinct = p.categories.size();
}

Error NoValues(const ColumnView& column, const std::string& dataset) {
  size_t rows = column.numeric ? column.numbers.size() : column.codes.size();
  return Error::Input("column '" + std::string(column.name) + "' of " + dataset + " has no values (" +
                      (rows == 0 ? std::string("no rows") : "all " + std::to_string(rows) + " rows are missing") +
                      "); drift needs at least one value on each side: exclude it with --exclude " +
                      std::string(column.name));
}

Error TypeMismatch(const ColumnView& numeric, const std::string& numeric_name, const ColumnView& text,
                   const std::string& text_name) {
  std::string example;
  for (size_t i = 0; i < text.codes.size(); ++i) {
    if (text.codes[i] == CsvColumn::kMissingCode) continue;
    const std::string& s = text.categories[text.codes[i]];
    if (!LooksNumeric(s)) {
      example = " (row " + std::to_string(i + 1) + ": '" + s.substr(0, 40) + "')";
      break;
    }
  }
  return Error::Input("column '" + std::string(numeric.name) + "' is numeric in " + numeric_name + " but text in " +
                      text_name + example + "; fix the values or exclude the column with --exclude " +
                      std::string(numeric.name));
}

size_t NonMissing(const ColumnView& c) {
  if (c.numeric) {
    return static_cast<size_t>(std::count_if(c.numbers.begin(), c.numbers.end(), [](double x) { return std::isfinite(x); }));
  }
  return static_cast<size_t>(
      std::count_if(c.codes.begin(), c.codes.end(), [](uint32_t code) { return code != CsvColumn::kMissingCode; }));
}

// Per-category counts of either kind of column (values of numeric data).
struct CategoryCounts {
  std::vector<int64_t> ref, cur;
  std::vector<std::string> labels;
};

CategoryCounts Categories(const Prepared& p) {
  if (p.text) return {p.ref_counts, p.cur_counts, p.categories};
  ValueCounts vc = CountValues(p.ref, p.cur);
  CategoryCounts c{std::move(vc.a), std::move(vc.b), {}};
  c.labels.reserve(vc.values.size());
  for (double v : vc.values) c.labels.push_back(FormatNumber(v));
  return c;
}

// Evidently's get_binned_data: Sturges bins for numeric data with more than
// 20 distinct reference values, else the per-value shares.
Distribution Binned(const Prepared& p, ColumnKind kind, const CategoryCounts* categories) {
  Distribution d;
  if (!p.text && kind == ColumnKind::kNumerical && p.ref_distinct > kMaxUnbinnedValues) {
    d.edges = SturgesEdges(p.ref, p.cur);
    d.reference = Shares(HistogramCounts(p.ref, d.edges), static_cast<int64_t>(p.n_ref));
    d.current = Shares(HistogramCounts(p.cur, d.edges), static_cast<int64_t>(p.n_cur));
    for (size_t i = 0; i + 1 < d.edges.size(); ++i) {
      d.labels.push_back("[" + FormatEdge(d.edges[i]) + ", " + FormatEdge(d.edges[i + 1]) +
                         (i + 2 == d.edges.size() ? "]" : ")"));
    }
    return d;
  }
  d.reference = Shares(categories->ref, static_cast<int64_t>(p.n_ref));
  d.current = Shares(categories->cur, static_cast<int64_t>(p.n_cur));
  d.labels = categories->labels;
  return d;
}

DriftMethod DefaultMethod(ColumnKind kind, size_t n_ref, size_t distinct) {
  const bool few = distinct <= kMaxCategoricalIntegers;
  if (n_ref <= kMaxExactTestRows) {
    if (kind == ColumnKind::kNumerical && !few) return DriftMethod::kKs;
    return distinct > kMaxBinaryValues ? DriftMethod::kChiSquare : DriftMethod::kZ;
  }
  if (kind == ColumnKind::kNumerical && !few) return DriftMethod::kWasserstein;
  return DriftMethod::kJensenShannon;
}

bool Drifted(DriftMethod method, double score, double threshold) {
  switch (method) {
    case DriftMethod::kKs: return score <= threshold;
    case DriftMethod::kChiSquare:
    case DriftMethod::kZ: return score < threshold;
    case DriftMethod::kWasserstein:
    case DriftMethod::kJensenShannon:
    case DriftMethod::kPsi: return score >= threshold;
  }
  return false;
}

}  // namespace

namespace {

// Memory one thread reuses from column to column.
struct Workspace {
  SortBuffers sort;
  std::vector<double> ref, cur;
};

Result<ColumnDrift> ColumnDriftIn(const ColumnView& reference, const ColumnView& current,
                                  const DriftOptions& options, Workspace& work) {
  const std::string name(reference.name);
  if (NonMissing(reference) == 0) return NoValues(reference, options.reference_name);
  if (NonMissing(current) == 0) return NoValues(current, options.current_name);
  if (reference.numeric != current.numeric) {
    return reference.numeric ? TypeMismatch(reference, options.reference_name, current, options.current_name)
                             : TypeMismatch(current, options.current_name, reference, options.reference_name);
  }

  Prepared p;
  ColumnDrift out;
  out.column = name;
  if (reference.numeric) {
    p.ref = SortFinite(reference.numbers, work.sort, work.ref);
    p.cur = SortFinite(current.numbers, work.sort, work.cur);
    p.n_ref = p.ref.size();
    p.n_cur = p.cur.size();
    p.walk = WalkPooled(p.ref, p.cur);
    p.ref_distinct = p.walk.distinct_a;
    p.distinct = p.walk.distinct;
    // Evidently takes the dtype from the current data and the distinct
    // count from the reference.
    out.kind = IsIntegerColumn(current.numbers) && p.ref_distinct <= kMaxCategoricalIntegers
                   ? ColumnKind::kCategorical
                   : ColumnKind::kNumerical;
  } else {
    p.text = true;
    CountCategories(reference, current, p);
    out.kind = ColumnKind::kCategorical;
  }
  out.reference_count = p.n_ref;
  out.current_count = p.n_cur;
  out.distinct = p.distinct;

  auto forced = options.methods.find(name);
  out.method = forced != options.methods.end() ? forced->second : DefaultMethod(out.kind, p.n_ref, p.distinct);
  auto thr = options.thresholds.find(name);
  out.threshold = thr != options.thresholds.end() ? thr->second : DefaultThreshold(out.method);
  const bool wants_numbers = out.method == DriftMethod::kKs || out.method == DriftMethod::kWasserstein;
  if (p.text && wants_numbers) {
    return Error::Input("column '" + name + "' holds text; method " + DriftMethodName(out.method) +
                        " needs numbers: use chisquare, z, jensenshannon or psi for it");
  }

  DriftStats& s = out.stats;
  const bool numerical = out.kind == ColumnKind::kNumerical;
  if (numerical || out.method == DriftMethod::kKs) {
    KsResult ks = KsFromStatistic(p.n_ref, p.n_cur, p.walk.ks_statistic);
    s.ks_statistic = ks.statistic;
    s.ks_pvalue = ks.pvalue;
  }
  if (numerical || out.method == DriftMethod::kWasserstein) {
    double norm = std::max(StdDev(p.ref), 0.001);
    s.wasserstein_norm = p.walk.wasserstein / norm;
  }
  const bool few = p.distinct <= kMaxCategoricalIntegers;
  const bool want_chi = !numerical || few || out.method == DriftMethod::kChiSquare;
  const bool want_z = p.distinct <= kMaxBinaryValues || out.method == DriftMethod::kZ;
  const bool binned = !p.text && numerical && p.ref_distinct > kMaxUnbinnedValues;
  std::optional<CategoryCounts> categories;
  if (want_chi || want_z || !binned) categories = Categories(p);
  if (want_chi) s.chisquare_pvalue = ChiSquareTwoSample(categories->ref, categories->cur).pvalue;
  if (want_z) {
    s.z_pvalue = ProportionsZTestPValue(static_cast<int64_t>(p.n_ref), static_cast<int64_t>(p.n_ref) - categories->ref[0],
                                        static_cast<int64_t>(p.n_cur), static_cast<int64_t>(p.n_cur) - categories->cur[0]);
  }
  out.distribution = Binned(p, out.kind, categories ? &*categories : nullptr);
  s.jensenshannon = JensenShannonDistance(out.distribution.reference, out.distribution.current);
  std::vector<double> ref_filled = out.distribution.reference, cur_filled = out.distribution.current;
  FillEmptyShares(ref_filled);
  FillEmptyShares(cur_filled);
  s.psi = PopulationStabilityIndex(ref_filled, cur_filled);

  switch (out.method) {
    case DriftMethod::kKs: out.score = *s.ks_pvalue; break;
    case DriftMethod::kChiSquare: out.score = *s.chisquare_pvalue; break;
    case DriftMethod::kZ: out.score = *s.z_pvalue; break;
    case DriftMethod::kWasserstein: out.score = *s.wasserstein_norm; break;
    case DriftMethod::kJensenShannon: out.score = *s.jensenshannon; break;
    case DriftMethod::kPsi: out.score = *s.psi; break;
  }
  out.drifted = Drifted(out.method, out.score, out.threshold);
  return out;
}

}  // namespace

Result<ColumnDrift> ComputeColumnDrift(const ColumnView& reference, const ColumnView& current,
                                       const DriftOptions& options) {
  Workspace work;
  return ColumnDriftIn(reference, current, options, work);
}

Result<DatasetDrift> ComputeDrift(std::span<const ColumnView> reference, std::span<const ColumnView> current,
                                  const DriftOptions& options, ThreadPool& pool) {
  if (reference.size() != current.size()) {
    return Error::Internal("drift: " + std::to_string(reference.size()) + " reference columns but " +
                           std::to_string(current.size()) + " current ones");
  }
  if (reference.empty()) return Error::Input("drift: no columns to compare; check --columns and --exclude");
  std::vector<std::optional<Result<ColumnDrift>>> results(reference.size());
  std::vector<Workspace> work(pool.size());
  pool.ParallelFor(reference.size(), [&](size_t i, size_t slot) {
    results[i] = ColumnDriftIn(reference[i], current[i], options, work[slot]);
  });
  DatasetDrift out;
  out.drift_share = options.drift_share;
  for (auto& r : results) {
    if (!r->ok()) return r->error();
    out.drifted_columns += (*r)->drifted;
    out.columns.push_back(std::move(*r).value());
  }
  out.share = static_cast<double>(out.drifted_columns) / static_cast<double>(out.columns.size());
  out.dataset_drift = out.share >= options.drift_share;
  return out;
}

namespace {

Json Number(double x) { return std::isfinite(x) ? Json(x) : Json(nullptr); }

}  // namespace

Json DatasetDriftJson(const DatasetDrift& drift) {
  Json columns = Json::array();
  for (const ColumnDrift& c : drift.columns) {
    Json stats = Json::object();
    auto put = [&](const char* key, const std::optional<double>& v) {
      if (v) stats[key] = Number(*v);
    };
    put("ks_statistic", c.stats.ks_statistic);
    put("ks_pvalue", c.stats.ks_pvalue);
    put("wasserstein_norm", c.stats.wasserstein_norm);
    put("jensenshannon", c.stats.jensenshannon);
    put("psi", c.stats.psi);
    put("chisquare_pvalue", c.stats.chisquare_pvalue);
    put("z_pvalue", c.stats.z_pvalue);
    columns.push_back({{"column", c.column},
                       {"type", ColumnKindName(c.kind)},
                       {"method", DriftMethodName(c.method)},
                       {"score", Number(c.score)},
                       {"threshold", c.threshold},
                       {"drifted", c.drifted},
                       {"reference_count", c.reference_count},
                       {"current_count", c.current_count},
                       {"distinct", c.distinct},
                       {"stats", stats}});
  }
  return {{"dataset_drift", drift.dataset_drift},
          {"share", drift.share},
          {"drifted_columns", drift.drifted_columns},
          {"number_of_columns", drift.columns.size()},
          {"drift_share", drift.drift_share},
          {"columns", columns}};
}

}  // namespace custody::stats
