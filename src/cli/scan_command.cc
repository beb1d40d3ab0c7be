// custody scan: posture checks (Rego) over serverless infrastructure-as-code.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <sstream>

#include "cli/commands.h"
#include "core/file.h"
#include "scan/check.h"
#include "scan/fix.h"
#include "scan/report.h"
#include "scan/scanner.h"

namespace custody::cli {
namespace {

struct ScanArgs {
  std::vector<std::string> paths;
  std::string format;
  std::string output;
  std::string sarif;
  std::vector<std::string> policies;
  bool no_builtin = false;
  std::string fail_on;
  std::vector<std::string> required_tags;
  std::string baseline;
  std::string write_baseline;
  bool fix = false;
  bool dry_run = false;
  bool list_checks = false;
};

constexpr const char* kVersion = "0.1.0";

Status WriteText(const std::string& path, const std::string& text) {
  return WriteFileAtomic(path, text, 0644, true);
}

rego::Value ScanData(const ScanArgs& a) {
  rego::ValueVector tags;
  for (const auto& t : a.required_tags)
    if (!t.empty()) tags.push_back(rego::Value::String(t));
  return rego::Value::Object({{rego::Value::String("required_tags"), rego::Value::Array(tags)}});
}

int ListChecks(const scan::CheckSet& checks, const std::string& format) {
  if (format == "json") {
    Json out = Json::array();
    for (const auto& c : checks.checks()) {
      out.push_back({{"id", c.id},
                     {"title", c.title},
                     {"severity", scan::SeverityName(c.severity)},
                     {"package", c.package},
                     {"scope", c.template_scope ? "template" : "resource"},
                     {"resource_types", c.resource_types},
                     {"checkov", c.checkov},
                     {"kics", c.kics},
                     {"trivy", c.trivy},
                     {"cfn_guard", c.cfn_guard},
                     {"cfn_nag", c.cfn_nag},
                     {"builtin", c.builtin},
                     {"fixable", c.fix.is_defined()}});
    }
    PrintJson(out);
    return 0;
  }
  for (const auto& c : checks.checks()) {
    std::printf("%-36s %-8s %s\n", c.id.c_str(), scan::SeverityName(c.severity),
                (c.title.empty() ? c.package : c.title).c_str());
  }
  return 0;
}

int RunScan(ScanArgs a, const Options& options) {
  std::string format = a.format.empty() ? (options.json() ? "json" : "table") : a.format;
  if (format == "text") format = "table";
  Options err_options = options;
  err_options.format = format == "json" ? "json" : "text";

  scan::Severity fail_on = scan::Severity::kInfo;
  bool fail = !a.fail_on.empty();
  if (fail && !scan::ParseSeverity(a.fail_on, &fail_on)) {
    return ReportError(Error::Input("--fail-on '" + a.fail_on + "': give CRITICAL, HIGH, MEDIUM, LOW or INFO"),
                       err_options);
  }
  if (a.dry_run && !a.fix) return ReportError(Error::Input("--dry-run goes with --fix"), err_options);
  for (const auto& t : a.required_tags) {
    if (t.empty()) return ReportError(Error::Input("--required-tags: a tag key is empty (write K1,K2)"), err_options);
  }

  scan::CheckSetOptions co;
  co.policy_dirs = a.policies;
  co.builtin = !a.no_builtin;
  co.scan_data = ScanData(a);
  auto checks = scan::CheckSet::Load(co);
  if (!checks.ok()) return ReportError(checks.error(), err_options);
  if (!options.quiet)
    for (const std::string& n : (*checks)->notices()) std::cerr << "custody: notice: " << n << "\n";
  if (a.list_checks) return ListChecks(**checks, format);
  if (a.paths.empty()) return ReportError(Error::Input("give the files or directories to scan"), err_options);
  if ((*checks)->checks().empty()) {
    return ReportError(Error::Input("no checks to run: the policies define no `deny` or `warn` rules"), err_options);
  }

  scan::ScanOptions so;
  so.paths = a.paths;
  so.threads = options.threads;
  if (!a.baseline.empty()) {
    auto baseline = scan::ReadBaseline(a.baseline);
    if (!baseline.ok()) return ReportError(baseline.error(), err_options);
    so.baseline = std::move(*baseline);
  }
  // Progress on a terminal for long scans; carriage returns keep it on one line.
  std::mutex progress_mu;
  auto last = std::chrono::steady_clock::now();
  bool progress_shown = false;
  if (!options.quiet && ::isatty(STDERR_FILENO) == 1) {
    so.progress = [&](size_t done, size_t total) {
      if (total < 50) return;
      std::lock_guard<std::mutex> lock(progress_mu);
      auto now = std::chrono::steady_clock::now();
      if (done != total && now - last < std::chrono::milliseconds(100)) return;
      last = now;
      std::fprintf(stderr, "\rscanning: %zu/%zu files", done, total);
      progress_shown = true;
    };
  }
  auto result = scan::Scan(**checks, so);
  if (progress_shown) std::fprintf(stderr, "\r\033[K");
  if (!result.ok()) return ReportError(result.error(), err_options);

  int code = 0;
  size_t load_errors = 0;
  for (const auto& t : result->templates) load_errors += t.error.empty() ? 0 : 1;

  if (!a.write_baseline.empty()) {
    Status w = WriteText(a.write_baseline, scan::BaselineJson(*result, **checks).dump(2) + "\n");
    if (!w.ok()) return ReportError(w.error(), err_options);
  }
  if (!a.sarif.empty()) {
    Status w = WriteText(a.sarif, scan::ScanSarif(*result, **checks, kVersion).dump(2) + "\n");
    if (!w.ok()) return ReportError(w.error(), err_options);
  }

  std::vector<const scan::Finding*> unfixed;
  if (a.fix) {
    auto fixes = scan::PlanFixes(*result, **checks);
    if (!fixes.ok()) return ReportError(fixes.error(), err_options);
    size_t applied = 0;
    for (const scan::FileFix& f : *fixes) {
      if (f.fixed == f.original) continue;
      applied += f.applied.size();
      if (a.dry_run) {
        std::cout << scan::UnifiedDiff(f.file, f.original, f.fixed);
      } else {
        Status w = WriteText(f.file, f.fixed);
        if (!w.ok()) return ReportError(w.error(), err_options);
      }
    }
    std::set<const scan::Finding*> done;
    for (const scan::FileFix& f : *fixes) done.insert(f.applied.begin(), f.applied.end());
    for (const scan::Finding* f : result->AllFindings())
      if (!f->suppressed && !done.count(f)) unfixed.push_back(f);
    if (!options.quiet) {
      for (const scan::FileFix& f : *fixes)
        for (const auto& s : f.skipped) std::cerr << "custody: not fixed: " << s << "\n";
      std::cerr << "custody: " << (a.dry_run ? "would fix " : "fixed ") << Count(applied, "finding") << " in "
                << Count(static_cast<uint64_t>(std::count_if(fixes->begin(), fixes->end(),
                                                             [](const auto& f) { return f.fixed != f.original; })),
                         "file")
                << "; " << unfixed.size() << " left\n";
    }
  } else {
    for (const scan::Finding* f : result->AllFindings())
      if (!f->suppressed) unfixed.push_back(f);
  }
  if (fail) {
    for (const scan::Finding* f : unfixed)
      if (f->severity >= fail_on) code = 1;
  }
  if (load_errors > 0) code = 2;

  if (!a.fix) {
    std::string text;
    if (format == "json") {
      text = scan::ScanJson(*result, **checks, (*checks)->compile_seconds()).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    } else if (format == "sarif") {
      text = scan::ScanSarif(*result, **checks, kVersion).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
    } else if (!options.quiet || !a.output.empty()) {
      std::ostringstream out;
      scan::PrintScanTable(out, *result, **checks, a.output.empty() && StdoutIsTerminal());
      text = out.str();
    }
    if (!a.output.empty()) {
      Status w = WriteText(a.output, text);
      if (!w.ok()) return ReportError(w.error(), err_options);
    } else {
      std::cout << text;
    }
  }
  if (load_errors > 0 && !options.quiet && format != "table") {
    for (const auto& t : result->templates)
      if (!t.error.empty()) std::cerr << "custody: error: " << t.error << "\n";
  }
  return code;
}

}  // namespace

void AddScanCommand(CLI::App& app, Options& options, int* exit_code) {
  auto args = std::make_shared<ScanArgs>();
  CLI::App* cmd = app.add_subcommand("scan", "Check serverless infrastructure-as-code against posture policies (Rego)");
  cmd->fallthrough();
  cmd->footer(
      "Reads CloudFormation and SAM (YAML/JSON), Terraform (.tf and plan JSON), Kubernetes/Knative manifests and\n"
      "serverless.yml; runs the built-in checks and your --policy DIRs; reports findings sorted by risk.\n"
      "Exit 0 when scanned (no finding at or above --fail-on), 1 when a finding is at or above --fail-on,\n"
      "2 for bad input or a template that could not be loaded.\n\n"
      "Examples:\n"
      "  custody scan template.yaml\n"
      "  custody scan infra/ --format sarif --output custody.sarif --fail-on HIGH\n"
      "  custody scan . --policy my-policies/ --required-tags owner,cost-center\n"
      "  custody scan template.yaml --fix --dry-run     # a unified diff of the mechanical fixes");
  cmd->add_option("paths", args->paths, "Files and directories to scan");
  cmd->add_option("--format", args->format, "Output: table (default), json or sarif")
      ->check(CLI::IsMember({"table", "text", "json", "sarif"}));
  cmd->add_option("-o,--output", args->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--sarif", args->sarif, "Also write a SARIF 2.1.0 report to FILE");
  cmd->add_option("--policy", args->policies, "A directory (or file) of your own Rego checks; repeatable");
  cmd->add_flag("--no-builtin", args->no_builtin, "Run only the --policy checks, not the built-in pack");
  cmd->add_option("--fail-on", args->fail_on, "Exit 1 when an unsuppressed finding is at or above this severity");
  cmd->add_option("--required-tags", args->required_tags,
                  "Tag keys every taggable resource must carry (comma-separated; checks read "
                  "data.custody.scan.required_tags)")
      ->delimiter(',');
  cmd->add_option("--baseline", args->baseline, "Findings accepted earlier (JSON; see docs/formats/scan-baseline.md)");
  cmd->add_option("--write-baseline", args->write_baseline, "Write a baseline accepting every current finding to FILE");
  cmd->add_flag("--fix", args->fix, "Apply the mechanical fixes of fixable findings to the files");
  cmd->add_flag("--dry-run", args->dry_run, "With --fix: print the changes as a unified diff; write nothing");
  cmd->add_flag("--list-checks", args->list_checks, "List the checks (built-in and --policy) and exit");
  cmd->callback([args, &options, exit_code] { *exit_code = RunScan(*args, options); });
}

}  // namespace custody::cli
