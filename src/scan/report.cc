#include "scan/report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "core/file.h"

namespace custody::scan {
namespace {

Json Strings(const std::vector<std::string>& v) {
  Json out = Json::array();
  for (const auto& s : v) out.push_back(s);
  return out;
}

double Round2(double x) { return std::round(x * 100) / 100; }

Json RiskJson(const RiskFactors& r) {
  return {{"score", Round2(r.score())},
          {"severity_weight", r.severity},
          {"exposure", r.exposure},
          {"data_sensitivity", r.data_sensitivity},
          {"blast_radius", r.blast_radius}};
}

Json FindingJson(const Finding& f, const CheckSet& checks) {
  const Check& c = checks.checks()[f.check];
  Json j = {{"rule_id", f.rule_id},
            {"title", c.title},
            {"severity", SeverityName(f.severity)},
            {"message", f.message},
            {"file", f.file},
            {"uri", f.uri},
            {"line", f.line},
            {"resource", f.resource},
            {"resource_type", f.resource_type},
            {"path", Strings(f.path)},
            {"risk", RiskJson(f.risk)},
            {"fingerprint", f.fingerprint},
            {"suppressed", f.suppressed},
            {"checkov", Strings(c.checkov)},
            {"kics", Strings(c.kics)},
            {"trivy", Strings(c.trivy)},
            {"cfn_guard", Strings(c.cfn_guard)},
            {"cfn_nag", Strings(c.cfn_nag)},
            {"remediation", c.remediation},
            {"fixable", f.fix.is_defined()}};
  if (f.suppressed) j["suppression"] = {{"kind", f.suppression_kind}, {"justification", f.justification}};
  return j;
}

// A rule's name for SARIF (PascalCase of the id's words).
std::string RuleName(const std::string& id) {
  std::string out;
  bool up = true;
  for (char ch : id) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch)))
              : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    up = false;
  }
  return out.empty() ? "Check" : out;
}

std::string Fixed(double x, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string HelpText(const Check& c) {
  std::string text = c.title.empty() ? c.id : c.title;
  if (!c.description.empty()) text += "\n\n" + c.description;
  if (!c.remediation.empty()) text += "\n\nRemediation: " + c.remediation;
  auto ids = [&](const char* tool, const std::vector<std::string>& v) {
    if (v.empty()) return;
    text += std::string("\n") + tool + ": ";
    for (size_t i = 0; i < v.size(); ++i) text += (i ? ", " : "") + v[i];
  };
  if (!c.checkov.empty() || !c.kics.empty() || !c.trivy.empty() || !c.cfn_guard.empty() || !c.cfn_nag.empty())
    text += "\n";
  ids("Checkov", c.checkov);
  ids("KICS", c.kics);
  ids("Trivy", c.trivy);
  ids("cfn-guard", c.cfn_guard);
  ids("cfn_nag", c.cfn_nag);
  if (!c.follows.empty()) text += "\nWhere the tools disagree this check follows " + c.follows + ".";
  return text;
}

std::string HelpMarkdown(const Check& c) {
  std::string md = "**" + (c.title.empty() ? c.id : c.title) + "** (" + SeverityName(c.severity) + ")";
  if (!c.description.empty()) md += "\n\n" + c.description;
  if (!c.remediation.empty()) md += "\n\n**Remediation:** " + c.remediation;
  auto ids = [&](const char* tool, const std::vector<std::string>& v) {
    if (v.empty()) return;
    md += std::string("\n\n") + tool + ": ";
    for (size_t i = 0; i < v.size(); ++i) md += (i ? ", `" : "`") + v[i] + "`";
  };
  ids("Checkov", c.checkov);
  ids("KICS", c.kics);
  ids("Trivy", c.trivy);
  ids("cfn-guard", c.cfn_guard);
  ids("cfn_nag", c.cfn_nag);
  if (!c.follows.empty()) md += "\n\nWhere the tools disagree this check follows " + c.follows + ".";
  return md;
}

std::string FileUri(const std::string& abs_dir) {
  std::string out = "file://";
  for (unsigned char ch : abs_dir) {
    if (std::isalnum(ch) || std::string_view("/-._~").find(static_cast<char>(ch)) != std::string_view::npos) {
      out += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  if (out.back() != '/') out += '/';
  return out;
}

// A relative reference as RFC 3986 wants it: path characters kept, others
// percent-encoded.
std::string UriPath(const std::string& path) {
  std::string out;
  for (unsigned char ch : path) {
    if (std::isalnum(ch) || std::string_view("/-._~!$&'()*+,;=:@").find(static_cast<char>(ch)) != std::string_view::npos) {
      out += static_cast<char>(ch);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", ch);
      out += buf;
    }
  }
  return out;
}

}  // namespace

double SecuritySeverity(Severity s) {
  switch (s) {
    case Severity::kCritical: return 9.5;
    case Severity::kHigh: return 8.0;
    case Severity::kMedium: return 5.5;
    case Severity::kLow: return 3.0;
    case Severity::kInfo: return 0.5;
  }
  return 5.5;
}

const char* SarifLevel(Severity s) {
  if (s >= Severity::kHigh) return "error";
  if (s == Severity::kMedium) return "warning";
  return "note";
}

Json ScanJson(const ScanResult& result, const CheckSet& checks, double compile_seconds) {
  Json findings = Json::array();
  std::map<std::string, int> by_severity = {{"CRITICAL", 0}, {"HIGH", 0}, {"MEDIUM", 0}, {"LOW", 0}, {"INFO", 0}};
  size_t suppressed = 0, errors = 0;
  double risk = 0;
  for (const Finding* f : result.AllFindings()) {
    findings.push_back(FindingJson(*f, checks));
    if (f->suppressed) {
      ++suppressed;
    } else {
      ++by_severity[SeverityName(f->severity)];
      risk += f->risk.score();
    }
  }
  Json templates = Json::array();
  for (const TemplateReport& t : result.templates) {
    Json j = {{"file", t.file},         {"uri", t.uri},
              {"format", t.format},     {"resources", t.resources},
              {"findings", t.findings.size()}, {"risk", Round2(t.risk)}};
    j["resource_types"] = t.resource_types;
    if (!t.suppressions.empty()) {
      Json list = Json::array();
      for (const auto& [address, id] : t.suppressions) list.push_back({{"resource", address}, {"id", id}});
      j["suppressions"] = list;
    }
    if (!t.error.empty()) {
      j["error"] = t.error;
      ++errors;
    }
    if (!t.warnings.empty()) j["warnings"] = Strings(t.warnings);
    templates.push_back(j);
  }
  Json summary = {{"templates", result.templates.size()},
                  {"resources", result.resources()},
                  {"checks", checks.checks().size()},
                  {"findings", findings.size() - suppressed},
                  {"suppressed", suppressed},
                  {"errors", errors},
                  {"by_severity", by_severity},
                  {"risk", Round2(risk)},
                  {"files_skipped", result.files_skipped},
                  {"compile_seconds", compile_seconds},
                  {"load_seconds", result.load_seconds},
                  {"eval_seconds", result.eval_seconds}};
  return {{"ok", true}, {"root", result.root}, {"summary", summary}, {"findings", findings}, {"templates", templates}};
}

Json ScanSarif(const ScanResult& result, const CheckSet& checks, const std::string& version) {
  Json rules = Json::array();
  for (const Check& c : checks.checks()) {
    std::string title = c.title.empty() ? c.id : c.title;
    Json props = {{"security-severity", Fixed(SecuritySeverity(c.severity), 1)},
                  {"tags", Json::array({"security", "iac"})},
                  {"precision", "high"},
                  {"severity", SeverityName(c.severity)},
                  {"checkov", Strings(c.checkov)},
                  {"kics", Strings(c.kics)}};
    if (!c.trivy.empty()) props["trivy"] = Strings(c.trivy);
    if (!c.cfn_guard.empty()) props["cfn_guard"] = Strings(c.cfn_guard);
    if (!c.cfn_nag.empty()) props["cfn_nag"] = Strings(c.cfn_nag);
    if (!c.resource_types.empty()) props["resource_types"] = Strings(c.resource_types);
    Json rule = {{"id", c.id},
                 {"name", RuleName(c.id)},
                 {"shortDescription", {{"text", title}}},
                 {"fullDescription", {{"text", c.description.empty() ? title : c.description}}},
                 {"help", {{"text", HelpText(c)}, {"markdown", HelpMarkdown(c)}}},
                 {"defaultConfiguration", {{"level", SarifLevel(c.severity)}}},
                 {"properties", props}};
    rules.push_back(rule);
  }
  Json results = Json::array();
  for (const Finding* f : result.AllFindings()) {
    Json location = {{"physicalLocation",
                      {{"artifactLocation", {{"uri", UriPath(f->uri)}, {"uriBaseId", "SRCROOT"}}},
                       {"region", {{"startLine", f->line}}}}}};
    if (!f->resource.empty()) {
      location["logicalLocations"] =
          Json::array({{{"name", f->resource}, {"fullyQualifiedName", f->uri + "#" + f->resource}, {"kind", "resource"}}});
    }
    Json r = {{"ruleId", f->rule_id},
              {"ruleIndex", f->check},
              {"level", SarifLevel(f->severity)},
              {"message", {{"text", f->message}}},
              {"locations", Json::array({location})},
              {"partialFingerprints", {{"custodyFinding/v1", f->fingerprint}}},
              {"properties",
               {{"risk", Round2(f->risk.score())},
                {"severity", SeverityName(f->severity)},
                {"security-severity", Fixed(SecuritySeverity(f->severity), 1)},
                {"resourceType", f->resource_type}}}};
    if (f->suppressed) {
      r["suppressions"] = Json::array({{{"kind", f->suppression_kind}, {"status", "accepted"}, {"justification", f->justification}}});
    }
    results.push_back(r);
  }
  Json notifications = Json::array();
  for (const TemplateReport& t : result.templates) {
    auto note = [&](const std::string& text, const char* level) {
      notifications.push_back({{"level", level},
                               {"message", {{"text", text}}},
                               {"locations", Json::array({{{"physicalLocation",
                                                            {{"artifactLocation",
                                                              {{"uri", UriPath(t.uri)}, {"uriBaseId", "SRCROOT"}}}}}}})}});
    };
    if (!t.error.empty()) note(t.error, "error");
    for (const auto& w : t.warnings) note(w, "warning");
  }
  Json invocation = {{"executionSuccessful", true}};
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;
  Json run = {{"tool",
               {{"driver",
                 {{"name", "custody"},
                  {"informationUri", "https://github.com/custody/custody/blob/main/docs/commands/scan.md"},
                  {"version", version},
                  {"rules", rules}}}}},
              {"originalUriBaseIds", {{"SRCROOT", {{"uri", FileUri(result.root)}}}}},
              {"invocations", Json::array({invocation})},
              {"results", results},
              {"columnKind", "unicodeCodePoints"}};
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"}, {"runs", Json::array({run})}};
}

void PrintScanTable(std::ostream& out, const ScanResult& result, const CheckSet& checks, bool color) {
  auto paint = [&](const char* code, const std::string& text) {
    return color ? std::string("\033[") + code + "m" + text + "\033[0m" : text;
  };
  auto sev_color = [](Severity s) {
    return s >= Severity::kHigh ? "31" : s == Severity::kMedium ? "33" : "36";
  };
  auto all = result.AllFindings();
  size_t open = 0, suppressed = 0;
  for (const Finding* f : all) (f->suppressed ? suppressed : open)++;
  if (open > 0) {
    char head[160];
    std::snprintf(head, sizeof head, "%6s  %-8s  %-34s  %s\n", "RISK", "SEVERITY", "RULE", "LOCATION / RESOURCE / MESSAGE");
    out << paint("1", head);
  }
  for (const Finding* f : all) {
    if (f->suppressed) continue;
    char buf[128];
    std::snprintf(buf, sizeof buf, "%6.1f  ", f->risk.score());
    out << buf;
    std::string sev = SeverityName(f->severity);
    sev.resize(8, ' ');
    out << paint(sev_color(f->severity), sev) << "  ";
    std::string rule = f->rule_id;
    if (rule.size() < 34) rule.resize(34, ' ');
    out << rule << "  " << f->uri << ":" << f->line;
    if (!f->resource.empty()) out << "  " << f->resource << " (" << f->resource_type << ")";
    out << "\n" << std::string(54, ' ') << f->message << "\n";
  }
  if (suppressed > 0) {
    out << "\n" << paint("1", "suppressed") << "\n";
    for (const Finding* f : all) {
      if (!f->suppressed) continue;
      out << "  " << f->rule_id << "  " << f->uri << ":" << f->line << "  " << f->resource << "  ("
          << (f->suppression_kind == "external" ? "baseline" : "in source") << ": " << f->justification << ")\n";
    }
  }
  size_t errors = 0;
  for (const TemplateReport& t : result.templates) {
    if (!t.error.empty()) {
      ++errors;
      out << paint("31", "error") << ": " << t.error << "\n";
    }
    for (const auto& w : t.warnings) out << "warning: " << t.uri << ": " << w << "\n";
  }
  std::map<Severity, size_t> counts;
  for (const Finding* f : all)
    if (!f->suppressed) ++counts[f->severity];
  out << "\n" << result.templates.size() << " template" << (result.templates.size() == 1 ? "" : "s") << ", "
      << result.resources() << " resource" << (result.resources() == 1 ? "" : "s") << ", " << checks.checks().size()
      << " checks: " << (open == 0 ? paint("32", "no findings") : paint("1", std::to_string(open) + " finding" + (open == 1 ? "" : "s")));
  if (open > 0) {
    out << " (";
    bool first = true;
    for (Severity s : {Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kInfo}) {
      if (!counts[s]) continue;
      out << (first ? "" : ", ") << counts[s] << " " << SeverityName(s);
      first = false;
    }
    out << ")";
  }
  if (suppressed) out << ", " << suppressed << " suppressed";
  if (errors) out << ", " << errors << " not loaded";
  out << "\n";
}

Json BaselineJson(const ScanResult& result, const CheckSet& checks) {
  (void)checks;
  Json entries = Json::array();
  for (const Finding* f : result.AllFindings()) {
    if (f->suppressed && f->suppression_kind == "inSource") continue;
    entries.push_back({{"fingerprint", f->fingerprint},
                       {"rule_id", f->rule_id},
                       {"uri", f->uri},
                       {"resource", f->resource},
                       {"message", f->message}});
  }
  return {{"version", 1}, {"findings", entries}};
}

Result<std::set<std::string>> ReadBaseline(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(path, size_t{64} << 20));
  CUSTODY_ASSIGN_OR_RETURN(Json j, ParseJson(text, path));
  if (!j.is_object()) return Error::Input(path + ": a baseline is a JSON object {\"version\": 1, \"findings\": [...]}");
  if (!j.contains("version") || j["version"] != 1) {
    return Error::Input(path + ": unsupported baseline version (want \"version\": 1; see docs/formats/scan-baseline.md)");
  }
  if (!j.contains("findings") || !j["findings"].is_array()) return Error::Input(path + ": \"findings\" must be an array");
  std::set<std::string> out;
  size_t i = 0;
  for (const Json& e : j["findings"]) {
    std::string where = path + ": findings[" + std::to_string(i++) + "]";
    const Json* fp = nullptr;
    if (e.is_string()) fp = &e;
    else if (e.is_object() && e.contains("fingerprint")) fp = &e["fingerprint"];
    if (!fp || !fp->is_string()) return Error::Input(where + ": give a \"fingerprint\" string");
    std::string s = fp->get<std::string>();
    if (s.size() != 64 || s.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Error::Input(where + ": fingerprint '" + s + "' is not 64 lower-case hex digits");
    }
    out.insert(s);
  }
  return out;
}

}  // namespace custody::scan
