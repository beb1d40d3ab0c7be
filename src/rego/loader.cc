#include "rego/loader.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>

#include "core/file.h"
#include "core/yaml.h"
#include "rego/builtins/encoding_yaml.h"

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

// Reads a gzip-compressed tar archive into (path, contents) pairs (regular
// files only; ustar and GNU long names). Bounded: 64 MiB uncompressed per
// file and 1 GiB in all.
Result<std::vector<std::pair<std::string, std::string>>> ReadTarGz(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (!gz) return Error::Input(path + ": cannot open (" + ErrnoMessage() + ")");
  std::string data;
  char buf[65536];
  while (true) {
    int n = gzread(gz, buf, sizeof buf);
    if (n < 0) {
      int err = 0;
      std::string msg = gzerror(gz, &err);
      gzclose(gz);
      return Error::Input(path + ": not a valid gzip archive (" + msg + ")");
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > (size_t{1} << 30)) {
      gzclose(gz);
      return Error::Input(path + ": bundle larger than 1 GiB uncompressed");
    }
  }
  gzclose(gz);
  if (data.size() < 512) return Error::Input(path + ": not a tar.gz bundle (too short for a tar header)");
  std::vector<std::pair<std::string, std::string>> files;
  size_t off = 0;
  std::string long_name;
  while (off + 512 <= data.size()) {
    const char* h = data.data() + off;
    bool zero = true;
    for (int i = 0; i < 512 && zero; ++i) zero = h[i] == 0;
    if (zero) break;
    auto field = [&](size_t at, size_t len) {
      std::string f(h + at, len);
      return f.substr(0, f.find('\0'));
    };
    // The header checksum: the byte sum with the checksum field as spaces.
    uint64_t sum = 0;
    for (int i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? 32u : static_cast<unsigned char>(h[i]);
    uint64_t stored = 0;
    for (char c : field(148, 8))
      if (c >= '0' && c <= '7') stored = stored * 8 + static_cast<uint64_t>(c - '0');
    if (sum != stored)
      return Error::Input(path + ": not a tar.gz bundle (bad tar header checksum at byte " + std::to_string(off) + ")");
    std::string size_text = field(124, 12);
    uint64_t size = 0;
    for (char c : size_text) {
      if (c == ' ') continue;
      if (c < '0' || c > '7') return Error::Input(path + ": malformed tar header at byte " + std::to_string(off));
      size = size * 8 + static_cast<uint64_t>(c - '0');
    }
    char type = h[156];
    std::string name = field(0, 100);
    std::string prefix = field(345, 155);
    if (!prefix.empty()) name = prefix + "/" + name;
    off += 512;
    if (size > data.size() - off) return Error::Input(path + ": truncated tar archive (" + name + ")");
    std::string body = data.substr(off, size);
    off += (size + 511) / 512 * 512;
    if (type == 'L') {
      long_name = body.substr(0, body.find('\0'));
      continue;
    }
    if (!long_name.empty()) {
      name = long_name;
      long_name.clear();
    }
    if (type != '0' && type != '\0') continue;
    while (name.rfind("./", 0) == 0) name = name.substr(2);
    if (!name.empty() && name[0] == '/') name = name.substr(1);
    files.emplace_back(name, std::move(body));
  }
  return files;
}

Result<Value> DocumentFromText(const std::string& text, const std::string& name) {
  if (EndsWith(name, ".yaml") || EndsWith(name, ".yml")) {
    CUSTODY_ASSIGN_OR_RETURN(YamlNode node, ParseYaml(text, name));
    return goyaml::FromNode(node);
  }
  return ParseJsonValue(text, name);
}

// An OPA bundle archive: .rego modules, data.json / data.yaml at their
// directory's path, and a .manifest whose roots are checked.
Status LoadBundleArchive(const std::string& path, LoadedFiles& out) {
  CUSTODY_ASSIGN_OR_RETURN(auto files, ReadTarGz(path));
  for (auto& [name, body] : files) {
    std::string where = path + ":" + name;
    std::string base = name.substr(name.rfind('/') == std::string::npos ? 0 : name.rfind('/') + 1);
    if (EndsWith(name, ".rego")) {
      out.modules.push_back({where, std::move(body)});
    } else if (base == "data.json" || base == "data.yaml" || base == "data.yml") {
      CUSTODY_ASSIGN_OR_RETURN(Value doc, DocumentFromText(body, where));
      std::vector<std::string> at;
      std::string dir = name.size() > base.size() ? name.substr(0, name.size() - base.size() - 1) : "";
      size_t start = 0;
      while (start < dir.size()) {
        size_t slash = dir.find('/', start);
        std::string part = dir.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
        if (!part.empty()) at.push_back(part);
        if (slash == std::string::npos) break;
        start = slash + 1;
      }
      CUSTODY_ASSIGN_OR_RETURN(out.data, MergeAt(out.data, at, doc, where));
    }
  }
  return OkStatus();
}

}  // namespace

Result<Value> LoadDocument(const std::string& path) {
  CUSTODY_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  if (EndsWith(path, ".yaml") || EndsWith(path, ".yml")) {
    CUSTODY_ASSIGN_OR_RETURN(YamlNode node, ParseYaml(text, path));
    return goyaml::FromNode(node);
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
    if (fs::is_regular_file(root, ec) && (EndsWith(root, ".tar.gz") || EndsWith(root, ".tgz"))) {
      CUSTODY_RETURN_IF_ERROR(LoadBundleArchive(root, out));
      continue;
    }
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
