#include "rego/yaml_value.h"

#include <cmath>
#include <limits>

namespace custody::rego {

namespace {

bool AllDigits(std::string_view s, bool hex = false) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Value PlainScalarValue(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return Value::Null();
  if (s == "true" || s == "True" || s == "TRUE") return Value::Bool(true);
  if (s == "false" || s == "False" || s == "FALSE") return Value::Bool(false);
  if (s == ".inf" || s == "+.inf" || s == ".Inf" || s == ".INF") return Value::String(s);
  std::string_view t = s;
  bool neg = false;
  if (!t.empty() && (t[0] == '-' || t[0] == '+')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o') && AllDigits(t.substr(2), t[1] == 'x')) {
    int base = t[1] == 'x' ? 16 : 8;
    errno = 0;
    unsigned long long u = std::strtoull(std::string(t.substr(2)).c_str(), nullptr, base);
    if (errno == 0 && u <= static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()))
      return Value::Int(neg ? -static_cast<int64_t>(u) : static_cast<int64_t>(u));
    return Value::String(s);
  }
  // Decimal numbers in JSON form (a leading '+' is allowed).
  Value n = Value::Number(s);
  if (n.is_defined()) return n;
  // Forms JSON lacks but YAML reads as floats: "1.", ".5", "1.e3".
  char* end = nullptr;
  std::string copy = s;
  double d = std::strtod(copy.c_str(), &end);
  if (end && *end == '\0' && !copy.empty() && (copy.find('.') != std::string::npos) && std::isfinite(d) &&
      copy.find_first_not_of("+-0123456789.eE") == std::string::npos)
    return Value::Float(d);
  return Value::String(s);
}

Value YamlToValue(const YamlNode& node) {
  switch (node.type) {
    case YamlNode::Type::kNull: return Value::Null();
    case YamlNode::Type::kScalar:
      if (node.tag == "tag:yaml.org,2002:str") return Value::String(node.scalar);
      if (!node.plain) return Value::String(node.scalar);
      return PlainScalarValue(node.scalar);
    case YamlNode::Type::kSequence: {
      ValueVector items;
      items.reserve(node.items.size());
      for (const YamlNode& i : node.items) items.push_back(YamlToValue(i));
      return Value::Array(std::move(items));
    }
    case YamlNode::Type::kMapping: {
      ObjectEntries e;
      e.reserve(node.entries.size());
      for (const auto& [k, v] : node.entries) {
        Value key = YamlToValue(k);
        // JSON object keys are strings: non-string YAML keys become their text.
        if (!key.is_string()) key = Value::String(k.scalar);
        e.emplace_back(std::move(key), YamlToValue(v));
      }
      return Value::Object(std::move(e));
    }
  }
  return Value::Null();
}

}  // namespace custody::rego
