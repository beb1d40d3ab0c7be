#include "iac/yaml_value.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "iac/resource.h"

namespace custody::iac {
namespace {

using rego::ObjectEntries;
using rego::Value;
using rego::ValueVector;

constexpr std::string_view kStrTag = "tag:yaml.org,2002:str";
// Templates are shallow; a bound far above any real one keeps the recursive
// conversion (and the checks that walk its output) off the end of the stack.
constexpr int kMaxValueDepth = 1000;

bool AllDigits(std::string_view s, int base) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = base == 8    ? (c >= '0' && c <= '7')
              : base == 16 ? ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))
                           : (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
bool IsCoreFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t int_digits = 0, frac_digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++int_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac_digits;
    if (int_digits == 0 && frac_digits == 0) return false;
  } else if (int_digits == 0) {
    return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp_digits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++exp_digits;
    if (exp_digits == 0) return false;
  }
  return i == s.size();
}

Value PlainScalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::Null();
  if (s == "true" || s == "True" || s == "TRUE") return Value::Bool(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value::Bool(false);
  char c = s[0];
  if (!(c == '-' || c == '+' || c == '.' || (c >= '0' && c <= '9'))) return Value::String(s);
  std::string_view v(s);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'x')) {
    int base = v[1] == 'o' ? 8 : 16;
    std::string digits(v.substr(2));
    if (AllDigits(digits, base) && digits.size() <= 40) {
      errno = 0;
      unsigned long long n = std::strtoull(digits.c_str(), nullptr, base);
      if (errno == 0) return Value::BigInt(std::to_string(n));
    }
    return Value::String(s);
  }
  std::string_view body = v;
  bool negative = false;
  if (body[0] == '-' || body[0] == '+') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (AllDigits(body, 10)) {
    size_t nz = body.find_first_not_of('0');
    std::string digits = nz == std::string_view::npos ? "0" : std::string(body.substr(nz));
    if (negative && digits != "0") digits.insert(digits.begin(), '-');
    return Value::BigInt(digits);
  }
  if (IsCoreFloat(v)) {
    Value f = Value::Float(std::strtod(s.c_str(), nullptr));
    if (f.is_defined()) return f;  // out of range: keep the text
  }
  return Value::String(s);
}

Value Intrinsic(const std::string& name, Value arg) {
  ObjectEntries e;
  e.emplace_back(Value::String(name), std::move(arg));
  return Value::Object(std::move(e));
}

class Converter {
 public:
  Converter(const std::string& file, KeyLines* lines, const KnownValues* known)
      : file_(file), lines_(lines), known_(known) {}

  Result<Value> Convert(const YamlNode& node, std::string& path, int depth) {
    if (depth > kMaxValueDepth) {
      return Error::Input(Where(file_, node) + ": nested deeper than " + std::to_string(kMaxValueDepth) +
                          " levels; no template needs that many, so the file is refused");
    }
    if (known_ != nullptr && node.type == YamlNode::Type::kMapping) {
      auto it = known_->find(&node);
      if (it != known_->end()) return it->second;
    }
    std::string intrinsic = IntrinsicName(node.tag);
    if (!intrinsic.empty()) {
      Value arg;
      if (node.type == YamlNode::Type::kScalar) {
        arg = Value::String(node.scalar);
        if (intrinsic == "Fn::GetAtt") {
          size_t dot = node.scalar.find('.');
          if (dot != std::string::npos) {
            arg = Value::Array({Value::String(node.scalar.substr(0, dot)), Value::String(node.scalar.substr(dot + 1))});
          }
        }
      } else {
        size_t mark = path.size();
        Push(path, intrinsic);
        Record(path, node.line);
        auto inner = ConvertUntagged(node, path, depth + 1);
        path.resize(mark);
        if (!inner.ok()) return inner.error();
        arg = std::move(inner).value();
      }
      if (node.type == YamlNode::Type::kScalar) {
        size_t mark = path.size();
        Push(path, intrinsic);
        Record(path, node.line);
        path.resize(mark);
      }
      return Intrinsic(intrinsic, std::move(arg));
    }
    return ConvertUntagged(node, path, depth);
  }

 private:
  static void Push(std::string& path, std::string_view segment) {
    if (!path.empty()) path.push_back('/');
    path += EscapePathSegment(segment);
  }
  void Record(const std::string& path, int line) {
    if (lines_ != nullptr) (*lines_)[path] = line;
  }

  Result<Value> ConvertUntagged(const YamlNode& node, std::string& path, int depth) {
    switch (node.type) {
      case YamlNode::Type::kNull: return Value::Null();
      case YamlNode::Type::kScalar: return ScalarValue(node);
      case YamlNode::Type::kSequence: {
        ValueVector items;
        items.reserve(node.items.size());
        for (size_t i = 0; i < node.items.size(); ++i) {
          size_t mark = path.size();
          if (lines_ != nullptr) {
            Push(path, std::to_string(i));
            Record(path, node.items[i].line);
          }
          auto v = Convert(node.items[i], path, depth + 1);
          path.resize(mark);
          if (!v.ok()) return v.error();
          items.push_back(std::move(v).value());
        }
        return Value::Array(std::move(items));
      }
      case YamlNode::Type::kMapping: {
        ObjectEntries entries;
        entries.reserve(node.entries.size());
        for (const YamlEntry& e : node.entries) {
          if (e.first.type != YamlNode::Type::kScalar) {
            return Error::Input(Where(file_, e.first) + ": a mapping key must be a scalar, not a " +
                                NodeKindName(e.first) + "; write the key as plain text");
          }
          size_t mark = path.size();
          if (lines_ != nullptr) {
            Push(path, e.first.scalar);
            Record(path, e.first.line);
          }
          auto v = Convert(e.second, path, depth + 1);
          path.resize(mark);
          if (!v.ok()) return v.error();
          entries.emplace_back(Value::String(e.first.scalar), std::move(v).value());
        }
        return Value::Object(std::move(entries));  // a repeated key: the last wins
      }
    }
    return Value::Null();
  }

  const std::string& file_;
  KeyLines* lines_;
  const KnownValues* known_;
};

}  // namespace

rego::Value ScalarValue(const YamlNode& node) {
  if (node.type == YamlNode::Type::kNull) return Value::Null();
  if (node.tag == kStrTag || node.tag == "!") return Value::String(node.scalar);
  if (!node.plain) return Value::String(node.scalar);
  return PlainScalar(node.scalar);
}

std::string IntrinsicName(std::string_view tag) {
  if (tag.size() < 2 || tag[0] != '!' || tag[1] == '!') return "";
  std::string_view name = tag.substr(1);
  if (name == "Ref" || name == "Condition") return std::string(name);
  static constexpr std::string_view kFunctions[] = {
      "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
      "Transform", "And", "Equals", "If", "Not", "Or", "ToJsonString", "Length", "ForEach"};
  for (std::string_view f : kFunctions)
    if (name == f) return "Fn::" + std::string(name);
  return "";
}

Result<rego::Value> ToValue(const YamlNode& node, const std::string& file, KeyLines* lines,
                            const std::string& prefix, const KnownValues* known) {
  Converter c(file, lines, known);
  std::string path = prefix;
  return c.Convert(node, path, 0);
}

Result<std::vector<YamlNode>> ParseTemplateYaml(std::string_view content, const std::string& file) {
  YamlErrorDetail detail;
  auto docs = ParseYamlDocuments(content, file, &detail);
  if (docs.ok()) return docs;
  std::string fixed;
  for (int attempt = 0; attempt < 64; ++attempt) {
    bool flow_indent = detail.message.find("wrongly indented") != std::string::npos &&
                       detail.message.find("flow") != std::string::npos;
    if (!flow_indent || detail.line < 2) break;
    if (fixed.empty()) fixed.assign(content);
    SourceLines lines(fixed);
    int prev = detail.line - 1;
    while (prev > 1 && lines.Line(prev).find_first_not_of(" \t\r") == std::string_view::npos) --prev;
    std::string_view before = lines.Line(prev), here = lines.Line(detail.line);
    size_t want = std::min(before.find_first_not_of(' '), before.size()) + 1;
    size_t have = std::min(here.find_first_not_of(' '), here.size());
    if (have >= want || detail.line > lines.count()) break;
    size_t offset = static_cast<size_t>(here.data() - fixed.data());
    fixed.insert(offset, want - have, ' ');
    YamlErrorDetail next;
    auto again = ParseYamlDocuments(fixed, file, &next);
    if (again.ok()) return again;
    detail = next;
  }
  return docs.error();
}

const YamlNode* FindKeyNode(const YamlNode& node, std::string_view key) {
  if (node.type != YamlNode::Type::kMapping) return nullptr;
  for (auto it = node.entries.rbegin(); it != node.entries.rend(); ++it)
    if (it->first.type == YamlNode::Type::kScalar && it->first.scalar == key) return &it->first;
  return nullptr;
}

const YamlNode* FindKey(const YamlNode& node, std::string_view key) {
  if (node.type != YamlNode::Type::kMapping) return nullptr;
  for (auto it = node.entries.rbegin(); it != node.entries.rend(); ++it)
    if (it->first.type == YamlNode::Type::kScalar && it->first.scalar == key) return &it->second;
  return nullptr;
}

bool IsEmptyDocument(const YamlNode& node) {
  return node.type == YamlNode::Type::kNull ||
         (node.type == YamlNode::Type::kScalar && node.plain && node.tag.empty() && node.scalar.empty());
}

const char* NodeKindName(const YamlNode& node) {
  switch (node.type) {
    case YamlNode::Type::kNull: return "nothing";
    case YamlNode::Type::kScalar: return "scalar";
    case YamlNode::Type::kSequence: return "sequence";
    case YamlNode::Type::kMapping: return "mapping";
  }
  return "node";
}

std::string Where(const std::string& file, const YamlNode& node) {
  return file + ":" + std::to_string(node.line) + ":" + std::to_string(node.column);
}

SourceLines::SourceLines(std::string_view text) : text_(text) {
  starts_.push_back(0);
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
  // A final line break does not begin another line.
  if (starts_.size() > 1 && starts_.back() == text.size()) starts_.pop_back();
}

std::string_view SourceLines::Line(int line) const {
  if (line < 1 || line > count()) return {};
  size_t begin = starts_[static_cast<size_t>(line - 1)];
  size_t end = static_cast<size_t>(line) < starts_.size() ? starts_[static_cast<size_t>(line)] : text_.size();
  std::string_view s = text_.substr(begin, end - begin);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

int MaxLine(const YamlNode& node) {
  // Iterative: the tree may be thousands of levels deep.
  int best = node.line;
  std::vector<const YamlNode*> stack{&node};
  while (!stack.empty()) {
    const YamlNode* n = stack.back();
    stack.pop_back();
    best = std::max(best, n->line);
    for (const YamlNode& item : n->items) stack.push_back(&item);
    for (const YamlEntry& e : n->entries) {
      stack.push_back(&e.first);
      stack.push_back(&e.second);
    }
  }
  return best;
}

int SourceLines::EndLine(const YamlNode& node, int limit_line) const {
  int last = MaxLine(node);
  if (node.line >= 1 && node.line <= count() && node.type != YamlNode::Type::kScalar) {
    // Does the node open a flow collection? Then its end is the matching bracket.
    std::string_view line = Line(node.line);
    size_t offset = starts_[static_cast<size_t>(node.line - 1)];
    size_t col = 0;
    int chars = 1;
    while (col < line.size() && chars < node.column) {
      if ((static_cast<unsigned char>(line[col]) & 0xC0) != 0x80) ++chars;
      ++col;
      while (col < line.size() && (static_cast<unsigned char>(line[col]) & 0xC0) == 0x80) ++col;
    }
    // Skip an anchor or tag written before the bracket.
    while (col < line.size() && (line[col] == '&' || line[col] == '!')) {
      while (col < line.size() && line[col] != ' ' && line[col] != '\t') ++col;
      while (col < line.size() && (line[col] == ' ' || line[col] == '\t')) ++col;
    }
    if (col < line.size() && (line[col] == '{' || line[col] == '[')) {
      int depth = 0;
      int at_line = node.line;
      char prev = ' ';
      for (size_t i = offset + col; i < text_.size(); ++i) {
        char c = text_[i];
        if (c == '\n') {
          ++at_line;
          prev = ' ';
          continue;
        }
        if (c == '"' || (c == '\'' && (prev == ' ' || prev == '\t' || prev == '[' || prev == '{' ||
                                       prev == ',' || prev == ':'))) {
          char quote = c;
          for (++i; i < text_.size(); ++i) {
            if (text_[i] == '\n') ++at_line;
            if (quote == '"' && text_[i] == '\\') {
              ++i;
              if (i < text_.size() && text_[i] == '\n') ++at_line;
              continue;
            }
            if (text_[i] == quote) {
              if (quote == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
                ++i;
                continue;
              }
              break;
            }
          }
          prev = c;
          continue;
        }
        if (c == '#' && (prev == ' ' || prev == '\t')) {
          while (i + 1 < text_.size() && text_[i + 1] != '\n') ++i;
          continue;
        }
        if (c == '{' || c == '[') ++depth;
        if (c == '}' || c == ']') {
          if (--depth == 0) return std::max(at_line, last);
        }
        prev = c;
      }
      return last;
    }
  }
  int end = std::min(limit_line - 1, count());
  for (; end > last; --end) {
    std::string_view s = Line(end);
    size_t first = s.find_first_not_of(" \t");
    if (first == std::string_view::npos) continue;
    s.remove_prefix(first);
    if (s[0] == '#' || s.substr(0, 3) == "---" || s.substr(0, 3) == "...") continue;
    break;
  }
  return std::max(end, last);
}

}  // namespace custody::iac
