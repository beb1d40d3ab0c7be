#include "rego/loader.h"

#include <algorithm>
#include <filesystem>

#include "core/file.h"
#include "core/yaml.h"
#include "rego/yaml_value.h"

namespace custody::rego {

namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Result<Value> MergeValues(const Value& a, const Value& b, const std::string& where) {
  if (a.is_undefined()) return b;
  if (a.is_object() && b.is_object()) {
    ObjectEntries out = a.object();
    for (const auto& [k, v] : b.object()) {
      bool found = false;
      for (auto& e : out) {
        if (Compare(e.first, k) == 0) {
          CUSTODY_ASSIGN_OR_RETURN(e.second, MergeValues(e.second, v, where));
          found = true;
          break;
        }
      }
      if (!found) out.emplace_back(k, v);
    }
    return Value::Object(std::move(out));
  }
  if (Compare(a, b) == 0) return a;
  return Error::Input(where + ": conflicts with data loaded from another file at the same path");
}

}  // namespace

Result<Value> LoadDocument(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (EndsWith(path, ".yaml") || EndsWith(path, ".yml")) {
    CUSTODY_ASSIGN_OR_RETURN(YamlNode node, ParseYaml(text, path));
    return YamlToValue(node);
  }
  return ParseJsonValue(text, path);
}

Result<Value> MergeAt(const Value& data, const std::vector<std::string>& path, const Value& doc,
                      const std::string& source) {
  Value wrapped = doc;
  for (auto it = path.rbegin(); it != path.rend(); ++it) wrapped = Value::Object({{Value::String(*it), wrapped}});
  return MergeValues(data, wrapped, source);
}

Result<LoadedFiles> LoadPolicyPaths(const std::vector<std::string>& paths) {
  LoadedFiles out;
  for (const std::string& root : paths) {
    std::error_code ec;
    if (fs::is_regular_file(root, ec)) {
      if (EndsWith(root, ".rego")) {
        CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(root));
        out.modules.push_back({root, std::move(text)});
      } else {
        CUSTODY_ASSIGN_OR_RETURN(Value doc, LoadDocument(root));
        CUSTODY_ASSIGN_OR_RETURN(out.data, MergeAt(out.data, {}, doc, root));
      }
      continue;
    }
    if (!fs::is_directory(root, ec)) return Error::Input(root + ": no such file or directory");
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (ec) return Error::Input(root + ": " + ec.message());
      std::string name = it->path().filename().string();
      if (!name.empty() && name[0] == '.') {
        if (it->is_directory()) it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string p = f.string();
      if (EndsWith(p, ".rego")) {
        CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(f));
        out.modules.push_back({p, std::move(text)});
      } else if (EndsWith(p, ".json") || EndsWith(p, ".yaml") || EndsWith(p, ".yml")) {
        CUSTODY_ASSIGN_OR_RETURN(Value doc, LoadDocument(p));
        std::vector<std::string> at;
        for (const auto& part : fs::relative(f.parent_path(), root)) {
          std::string s = part.string();
          if (s != "." && !s.empty()) at.push_back(s);
        }
        CUSTODY_ASSIGN_OR_RETURN(out.data, MergeAt(out.data, at, doc, p));
      }
    }
  }
  return out;
}

}  // namespace custody::rego
