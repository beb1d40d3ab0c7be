// Data drift between a reference and a current data set, column by column,
// as Evidently 0.7's DataDriftTable decides it with default options:
//  - missing values (NaN, +-inf, empty text) are dropped per column;
//  - a column is categorical when it holds text, or whole numbers without
//    gaps that take at most 5 distinct values in the reference (Evidently's
//    reading of an integer column); numerical otherwise;
//  - the test depends on the reference size and the pooled distinct values:
//      reference <= 1000 rows: numerical with > 5 values: Kolmogorov-Smirnov
//        (drift when p <= 0.05); otherwise chi-square for 3 or more values,
//        z-test for 1 or 2 (drift when p < 0.05);
//      larger reference: numerical with > 5 values: Wasserstein distance
//        normed by the reference's standard deviation (drift when >= 0.1);
//        otherwise Jensen-Shannon distance (>= 0.1);
//  - the data set drifts when the share of drifted columns is >= 0.5.
// Method and threshold can be set per column. Every statistic that applies
// to a column is computed, whichever decides. Columns run in parallel.
//
// The functions are pure; ComputeDrift uses the given pool and may be called
// from any thread that is not one of the pool's workers.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/error.h"
#include "core/json.h"
#include "core/thread_pool.h"

namespace custody::stats {

enum class ColumnKind { kNumerical, kCategorical };
enum class DriftMethod { kKs, kChiSquare, kZ, kWasserstein, kJensenShannon, kPsi };

// "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi" (Evidently's names).
std::string DriftMethodName(DriftMethod method);
Result<DriftMethod> ParseDriftMethod(std::string_view name);
std::string ColumnKindName(ColumnKind kind);
// The threshold a method uses unless told otherwise (0.05 for p-values, 0.1 for distances).
double DefaultThreshold(DriftMethod method);

// One column of one data set as read from its file (a CsvColumn). Only the
// spans matching `numeric` are read; they must outlive the call.
struct ColumnView {
  std::string_view name;
  bool numeric = false;
  std::span<const double> numbers;  // numeric: NaN is missing
  // Text: one code per row into `categories` (distinct, non-empty texts);
  // CsvColumn::kMissingCode is missing.
  std::span<const uint32_t> codes;
  std::span<const std::string> categories;
};

struct DriftOptions {
  double drift_share = 0.5;
  std::map<std::string, DriftMethod, std::less<>> methods;  // per column
  std::map<std::string, double, std::less<>> thresholds;   // per column
  // Names of the two data sets, for error messages (usually file names).
  std::string reference_name = "reference";
  std::string current_name = "current";
};

// Every statistic that applies to a column. Unset when it does not apply.
struct DriftStats {
  std::optional<double> ks_statistic, ks_pvalue;
  std::optional<double> wasserstein_norm;
  std::optional<double> jensenshannon, psi;
  std::optional<double> chisquare_pvalue;
  std::optional<double> z_pvalue;
};

// The shares compared by the binned tests (before PSI's fill of empty
// bins): Sturges bins [lower, upper) of numeric data, or one entry per value.
struct Distribution {
  std::vector<std::string> labels;
  std::vector<double> reference, current;
  std::vector<double> edges;  // bin edges when binned, else empty
};

struct ColumnDrift {
  std::string column;
  ColumnKind kind = ColumnKind::kNumerical;
  DriftMethod method = DriftMethod::kKs;
  double score = 0;  // the method's statistic: a p-value or a distance
  double threshold = 0;
  bool drifted = false;
  size_t reference_count = 0, current_count = 0;  // values after dropping missing ones
  size_t distinct = 0;                            // distinct values of both pooled
  DriftStats stats;
  Distribution distribution;
};

struct DatasetDrift {
  std::vector<ColumnDrift> columns;
  size_t drifted_columns = 0;
  double share = 0;  // drifted_columns / columns.size()
  double drift_share = 0.5;
  bool dataset_drift = false;
};

// Drift of one column. Errors name the column and the data set: no values
// left after dropping missing ones, numeric on one side and text on the
// other, or a method that needs numbers on a text column.
Result<ColumnDrift> ComputeColumnDrift(const ColumnView& reference, const ColumnView& current,
                                       const DriftOptions& options);

// Drift of every pair reference[i], current[i] (same names, in order).
Result<DatasetDrift> ComputeDrift(std::span<const ColumnView> reference, std::span<const ColumnView> current,
                                  const DriftOptions& options, ThreadPool& pool);

// {"dataset_drift", "share", "drifted_columns", "number_of_columns",
//  "drift_share", "columns": [{"column", "type", "method", "score",
//  "threshold", "drifted", "reference_count", "current_count", "distinct",
//  "stats": {...}}]}. Non-finite numbers are written as null.
Json DatasetDriftJson(const DatasetDrift& drift);

}  // namespace custody::stats
