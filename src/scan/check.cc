#include "scan/check.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "core/embedded.h"
#include "rego/eval.h"
#include "rego/loader.h"

namespace custody::scan {
namespace {

using rego::Value;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && Upper(a) == Upper(b);
}

// `data["a"]["b"]` for a package path: quoted, so any key works.
std::string DataRef(const std::vector<Value>& path) {
  std::string out = "data";
  for (const Value& v : path) {
    out += "[";
    v.AppendJson(out);
    out += "]";
  }
  return out;
}

std::string DottedName(const std::vector<Value>& path) {
  std::string out;
  for (const Value& v : path) {
    if (!out.empty()) out += ".";
    out += v.is_string() ? v.as_string() : v.ToJson();
  }
  return out;
}

std::string StringField(const Value& obj, std::string_view key) {
  const Value* v = obj.FindKey(key);
  return v && v->is_string() ? v->as_string() : "";
}

// A list of strings (array or set); a single string is a list of one.
std::vector<std::string> StringList(const Value& obj, std::string_view key) {
  std::vector<std::string> out;
  const Value* v = obj.FindKey(key);
  if (!v) return out;
  if (v->is_string()) {
    out.push_back(v->as_string());
  } else if (v->is_array() || v->is_set()) {
    for (const Value& item : v->is_array() ? v->array() : v->set())
      if (item.is_string()) out.push_back(item.as_string());
  }
  return out;
}

double NumberField(const Value& obj, std::string_view key) {
  const Value* v = obj.FindKey(key);
  return v && v->is_number() && v->as_double() > 0 ? v->as_double() : 0;
}

bool HasRules(const rego::CompiledPolicy& policy, std::vector<Value> path, const char* name) {
  path.push_back(Value::String(name));
  const rego::DocNode* node = policy.Find(path);
  return node && (!node->rules.empty() || !node->defaults.empty());
}

Result<Check> DescribeCheck(const rego::CompiledPolicy& policy, const std::vector<Value>& path, bool builtin) {
  Check c;
  c.package = DottedName(path);
  c.id = c.package;
  c.builtin = builtin;
  c.has_deny = HasRules(policy, path, "deny");
  c.has_warn = HasRules(policy, path, "warn");
  if (!HasRules(policy, path, "metadata")) return c;
  CUSTODY_ASSIGN_OR_RETURN(auto query, policy.CompileQuery(DataRef(path) + ".metadata", rego::RegoVersion::kV1));
  rego::EvalOptions eo;
  auto rows = rego::Evaluate(policy, query, eo);
  if (!rows.ok()) return rows.error().WithContext("evaluating the metadata of " + c.package);
  if (rows->empty() || rows->front().expressions.empty()) return c;
  const Value& m = rows->front().expressions.front();
  if (!m.is_object()) return Error::Input("the metadata of check " + c.package + " is a " + m.TypeName() +
                                          "; it must be an object (see docs/formats/posture-policy.md)");
  if (std::string id = StringField(m, "id"); !id.empty()) c.id = id;
  c.title = StringField(m, "title");
  if (std::string sev = StringField(m, "severity"); !sev.empty() && !ParseSeverity(sev, &c.severity)) {
    return Error::Input("check " + c.package + ": severity '" + sev +
                        "' is not one of CRITICAL, HIGH, MEDIUM, LOW, INFO");
  }
  c.resource_types = StringList(m, "resource_types");
  std::string scope = StringField(m, "scope");
  if (!scope.empty() && scope != "resource" && scope != "template") {
    return Error::Input("check " + c.package + ": scope '" + scope + "' must be \"resource\" or \"template\"");
  }
  c.template_scope = scope == "template";
  c.checkov = StringList(m, "checkov");
  c.kics = StringList(m, "kics");
  c.trivy = StringList(m, "trivy");
  c.cfn_guard = StringList(m, "cfn_guard");
  c.cfn_nag = StringList(m, "cfn_nag");
  c.follows = StringField(m, "follows");
  c.remediation = StringField(m, "remediation");
  c.description = StringField(m, "description");
  c.exposure = NumberField(m, "exposure");
  c.data_sensitivity = NumberField(m, "data_sensitivity");
  c.blast_radius = NumberField(m, "blast_radius");
  if (const Value* fix = m.FindKey("fix"); fix && fix->is_object()) c.fix = *fix;
  return c;
}

}  // namespace

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kCritical: return "CRITICAL";
    case Severity::kHigh: return "HIGH";
    case Severity::kMedium: return "MEDIUM";
    case Severity::kLow: return "LOW";
    case Severity::kInfo: return "INFO";
  }
  return "MEDIUM";
}

bool ParseSeverity(const std::string& text, Severity* out) {
  std::string u = Upper(text);
  if (u == "CRITICAL") *out = Severity::kCritical;
  else if (u == "HIGH" || u == "ERROR") *out = Severity::kHigh;
  else if (u == "MEDIUM" || u == "WARNING") *out = Severity::kMedium;
  else if (u == "LOW" || u == "NOTE") *out = Severity::kLow;
  else if (u == "INFO") *out = Severity::kInfo;
  else return false;
  return true;
}

std::vector<std::string> Check::AllIds() const {
  std::vector<std::string> ids = {id};
  for (const auto* list : {&checkov, &kics, &trivy, &cfn_guard, &cfn_nag}) ids.insert(ids.end(), list->begin(), list->end());
  return ids;
}

bool Check::Matches(const std::string& other) const {
  for (const std::string& x : AllIds())
    if (EqualsIgnoreCase(x, other)) return true;
  // Trivy ids are written both as AVD-AWS-0066 and AWS-0066.
  for (const std::string& x : trivy)
    if (x.size() > 4 && EqualsIgnoreCase(x.substr(0, 4), "AVD-") && EqualsIgnoreCase(x.substr(4), other)) return true;
  return false;
}

Result<std::shared_ptr<const CheckSet>> CheckSet::Load(const CheckSetOptions& options) {
  auto start = std::chrono::steady_clock::now();
  std::vector<rego::SourceModule> sources;
  std::set<std::string> builtin_files;
  if (options.builtin) {
    for (const EmbeddedFile& f : EmbeddedPolicyFiles()) {
      std::string_view p = f.path;
      if (!p.starts_with("posture/") || !p.ends_with(".rego") || p.ends_with("_test.rego")) continue;
      std::string name = "policies/" + std::string(p);
      builtin_files.insert(name);
      sources.push_back({name, std::string(f.content)});
    }
  }
  Value data = Value::EmptyObject();
  if (!options.policy_dirs.empty()) {
    CUSTODY_ASSIGN_OR_RETURN(rego::LoadedFiles user, rego::LoadPolicyPaths(options.policy_dirs));
    if (user.modules.empty()) {
      std::string dirs;
      for (const auto& d : options.policy_dirs) dirs += (dirs.empty() ? "" : ", ") + d;
      return Error::Input("--policy " + dirs + ": no .rego files found");
    }
    for (auto& m : user.modules) sources.push_back(std::move(m));
    data = user.data;
  }
  CUSTODY_ASSIGN_OR_RETURN(data, rego::MergeAt(data, {"custody", "scan"}, options.scan_data, "scan options"));
  rego::CompileOptions co;
  CUSTODY_ASSIGN_OR_RETURN(auto policy, rego::Compile(sources, data, co));

  auto set = std::make_shared<CheckSet>();
  set->policy_ = policy;
  std::set<std::vector<Value>> seen;
  for (const auto& m : policy->modules) {
    if (!seen.insert(m->package_path).second) continue;
    if (!HasRules(*policy, m->package_path, "deny") && !HasRules(*policy, m->package_path, "warn")) continue;
    bool builtin = m->file && builtin_files.count(*m->file) > 0;
    CUSTODY_ASSIGN_OR_RETURN(Check c, DescribeCheck(*policy, m->package_path, builtin));
    std::string ref = DataRef(m->package_path);
    std::unique_ptr<rego::CompiledQuery> deny, warn;
    if (c.has_deny) {
      CUSTODY_ASSIGN_OR_RETURN(auto q, policy->CompileQuery(ref + ".deny", rego::RegoVersion::kV1));
      deny = std::make_unique<rego::CompiledQuery>(std::move(q));
    }
    if (c.has_warn) {
      CUSTODY_ASSIGN_OR_RETURN(auto q, policy->CompileQuery(ref + ".warn", rego::RegoVersion::kV1));
      warn = std::make_unique<rego::CompiledQuery>(std::move(q));
    }
    set->checks_.push_back(std::move(c));
    set->deny_.push_back(std::move(deny));
    set->warn_.push_back(std::move(warn));
  }
  // Two checks with one id would make suppressions and baselines ambiguous.
  std::map<std::string, std::string> ids;
  for (const Check& c : set->checks_) {
    auto [it, fresh] = ids.emplace(c.id, c.package);
    if (!fresh) {
      return Error::Input("checks " + it->second + " and " + c.package + " both have the id " + c.id +
                          "; give each check its own metadata.id");
    }
  }
  for (size_t i = 0; i < set->checks_.size(); ++i) {
    const Check& c = set->checks_[i];
    if (c.template_scope) {
      set->template_checks_.push_back(i);
    } else if (c.resource_types.empty()) {
      set->untyped_.push_back(i);
    } else {
      for (const std::string& t : c.resource_types) {
        auto& list = set->by_type_[t];
        if (list.empty() || list.back() != i) list.push_back(i);
      }
    }
  }
  for (auto& [type, list] : set->by_type_) {
    list.insert(list.end(), set->untyped_.begin(), set->untyped_.end());
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  set->compile_seconds_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::shared_ptr<const CheckSet>(std::move(set));
}

const std::vector<size_t>& CheckSet::ResourceChecks(const std::string& type) const {
  auto it = by_type_.find(type);
  return it == by_type_.end() ? untyped_ : it->second;
}

}  // namespace custody::scan
