// custody policy eval | check | test | conformance: the Rego engine on the
// command line, shaped like `opa eval`, `opa check` and `opa test`.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <set>

#include "cli/alloc_counter.h"
#include "cli/commands.h"
#include "core/file.h"
#include "rego/compiler.h"
#include "rego/conformance.h"
#include "rego/eval.h"
#include "rego/loader.h"

namespace custody::cli {
namespace {

using rego::CompileOptions;
using rego::EvalOptions;
using rego::Value;

struct PolicyArgs {
  std::vector<std::string> data;
  std::vector<std::string> bundles;
  std::string input;
  std::string query;
  std::vector<std::string> paths;
  bool v0 = false;
  bool strict = false;
  bool fail = false;
  bool fail_defined = false;
  bool allow_net = false;
  bool verbose = false;
  int count = 0;
  double seconds = 1.0;
};

Result<std::shared_ptr<const rego::CompiledPolicy>> LoadAndCompile(const std::vector<std::string>& paths, bool v0,
                                                                   bool quiet) {
  CUSTODY_ASSIGN_OR_RETURN(rego::LoadedFiles files, rego::LoadPolicyPaths(paths));
  CompileOptions co;
  co.version = v0 ? rego::RegoVersion::kV0 : rego::RegoVersion::kV1;
  CUSTODY_ASSIGN_OR_RETURN(auto policy, rego::Compile(files.modules, files.data, co));
  if (!quiet)
    for (const std::string& n : policy->notices) std::cerr << "custody: notice: " << n << "\n";
  return policy;
}

int RunEval(const PolicyArgs& a, const Options& options) {
  std::vector<std::string> paths = a.data;
  paths.insert(paths.end(), a.bundles.begin(), a.bundles.end());
  auto policy = LoadAndCompile(paths, a.v0, options.quiet);
  if (!policy.ok()) return ReportError(policy.error(), options);
  EvalOptions eo;
  eo.strict_builtin_errors = a.strict;
  eo.print = &std::cerr;
  eo.allow_network = a.allow_net;
  if (!a.input.empty()) {
    auto in = a.input == "-" ? [] () -> Result<Value> {
      std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
      return rego::ParseJsonValue(text, "stdin");
    }() : rego::LoadDocument(a.input);
    if (!in.ok()) return ReportError(in.error(), options);
    eo.input = *in;
  }
  auto q = (*policy)->CompileQuery(a.query, a.v0 ? rego::RegoVersion::kV0 : rego::RegoVersion::kV1);
  if (!q.ok()) return ReportError(q.error(), options);
  auto rows = rego::Evaluate(**policy, *q, eo);
  if (!rows.ok()) return ReportError(rows.error(), options);
  bool defined = !rows->empty();
  if (options.json()) {
    // The shape of `opa eval --format json`.
    Json result = Json::array();
    for (const rego::QueryRow& r : *rows) {
      Json exprs = Json::array();
      for (size_t i = 0; i < r.expressions.size(); ++i) {
        const auto& e = q->body->exprs;
        Json loc = {{"row", 1}, {"col", 1}};
        for (const auto& x : e)
          if (x.index == static_cast<int>(i)) loc = {{"row", x.loc.line}, {"col", x.loc.col}};
        exprs.push_back({{"value", r.expressions[i].is_defined() ? r.expressions[i].ToNlohmann() : Json(true)},
                         {"location", loc}});
      }
      Json entry = {{"expressions", exprs}};
      if (!r.bindings.empty()) {
        Json b = Json::object();
        for (const auto& [k, v] : r.bindings) b[k] = v.ToNlohmann();
        entry["bindings"] = b;
      }
      result.push_back(entry);
    }
    PrintJson(defined ? Json{{"result", result}} : Json::object());
  } else if (!options.quiet) {
    if (!defined) {
      std::cout << "undefined\n";
    } else {
      for (const rego::QueryRow& r : *rows) {
        if (!r.bindings.empty()) {
          for (const auto& [k, v] : r.bindings) std::cout << k << " = " << Json::parse(v.ToJson()).dump(2) << "\n";
        } else {
          for (const Value& v : r.expressions)
            std::cout << (v.is_defined() ? Json::parse(v.ToJson()).dump(2) : "true") << "\n";
        }
        if (rows->size() > 1) std::cout << "\n";
      }
    }
  }
  if (a.fail && !defined) return 1;
  if (a.fail_defined && defined) return 1;
  return 0;
}

// `opa bench`: the prepared evaluation repeated; time per evaluation and
// its distribution, and heap allocations per evaluation.
int RunBench(const PolicyArgs& a, const Options& options) {
  std::vector<std::string> paths = a.data;
  paths.insert(paths.end(), a.bundles.begin(), a.bundles.end());
  auto compile_start = std::chrono::steady_clock::now();
  auto policy = LoadAndCompile(paths, a.v0, true);
  if (!policy.ok()) return ReportError(policy.error(), options);
  auto q = (*policy)->CompileQuery(a.query, a.v0 ? rego::RegoVersion::kV0 : rego::RegoVersion::kV1);
  if (!q.ok()) return ReportError(q.error(), options);
  double compile_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - compile_start).count();
  EvalOptions eo;
  if (!a.input.empty()) {
    auto in = rego::LoadDocument(a.input);
    if (!in.ok()) return ReportError(in.error(), options);
    eo.input = *in;
  }
  // One evaluation first: errors are reported, not timed.
  auto first = rego::Evaluate(**policy, *q, eo);
  if (!first.ok()) return ReportError(first.error(), options);
  std::vector<double> samples;
  uint64_t allocs = 0;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(a.seconds);
  while (true) {
    if (a.count > 0 ? static_cast<int>(samples.size()) >= a.count
                    : (std::chrono::steady_clock::now() >= deadline && samples.size() >= 10))
      break;
    uint64_t before = ThreadAllocations();
    auto start = std::chrono::steady_clock::now();
    auto rows = rego::Evaluate(**policy, *q, eo);
    auto end = std::chrono::steady_clock::now();
    allocs += ThreadAllocations() - before;
    samples.push_back(std::chrono::duration<double, std::nano>(end - start).count());
    if (samples.size() >= 10'000'000) break;
  }
  std::vector<double> sorted = samples;
  std::sort(sorted.begin(), sorted.end());
  auto pct = [&](double p) { return sorted[static_cast<size_t>(p * static_cast<double>(sorted.size() - 1))]; };
  double total = 0;
  for (double x : samples) total += x;
  double n = static_cast<double>(samples.size());
  Json out = {{"iterations", samples.size()},
              {"ns_per_op", total / n},
              {"allocs_per_op", AllocationsCounted() ? Json(static_cast<double>(allocs) / n) : Json(nullptr)},
              {"allocs_counted", AllocationsCounted()},
              {"median_ns", pct(0.5)},
              {"p90_ns", pct(0.9)},
              {"p99_ns", pct(0.99)},
              {"compile_ms", compile_ms},
              {"defined", !first->empty()}};
  if (options.json()) {
    PrintJson(out);
  } else {
    std::printf("%-16s %14zu\n%-16s %14.0f\n%-16s %14.1f\n%-16s %14.0f\n%-16s %14.0f\n%-16s %14.0f\n%-16s %14.3f\n",
                "iterations", samples.size(), "ns/op", total / n, "allocs/op",
                AllocationsCounted() ? static_cast<double>(allocs) / n : -1.0,
                "median ns", pct(0.5), "p90 ns", pct(0.9), "p99 ns", pct(0.99), "compile ms", compile_ms);
  }
  return 0;
}

int RunCheck(const PolicyArgs& a, const Options& options) {
  auto policy = LoadAndCompile(a.paths, a.v0, options.quiet);
  if (!policy.ok()) return ReportError(policy.error(), options);
  size_t n = (*policy)->modules.size();
  if (options.json()) {
    PrintJson({{"ok", true}, {"modules", n}});
  } else if (!options.quiet) {
    std::cout << Count(n, "module") << " parsed, compiled and checked: no errors\n";
  }
  return 0;
}

int RunTest(const PolicyArgs& a, const Options& options) {
  auto policy = LoadAndCompile(a.paths, a.v0, options.quiet);
  if (!policy.ok()) return ReportError(policy.error(), options);
  struct TestCase {
    std::string name;
    std::string file;
  };
  std::vector<TestCase> tests;
  std::set<std::string> seen;
  for (const auto& m : (*policy)->modules) {
    for (const auto& r : m->rules) {
      const std::string& name = r->head[0].name;
      if (name.rfind("test_", 0) != 0 || r->kind == rego::RuleKind::kFunction) continue;
      std::string path = "data";
      for (const Value& p : m->package_path) path += "." + p.as_string();
      path += "." + name;
      if (seen.insert(path).second) tests.push_back({path, m->file ? *m->file : ""});
    }
  }
  int passed = 0, failed = 0, errors = 0;
  Json results = Json::array();
  for (const TestCase& t : tests) {
    auto start = std::chrono::steady_clock::now();
    auto q = (*policy)->CompileQuery(t.name, rego::RegoVersion::kV1);
    std::string status;
    std::string message;
    if (!q.ok()) {
      status = "ERROR";
      message = q.error().message();
    } else {
      EvalOptions eo;
      eo.print = &std::cerr;
      auto rows = rego::Evaluate(**policy, *q, eo);
      if (!rows.ok()) {
        status = "ERROR";
        message = rows->empty() ? rows.error().message() : "";
      } else if (!rows->empty() && !rows->front().expressions.empty() && rows->front().expressions[0].is_true()) {
        status = "PASS";
      } else {
        status = "FAIL";
      }
    }
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    if (status == "PASS") {
      ++passed;
    } else if (status == "FAIL") {
      ++failed;
    } else {
      ++errors;
    }
    if (options.json()) {
      results.push_back({{"name", t.name}, {"file", t.file}, {"status", status}, {"duration_us", us},
                         {"error", message}});
    } else if (!options.quiet) {
      std::string shown = status == "PASS" ? Green(status) : Red(status);
      std::cout << t.name << ": " << shown << " (" << us << "µs)" << (message.empty() ? "" : "\n  " + message)
                << "\n";
    }
  }
  if (options.json()) {
    PrintJson({{"tests", results}, {"passed", passed}, {"failed", failed + errors}});
  } else {
    std::cout << passed << " passed, " << (failed + errors) << " failed\n";
  }
  if (tests.empty() && !options.json()) std::cerr << "custody: no test_ rules found\n";
  return failed + errors > 0 ? 1 : 0;
}

int RunConformance(const PolicyArgs& a, const Options& options) {
  rego::ConformanceOptions co;
  bool tty = StdoutIsTerminal() && !options.json() && !options.quiet;
  if (tty) {
    co.progress = [](size_t done, size_t total) {
      std::cerr << "\r" << done << "/" << total << " files" << std::flush;
      if (done == total) std::cerr << "\n";
    };
  }
  auto report = rego::RunConformance(a.paths, co);
  if (!report.ok()) return ReportError(report.error(), options);
  if (options.json()) {
    Json folders = Json::object();
    for (const auto& [f, c] : report->folders)
      folders[f] = {{"passed", c.passed}, {"failed", c.failed}, {"skipped", c.skipped}};
    Json failures = Json::array();
    Json skips = Json::array();
    for (const auto& c : report->cases) {
      if (c.status == rego::ConformanceCase::Status::kFail)
        failures.push_back({{"folder", c.folder}, {"note", c.note}, {"file", c.file}, {"reason", c.reason}});
      if (c.status == rego::ConformanceCase::Status::kSkip)
        skips.push_back({{"folder", c.folder}, {"note", c.note}, {"reason", c.reason}});
    }
    PrintJson({{"passed", report->passed},
               {"failed", report->failed},
               {"skipped", report->skipped},
               {"folders", folders},
               {"failures", failures},
               {"skips", skips}});
  } else {
    for (const auto& [f, c] : report->folders) {
      std::cout << f << ": " << c.passed << "/" << (c.passed + c.failed) << " passed";
      if (c.skipped) std::cout << ", " << c.skipped << " skipped";
      std::cout << "\n";
    }
    if (a.verbose) {
      for (const auto& c : report->cases) {
        if (c.status == rego::ConformanceCase::Status::kFail)
          std::cout << "FAIL " << c.folder << ": " << c.note << ": " << c.reason << "\n";
        if (c.status == rego::ConformanceCase::Status::kSkip)
          std::cout << "SKIP " << c.folder << ": " << c.note << ": " << c.reason << "\n";
      }
    }
    std::cout << report->passed << " passed, " << report->failed << " failed, " << report->skipped << " skipped\n";
  }
  return report->failed > 0 ? 1 : 0;
}

}  // namespace

void AddPolicyCommand(CLI::App& app, Options& options, int* exit_code) {
  CLI::App* policy = app.add_subcommand("policy", "Evaluate, check and test Rego policies (OPA-compatible)");
  policy->fallthrough();
  policy->require_subcommand(1);
  auto a = std::make_shared<PolicyArgs>();

  CLI::App* eval = policy->add_subcommand("eval", "Evaluate a Rego query, like `opa eval`");
  eval->fallthrough();
  eval->add_option("query", a->query, "The query, e.g. data.example.allow")->required();
  eval->add_option("-d,--data", a->data, "Policy (.rego) or data (.json, .yaml) file or directory; repeatable");
  eval->add_option("-b,--bundle", a->bundles, "OPA bundle directory; repeatable");
  eval->add_option("-i,--input", a->input, "Input document (JSON or YAML file, - for stdin)");
  eval->add_flag("--v0-compatible", a->v0, "Parse policies as Rego v0 (before OPA 1.0)");
  eval->add_flag("--strict-builtin-errors", a->strict, "Stop on the first built-in error instead of undefined");
  eval->add_flag("--fail", a->fail, "Exit 1 when the result is undefined");
  eval->add_flag("--fail-defined", a->fail_defined, "Exit 1 when the result is defined");
  eval->add_flag("--allow-net", a->allow_net, "Let http.send and net.lookup_ip_addr use the network");
  eval->footer(
      "Policies are Rego v1 unless --v0-compatible; a file that is only valid v0 is read as v0 with a notice.\n"
      "Output: the value of each binding (text), or `opa eval --format json`'s shape with --format json.\n"
      "Exit: 0 evaluated (1 with --fail/--fail-defined as they say), 2 on a parse, compile or input error.\n"
      "Example: custody policy eval -d policy/ -i input.json data.example.allow");
  eval->callback([a, &options, exit_code] { *exit_code = RunEval(*a, options); });

  CLI::App* bench = policy->add_subcommand("bench", "Time a query's evaluation, like `opa bench`");
  bench->fallthrough();
  bench->add_option("query", a->query, "The query, e.g. data.rbac.allow")->required();
  bench->add_option("-d,--data", a->data, "Policy or data file or directory; repeatable");
  bench->add_option("-b,--bundle", a->bundles, "OPA bundle directory; repeatable");
  bench->add_option("-i,--input", a->input, "Input document (JSON or YAML)");
  bench->add_option("--count", a->count, "Evaluate exactly this many times (default: for --seconds)");
  bench->add_option("--seconds", a->seconds, "How long to repeat the evaluation")->capture_default_str();
  bench->add_flag("--v0-compatible", a->v0, "Parse policies as Rego v0");
  bench->footer(
      "The policy and query are compiled once; each evaluation then runs with the input, as a server would.\n"
      "Reports ns/op (mean), allocs/op (heap allocations per evaluation), the median, p90 and p99 of one\n"
      "evaluation, and the compile time. --format json names them ns_per_op, allocs_per_op, median_ns,\n"
      "p90_ns, p99_ns and compile_ms.");
  bench->callback([a, &options, exit_code] { *exit_code = RunBench(*a, options); });

  CLI::App* check =
      policy->add_subcommand("check", "Parse, compile and type check policies (names, safety, arity, built-in argument and rule types), like `opa check`");
  check->fallthrough();
  check->add_option("paths", a->paths, "Files or directories")->required();
  check->add_flag("--v0-compatible", a->v0, "Parse policies as Rego v0");
  check->footer("Exit: 0 no errors, 2 with every error's file:line:col printed.");
  check->callback([a, &options, exit_code] { *exit_code = RunCheck(*a, options); });

  CLI::App* test = policy->add_subcommand("test", "Run test_ rules, like `opa test`");
  test->fallthrough();
  test->add_option("paths", a->paths, "Files or directories with policies, tests and data")->required();
  test->add_flag("--v0-compatible", a->v0, "Parse policies as Rego v0");
  test->footer("Each rule named test_* is a test: PASS when true. Exit 0 all pass, 1 any fails, 2 input error.");
  test->callback([a, &options, exit_code] { *exit_code = RunTest(*a, options); });

  CLI::App* conf = policy->add_subcommand("conformance", "Run OPA's YAML conformance cases against custody");
  conf->fallthrough();
  conf->add_option("dirs", a->paths, "Folders of OPA test cases (under v0/ they are read as Rego v0)")->required();
  conf->add_flag("-v,--verbose", a->verbose, "List every failing and skipped case with the reason");
  conf->footer("Prints passed/total per folder and the total as `N passed, M failed, K skipped`.\n"
               "Exit 0 when every case passes, 1 otherwise.");
  conf->callback([a, &options, exit_code] { *exit_code = RunConformance(*a, options); });
}

}  // namespace custody::cli
