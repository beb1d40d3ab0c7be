#include "rego/conformance.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "core/file.h"
#include "core/yaml.h"
#include "rego/compiler.h"
#include "rego/eval.h"
#include "rego/builtins/encoding_yaml.h"

namespace custody::rego {

namespace {

namespace fs = std::filesystem;

const YamlNode* Field(const YamlNode& m, const char* key) {
  if (m.type != YamlNode::Type::kMapping) return nullptr;
  for (const auto& [k, v] : m.entries)
    if (k.scalar == key) return &v;
  return nullptr;
}

std::string ScalarField(const YamlNode& m, const char* key) {
  const YamlNode* f = Field(m, key);
  return f && f->type == YamlNode::Type::kScalar ? f->scalar : "";
}

bool BoolField(const YamlNode& m, const char* key) { return ScalarField(m, key) == "true"; }

// Values compared as OPA's runner compares them: through JSON, so sets
// become arrays and non-string object keys become strings.
Value Normalize(const Value& v, bool sort_arrays) {
  auto r = ParseJsonValue(v.ToJson(), "result");
  Value n = r.ok() ? *r : v;
  if (sort_arrays && n.is_array()) {
    ValueVector items = n.array();
    std::sort(items.begin(), items.end(), ValueLess());
    n = Value::Array(std::move(items));
  }
  return n;
}

// The case's expectation: a set of binding objects.
ValueVector ExpectedRows(const YamlNode& want, bool sort) {
  ValueVector rows;
  for (const YamlNode& row : want.items) {
    auto typed = goyaml::FromNode(row);
    Value v = typed.ok() ? *typed : Value::Null();
    ObjectEntries e;
    for (const auto& [k, x] : v.object()) e.emplace_back(k, Normalize(x, sort));
    rows.push_back(Value::Object(std::move(e)));
  }
  return rows;
}

// Cases whose http.send would reach a server. http.send calls that fail on
// their arguments before any request (unknown keys, missing url) run, as do
// mocked ones (`with http.send as ...`) and net.lookup_ip_addr, which answers
// IP literals and localhost offline.
bool UsesNetwork(const YamlNode& c, const std::string& text) {
  if (text.find("http.send") == std::string::npos) return false;
  if (text.find("with http.send as") != std::string::npos) return false;  // mocked
  return !Field(c, "want_error") && !Field(c, "want_error_code");
}

ConformanceCase RunCase(const YamlNode& c, const std::string& file, const std::string& folder, bool v0) {
  ConformanceCase out;
  out.file = file;
  out.folder = folder;
  out.note = ScalarField(c, "note");
  std::vector<SourceModule> modules;
  std::string all_text = ScalarField(c, "query");
  if (const YamlNode* m = Field(c, "modules")) {
    for (size_t i = 0; i < m->items.size(); ++i) {
      modules.push_back({"test-" + std::to_string(i) + ".rego", m->items[i].scalar});
      all_text += m->items[i].scalar;
    }
  }
  if (UsesNetwork(c, all_text)) {
    out.status = ConformanceCase::Status::kSkip;
    out.reason = "needs the network (http.send to a server)";
    return out;
  }
  Value data = Value::EmptyObject();
  if (const YamlNode* d = Field(c, "data")) {
    auto typed = goyaml::FromNode(*d);
    if (!typed.ok()) {
      out.status = ConformanceCase::Status::kFail;
      out.reason = "data: " + typed.error().message();
      return out;
    }
    data = *typed;
  }
  if (!data.is_object()) data = Value::EmptyObject();
  EvalOptions eo;
  eo.strict_builtin_errors = BoolField(c, "strict_error");
  eo.now_ns = 0;
  if (const YamlNode* in = Field(c, "input")) {
    auto typed = goyaml::FromNode(*in);
    if (!typed.ok()) {
      out.status = ConformanceCase::Status::kFail;
      out.reason = "input: " + typed.error().message();
      return out;
    }
    eo.input = *typed;
  }

  const YamlNode* want = Field(c, "want_result");
  std::string want_error = ScalarField(c, "want_error");
  std::string want_code = ScalarField(c, "want_error_code");
  bool expect_error = Field(c, "want_error") || Field(c, "want_error_code");

  auto fail = [&](const std::string& why) {
    out.status = ConformanceCase::Status::kFail;
    out.reason = why;
    return out;
  };
  auto check_error = [&](const Error& e) {
    if (!expect_error) return fail("unexpected error: " + e.message());
    const std::string& msg = e.message();
    if (!want_code.empty() && msg.find(want_code) == std::string::npos)
      return fail("want error code " + want_code + ", got: " + msg);
    if (!want_error.empty() && msg.find(want_error) == std::string::npos)
      return fail("want error containing \"" + want_error + "\", got: " + msg);
    out.status = ConformanceCase::Status::kPass;
    return out;
  };

  CompileOptions co;
  co.version = v0 ? RegoVersion::kV0 : RegoVersion::kV1;
  co.v0_fallback = false;
  auto policy = Compile(modules, data, co);
  if (!policy.ok()) return check_error(policy.error());
  RegoVersion qv = v0 ? RegoVersion::kV0 : RegoVersion::kV1;
  if (const YamlNode* it = Field(c, "input_term")) {
    auto q = (*policy)->CompileQuery("__input_term__ = " + it->scalar, qv);
    if (!q.ok()) return check_error(q.error());
    auto rows = Evaluate(**policy, *q, EvalOptions{});
    if (!rows.ok()) return check_error(rows.error());
    if (rows->empty() || rows->front().bindings.empty()) return fail("input_term is undefined");
    eo.input = rows->front().bindings.front().second;
  }
  auto q = (*policy)->CompileQuery(ScalarField(c, "query"), qv);
  if (!q.ok()) return check_error(q.error());
  auto rows = Evaluate(**policy, *q, eo);
  if (!rows.ok()) return check_error(rows.error());
  if (expect_error && !want) return fail("want an error, got " + std::to_string(rows->size()) + " result(s)");
  if (!want) return fail("case has no expectation");
  bool sort = BoolField(c, "sort_bindings");
  ValueVector expected = ExpectedRows(*want, sort);
  ValueVector got;
  for (const QueryRow& r : *rows) {
    ObjectEntries e;
    for (const auto& [name, v] : r.bindings) {
      if (name.rfind("__", 0) == 0) continue;
      e.emplace_back(Value::String(name), Normalize(v, sort));
    }
    got.push_back(Value::Object(std::move(e)));
  }
  Value want_set = Value::Set(expected);
  Value got_set = Value::Set(got);
  if (Compare(want_set, got_set) != 0) {
    std::string g = got_set.ToJson();
    if (g.size() > 400) g = g.substr(0, 400) + "...";
    std::string w = want_set.ToJson();
    if (w.size() > 400) w = w.substr(0, 400) + "...";
    return fail("want " + w + ", got " + g);
  }
  out.status = ConformanceCase::Status::kPass;
  return out;
}

}  // namespace

Result<ConformanceReport> RunConformance(const std::vector<std::string>& dirs, const ConformanceOptions& options) {
  std::vector<fs::path> files;
  for (const std::string& d : dirs) {
    std::error_code ec;
    if (fs::is_regular_file(d, ec)) {
      files.emplace_back(d);
      continue;
    }
    if (!fs::is_directory(d, ec)) return Error::Input(d + ": no such directory (give the folder of OPA's YAML cases)");
    for (auto it = fs::recursive_directory_iterator(d, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) break;
      if (it->is_regular_file() && it->path().extension() == ".yaml") files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  ConformanceReport report;
  size_t done = 0;
  for (const fs::path& f : files) {
    std::string path = f.string();
    // The folder: "<v0|v1>/<name>" when the path has a v0/v1 component.
    std::string folder = f.parent_path().filename().string();
    std::string version = f.parent_path().parent_path().filename().string();
    bool v0 = version == "v0";
    if (version == "v0" || version == "v1") folder = version + "/" + folder;
    auto text = ReadFile(path);
    if (!text.ok()) return text.error();
    auto doc = ParseYaml(*text, path);
    if (!doc.ok()) return doc.error();
    const YamlNode* cases = Field(*doc, "cases");
    if (cases) {
      for (const YamlNode& c : cases->items) {
        ConformanceCase r = RunCase(c, path, folder, v0);
        FolderCount& fc = report.folders[folder];
        switch (r.status) {
          case ConformanceCase::Status::kPass:
            ++fc.passed;
            ++report.passed;
            break;
          case ConformanceCase::Status::kFail:
            ++fc.failed;
            ++report.failed;
            break;
          case ConformanceCase::Status::kSkip:
            ++fc.skipped;
            ++report.skipped;
            break;
        }
        report.cases.push_back(std::move(r));
      }
    }
    ++done;
    if (options.progress) options.progress(done, files.size());
  }
  return report;
}

}  // namespace custody::rego
