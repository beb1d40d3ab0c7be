#include "scan/scanner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>

#include "core/encoding.h"
#include "core/file.h"
#include "crypto/digest.h"
#include "rego/eval.h"

namespace custody::scan {
namespace {

namespace fs = std::filesystem;
using rego::Value;

Value Str(const std::string& s) { return Value::String(s); }

Value ResourceInput(const iac::Resource& r, const iac::Template& t) {
  return Value::Object({{Str("resource_type"), Str(r.type)},
                        {Str("name"), Str(r.name)},
                        {Str("address"), Str(r.address)},
                        {Str("format"), Str(t.format)},
                        {Str("file"), Str(t.file)},
                        {Str("line"), Value::Int(r.line)},
                        {Str("properties"), r.properties},
                        {Str("tags"), r.tags},
                        {Str("metadata"), r.metadata}});
}

// The elements of a check's deny or warn set for one input.
Result<std::vector<Value>> Elements(const CheckSet& set, const rego::CompiledQuery* query, const Value& input) {
  std::vector<Value> out;
  if (!query) return out;
  rego::EvalOptions eo;
  eo.input = input;
  eo.now_ns = 1;  // checks must not depend on the clock; keeps results reproducible
  CUSTODY_ASSIGN_OR_RETURN(auto rows, rego::Evaluate(set.policy(), *query, eo));
  for (const rego::QueryRow& row : rows) {
    for (const Value& v : row.expressions) {
      if (v.is_set()) out.insert(out.end(), v.set().begin(), v.set().end());
      else if (v.is_array()) out.insert(out.end(), v.array().begin(), v.array().end());
      else if (v.is_defined() && !v.is_false()) out.push_back(v);
    }
  }
  return out;
}

std::string Describe(const Value& v) { return v.is_string() ? v.as_string() : v.ToJson(); }

struct RawFinding {
  std::string message;
  std::vector<std::string> path;
  std::string resource;
  Severity severity;
  Value fix;
};

RawFinding ParseElement(const Value& v, Severity default_severity) {
  RawFinding f{"", {}, "", default_severity, Value()};
  if (!v.is_object()) {
    f.message = Describe(v);
    return f;
  }
  const Value* msg = v.FindKey("msg");
  if (!msg) msg = v.FindKey("message");
  f.message = msg ? Describe(*msg) : v.ToJson();
  if (const Value* p = v.FindKey("path")) {
    if (p->is_array()) {
      for (const Value& e : p->array()) f.path.push_back(e.is_string() ? e.as_string() : e.ToJson());
    } else if (p->is_string() && !p->as_string().empty()) {
      // "A.B.C" is accepted as a convenience for ["A", "B", "C"].
      std::string s = p->as_string();
      size_t start = 0;
      while (true) {
        size_t dot = s.find('.', start);
        f.path.push_back(s.substr(start, dot - start));
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
    }
  }
  if (const Value* r = v.FindKey("resource"); r && r->is_string()) f.resource = r->as_string();
  if (const Value* s = v.FindKey("severity"); s && s->is_string()) ParseSeverity(s->as_string(), &f.severity);
  if (const Value* fix = v.FindKey("fix"); fix && fix->is_object()) f.fix = *fix;
  return f;
}

void Suppress(Finding& f, const Check& check, const iac::Resource* r, const std::set<std::string>& baseline) {
  if (r) {
    for (const iac::Suppression& s : r->suppressions) {
      if (check.Matches(s.id)) {
        f.suppressed = true;
        f.suppression_kind = "inSource";
        f.justification = s.reason.empty() ? "suppressed as " + s.id + " in the template" : s.reason;
        return;
      }
    }
  }
  if (baseline.count(f.fingerprint)) {
    f.suppressed = true;
    f.suppression_kind = "external";
    f.justification = "accepted in the baseline";
  }
}

void AddFindings(const CheckSet& set, size_t ci, const std::vector<Value>& elements, Severity default_severity,
                 const iac::Template& t, const iac::Resource* subject,
                 const std::map<std::string, const iac::Resource*, std::less<>>* by_address, const std::string& uri,
                 const std::set<std::string>& baseline, TemplateReport& report) {
  const Check& check = set.checks()[ci];
  for (const Value& e : elements) {
    RawFinding raw = ParseElement(e, default_severity);
    const iac::Resource* r = subject;
    if (!r && by_address && !raw.resource.empty()) {
      auto it = by_address->find(raw.resource);
      if (it != by_address->end()) r = it->second;
    }
    Finding f;
    f.check = ci;
    f.rule_id = check.id;
    f.severity = raw.severity;
    f.message = raw.message;
    f.file = t.file;
    f.uri = uri;
    f.path = raw.path;
    if (r) {
      f.resource = r->address;
      f.resource_type = r->type;
      f.line = raw.path.empty() ? r->line : r->LineOf(raw.path);
    } else {
      f.resource = raw.resource;
      f.line = t.resources.empty() ? 1 : t.resources.front().line;
    }
    if (f.line <= 0) f.line = 1;
    f.risk = RiskFor(check, f.severity, f.resource_type);
    f.fingerprint = Fingerprint(f.rule_id, uri, f.resource, f.path, f.message);
    f.fix = raw.fix.is_defined() ? raw.fix : check.fix;
    Suppress(f, check, r, baseline);
    report.findings.push_back(std::move(f));
  }
}

void RunCheck(const CheckSet& set, size_t ci, const Value& input, const iac::Template& t,
              const iac::Resource* subject, const std::map<std::string, const iac::Resource*, std::less<>>* by_address,
              const std::string& uri, const std::set<std::string>& baseline, TemplateReport& report) {
  const Check& check = set.checks()[ci];
  for (int warn = 0; warn < 2; ++warn) {
    const rego::CompiledQuery* q = warn ? set.WarnQuery(ci) : set.DenyQuery(ci);
    if (!q) continue;
    auto elements = Elements(set, q, input);
    if (!elements.ok()) {
      report.warnings.push_back("check " + check.id + " failed on " +
                                (subject ? subject->address + " (line " + std::to_string(subject->line) + ")"
                                         : std::string("the template")) +
                                ": " + elements.error().message());
      continue;
    }
    // warn findings are LOW unless the check's severity is lower.
    Severity sev = warn ? std::min(check.severity, Severity::kLow) : check.severity;
    AddFindings(set, ci, *elements, sev, t, subject, by_address, uri, baseline, report);
  }
}

bool SkippedDir(const fs::path& p) {
  std::string name = p.filename().string();
  return (name.size() > 1 && name[0] == '.') || name == "node_modules" || name == ".terraform";
}

bool IacExtension(const fs::path& p) {
  std::string ext = p.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".yaml" || ext == ".yml" || ext == ".json" || ext == ".template" || ext == ".tf";
}

std::string RelativeUri(const fs::path& file, const fs::path& root) {
  std::error_code ec;
  fs::path abs = fs::absolute(file, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(root);
  std::string s = rel.generic_string();
  if (s.empty() || s.starts_with("..")) return abs.generic_string();
  return s;
}

}  // namespace

size_t ScanResult::resources() const {
  size_t n = 0;
  for (const auto& t : templates) n += t.resources;
  return n;
}

std::vector<const Finding*> ScanResult::AllFindings() const {
  std::vector<const Finding*> out;
  for (const auto& t : templates)
    for (const auto& f : t.findings) out.push_back(&f);
  std::stable_sort(out.begin(), out.end(), [](const Finding* a, const Finding* b) {
    if (a->suppressed != b->suppressed) return !a->suppressed;
    if (a->risk.score() != b->risk.score()) return a->risk.score() > b->risk.score();
    if (a->uri != b->uri) return a->uri < b->uri;
    return a->line < b->line;
  });
  return out;
}

std::string Fingerprint(const std::string& rule_id, const std::string& uri, const std::string& resource,
                        const std::vector<std::string>& path, const std::string& message) {
  std::string text = rule_id;
  for (const std::string* part : {&uri, &resource}) {
    text += '\0';
    text += *part;
  }
  text += '\0';
  for (const auto& p : path) {
    text += p;
    text += '/';
  }
  text += '\0';
  text += message;
  return HexEncode(Sha256(text));
}

Result<std::vector<std::string>> CollectFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  for (const std::string& p : paths) {
    std::error_code ec;
    auto status = fs::status(p, ec);
    if (ec || !fs::exists(status)) return Error::Input(p + ": no such file or directory");
    if (fs::is_regular_file(status)) {
      out.push_back(p);
      continue;
    }
    if (!fs::is_directory(status)) return Error::Input(p + ": not a regular file or directory");
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::none, ec), end;
    if (ec) return Error::Input(p + ": cannot read the directory: " + ec.message());
    for (; it != end; it.increment(ec)) {
      if (ec) return Error::Input(p + ": cannot read the directory: " + ec.message());
      const fs::directory_entry& e = *it;
      if (e.is_directory(ec)) {
        if (SkippedDir(e.path())) it.disable_recursion_pending();
        continue;
      }
      if (e.is_regular_file(ec) && IacExtension(e.path()) && e.path().filename().string()[0] != '.') {
        found.push_back(e.path().string());
      }
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

TemplateReport ScanTemplate(const CheckSet& set, const iac::Template& t, const std::string& uri,
                            const std::set<std::string>& baseline) {
  TemplateReport report;
  report.file = t.file;
  report.uri = uri;
  report.format = t.format;
  report.resources = t.resources.size();
  for (const iac::Resource& r : t.resources) {
    ++report.resource_types[r.type];
    for (const iac::Suppression& s : r.suppressions) report.suppressions.emplace_back(r.address, s.id);
  }
  report.warnings = t.warnings;
  std::vector<Value> inputs;
  inputs.reserve(t.resources.size());
  for (const iac::Resource& r : t.resources) {
    inputs.push_back(ResourceInput(r, t));
    const Value& input = inputs.back();
    for (size_t ci : set.ResourceChecks(r.type)) RunCheck(set, ci, input, t, &r, nullptr, uri, baseline, report);
  }
  if (!set.TemplateChecks().empty()) {
    std::map<std::string, const iac::Resource*, std::less<>> by_address;
    for (const iac::Resource& r : t.resources) by_address.emplace(r.address, &r);
    Value input = Value::Object({{Str("format"), Str(t.format)},
                                 {Str("file"), Str(t.file)},
                                 {Str("resources"), Value::Array(inputs)},
                                 {Str("document"), t.document.is_defined() ? t.document : Value::Null()}});
    std::set<std::string_view> types;
    for (const iac::Resource& r : t.resources) types.insert(r.type);
    for (size_t ci : set.TemplateChecks()) {
      // A whole-template check about some resource types has nothing to say
      // about a template without any of them.
      const auto& wanted = set.checks()[ci].resource_types;
      if (!wanted.empty() &&
          std::none_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return types.count(w) > 0; }))
        continue;
      RunCheck(set, ci, input, t, nullptr, &by_address, uri, baseline, report);
    }
  }
  std::stable_sort(report.findings.begin(), report.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.risk.score() != b.risk.score()) return a.risk.score() > b.risk.score();
    return a.line < b.line;
  });
  for (const Finding& f : report.findings)
    if (!f.suppressed) report.risk += f.risk.score();
  return report;
}

Result<ScanResult> Scan(const CheckSet& set, const ScanOptions& options) {
  ScanResult result;
  std::error_code ec;
  fs::path root = fs::absolute(options.root.empty() ? fs::path(".") : fs::path(options.root), ec).lexically_normal();
  if (root.has_filename() == false && root.has_parent_path()) root = root.parent_path();
  result.root = root.generic_string();
  CUSTODY_ASSIGN_OR_RETURN(std::vector<std::string> files, CollectFiles(options.paths));
  std::set<std::string> named(options.paths.begin(), options.paths.end());

  std::vector<TemplateReport> reports(files.size());
  std::vector<char> keep(files.size(), 1);
  std::atomic<size_t> done{0};
  std::atomic<int64_t> load_ns{0}, eval_ns{0};
  ThreadPool pool(options.threads);
  pool.ParallelFor(files.size(), [&](size_t i, size_t) {
    auto t0 = std::chrono::steady_clock::now();
    const std::string& file = files[i];
    TemplateReport& report = reports[i];
    report.file = file;
    report.uri = RelativeUri(file, root);
    auto content = ReadFile(file, size_t{64} << 20);
    std::string format;
    if (!content.ok()) {
      report.error = content.error().message();
    } else {
      format = iac::DetectFormat(file, *content);
      if (format.empty()) {
        if (named.count(file)) {
          report.error = file + ": not infrastructure-as-code custody can scan (CloudFormation/SAM, Terraform, "
                                "Terraform plan JSON, Kubernetes, Serverless Framework)";
        } else {
          keep[i] = 0;
        }
      }
    }
    if (report.error.empty() && keep[i]) {
      auto tmpl = iac::LoadTemplate(file, *content, format);
      auto t1 = std::chrono::steady_clock::now();
      load_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count();
      if (!tmpl.ok()) {
        report.format = format;
        report.error = tmpl.error().message();
      } else {
        report = ScanTemplate(set, *tmpl, report.uri, options.baseline);
        report.file = file;
      }
      eval_ns += std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t1).count();
    }
    size_t n = ++done;
    if (options.progress) options.progress(n, files.size());
  });
  for (size_t i = 0; i < files.size(); ++i) {
    if (keep[i]) result.templates.push_back(std::move(reports[i]));
    else ++result.files_skipped;
  }
  result.load_seconds = static_cast<double>(load_ns.load()) / 1e9;
  result.eval_seconds = static_cast<double>(eval_ns.load()) / 1e9;
  return result;
}

}  // namespace custody::scan
