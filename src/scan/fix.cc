#include "scan/fix.h"

#include <algorithm>
#include <map>

#include "core/file.h"
#include "core/yaml.h"
#include "iac/resource.h"
#include "iac/yaml_value.h"

namespace custody::scan {
namespace {

using rego::Value;

// Byte offsets of lines and of (line, character column) positions.
class Text {
 public:
  explicit Text(const std::string& s) : s_(s) {
    starts_.push_back(0);
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i] == '\n') starts_.push_back(i + 1);
  }
  int lines() const { return static_cast<int>(starts_.size()); }
  size_t LineStart(int line) const {
    return line >= 1 && line <= lines() ? starts_[static_cast<size_t>(line - 1)] : s_.size();
  }
  std::string_view Line(int line) const {
    if (line < 1 || line > lines()) return {};
    size_t a = LineStart(line), b = s_.find('\n', a);
    if (b == std::string::npos) b = s_.size();
    if (b > a && s_[b - 1] == '\r') --b;
    return std::string_view(s_).substr(a, b - a);
  }
  size_t Offset(int line, int column) const {
    size_t i = LineStart(line);
    for (int c = 1; c < column && i < s_.size() && s_[i] != '\n'; ++c) {
      ++i;
      while (i < s_.size() && (static_cast<unsigned char>(s_[i]) & 0xC0) == 0x80) ++i;
    }
    return i;
  }
  int Indent(int line) const {
    std::string_view l = Line(line);
    size_t n = l.find_first_not_of(' ');
    return n == std::string_view::npos ? static_cast<int>(l.size()) : static_cast<int>(n);
  }
  bool BlankOrComment(int line) const {
    std::string_view l = Line(line);
    size_t n = l.find_first_not_of(" \t");
    return n == std::string_view::npos || l[n] == '#';
  }
  const std::string& str() const { return s_; }

 private:
  const std::string& s_;
  std::vector<size_t> starts_;
};

struct Edit {
  size_t offset;
  size_t remove;
  std::string insert;
  int depth;
};

// The offset of a node's value: past an anchor or tag written before it.
size_t ValueStart(const Text& t, const YamlNode& n) {
  size_t i = t.Offset(n.line, n.column);
  const std::string& s = t.str();
  while (i < s.size() && (s[i] == '&' || s[i] == '!')) {
    while (i < s.size() && s[i] != ' ' && s[i] != '\t' && s[i] != '\n') ++i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  return i;
}

bool IsFlow(const Text& t, const YamlNode& n) {
  size_t i = ValueStart(t, n);
  return i < t.str().size() && (t.str()[i] == '{' || t.str()[i] == '[');
}

// The offset of the bracket closing the flow collection opened at `open`.
Result<size_t> MatchClose(const std::string& s, size_t open) {
  int depth = 0;
  char prev = ' ';
  for (size_t i = open; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"' || (c == '\'' && (prev == ' ' || prev == '\t' || prev == '[' || prev == '{' || prev == ',' ||
                                   prev == ':' || prev == '\n'))) {
      for (++i; i < s.size(); ++i) {
        if (c == '"' && s[i] == '\\') {
          ++i;
          continue;
        }
        if (s[i] == c) {
          if (c == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
            ++i;
            continue;
          }
          break;
        }
      }
      prev = c;
      continue;
    }
    if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
      while (i < s.size() && s[i] != '\n') ++i;
      prev = '\n';
      continue;
    }
    if (c == '{' || c == '[') ++depth;
    if (c == '}' || c == ']') {
      if (--depth == 0) return i;
    }
    prev = c;
  }
  return Error::Input("unbalanced brackets");
}

// Where a scalar's text ends (exclusive).
size_t ScalarEnd(const std::string& s, size_t start, bool flow) {
  if (start < s.size() && (s[start] == '"' || s[start] == '\'')) {
    char q = s[start];
    for (size_t i = start + 1; i < s.size(); ++i) {
      if (q == '"' && s[i] == '\\') {
        ++i;
        continue;
      }
      if (s[i] == q) {
        if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
          ++i;
          continue;
        }
        return i + 1;
      }
    }
    return s.size();
  }
  size_t i = start;
  while (i < s.size() && s[i] != '\n' && s[i] != '\r') {
    if (flow && (s[i] == ',' || s[i] == '}' || s[i] == ']')) break;
    if (s[i] == '#' && i > start && (s[i - 1] == ' ' || s[i - 1] == '\t')) break;
    ++i;
  }
  while (i > start && (s[i - 1] == ' ' || s[i - 1] == '\t')) --i;
  return i;
}

// The last line of a block collection's entry or item that starts on
// `line` with its key or dash at `indent` columns: following lines indented
// deeper (and, for a sequence written at its key's indentation, its items).
int BlockEnd(const Text& t, int line, int indent) {
  int end = line;
  for (int l = line + 1; l <= t.lines(); ++l) {
    if (t.BlankOrComment(l)) continue;
    int ind = t.Indent(l);
    std::string_view text = t.Line(l);
    bool dash = ind == indent && text.size() > static_cast<size_t>(ind) && text[ind] == '-' &&
                (text.size() == static_cast<size_t>(ind) + 1 || text[ind + 1] == ' ');
    if (ind > indent || (dash && !t.Line(line).substr(static_cast<size_t>(indent)).starts_with("-"))) {
      end = l;
    } else {
      break;
    }
  }
  return end;
}

bool PlainSafe(const std::string& s) {
  if (s.empty() || s.size() > 200) return false;
  static const char* reserved[] = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"};
  std::string lower = s;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* r : reserved)
    if (lower == r) return false;
  if (!(std::isalpha(static_cast<unsigned char>(s[0])) || s[0] == '_' || s[0] == '/')) return false;
  for (char c : s) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' || c == '/' || c == ' ' ||
          c == '@' || c == '+'))
      return false;
  }
  return s.back() != ' ';
}

std::string YamlScalar(const Value& v) {
  if (v.is_string()) return PlainSafe(v.as_string()) ? v.as_string() : v.ToJson();
  return v.ToJson();
}

std::string Spaces(int n) { return std::string(static_cast<size_t>(std::max(0, n)), ' '); }

// JSON text of `v`; objects and arrays over several lines when `indent` >= 0
// (members at indent + step), on one line otherwise.
std::string JsonText(const Value& v, int indent, int step) {
  if (indent < 0 || !(v.is_object() || v.is_array()) || v.size() == 0) {
    if (!v.is_object() && !v.is_array()) return v.ToJson();
    std::string out;
    if (v.is_object()) {
      out = "{";
      bool first = true;
      for (const auto& [k, x] : v.object()) {
        out += (first ? "" : ", ") + k.ToJson() + ": " + JsonText(x, -1, step);
        first = false;
      }
      return out + "}";
    }
    out = "[";
    for (size_t i = 0; i < v.array().size(); ++i) out += (i ? ", " : "") + JsonText(v.array()[i], -1, step);
    return out + "]";
  }
  std::string out = v.is_object() ? "{\n" : "[\n";
  size_t i = 0, n = v.size();
  if (v.is_object()) {
    for (const auto& [k, x] : v.object()) {
      out += Spaces(indent + step) + k.ToJson() + ": " + JsonText(x, indent + step, step) + (++i < n ? ",\n" : "\n");
    }
  } else {
    for (const Value& x : v.array()) out += Spaces(indent + step) + JsonText(x, indent + step, step) + (++i < n ? ",\n" : "\n");
  }
  return out + Spaces(indent) + (v.is_object() ? "}" : "]");
}

// Block YAML lines for `key: v` at `indent`.
std::string YamlEntryText(const std::string& key, const Value& v, int indent, int step);

std::string YamlItemText(const Value& v, int indent, int step) {
  // "- " then the item; an object's first key on the dash's line.
  if (v.is_object() && v.size() > 0) {
    std::string out;
    bool first = true;
    for (const auto& [k, x] : v.object()) {
      std::string entry = YamlEntryText(k.is_string() ? k.as_string() : k.ToJson(), x, indent + 2, step);
      if (first) entry.replace(0, static_cast<size_t>(indent + 2), Spaces(indent) + "- ");
      out += entry;
      first = false;
    }
    return out;
  }
  if (v.is_array() && v.size() > 0) return Spaces(indent) + "- " + JsonText(v, -1, step) + "\n";
  return Spaces(indent) + "- " + (v.is_object() || v.is_array() ? JsonText(v, -1, step) : YamlScalar(v)) + "\n";
}

std::string YamlKey(const std::string& k) { return PlainSafe(k) ? k : Value::String(k).ToJson(); }

std::string YamlEntryText(const std::string& key, const Value& v, int indent, int step) {
  std::string out = Spaces(indent) + YamlKey(key) + ":";
  if (v.is_object() && v.size() > 0) {
    out += "\n";
    for (const auto& [k, x] : v.object()) out += YamlEntryText(k.is_string() ? k.as_string() : k.ToJson(), x, indent + step, step);
    return out;
  }
  if (v.is_array() && v.size() > 0) {
    out += "\n";
    for (const Value& x : v.array()) out += YamlItemText(x, indent + step, step);
    return out;
  }
  return out + " " + (v.is_object() || v.is_array() ? JsonText(v, -1, step) : YamlScalar(v)) + "\n";
}

class Editor {
 public:
  Editor(const std::string& text, bool json) : text_(text), t_(text_), json_(json) {}

  // Merges object `v` into mapping node `m` (keys missing are added, scalars
  // that differ replaced, objects merged).
  Status Merge(const YamlNode& m, const Value& v, int depth, const std::string& where) {
    std::vector<std::pair<std::string, Value>> missing;
    for (const auto& [kv, x] : v.object()) {
      if (!kv.is_string()) continue;
      const std::string& k = kv.as_string();
      const YamlNode* keynode = iac::FindKeyNode(m, k);
      const YamlNode* existing = iac::FindKey(m, k);
      if (!existing) {
        missing.emplace_back(k, x);
        continue;
      }
      std::string here = where + "." + k;
      if (x.is_object() && existing->type == YamlNode::Type::kMapping && existing->tag.empty()) {
        CUSTODY_RETURN_IF_ERROR(Merge(*existing, x, depth + 1, here));
      } else if (!x.is_object() && !x.is_array() && existing->type == YamlNode::Type::kScalar && existing->tag.empty()) {
        if (iac::ScalarValue(*existing) == x) continue;
        bool flow = json_ || InFlow(*keynode);
        size_t start = ValueStart(t_, *existing);
        size_t end = ScalarEnd(text_, start, flow);
        if (existing->scalar.find('\n') != std::string::npos) {
          return Error::Input(here + " is a multi-line scalar; edit it by hand");
        }
        edits_.push_back({start, end - start, flow ? x.ToJson() : YamlScalar(x), depth});
      } else if (x.is_object() && existing->type == YamlNode::Type::kScalar && existing->tag.empty() &&
                 existing->scalar.empty() && existing->plain) {
        // `Key:` with nothing after it: the object goes below the key.
        if (json_ || InFlow(*keynode)) {
          size_t start = ValueStart(t_, *existing);
          edits_.push_back({start, ScalarEnd(text_, start, true) - start, JsonText(x, -1, 2), depth});
        } else {
          int indent = keynode->column - 1;
          std::string body;
          for (const auto& [k2, x2] : x.object())
            if (k2.is_string()) body += YamlEntryText(k2.as_string(), x2, indent + Step(), Step());
          edits_.push_back({t_.LineStart(keynode->line + 1), 0, body, depth});
        }
      } else {
        return Error::Input(here + " has a value of another shape than the fix sets (" + iac::NodeKindName(*existing) +
                            (existing->tag.empty() ? "" : " tagged " + existing->tag) + "); edit it by hand");
      }
    }
    if (!missing.empty()) CUSTODY_RETURN_IF_ERROR(Insert(m, missing, depth));
    return OkStatus();
  }

  // Appends `items` to sequence node `s`.
  Status Append(const YamlNode& s, const std::vector<Value>& items, int depth) {
    if (items.empty()) return OkStatus();
    if (json_ || IsFlow(t_, s)) {
      size_t open = ValueStart(t_, s);
      CUSTODY_ASSIGN_OR_RETURN(size_t close, MatchClose(text_, open));
      bool multiline = !s.items.empty() && s.items.front().line != s.line;
      int indent = s.items.empty() ? 0 : s.items.front().column - 1;
      size_t after = LastContent(open, close);
      std::string text;
      for (size_t i = 0; i < items.size(); ++i) {
        bool first = s.items.empty() && i == 0;
        if (multiline) text += (first ? "\n" : ",\n") + Spaces(indent) + JsonText(items[i], indent, Step());
        else text += (first ? "" : ", ") + JsonText(items[i], -1, Step());
      }
      edits_.push_back({s.items.empty() ? open + 1 : after, 0, text, depth});
      return OkStatus();
    }
    if (s.items.empty()) return Error::Input("an empty block sequence");
    int dash_indent = t_.Indent(s.items.front().line);
    int last_line = s.items.back().line;
    int end = BlockEnd(t_, last_line, dash_indent);
    std::string text;
    for (const Value& v : items) text += YamlItemText(v, dash_indent, Step());
    AddLineInsert(end, text, depth);
    return OkStatus();
  }

  Status Insert(const YamlNode& m, const std::vector<std::pair<std::string, Value>>& entries, int depth) {
    if (json_ || IsFlow(t_, m)) {
      size_t open = ValueStart(t_, m);
      CUSTODY_ASSIGN_OR_RETURN(size_t close, MatchClose(text_, open));
      bool multiline = !m.entries.empty() && m.entries.front().first.line != m.line;
      int indent = m.entries.empty() ? 0 : m.entries.front().first.column - 1;
      size_t after = LastContent(open, close);
      std::string text;
      for (size_t i = 0; i < entries.size(); ++i) {
        bool first = m.entries.empty() && i == 0;
        std::string member = Value::String(entries[i].first).ToJson() + ": " +
                             JsonText(entries[i].second, multiline ? indent : -1, Step());
        if (multiline) text += (first ? "\n" : ",\n") + Spaces(indent) + member;
        else text += (first ? "" : ", ") + member;
      }
      edits_.push_back({m.entries.empty() ? open + 1 : after, 0, text, depth});
      return OkStatus();
    }
    if (m.entries.empty()) return Error::Input("an empty block mapping");
    int indent = m.entries.front().first.column - 1;
    int end = BlockEnd(t_, m.entries.back().first.line, indent);
    std::string text;
    for (const auto& [k, v] : entries) text += YamlEntryText(k, v, indent, Step());
    AddLineInsert(end, text, depth);
    return OkStatus();
  }

  std::string Apply() const {
    std::vector<Edit> edits = edits_;
    // From the end backwards; at one offset the outer edit first, so the
    // inner one (deeper lines) ends up before it.
    std::stable_sort(edits.begin(), edits.end(), [](const Edit& a, const Edit& b) {
      if (a.offset != b.offset) return a.offset > b.offset;
      return a.depth < b.depth;
    });
    std::string out = text_;
    for (const Edit& e : edits) out.replace(e.offset, e.remove, e.insert);
    return out;
  }

  int Step() const {
    if (step_ == 0) step_ = DetectStep();
    return step_;
  }

 private:
  // Inserting whole lines after line `end`: at the start of the next line
  // (a final line without a line break gets one first).
  void AddLineInsert(int end, const std::string& text, int depth) {
    if (end >= t_.lines() || t_.LineStart(end + 1) >= text_.size()) {
      bool needs_break = !text_.empty() && text_.back() != '\n';
      edits_.push_back({text_.size(), 0, (needs_break ? "\n" : "") + text, depth});
    } else {
      edits_.push_back({t_.LineStart(end + 1), 0, text, depth});
    }
  }

  // The offset just after the last character before `close` that is not
  // whitespace (or a comment).
  size_t LastContent(size_t open, size_t close) const {
    size_t i = close;
    while (i > open + 1) {
      char c = text_[i - 1];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        --i;
        continue;
      }
      break;
    }
    return i;
  }

  bool InFlow(const YamlNode& key) const {
    // A key inside a flow mapping: the text before it on its line, back to
    // the line start, holds an unclosed '{' somewhere above; approximated by
    // the character before the key being '{', ',' or a space after one.
    size_t i = t_.Offset(key.line, key.column);
    while (i > 0) {
      char c = text_[i - 1];
      if (c == ' ' || c == '\t') {
        --i;
        continue;
      }
      return c == '{' || c == ',';
    }
    return false;
  }

  int DetectStep() const {
    // The smallest positive difference between consecutive indents.
    int best = 0, prev = -1;
    for (int l = 1; l <= t_.lines(); ++l) {
      if (t_.BlankOrComment(l)) continue;
      int ind = t_.Indent(l);
      if (prev >= 0 && ind > prev && (best == 0 || ind - prev < best)) best = ind - prev;
      prev = ind;
    }
    return best == 0 ? 2 : std::min(best, 8);
  }

  const std::string& text_;
  Text t_;
  bool json_;
  mutable int step_ = 0;
  std::vector<Edit> edits_;
};

bool LooksJson(const std::string& text) {
  size_t i = text.find_first_not_of(" \t\r\n");
  if (i != std::string::npos && text.compare(i, 3, "\xEF\xBB\xBF") == 0) i = text.find_first_not_of(" \t\r\n", i + 3);
  return i != std::string::npos && text[i] == '{';
}

Value TagsValue(const Value& tags, bool as_map) {
  if (as_map) return tags;
  rego::ValueVector list;
  for (const auto& [k, v] : tags.object())
    list.push_back(Value::Object({{Value::String("Key"), k}, {Value::String("Value"), v}}));
  return Value::Array(list);
}

}  // namespace

Result<std::string> ApplyFix(const std::string& text, const std::string& file, const std::string& logical_id,
                             const rego::Value& fix) {
  if (!fix.is_object()) return Error::Input("the fix is not an object");
  CUSTODY_ASSIGN_OR_RETURN(YamlNode root, ParseYaml(text, file));
  const YamlNode* resources = iac::FindKey(root, "Resources");
  const YamlNode* res = resources ? iac::FindKey(*resources, logical_id) : nullptr;
  if (!res || res->type != YamlNode::Type::kMapping) {
    return Error::Input("resource " + logical_id + " is not a mapping under Resources");
  }
  const YamlNode* type = iac::FindKey(*res, "Type");
  bool sam = type && type->type == YamlNode::Type::kScalar && type->scalar.starts_with("AWS::Serverless::");
  bool json = LooksJson(text);
  Editor editor(text, json);
  const Value* set = fix.FindKey("set");
  const Value* tags = fix.FindKey("tags");
  if (!set && !tags) return Error::Input("the fix has neither \"set\" nor \"tags\"");
  Value props = set && set->is_object() ? *set : Value::EmptyObject();
  const YamlNode* properties = iac::FindKey(*res, "Properties");
  if (tags && tags->is_object() && tags->size() > 0) {
    const YamlNode* existing = properties ? iac::FindKey(*properties, "Tags") : nullptr;
    if (!existing) {
      rego::ObjectEntries entries = props.object();
      entries.emplace_back(Value::String("Tags"), TagsValue(*tags, sam));
      props = Value::Object(entries);
    } else if (existing->type == YamlNode::Type::kMapping && existing->tag.empty()) {
      rego::ObjectEntries add;
      for (const auto& [k, v] : tags->object())
        if (k.is_string() && !iac::FindKey(*existing, k.as_string())) add.emplace_back(k, v);
      if (!add.empty()) CUSTODY_RETURN_IF_ERROR(editor.Merge(*existing, Value::Object(add), 2, "Properties.Tags"));
    } else if (existing->type == YamlNode::Type::kSequence && existing->tag.empty()) {
      std::vector<Value> add;
      for (const auto& [k, v] : tags->object()) {
        bool present = false;
        for (const YamlNode& item : existing->items) {
          const YamlNode* key = iac::FindKey(item, "Key");
          if (key && key->type == YamlNode::Type::kScalar && k.is_string() && key->scalar == k.as_string()) present = true;
        }
        if (!present) add.push_back(Value::Object({{Value::String("Key"), k}, {Value::String("Value"), v}}));
      }
      CUSTODY_RETURN_IF_ERROR(editor.Append(*existing, add, 2));
    } else {
      return Error::Input("Properties.Tags is neither a list nor a mapping; edit it by hand");
    }
  }
  if (props.size() > 0) {
    CUSTODY_RETURN_IF_ERROR(editor.Merge(*res, Value::Object({{Value::String("Properties"), props}}), 0, logical_id));
  }
  std::string out = editor.Apply();
  if (out != text) {
    auto check = ParseYaml(out, file);
    if (!check.ok()) return Error::Internal("the edit of " + logical_id + " would not parse: " + check.error().message());
  }
  return out;
}

Result<std::vector<FileFix>> PlanFixes(const ScanResult& result, const CheckSet& checks) {
  std::vector<FileFix> out;
  for (const TemplateReport& t : result.templates) {
    std::vector<const Finding*> fixable;
    for (const Finding& f : t.findings)
      if (!f.suppressed && f.fix.is_defined()) fixable.push_back(&f);
    if (fixable.empty()) continue;
    FileFix ff;
    ff.file = t.file;
    auto where = [&](const Finding* f) { return t.uri + ":" + std::to_string(f->line) + " " + f->rule_id + ": "; };
    if (t.format != iac::kCloudFormation) {
      for (const Finding* f : fixable) ff.skipped.push_back(where(f) + "fixes are applied to CloudFormation/SAM only");
      out.push_back(std::move(ff));
      continue;
    }
    CUSTODY_ASSIGN_OR_RETURN(ff.original, ReadFile(t.file));
    ff.fixed = ff.original;
    // In file order, so the diff reads top to bottom; one fix at a time,
    // each on the text the previous one left.
    std::stable_sort(fixable.begin(), fixable.end(), [](const Finding* a, const Finding* b) { return a->line < b->line; });
    for (const Finding* f : fixable) {
      if (f->resource.empty()) {
        ff.skipped.push_back(where(f) + "the finding names no resource");
        continue;
      }
      auto fixed = ApplyFix(ff.fixed, t.file, f->resource, f->fix);
      if (!fixed.ok()) {
        ff.skipped.push_back(where(f) + fixed.error().message());
        continue;
      }
      ff.fixed = std::move(*fixed);
      ff.applied.push_back(f);
    }
    (void)checks;
    out.push_back(std::move(ff));
  }
  return out;
}

std::string UnifiedDiff(const std::string& file, const std::string& before, const std::string& after) {
  if (before == after) return "";
  auto split = [](const std::string& s) {
    std::vector<std::string> lines;
    size_t a = 0;
    while (a < s.size()) {
      size_t b = s.find('\n', a);
      if (b == std::string::npos) {
        lines.push_back(s.substr(a));
        break;
      }
      lines.push_back(s.substr(a, b - a + 1));
      a = b + 1;
    }
    return lines;
  };
  std::vector<std::string> x = split(before), y = split(after);
  // Myers' O(ND) shortest edit script.
  const int n = static_cast<int>(x.size()), m = static_cast<int>(y.size()), max = n + m;
  std::vector<int> v(static_cast<size_t>(2 * max + 2), 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      size_t ki = static_cast<size_t>(k + max);
      int px = (k == -d || (k != d && v[ki - 1] < v[ki + 1])) ? v[ki + 1] : v[ki - 1] + 1;
      int py = px - k;
      while (px < n && py < m && x[static_cast<size_t>(px)] == y[static_cast<size_t>(py)]) ++px, ++py;
      v[ki] = px;
      if (px >= n && py >= m) {
        found_d = d;
        break;
      }
    }
  }
  // Walk back to a list of operations: ' ', '-', '+' with line indexes.
  struct Op {
    char kind;
    int xi, yi;
  };
  std::vector<Op> ops;
  int px = n, py = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& vd = trace[static_cast<size_t>(d)];
    int k = px - py;
    size_t ki = static_cast<size_t>(k + max);
    int prev_k = (k == -d || (k != d && vd[ki - 1] < vd[ki + 1])) ? k + 1 : k - 1;
    int prev_x = vd[static_cast<size_t>(prev_k + max)], prev_y = prev_x - prev_k;
    while (px > prev_x && py > prev_y) ops.push_back({' ', --px, --py});
    if (px == prev_x) ops.push_back({'+', px, --py});
    else ops.push_back({'-', --px, py});
  }
  while (px > 0 && py > 0) ops.push_back({' ', --px, --py});
  std::reverse(ops.begin(), ops.end());

  std::string out = "--- a/" + file + "\n+++ b/" + file + "\n";
  auto line_text = [](const std::string& l) { return l.empty() || l.back() != '\n' ? l + "\n\\ No newline at end of file\n" : l; };
  const int ctx = 3;
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i].kind == ' ') {
      ++i;
      continue;
    }
    // A hunk: from ctx lines before this change to ctx lines after the last
    // change within 2*ctx of the previous one.
    size_t start = i >= static_cast<size_t>(ctx) ? i - ctx : 0;
    while (start < i && ops[start].kind != ' ') ++start;
    size_t end = i;
    size_t last_change = i;
    for (size_t j = i; j < ops.size(); ++j) {
      if (ops[j].kind != ' ') last_change = j;
      else if (j - last_change > static_cast<size_t>(2 * ctx)) break;
      end = j;
    }
    end = std::min(ops.size() - 1, last_change + ctx);
    int xs = -1, ys = -1, xc = 0, yc = 0;
    std::string body;
    for (size_t j = start; j <= end; ++j) {
      const Op& o = ops[j];
      if (o.kind != '+') {
        if (xs < 0) xs = o.xi;
        ++xc;
      }
      if (o.kind != '-') {
        if (ys < 0) ys = o.yi;
        ++yc;
      }
      const std::string& l = o.kind == '+' ? y[static_cast<size_t>(o.yi)] : x[static_cast<size_t>(o.xi)];
      body += o.kind + line_text(l);
    }
    if (xs < 0) xs = ops[start].xi;
    if (ys < 0) ys = ops[start].yi;
    out += "@@ -" + std::to_string(xc ? xs + 1 : xs) + "," + std::to_string(xc) + " +" +
           std::to_string(yc ? ys + 1 : ys) + "," + std::to_string(yc) + " @@\n" + body;
    i = end + 1;
  }
  return out;
}

}  // namespace custody::scan
