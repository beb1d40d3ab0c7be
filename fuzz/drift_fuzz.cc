// Fuzzes drift end to end: the input is split at its first NUL byte into a
// reference and a current CSV file (without a NUL, at its middle); the
// columns both have are compared as `custody drift` compares them. Every
// rejection must carry a message; every result must be consistent: one entry
// per column, p-values in [0, 1], distances >= 0, the drifted count and the
// data set's verdict agreeing with the columns, and the JSON writable.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/thread_pool.h"
#include "fuzz_check.h"
#include "stats/drift.h"

using custody::fuzz::Check;
namespace stats = custody::stats;

namespace {

bool IsPValue(stats::DriftMethod m) {
  return m == stats::DriftMethod::kKs || m == stats::DriftMethod::kChiSquare || m == stats::DriftMethod::kZ;
}

void CheckUnit(const std::optional<double>& v) {
  if (v && std::isfinite(*v)) Check(*v >= 0 && *v <= 1);
}

void CheckNonNegative(const std::optional<double>& v) {
  if (v && !std::isnan(*v)) Check(*v >= 0);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 64 * 1024) return 0;
  std::string_view all(reinterpret_cast<const char*>(data), size);
  size_t cut = all.find('\0');
  std::string_view ref_text = cut == std::string_view::npos ? all.substr(0, size / 2) : all.substr(0, cut);
  std::string_view cur_text = cut == std::string_view::npos ? all.substr(size / 2) : all.substr(cut + 1);
  auto ref = custody::ParseCsvTable(ref_text, "ref.csv");
  auto cur = custody::ParseCsvTable(cur_text, "cur.csv");
  if (!ref.ok()) Check(!ref.error().message().empty());
  if (!cur.ok()) Check(!cur.error().message().empty());
  if (!ref.ok() || !cur.ok()) return 0;

  std::vector<stats::ColumnView> rv, cv;
  for (const auto& c : ref->columns) {
    const custody::CsvColumn* other = cur->Find(c.name);
    if (other == nullptr || rv.size() == 8) continue;
    rv.push_back({c.name, c.numeric, c.numbers, c.codes, c.categories});
    cv.push_back({other->name, other->numeric, other->numbers, other->codes, other->categories});
  }
  if (rv.empty()) return 0;
  stats::DriftOptions options;
  // Let the input choose one column's method, so every method meets every kind of column.
  options.methods[std::string(rv[0].name)] = static_cast<stats::DriftMethod>(size % 6);
  custody::ThreadPool pool(2);
  auto drift = stats::ComputeDrift(rv, cv, options, pool);
  if (!drift.ok()) {
    Check(!drift.error().message().empty());
    return 0;
  }
  Check(drift->columns.size() == rv.size());
  size_t drifted = 0;
  for (size_t i = 0; i < drift->columns.size(); ++i) {
    const stats::ColumnDrift& c = drift->columns[i];
    Check(c.column == rv[i].name);
    Check(c.reference_count > 0 && c.current_count > 0);
    const stats::DriftStats& s = c.stats;
    CheckUnit(s.ks_statistic);
    CheckUnit(s.ks_pvalue);
    CheckUnit(s.chisquare_pvalue);
    CheckUnit(s.z_pvalue);
    CheckNonNegative(s.wasserstein_norm);
    CheckNonNegative(s.psi);
    if (s.jensenshannon && std::isfinite(*s.jensenshannon)) {
      Check(*s.jensenshannon >= 0 && *s.jensenshannon <= std::sqrt(std::log(2.0)) + 1e-12);
    }
    if (IsPValue(c.method) && std::isfinite(c.score)) Check(c.score >= 0 && c.score <= 1);
    drifted += c.drifted ? 1 : 0;
  }
  Check(drift->drifted_columns == drifted);
  Check(drift->dataset_drift == (static_cast<double>(drifted) / drift->columns.size() >= options.drift_share));
  custody::Json j = stats::DatasetDriftJson(*drift);
  Check(j["columns"].size() == rv.size());
  // Column names and categories are the file's bytes: not UTF-8 is an error, never a throw.
  auto text = custody::DumpJsonStrict(j, "the drift result");
  if (!text.ok()) Check(text.error().message().find("not valid UTF-8") != std::string::npos);
  return 0;
}
