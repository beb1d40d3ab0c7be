// The JSON-path built-ins of OPA's "objects" group: json.filter, json.remove
// and json.patch (RFC 6902, applied to Rego values: set members are addressed
// by their value, and a member added to a set must equal its path's last
// segment).
//
// Paths are JSON pointers ("a/b/0", the leading '/' optional, "~1" and "~0"
// escaping '/' and '~') or arrays of path segments of any type.
#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

using Path = std::vector<Value>;

// A JSON pointer or array path as OPA's parsePath reads it; nullopt for any
// other type.
std::optional<Path> ParsePath(const Value& v) {
  if (v.is_array()) return v.array();
  if (!v.is_string()) return std::nullopt;
  std::string_view s = v.as_string();
  Path path;
  if (s.empty()) return path;
  s.remove_prefix(std::min(s.find_first_not_of('/'), s.size()));
  while (true) {
    size_t slash = s.find('/');
    std::string_view part = s.substr(0, slash);
    std::string segment;
    // "~1" first, then "~0", so that "~01" is "~1".
    for (size_t i = 0; i < part.size(); ++i) {
      if (part[i] == '~' && i + 1 < part.size() && part[i + 1] == '1') {
        segment += '/';
        ++i;
      } else {
        segment += part[i];
      }
    }
    std::string unescaped;
    for (size_t i = 0; i < segment.size(); ++i) {
      if (segment[i] == '~' && i + 1 < segment.size() && segment[i + 1] == '0') {
        unescaped += '~';
        ++i;
      } else {
        unescaped += segment[i];
      }
    }
    path.push_back(Value::String(std::move(unescaped)));
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return path;
}

// json.filter's and json.remove's second operand: a set or array of paths.
Result<std::vector<Path>> JsonPaths(std::string_view name, const Value& v) {
  if (!v.is_array() && !v.is_set()) return OperandTypeErrorOneOf(name, 2, v, {"set", "array"});
  std::vector<Path> paths;
  for (const Value& p : v.is_array() ? v.array() : v.set()) {
    std::optional<Path> path = ParsePath(p);
    if (!path) {
      return OperandError(name, 2,
                          std::string("must be one of {set, array} containing string paths or array of path "
                                      "segments but got ") +
                              p.TypeName());
    }
    paths.push_back(std::move(*path));
  }
  return paths;
}

// The rest of a path below the level being looked at.
using Rest = std::span<const Value>;

// The paths continuing under each key of a collection, each without its
// first segment. A rest that is empty selects the whole member, which is why
// of "a" and "a/b" the shorter wins whatever the order.
std::map<Value, std::vector<Rest>, ValueLess> ByFirstSegment(const std::vector<Rest>& rests) {
  std::map<Value, std::vector<Rest>, ValueLess> groups;
  for (Rest r : rests) groups[r.front()].push_back(r.subspan(1));
  return groups;
}

bool SelectsAll(const std::vector<Rest>& rests) {
  return std::any_of(rests.begin(), rests.end(), [](Rest r) { return r.empty(); });
}

// The non-empty paths ("" and [] select nothing).
std::vector<Rest> Rests(const std::vector<Path>& paths) {
  std::vector<Rest> rests;
  for (const Path& p : paths) {
    if (!p.empty()) rests.emplace_back(p);
  }
  return rests;
}

// Arrays are addressed by the decimal text of their indexes.
Value IndexKey(size_t i) { return Value::String(std::to_string(i)); }

// The parts of v that the paths select. REQUIRES: no rest is empty. Recursion
// follows v, so it is no deeper than v however long the paths are.
Value Filter(const Value& v, const std::vector<Rest>& rests) {
  if (!v.is_collection()) return v;
  auto groups = ByFirstSegment(rests);
  auto select = [&](const Value& key, const Value& member) -> std::optional<Value> {
    auto it = groups.find(key);
    if (it == groups.end()) return std::nullopt;
    return SelectsAll(it->second) ? member : Filter(member, it->second);
  };
  switch (v.kind()) {
    case Kind::kArray: {
      ValueVector out;
      for (size_t i = 0; i < v.size(); ++i) {
        if (auto x = select(IndexKey(i), v.array()[i])) out.push_back(std::move(*x));
      }
      return Value::Array(std::move(out));
    }
    case Kind::kSet: {
      ValueVector out;
      for (const Value& m : v.set()) {
        if (auto x = select(m, m)) out.push_back(std::move(*x));
      }
      return Value::Set(std::move(out));
    }
    default: {
      ObjectEntries out;
      for (const auto& [k, m] : v.object()) {
        if (auto x = select(k, m)) out.emplace_back(k, std::move(*x));
      }
      return Value::SortedObject(std::move(out));
    }
  }
}

// v without the parts the paths select. REQUIRES: no rest is empty.
Value Remove(const Value& v, const std::vector<Rest>& rests) {
  if (!v.is_collection()) return v;
  auto groups = ByFirstSegment(rests);
  // nullopt when the member goes.
  auto keep = [&](const Value& key, const Value& member) -> std::optional<Value> {
    auto it = groups.find(key);
    if (it == groups.end()) return member;
    if (SelectsAll(it->second)) return std::nullopt;
    return Remove(member, it->second);
  };
  switch (v.kind()) {
    case Kind::kArray: {
      // Removed elements close up, as in JSON patch.
      ValueVector out;
      for (size_t i = 0; i < v.size(); ++i) {
        if (auto x = keep(IndexKey(i), v.array()[i])) out.push_back(std::move(*x));
      }
      return Value::Array(std::move(out));
    }
    case Kind::kSet: {
      ValueVector out;
      for (const Value& m : v.set()) {
        if (auto x = keep(m, m)) out.push_back(std::move(*x));
      }
      return Value::Set(std::move(out));
    }
    default: {
      ObjectEntries out;
      for (const auto& [k, m] : v.object()) {
        if (auto x = keep(k, m)) out.emplace_back(k, std::move(*x));
      }
      return Value::SortedObject(std::move(out));
    }
  }
}

Result<Value> JsonFilter(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* obj, ObjectArg("json.filter", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::vector<Path> paths, JsonPaths("json.filter", args[1]));
  return Filter(*obj, Rests(paths));
}

Result<Value> JsonRemove(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* obj, ObjectArg("json.remove", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::vector<Path> paths, JsonPaths("json.remove", args[1]));
  return Remove(*obj, Rests(paths));
}

// ---- json.patch ----

// An array index as OPA's edit tree reads a path segment: an integer, or its
// decimal text without leading zeros (Go's ParseInt: an optional sign, then
// digits), or "-" for the end of the array.
std::optional<int64_t> ToIndex(size_t length, const Value& key) {
  if (key.is_number()) return key.to_int64();
  if (!key.is_string()) return std::nullopt;
  std::string_view s = key.as_string();
  if (s == "-") return static_cast<int64_t>(length);
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  size_t i = s.empty() || (s[0] != '+' && s[0] != '-') ? 0 : 1;
  if (i == s.size()) return std::nullopt;
  __int128 n = 0;
  for (size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return std::nullopt;
    n = n * 10 + (s[j] - '0');
    if (n > static_cast<__int128>(INT64_MAX) + 1) return std::nullopt;
  }
  if (s[0] == '-') n = -n;
  if (n > INT64_MAX) return std::nullopt;
  return static_cast<int64_t>(n);
}

// The member of a collection at `key`, or nullptr.
const Value* ChildAt(const Value& node, const Value& key) {
  if (node.is_array()) {
    auto i = ToIndex(node.size(), key);
    if (!i || *i < 0 || static_cast<uint64_t>(*i) >= node.size()) return nullptr;
    return &node.array()[static_cast<size_t>(*i)];
  }
  if (node.is_object() || node.is_set()) return node.Find(key);
  return nullptr;
}

// node with its member at `key` (which exists) replaced by `child`.
Value WithChild(const Value& node, const Value& key, Value child) {
  if (node.is_array()) {
    ValueVector items = node.array();
    items[static_cast<size_t>(*ToIndex(node.size(), key))] = std::move(child);
    return Value::Array(std::move(items));
  }
  if (node.is_object()) {
    ObjectEntries entries = node.object();
    for (auto& e : entries) {
      if (e.first == key) e.second = std::move(child);
    }
    return Value::SortedObject(std::move(entries));
  }
  // A set member is its own key: take the old one out, put the new one in.
  ValueVector items;
  for (const Value& m : node.set()) {
    if (m != key) items.push_back(m);
  }
  items.push_back(std::move(child));
  return Value::Set(std::move(items));
}

// `value` added under `key` in a collection.
std::optional<Value> InsertAt(const Value& node, const Value& key, const Value& value) {
  switch (node.kind()) {
    case Kind::kObject: {
      ObjectEntries entries = node.object();
      entries.emplace_back(key, value);
      return Value::Object(std::move(entries));  // replaces an existing key
    }
    case Kind::kSet: {
      if (key != value) return std::nullopt;
      ValueVector items = node.set();
      items.push_back(value);
      return Value::Set(std::move(items));
    }
    case Kind::kArray: {
      auto i = ToIndex(node.size(), key);
      if (!i || *i < 0 || static_cast<uint64_t>(*i) > node.size()) return std::nullopt;
      ValueVector items = node.array();
      items.insert(items.begin() + *i, value);
      return Value::Array(std::move(items));
    }
    default: return std::nullopt;
  }
}

// The collection without its member at `key`, which must exist.
std::optional<Value> DeleteAt(const Value& node, const Value& key) {
  switch (node.kind()) {
    case Kind::kObject: {
      if (node.Find(key) == nullptr) return std::nullopt;
      ObjectEntries entries;
      for (const auto& e : node.object()) {
        if (e.first != key) entries.push_back(e);
      }
      return Value::SortedObject(std::move(entries));
    }
    case Kind::kSet: {
      if (!node.SetContains(key)) return std::nullopt;
      ValueVector items;
      for (const Value& m : node.set()) {
        if (m != key) items.push_back(m);
      }
      return Value::SortedSet(std::move(items));
    }
    case Kind::kArray: {
      auto i = ToIndex(node.size(), key);
      if (!i || *i < 0 || static_cast<uint64_t>(*i) >= node.size()) return std::nullopt;
      ValueVector items = node.array();
      items.erase(items.begin() + *i);
      return Value::Array(std::move(items));
    }
    default: return std::nullopt;
  }
}

// A document being patched; nullopt once its root has been removed.
using Doc = std::optional<Value>;

enum class Edit { kInsert, kDelete };

// Applies the edit at the end of path[i..], rebuilding the collections on the
// way down. REQUIRES: i < path.size().
std::optional<Value> EditAt(const Value& node, const Path& path, size_t i, Edit edit, const Value& value) {
  if (i + 1 == path.size()) {
    return edit == Edit::kInsert ? InsertAt(node, path[i], value) : DeleteAt(node, path[i]);
  }
  const Value* child = ChildAt(node, path[i]);
  if (child == nullptr) return std::nullopt;
  std::optional<Value> edited = EditAt(*child, path, i + 1, edit, value);
  if (!edited) return std::nullopt;
  return WithChild(node, path[i], std::move(*edited));
}

bool Add(Doc& doc, const Path& path, const Value& value) {
  if (path.empty()) {
    doc = value;
    return true;
  }
  if (!doc) return false;
  doc = EditAt(*doc, path, 0, Edit::kInsert, value);
  return doc.has_value();
}

bool RemovePath(Doc& doc, const Path& path) {
  if (!doc) return false;
  if (path.empty()) {
    doc.reset();
    return true;
  }
  doc = EditAt(*doc, path, 0, Edit::kDelete, Value());
  return doc.has_value();
}

std::optional<Value> Get(const Doc& doc, const Path& path) {
  if (!doc) return std::nullopt;
  const Value* cur = &*doc;
  for (const Value& segment : path) {
    cur = ChildAt(*cur, segment);
    if (cur == nullptr) return std::nullopt;
  }
  return *cur;
}

// One operation of a patch; false when it does not apply, which makes the
// whole json.patch undefined (OPA discards the reason).
bool ApplyOperation(Doc& doc, const Value& operation) {
  if (!operation.is_object()) return false;
  const Value* op = operation.FindKey("op");
  if (op == nullptr || !op->is_string()) return false;
  const std::string& name = op->as_string();
  const Value* path_value = operation.FindKey("path");
  if (path_value == nullptr) return false;
  const Value* from_value = operation.FindKey("from");
  const Value* value = operation.FindKey("value");
  bool needs_from = name == "move" || name == "copy";
  bool needs_value = name == "add" || name == "replace" || name == "test";
  if (!needs_from && !needs_value && name != "remove") return false;
  if ((needs_from && from_value == nullptr) || (needs_value && value == nullptr)) return false;
  std::optional<Path> path = ParsePath(*path_value);
  if (!path) return false;
  if (name == "add") return Add(doc, *path, *value);
  if (name == "remove") return RemovePath(doc, *path);
  if (name == "replace") return RemovePath(doc, *path) && Add(doc, *path, *value);
  if (name == "test") {
    std::optional<Value> current = Get(doc, *path);
    return current && *current == *value;
  }
  std::optional<Path> from = ParsePath(*from_value);
  if (!from) return false;
  std::optional<Value> chunk = Get(doc, *from);
  if (!chunk) return false;
  if (name == "move" && !RemovePath(doc, *from)) return false;
  return Add(doc, *path, *chunk);
}

Result<Value> JsonPatch(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* operations, ArrayArg("json.patch", args, 2));
  Doc doc = args[0];
  for (const Value& operation : operations->array()) {
    if (!ApplyOperation(doc, operation)) return Value();
  }
  return doc ? *doc : Value();
}

}  // namespace

void RegisterObjectsJson(BuiltinTable& t) {
  t.Add({"json.filter", 2, JsonFilter});
  t.Add({"json.remove", 2, JsonRemove});
  t.Add({"json.patch", 2, JsonPatch});
}

}  // namespace custody::rego
