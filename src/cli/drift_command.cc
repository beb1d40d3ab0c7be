// custody drift: compare a current data set with a reference, column by column.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "attest/predicates.h"
#include "cli/chain.h"
#include "cli/commands.h"
#include "cli/drift_report.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/thread_pool.h"
#include "core/time.h"
#include "stats/drift.h"

namespace custody::cli {
namespace {

struct DriftArgs {
  std::string reference, current, report;
  std::vector<std::string> columns, exclude, methods, thresholds;
  double share = 0.5;
  bool fail_on_drift = false;
  bool attest = false;
  ClaimArgs claim;
};

Result<std::vector<std::string>> Header(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(CsvReader reader, CsvReader::Open(path));
  return reader.header();
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// The columns to compare: --columns, or every column of either file, less
// --exclude. Each must be in both files.
Result<std::vector<std::string>> SelectColumns(const DriftArgs& args, const std::vector<std::string>& ref,
                                               const std::vector<std::string>& cur) {
  for (const auto* list : {&args.columns, &args.exclude}) {
    for (const auto& name : *list) {
      if (!Contains(ref, name) && !Contains(cur, name)) {
        return Error::Input("column '" + name + "' (from --" + (list == &args.columns ? "columns" : "exclude") +
                            ") is in neither " + args.reference + " nor " + args.current);
      }
    }
  }
  std::vector<std::string> wanted = args.columns;
  if (wanted.empty()) {
    wanted = ref;
    for (const auto& name : cur) {
      if (!Contains(wanted, name)) wanted.push_back(name);
    }
  }
  std::vector<std::string> out;
  for (const auto& name : wanted) {
    if (Contains(args.exclude, name) || Contains(out, name)) continue;
    bool in_ref = Contains(ref, name), in_cur = Contains(cur, name);
    if (!in_ref || !in_cur) {
      return Error::Input("column '" + name + "' is in " + (in_ref ? args.reference : args.current) + " but not in " +
                          (in_ref ? args.current : args.reference) +
                          "; drift compares columns both files have: leave it out with --exclude " + name);
    }
    out.push_back(name);
  }
  if (out.empty()) return Error::Input("no columns left to compare after --columns and --exclude");
  return out;
}

// Splits "COLUMN=VALUE" at the last '='.
Result<std::pair<std::string, std::string>> Assignment(const std::string& flag, const std::string& text,
                                                       const std::vector<std::string>& columns) {
  auto eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size()) {
    return Error::Input("--" + flag + " '" + text + "': write COLUMN=VALUE");
  }
  std::string column = text.substr(0, eq);
  if (!Contains(columns, column)) {
    return Error::Input("--" + flag + " '" + text + "': column '" + column + "' is not among the compared columns");
  }
  return std::make_pair(column, text.substr(eq + 1));
}

Result<stats::DriftOptions> BuildOptions(const DriftArgs& args, const std::vector<std::string>& columns) {
  stats::DriftOptions o;
  if (!(args.share > 0 && args.share <= 1)) {
    return Error::Input("--share " + std::to_string(args.share) + ": give the share of drifted columns, in (0, 1]");
  }
  o.drift_share = args.share;
  o.reference_name = args.reference;
  o.current_name = args.current;
  for (const auto& m : args.methods) {
    CUSTODY_ASSIGN_OR_RETURN(auto kv, Assignment("method", m, columns));
    CUSTODY_ASSIGN_OR_RETURN(o.methods[kv.first], stats::ParseDriftMethod(kv.second));
  }
  for (const auto& t : args.thresholds) {
    CUSTODY_ASSIGN_OR_RETURN(auto kv, Assignment("threshold", t, columns));
    double value = 0;
    if (!ParseCsvNumber(kv.second, &value) || !std::isfinite(value) || value < 0) {
      return Error::Input("--threshold '" + t + "': the threshold must be a non-negative number");
    }
    o.thresholds[kv.first] = value;
  }
  return o;
}

std::vector<stats::ColumnView> Views(const CsvTable& table, const std::vector<std::string>& columns) {
  std::vector<stats::ColumnView> out;
  for (const auto& name : columns) {
    const CsvColumn* c = table.Find(name);
    out.push_back({c->name, c->numeric, c->numbers, c->codes, c->categories});
  }
  return out;
}

std::string Score(double x) {
  if (!std::isfinite(x)) return std::isnan(x) ? "nan" : (x > 0 ? "inf" : "-inf");
  char buf[32];
  std::snprintf(buf, sizeof buf, (x != 0 && std::fabs(x) < 1e-4) ? "%.3e" : "%.6f", x);
  return buf;
}

void PrintTable(const stats::DatasetDrift& drift) {
  size_t w = 6;
  for (const auto& c : drift.columns) w = std::max(w, c.column.size());
  w = std::min<size_t>(w, 40);
  std::printf("%-*s  %-11s  %-13s  %12s  %9s  %s\n", static_cast<int>(w), "column", "type", "method", "score",
              "threshold", "drifted");
  for (const auto& c : drift.columns) {
    std::string name = c.column.size() > w ? c.column.substr(0, w - 1) + "~" : c.column;
    std::printf("%-*s  %-11s  %-13s  %12s  %9g  ", static_cast<int>(w), name.c_str(),
                stats::ColumnKindName(c.kind).c_str(), stats::DriftMethodName(c.method).c_str(),
                Score(c.score).c_str(), c.threshold);
    std::cout << (c.drifted ? Red("yes") : std::string("no")) << "\n";
  }
  char share[64];
  std::snprintf(share, sizeof share, "share %.3g %s %.3g", drift.share, drift.dataset_drift ? ">=" : "<",
                drift.drift_share);
  std::cout << "\n"
            << drift.drifted_columns << " of " << Count(drift.columns.size(), "column") << " drifted (" << share
            << "): " << (drift.dataset_drift ? Red(Bold("data set drifted")) : Green("data set not drifted")) << "\n";
}

// A data set in a predicate: its path, its file's SHA-256 and row count.
Result<Json> DataDescriptor(const std::string& path, size_t rows) {
  CUSTODY_ASSIGN_OR_RETURN(std::string digest, FileSha256(path));
  return Json{{"uri", path}, {"digest", {{"sha256", digest}}}, {"rows", rows}};
}

// The drift attestation's predicate: the result as --format json prints it
// (without timings), the two data sets by digest, and when it was computed.
Result<Json> DriftPredicate(const stats::DatasetDrift& drift, const DriftArgs& args, size_t ref_rows,
                            size_t cur_rows) {
  Json p = stats::DatasetDriftJson(drift);
  CUSTODY_ASSIGN_OR_RETURN(p["reference"], DataDescriptor(args.reference, ref_rows));
  CUSTODY_ASSIGN_OR_RETURN(p["current"], DataDescriptor(args.current, cur_rows));
  p["computedOn"] = NowRfc3339();
  return p;
}

// Reads both data sets. Two large files of about the same size are read at
// the same time, each with half of the threads (a file read by a single
// thread is parsed in one piece, with no chunks to join); otherwise one after
// the other, each with all threads. The reference's error comes first.
Result<std::pair<CsvTable, CsvTable>> ReadDataSets(const DriftArgs& args, const CsvReadOptions& read) {
  const size_t threads = read.threads == 0 ? ThreadPool::DefaultThreads() : read.threads;
  auto size = [](const std::string& path) -> uintmax_t {
    std::error_code ec;
    uintmax_t n = path == "-" ? 0 : std::filesystem::file_size(path, ec);
    return ec ? 0 : n;
  };
  const uintmax_t a = size(args.reference), b = size(args.current);
  constexpr uintmax_t kLarge = uintmax_t{4} << 20;
  std::optional<Result<CsvTable>> ref, cur;
  if (threads >= 2 && std::min(a, b) >= kLarge && std::min(a, b) * 2 >= std::max(a, b)) {
    CsvReadOptions half = read, rest = read;
    half.threads = threads / 2;
    rest.threads = threads - threads / 2;
    ThreadPool pool(2);
    pool.ParallelFor(2, [&](size_t i, size_t) {
      if (i == 0) {
        ref = ReadCsvTable(args.reference, half);
      } else {
        cur = ReadCsvTable(args.current, rest);
      }
    });
  } else {
    ref = ReadCsvTable(args.reference, read);
    if (ref->ok()) cur = ReadCsvTable(args.current, read);
  }
  if (!ref->ok()) return ref->error();
  if (!cur->ok()) return cur->error();
  return std::pair<CsvTable, CsvTable>(std::move(ref->value()), std::move(cur->value()));
}

int RunDrift(const DriftArgs& args, const Options& options) {
  auto start = std::chrono::steady_clock::now();
  if (args.attest) {
    if (args.claim.key.empty()) {
      return ReportError(Error::Input("--attest needs --key PRIVATE_KEY to sign the drift attestation"), options);
    }
    if (args.reference == "-" || args.current == "-") {
      return ReportError(Error::Input("--attest names the data sets by digest: give files, not '-'"), options);
    }
  } else if (!args.claim.key.empty() || !args.claim.subject.empty() || !args.claim.log.empty() ||
             !args.claim.out.empty()) {
    return ReportError(Error::Input("--key, --subject, --log and --attestation-out go with --attest"), options);
  }
  auto ref_header = Header(args.reference);
  if (!ref_header.ok()) return ReportError(ref_header.error(), options);
  auto cur_header = Header(args.current);
  if (!cur_header.ok()) return ReportError(cur_header.error(), options);
  auto columns = SelectColumns(args, *ref_header, *cur_header);
  if (!columns.ok()) return ReportError(columns.error(), options);
  auto drift_options = BuildOptions(args, *columns);
  if (!drift_options.ok()) return ReportError(drift_options.error(), options);

  CsvReadOptions read;
  read.columns = *columns;
  read.threads = options.threads;
  auto tables = ReadDataSets(args, read);
  if (!tables.ok()) return ReportError(tables.error(), options);
  const CsvTable* ref = &tables->first;
  const CsvTable* cur = &tables->second;
  auto read_done = std::chrono::steady_clock::now();

  auto ref_views = Views(*ref, *columns), cur_views = Views(*cur, *columns);
  ThreadPool pool(options.threads);
  auto drift = stats::ComputeDrift(ref_views, cur_views, *drift_options, pool);
  if (!drift.ok()) return ReportError(drift.error(), options);
  auto done = std::chrono::steady_clock::now();

  if (!args.report.empty()) {
    Status written = WriteFileAtomic(args.report, DriftReportHtml(*drift, args.reference, args.current), 0644, true);
    if (!written.ok()) return ReportError(written.error().WithContext("writing the report " + args.report), options);
  }
  const int code = args.fail_on_drift && drift->dataset_drift ? 1 : 0;
  std::optional<SignedClaim> claim;
  if (args.attest) {
    auto predicate = DriftPredicate(*drift, args, ref->rows, cur->rows);
    if (!predicate.ok()) return ReportError(predicate.error(), options);
    // The subject: what the drift is evidence about (a model, by default the current data file).
    auto subject = args.claim.subject.empty()
                       ? DataFileSubject(args.current, args.claim.name)
                       : ResolveSubject(args.claim.subject, args.claim.name, args.claim.StoreLocation(),
                                        options.threads, false);
    if (!subject.ok()) return ReportError(subject.error().WithContext("--subject"), options);
    auto signed_claim = SignClaim(args.claim, *subject, kDriftV1, *predicate);
    if (!signed_claim.ok()) return ReportError(signed_claim.error(), options);
    claim = std::move(*signed_claim);
    if (args.claim.out == "-") std::cout << claim->bundle_text;
  }
  if (options.json()) {
    if (claim && args.claim.out == "-") return code;
    Json out = stats::DatasetDriftJson(*drift);
    out["reference"] = {{"path", args.reference}, {"rows", ref->rows}};
    out["current"] = {{"path", args.current}, {"rows", cur->rows}};
    out["read_seconds"] = std::chrono::duration<double>(read_done - start).count();
    out["drift_seconds"] = std::chrono::duration<double>(done - read_done).count();
    if (!args.report.empty()) out["report"] = args.report;
    if (claim) out["attestation"] = SignedClaimJson(*claim, args.claim.out);
    PrintJson(out);
    return code;
  }
  if (!options.quiet) {
    PrintTable(*drift);
    if (!args.report.empty()) std::cout << "report: " << args.report << "\n";
    if (claim) {
      std::cout << "\n";
      PrintSignedClaim(args.claim.out == "-" ? std::cerr : std::cout, *claim, args.claim.out);
    }
  }
  return code;
}

}  // namespace

void AddDriftCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<DriftArgs>();
  CLI::App* cmd = app.add_subcommand("drift", "Detect data drift between a reference and a current CSV data set");
  cmd->fallthrough();
  cmd->footer(
      "Each column is tested as Evidently's data drift preset does (reference <= 1000 rows: Kolmogorov-Smirnov,\n"
      "chi-square or z-test p-values; larger: normed Wasserstein or Jensen-Shannon distances); the data set\n"
      "drifts when at least --share of the columns do. Exit 0 when computed, 1 with --fail-on-drift when\n"
      "the data set drifted, 2 for bad input. Methods: ks, chisquare, z, wasserstein, jensenshannon, psi.\n\n"
      "Examples:\n"
      "  custody drift --reference train.csv --current live.csv\n"
      "  custody drift --reference train.csv --current live.csv --exclude id --method age=psi --threshold age=0.2\n"
      "  custody drift --reference train.csv --current live.csv --report drift.html --fail-on-drift\n"
      "  custody drift --reference train.csv --current live.csv --attest --key monitor.key --subject fraud@1.2.0 --log local\n\n"
      "--attest signs the result as a 'drift' attestation (docs/formats/drift.md) about --subject (a model\n"
      "directory, sha256:HEX or a registered NAME@VERSION; default: the current data file) and records it for\n"
      "'custody gate', whose built-in policy refuses a model whose latest drift attestation says drifted.");
  cmd->add_option("--reference", args->reference, "Reference data set (CSV with a header line)")->required();
  cmd->add_option("--current", args->current, "Current data set to compare (CSV, same columns)")->required();
  cmd->add_option("--columns", args->columns, "Compare only these columns (comma-separated)")->delimiter(',');
  cmd->add_option("--exclude", args->exclude, "Leave these columns out (comma-separated)")->delimiter(',');
  cmd->add_option("--method", args->methods, "COLUMN=METHOD: test this column with METHOD; repeatable");
  cmd->add_option("--threshold", args->thresholds,
                  "COLUMN=T: the column's drift threshold (default 0.05 for p-values, 0.1 for distances); "
                  "repeatable");
  cmd->add_option("--share", args->share, "Share of drifted columns at which the data set drifted")
      ->capture_default_str();
  cmd->add_flag("--fail-on-drift", args->fail_on_drift, "Exit 1 when the data set drifted");
  cmd->add_option("--report", args->report, "Also write a self-contained HTML report with a histogram per column");
  cmd->add_flag("--attest", args->attest, "Sign the result as a 'drift' attestation (needs --key)");
  AddClaimOptions(cmd, &args->claim, "the current data file");
  cmd->callback([args, &options, exit_code] { *exit_code = RunDrift(*args, options); });
}

}  // namespace custody::cli
