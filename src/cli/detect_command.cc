// custody detect outliers: screen tabular training data for poisoning
// candidates — rows an isolation forest isolates quickly, rows whose label
// disagrees with their nearest neighbours, and a shift of the label
// distribution against a reference.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <memory>
#include <numeric>
#include <optional>

#include "attest/predicates.h"
#include "cli/chain.h"
#include "cli/commands.h"
#include "cli/drift_report.h"
#include "core/csv.h"
#include "core/file.h"
#include "core/thread_pool.h"
#include "core/time.h"
#include "stats/chisquare.h"
#include "stats/isolation_forest.h"
#include "stats/neighbors.h"

namespace custody::cli {

namespace {

struct DetectArgs {
  std::string data;
  std::vector<std::string> exclude;
  std::vector<std::string> columns;
  std::string label_column;
  std::string reference;
  uint64_t seed = 0;
  std::string contamination = "auto";
  size_t trees = 100;
  size_t max_samples = 256;
  size_t neighbors = 10;
  size_t top = 10;
  std::string scores_out;
  std::string model_out;
  std::string model_in;
  std::string missing = "error";
  std::string report;
  bool fail_on_flagged = false;
  bool attest = false;
  ClaimArgs claim;
};

Result<double> ParseContamination(const std::string& text) {
  if (text == "auto") return -1.0;
  double v = 0;
  if (!ParseCsvNumber(text, &v) || !(v > 0 && v <= 0.5)) {
    return Error::Input("--contamination must be 'auto' or a fraction in (0, 0.5], got '" + text + "'");
  }
  return v;
}

// The label of each row as an id (labels sorted by text), -1 when missing.
struct Labels {
  std::vector<std::string> names;
  std::vector<int32_t> ids;
};

std::vector<std::string> LabelTexts(const CsvColumn& col) {
  std::vector<std::string> out(col.numeric ? col.numbers.size() : col.codes.size());
  for (size_t r = 0; r < out.size(); ++r) {
    if (col.numeric) {
      if (!std::isnan(col.numbers[r])) out[r] = ShortestText(col.numbers[r]);
    } else {
      out[r] = col.Text(r);
    }
  }
  return out;  // "" = missing
}

Labels EncodeLabels(const std::vector<std::string>& texts) {
  Labels l;
  std::map<std::string, int32_t> ids;
  for (const auto& t : texts) {
    if (!t.empty()) ids.emplace(t, 0);
  }
  for (auto& [name, id] : ids) {
    id = static_cast<int32_t>(l.names.size());
    l.names.push_back(name);
  }
  l.ids.reserve(texts.size());
  for (const auto& t : texts) l.ids.push_back(t.empty() ? -1 : ids[t]);
  return l;
}

struct LabelShift {
  std::vector<std::string> labels;
  std::vector<int64_t> reference, current;
  stats::ChiSquareResult test;
  bool shifted = false;
};

constexpr double kShiftAlpha = 0.05;

Result<LabelShift> CompareLabels(const std::string& reference_path, const std::string& label_column,
                                 const std::vector<std::string>& current, size_t threads) {
  CsvReadOptions read;
  read.columns = {label_column};
  read.threads = threads;
  CUSTODY_ASSIGN_OR_RETURN(CsvTable ref, ReadCsvTable(reference_path, read));
  std::map<std::string, std::pair<int64_t, int64_t>> counts;
  for (const auto& t : LabelTexts(ref.columns[0])) {
    if (!t.empty()) ++counts[t].first;
  }
  for (const auto& t : current) {
    if (!t.empty()) ++counts[t].second;
  }
  LabelShift s;
  int64_t ref_total = 0, cur_total = 0;
  for (const auto& [label, c] : counts) {
    s.labels.push_back(label);
    s.reference.push_back(c.first);
    s.current.push_back(c.second);
    ref_total += c.first;
    cur_total += c.second;
  }
  if (ref_total == 0) return Error::Input(reference_path + ": column '" + label_column + "' has no labels");
  if (cur_total == 0) return Error::Input("the data has no labels in column '" + label_column + "'");
  s.test = stats::ChiSquareTwoSample(s.reference, s.current);
  s.shifted = s.test.pvalue < kShiftAlpha;
  return s;
}

Status WriteScores(const std::string& path, const std::vector<double>& scores) {
  std::string out = "row,score\n";
  out.reserve(scores.size() * 24);
  for (size_t r = 0; r < scores.size(); ++r) {
    out += std::to_string(r + 1);
    out += ',';
    out += ShortestText(scores[r]);
    out += '\n';
  }
  if (path == "-") {
    std::cout << out;
    return OkStatus();
  }
  return WriteFileAtomic(path, out, 0644, true);
}

// Features from the loaded table: numeric columns other than the label.
struct Features {
  stats::FeatureMatrix matrix;
  std::vector<std::string> skipped;  // categorical columns
  size_t filled = 0;                 // missing values replaced by their column's median
};

double Median(std::vector<double> values) {
  size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(mid), values.end());
  double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  return (*std::max_element(values.begin(), values.begin() + static_cast<ptrdiff_t>(mid)) + upper) / 2;
}

// Missing feature values: an error naming the column, or (`fill`) the
// column's median of the values present.
Status HandleMissing(const CsvTable& table, const std::string& source, bool fill, Features& f) {
  auto& m = f.matrix;
  for (size_t c = 0; c < m.cols; ++c) {
    const CsvColumn* col = table.Find(m.names[c]);
    if (col->missing == 0) continue;
    size_t first = static_cast<size_t>(
        std::find_if(col->numbers.begin(), col->numbers.end(), [](double v) { return std::isnan(v); }) -
        col->numbers.begin());
    if (!fill || col->missing == col->numbers.size()) {
      return Error::Input(source + ": column '" + col->name + "' has " + Count(col->missing, "missing value") +
                          " (the first in row " + std::to_string(first + 1) + ")" +
                          (fill ? " and no value to take a median of; --exclude it"
                                : "; give --missing median to fill them with the column's median, or --exclude "
                                  "the column"));
    }
    std::vector<double> present;
    present.reserve(col->numbers.size() - col->missing);
    for (double v : col->numbers) {
      if (!std::isnan(v)) present.push_back(v);
    }
    double median = Median(std::move(present));
    for (size_t r = 0; r < m.rows; ++r) {
      double& v = m.values[r * m.cols + c];
      if (std::isnan(v)) v = median;
    }
    f.filled += col->missing;
  }
  return OkStatus();
}

Features BuildFeatures(const CsvTable& table, const std::string& label_column) {
  Features f;
  std::vector<const CsvColumn*> used;
  for (const auto& c : table.columns) {
    if (!label_column.empty() && c.name == label_column) continue;
    if (c.numeric) {
      used.push_back(&c);
    } else {
      f.skipped.push_back(c.name);
    }
  }
  auto& m = f.matrix;
  m.rows = table.rows;
  m.cols = used.size();
  m.values.resize(m.rows * m.cols);
  for (size_t c = 0; c < used.size(); ++c) {
    m.names.push_back(used[c]->name);
    for (size_t r = 0; r < m.rows; ++r) m.values[r * m.cols + c] = used[c]->numbers[r];
  }
  return f;
}

std::vector<size_t> TopRows(const std::vector<double>& scores, size_t n) {
  std::vector<size_t> order(scores.size());
  std::iota(order.begin(), order.end(), size_t{0});
  n = std::min(n, order.size());
  std::partial_sort(order.begin(), order.begin() + static_cast<ptrdiff_t>(n), order.end(), [&](size_t a, size_t b) {
    return scores[a] != scores[b] ? scores[a] > scores[b] : a < b;
  });
  order.resize(n);
  return order;
}

int RunOutliers(const DetectArgs& args, const Options& options) {
  auto contamination = ParseContamination(args.contamination);
  if (!contamination.ok()) return ReportError(contamination.error(), options);
  if (args.attest) {
    if (args.claim.key.empty()) {
      return ReportError(Error::Input("--attest needs --key PRIVATE_KEY to sign the dataset-screen attestation"),
                         options);
    }
    if (args.data == "-") {
      return ReportError(Error::Input("--attest names the data set by digest: give a file, not '-'"), options);
    }
  } else if (!args.claim.key.empty() || !args.claim.subject.empty() || !args.claim.log.empty() ||
             !args.claim.out.empty()) {
    return ReportError(Error::Input("--key, --subject, --log and --attestation-out go with --attest"), options);
  }
  if (!args.reference.empty() && args.label_column.empty()) {
    return ReportError(Error::Input("--reference compares label distributions; give --label-column too"), options);
  }
  if (!args.model_in.empty() && !args.model_out.empty()) {
    return ReportError(Error::Input("--model scores with a saved model and --model-out saves a new one; give one"),
                       options);
  }

  CsvReadOptions read;
  read.columns = args.columns;
  if (!read.columns.empty() && !args.label_column.empty()) read.columns.push_back(args.label_column);
  read.exclude = args.exclude;
  read.threads = options.threads;
  auto table = ReadCsvTable(args.data, read);
  if (!table.ok()) return ReportError(table.error(), options);
  const CsvColumn* label_col = nullptr;
  if (!args.label_column.empty()) {
    label_col = table->Find(args.label_column);
    if (label_col == nullptr) {
      return ReportError(Error::Input(args.data + " has no label column '" + args.label_column + "'"), options);
    }
  }
  Features features = BuildFeatures(*table, args.label_column);
  if (auto s = HandleMissing(*table, args.data, args.missing == "median", features); !s.ok()) {
    return ReportError(s.error(), options);
  }
  if (features.matrix.cols == 0) {
    return ReportError(Error::Input(args.data + " has no numeric feature columns" +
                                    (features.skipped.empty() ? std::string()
                                                              : " (categorical, not used: " +
                                                                    std::to_string(features.skipped.size()) + ")") +
                                    "; choose numeric columns with --columns"),
                       options);
  }

  ThreadPool pool(options.threads);
  std::vector<double> scores;
  Result<stats::IsolationForest> forest = Error::Internal("no model");
  if (!args.model_in.empty()) {
    forest = stats::IsolationForest::Load(args.model_in);
    if (!forest.ok()) return ReportError(forest.error(), options);
    if (!forest->feature_names().empty() && forest->feature_names() != features.matrix.names) {
      std::string want;
      for (const auto& n : forest->feature_names()) want += (want.empty() ? "" : ",") + n;
      return ReportError(Error::Input(args.model_in + " was fitted on the features " + want +
                                      "; the data's numeric columns differ (select them with --columns/--exclude)"),
                         options);
    }
    auto s = forest->ScoreAll(features.matrix, &pool);
    if (!s.ok()) return ReportError(s.error().WithContext(args.data), options);
    scores = std::move(*s);
  } else {
    stats::IsolationForestOptions fit;
    fit.trees = args.trees;
    fit.max_samples = args.max_samples;
    fit.seed = args.seed;
    fit.contamination = *contamination;
    forest = stats::IsolationForest::Fit(features.matrix, fit, &pool, &scores);
    if (!forest.ok()) return ReportError(forest.error().WithContext(args.data), options);
  }
  if (!args.model_out.empty()) {
    if (auto s = forest->Save(args.model_out); !s.ok()) return ReportError(s.error(), options);
  }
  if (!args.scores_out.empty()) {
    if (auto s = WriteScores(args.scores_out, scores); !s.ok()) return ReportError(s.error(), options);
  }
  size_t flagged = static_cast<size_t>(
      std::count_if(scores.begin(), scores.end(), [&](double s) { return forest->IsOutlier(s); }));
  std::vector<size_t> top = TopRows(scores, args.top);
  if (!args.report.empty()) {
    std::vector<bool> marks(scores.size());
    for (size_t r = 0; r < scores.size(); ++r) marks[r] = forest->IsOutlier(scores[r]);
    Status written =
        WriteFileAtomic(args.report, OutlierReportHtml(args.data, scores, marks, forest->threshold(), top), 0644, true);
    if (!written.ok()) return ReportError(written.error().WithContext("writing the report " + args.report), options);
  }

  // Label checks.
  std::vector<stats::LabelDisagreement> disagreements;
  Labels labels;
  std::optional<LabelShift> shift;
  if (label_col != nullptr) {
    std::vector<std::string> texts = LabelTexts(*label_col);
    labels = EncodeLabels(texts);
    auto found = stats::FindLabelDisagreements(stats::Standardize(features.matrix), labels.ids, args.neighbors, &pool);
    if (!found.ok()) return ReportError(found.error().WithContext(args.data), options);
    disagreements = std::move(*found);
    if (!args.reference.empty()) {
      auto s = CompareLabels(args.reference, args.label_column, texts, options.threads);
      if (!s.ok()) return ReportError(s.error(), options);
      shift = std::move(*s);
    }
  }
  // Most suspicious first: fewest agreeing neighbours, then row order.
  std::stable_sort(disagreements.begin(), disagreements.end(),
                   [](const auto& a, const auto& b) { return a.agreeing < b.agreeing; });

  bool any_flagged = flagged > 0 || !disagreements.empty() || (shift && shift->shifted);
  int code = args.fail_on_flagged && any_flagged ? 1 : 0;
  std::string contamination_text = *contamination > 0 ? ShortestText(*contamination) : "auto";

  std::optional<SignedClaim> claim;
  if (args.attest) {
    Json p;
    auto digest = FileSha256(args.data);
    if (!digest.ok()) return ReportError(digest.error(), options);
    p["dataset"] = {{"uri", args.data}, {"digest", {{"sha256", *digest}}}};
    p["method"] = "isolation-forest";
    p["rows"] = table->rows;
    p["features"] = features.matrix.names;
    p["parameters"] = {{"trees", forest->trees()},
                       {"max_samples", forest->max_samples()},
                       {"seed", forest->options().seed},
                       {"contamination", contamination_text},
                       {"threshold", forest->threshold()}};
    p["flagged_rows"] = flagged;
    Json top_rows = Json::array();
    for (size_t r : top) top_rows.push_back({{"row", r + 1}, {"score", scores[r]}});
    p["top"] = top_rows;
    if (label_col != nullptr) {
      Json rows = Json::array();
      for (size_t i = 0; i < std::min(disagreements.size(), args.top); ++i) rows.push_back(disagreements[i].row + 1);
      p["label_flips"] = {{"column", args.label_column},
                          {"neighbors", args.neighbors},
                          {"count", disagreements.size()},
                          {"rows", rows}};
    }
    if (shift) {
      auto ref_digest = FileSha256(args.reference);
      if (!ref_digest.ok()) return ReportError(ref_digest.error(), options);
      p["label_shift"] = {{"reference", {{"uri", args.reference}, {"digest", {{"sha256", *ref_digest}}}}},
                          {"test", "chi-square"},
                          {"statistic", std::isfinite(shift->test.statistic) ? Json(shift->test.statistic) : Json()},
                          {"pvalue", std::isnan(shift->test.pvalue) ? Json() : Json(shift->test.pvalue)},
                          {"alpha", kShiftAlpha},
                          {"shifted", shift->shifted}};
    }
    p["computedOn"] = NowRfc3339();
    auto subject = args.claim.subject.empty()
                       ? DataFileSubject(args.data, args.claim.name)
                       : ResolveSubject(args.claim.subject, args.claim.name, args.claim.StoreLocation(),
                                        options.threads, false);
    if (!subject.ok()) return ReportError(subject.error().WithContext("--subject"), options);
    auto signed_claim = SignClaim(args.claim, *subject, kDatasetScreenV1, p);
    if (!signed_claim.ok()) return ReportError(signed_claim.error(), options);
    claim = std::move(*signed_claim);
    if (args.claim.out == "-") std::cout << claim->bundle_text;
  }

  if (options.json()) {
    Json out;
    out["file"] = args.data;
    out["rows"] = table->rows;
    out["features"] = features.matrix.names;
    out["skipped_columns"] = features.skipped;
    out["filled_missing"] = features.filled;
    out["model"] = {{"trees", forest->trees()},
                    {"max_samples", forest->max_samples()},
                    {"seed", forest->options().seed},
                    {"contamination", forest->options().contamination > 0 ? Json(forest->options().contamination)
                                                                          : Json("auto")},
                    {"loaded_from", args.model_in.empty() ? Json(nullptr) : Json(args.model_in)}};
    out["threshold"] = forest->threshold();
    out["flagged"] = flagged;
    Json top_json = Json::array();
    for (size_t r : top) {
      top_json.push_back({{"row", r + 1}, {"score", scores[r]}, {"flagged", forest->IsOutlier(scores[r])}});
    }
    out["top"] = top_json;
    if (label_col != nullptr) {
      Json rows = Json::array();
      for (size_t i = 0; i < std::min(disagreements.size(), args.top); ++i) {
        const auto& d = disagreements[i];
        rows.push_back({{"row", d.row + 1},
                        {"label", labels.names[static_cast<size_t>(d.label)]},
                        {"neighbors_majority", labels.names[static_cast<size_t>(d.majority)]},
                        {"agreeing", d.agreeing},
                        {"majority_votes", d.majority_votes}});
      }
      out["labels"] = {{"column", args.label_column},
                       {"neighbors", args.neighbors},
                       {"disagreements", disagreements.size()},
                       {"top", rows}};
      if (shift) {
        Json counts = Json::object();
        for (size_t i = 0; i < shift->labels.size(); ++i) {
          counts[shift->labels[i]] = {{"reference", shift->reference[i]}, {"current", shift->current[i]}};
        }
        out["labels"]["shift"] = {{"reference", args.reference},
                                  {"test", "chi-square"},
                                  {"statistic", std::isfinite(shift->test.statistic) ? Json(shift->test.statistic)
                                                                                      : Json("inf")},
                                  {"pvalue", std::isnan(shift->test.pvalue) ? Json(nullptr) : Json(shift->test.pvalue)},
                                  {"alpha", kShiftAlpha},
                                  {"shifted", shift->shifted},
                                  {"counts", counts}};
      }
    }
    out["any_flagged"] = any_flagged;
    if (!args.report.empty()) out["report"] = args.report;
    if (claim) out["attestation"] = SignedClaimJson(*claim, args.claim.out);
    if (!(claim && args.claim.out == "-")) PrintJson(out);
    return code;
  }
  if (options.quiet) return code;
  if (!features.skipped.empty()) {
    std::string list;
    for (const auto& s : features.skipped) list += (list.empty() ? "" : ", ") + s;
    std::cerr << "custody: note: categorical columns are not features of the isolation forest: " << list << "\n";
  }

  std::cout << Bold(args.data) << ": " << Count(table->rows, "row") << ", "
            << Count(features.matrix.cols, "feature") << "; isolation forest, " << Count(forest->trees(), "tree")
            << ", " << forest->max_samples() << " samples per tree, "
            << (args.model_in.empty() ? "seed " + std::to_string(args.seed) : "model " + args.model_in) << "\n";
  if (features.filled > 0) {
    std::cout << Count(features.filled, "missing value") << " filled with the column's median\n";
  }
  std::string threshold_how = forest->options().contamination > 0
                                  ? "contamination " + ShortestText(forest->options().contamination)
                                  : "contamination auto";
  std::string flagged_text = "flagged " + Count(flagged, "row") + " with score > " + FixedText(forest->threshold(), 4) +
                             " (" + threshold_how + ")";
  std::cout << (flagged > 0 ? Red(flagged_text) : Green(flagged_text)) << "\n";
  if (!top.empty()) {
    std::cout << "\n  " << std::string(8, ' ') << "row    score\n";
    for (size_t r : top) {
      std::string row = std::to_string(r + 1);
      std::cout << "  " << std::string(row.size() < 11 ? 11 - row.size() : 0, ' ') << row << "   "
                << FixedText(scores[r], 4) << (forest->IsOutlier(scores[r]) ? "  flagged" : "") << "\n";
    }
  }
  if (label_col != nullptr) {
    std::string text = Count(disagreements.size(), "row") + " whose label '" + args.label_column +
                       "' disagrees with most of its " + std::to_string(args.neighbors) + " nearest neighbours";
    std::cout << "\n" << (disagreements.empty() ? Green(text) : Red(text)) << "\n";
    for (size_t i = 0; i < std::min(disagreements.size(), args.top); ++i) {
      const auto& d = disagreements[i];
      std::cout << "  row " << d.row + 1 << ": label " << labels.names[static_cast<size_t>(d.label)] << ", "
                << d.majority_votes << " of " << args.neighbors << " neighbours say "
                << labels.names[static_cast<size_t>(d.majority)] << "\n";
    }
    if (shift) {
      std::string stat = std::isfinite(shift->test.statistic) ? FixedText(shift->test.statistic, 3) : "inf";
      std::string text2 = std::string("label distribution ") + (shift->shifted ? "shifted" : "not shifted") +
                          " against " + args.reference + ": chi-square " + stat + ", p = " +
                          (std::isnan(shift->test.pvalue) ? "n/a" : ShortestText(shift->test.pvalue)) +
                          " (alpha " + ShortestText(kShiftAlpha) + ")";
      std::cout << (shift->shifted ? Red(text2) : Green(text2)) << "\n";
      for (size_t i = 0; i < shift->labels.size(); ++i) {
        std::cout << "  " << shift->labels[i] << ": reference " << shift->reference[i] << ", data "
                  << shift->current[i] << "\n";
      }
    }
  }
  if (claim) {
    std::cout << "\n";
    PrintSignedClaim(args.claim.out == "-" ? std::cerr : std::cout, *claim, args.claim.out);
  }
  return code;
}

}  // namespace

void AddDetectCommand(CLI::App& app, Options& options, int* exit_code) {
  CLI::App* detect = app.add_subcommand("detect", "Screen data for anomalies and poisoning candidates");
  AddDetectEventsCommands(*detect, options, exit_code);
  detect->require_subcommand(1);
  auto args = std::make_shared<DetectArgs>();
  CLI::App* cmd = detect->add_subcommand(
      "outliers", "Isolation-forest screening of training data for poisoning candidates (and label checks)");
  cmd->fallthrough();
  cmd->footer(
      "Numeric columns are the features; categorical columns are left out with a note. A row's score is\n"
      "the isolation forest's s in (0, 1]: higher is more anomalous. Flags are findings: the exit code is\n"
      "0 unless --fail-on-flagged (then 1 when anything is flagged); 2 for bad input.\n\n"
      "Examples:\n"
      "  custody detect outliers train.csv --exclude id --scores scores.csv\n"
      "  custody detect outliers train.csv --label-column label --reference last_month.csv\n"
      "  custody detect outliers new.csv --model forest.json --fail-on-flagged\n"
      "  custody detect outliers train.csv --label-column label --attest --key screen.key --subject fraud@1.2.0\n\n"
      "--attest signs the findings as a 'dataset-screen' attestation (docs/formats/dataset-screen.md) about\n"
      "--subject (default: the data file itself) for 'custody gate'.");
  cmd->add_option("DATA", args->data, "CSV file with a header line (- = standard input)")->required();
  cmd->add_option("--exclude", args->exclude, "Leave this column out; repeatable");
  cmd->add_option("--columns", args->columns, "Use only these columns as features; repeatable");
  cmd->add_option("--label-column", args->label_column,
                  "Column holding each row's label: not a feature; rows whose label disagrees with their "
                  "nearest neighbours are flagged");
  cmd->add_option("--reference", args->reference,
                  "CSV with the same label column: test the label distribution for a shift (chi-square)");
  cmd->add_option("--seed", args->seed, "Random seed: the same seed gives the same scores")->capture_default_str();
  cmd->add_option("--contamination", args->contamination,
                  "auto (flag score > 0.5) or the expected fraction of outliers in (0, 0.5]")
      ->capture_default_str();
  cmd->add_option("--trees", args->trees, "Trees in the forest")->check(CLI::Range(1, 100000))->capture_default_str();
  cmd->add_option("--max-samples", args->max_samples, "Rows drawn for each tree")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--neighbors", args->neighbors, "Neighbours consulted by the label check")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  cmd->add_option("--missing", args->missing,
                  "A missing feature value is an error, or is filled with its column's median")
      ->check(CLI::IsMember({"error", "median"}))
      ->capture_default_str();
  cmd->add_option("--top", args->top, "Rows listed in the report")->capture_default_str();
  cmd->add_option("--scores", args->scores_out, "Write 'row,score' for every data row, in input order (- = stdout)");
  cmd->add_option("--report", args->report,
                  "Also write a self-contained HTML page with the distribution of the scores (inline SVG)");
  cmd->add_option("--model-out", args->model_out, "Save the fitted forest (JSON, docs/formats/isolation-forest.md)");
  cmd->add_option("--model", args->model_in, "Score with a saved forest instead of fitting one");
  cmd->add_flag("--fail-on-flagged", args->fail_on_flagged,
               "Exit 1 when any row (or the label distribution) is flagged");
  cmd->add_flag("--attest", args->attest, "Sign the findings as a 'dataset-screen' attestation (needs --key)");
  AddClaimOptions(cmd, &args->claim, "the data file");
  cmd->callback([args, &options, exit_code] { *exit_code = RunOutliers(*args, options); });
}

}  // namespace custody::cli
