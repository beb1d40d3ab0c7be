#include "rego/value.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <set>
#include <unordered_map>

namespace custody::rego {

namespace internal {
struct StringNode : Node {
  explicit StringNode(std::string s) : text(std::move(s)) {}
  std::string text;
};
struct BigNode : Node {
  explicit BigNode(std::string d) : digits(std::move(d)) {}
  std::string digits;  // optional '-', then digits without leading zeros
};
struct ArrayNode : Node {
  explicit ArrayNode(ValueVector v) : items(std::move(v)) {}
  ValueVector items;
};
struct SetNode : Node {
  explicit SetNode(ValueVector v) : items(std::move(v)) {}
  ValueVector items;
};
struct ObjectNode : Node {
  explicit ObjectNode(ObjectEntries e) : entries(std::move(e)) {}
  ObjectEntries entries;
};
}  // namespace internal

using internal::ArrayNode;
using internal::BigNode;
using internal::ObjectNode;
using internal::SetNode;
using internal::StringNode;

namespace {
const ValueVector kEmptyVector;
const ObjectEntries kEmptyEntries;
const std::string kEmptyString;
}  // namespace

Value::Value(const Value& other) noexcept : kind_(other.kind_), num_(other.num_), i_(other.i_) {
  if (has_node()) Retain();
}
Value::Value(Value&& other) noexcept : kind_(other.kind_), num_(other.num_), i_(other.i_) {
  other.kind_ = Kind::kUndefined;
  other.num_ = 0;
  other.i_ = 0;
}
Value& Value::operator=(const Value& other) noexcept {
  if (this == &other) return *this;
  if (other.has_node()) other.Retain();
  Release();
  kind_ = other.kind_;
  num_ = other.num_;
  i_ = other.i_;
  return *this;
}
Value& Value::operator=(Value&& other) noexcept {
  if (this == &other) return *this;
  Release();
  kind_ = other.kind_;
  num_ = other.num_;
  i_ = other.i_;
  other.kind_ = Kind::kUndefined;
  other.num_ = 0;
  other.i_ = 0;
  return *this;
}
Value::~Value() { Release(); }

void Value::Retain() const { p_->refs.fetch_add(1, std::memory_order_relaxed); }

void Value::Release() {
  if (!has_node()) return;
  if (p_->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  switch (kind_) {
    case Kind::kNumber: delete static_cast<BigNode*>(p_); break;
    case Kind::kString: delete static_cast<StringNode*>(p_); break;
    case Kind::kArray: delete static_cast<ArrayNode*>(p_); break;
    case Kind::kSet: delete static_cast<SetNode*>(p_); break;
    case Kind::kObject: delete static_cast<ObjectNode*>(p_); break;
    default: break;
  }
  kind_ = Kind::kUndefined;
}

Value Value::Null() {
  Value v;
  v.kind_ = Kind::kNull;
  return v;
}
Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  return v;
}
Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kNumber;
  v.num_ = kInt;
  v.i_ = i;
  return v;
}
Value Value::Float(double d) {
  if (!std::isfinite(d)) return Value();
  if (d == std::floor(d) && std::fabs(d) <= 9007199254740992.0) return Int(static_cast<int64_t>(d));
  Value v;
  v.kind_ = Kind::kNumber;
  v.num_ = kFloat;
  v.d_ = d;
  return v;
}

Value Value::BigInt(std::string_view digits) {
  bool neg = !digits.empty() && digits[0] == '-';
  std::string_view body = neg ? digits.substr(1) : digits;
  if (!body.empty() && body[0] == '+') body.remove_prefix(1);
  while (body.size() > 1 && body[0] == '0') body.remove_prefix(1);
  if (body.empty()) return Value();
  for (char c : body)
    if (c < '0' || c > '9') return Value();
  std::string norm = (neg && body != "0" ? "-" : "") + std::string(body);
  int64_t i = 0;
  auto [ptr, ec] = std::from_chars(norm.data(), norm.data() + norm.size(), i);
  if (ec == std::errc() && ptr == norm.data() + norm.size()) return Int(i);
  Value v;
  v.kind_ = Kind::kNumber;
  v.num_ = kBig;
  v.p_ = new BigNode(std::move(norm));
  return v;
}

Value Value::Number(std::string_view text) {
  if (text.empty()) return Value();
  std::string_view t = text;
  if (t[0] == '+') t.remove_prefix(1);
  size_t i = 0;
  if (i < t.size() && t[i] == '-') ++i;
  size_t digits_start = i;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
  if (i == digits_start) return Value();
  bool integral = i == t.size();
  if (integral) return BigInt(t);
  // Exponent or fraction: validate the JSON shape, then read as a double.
  if (t[i] == '.') {
    ++i;
    size_t f = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == f) return Value();
  }
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    size_t e = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    if (i == e) return Value();
  }
  if (i != t.size()) return Value();
  double d = 0;
  auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), d);
  if (ec == std::errc::result_out_of_range) return Value();
  if (ec != std::errc()) return Value();
  // An integral value written with a fraction or exponent beyond 2^53
  // (1e30) stays a double; below that it becomes an integer.
  return Float(d);
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.p_ = new StringNode(std::move(s));
  return v;
}

Value Value::Array(ValueVector items) {
  Value v;
  v.kind_ = Kind::kArray;
  v.p_ = new ArrayNode(std::move(items));
  return v;
}

Value Value::SortedSet(ValueVector items) {
  Value v;
  v.kind_ = Kind::kSet;
  v.p_ = new SetNode(std::move(items));
  return v;
}

Value Value::Set(ValueVector items) {
  std::sort(items.begin(), items.end(), ValueLess());
  items.erase(std::unique(items.begin(), items.end(), ValueEqual()), items.end());
  return SortedSet(std::move(items));
}

Value Value::SortedObject(ObjectEntries entries) {
  Value v;
  v.kind_ = Kind::kObject;
  v.p_ = new ObjectNode(std::move(entries));
  return v;
}

Value Value::Object(ObjectEntries entries) {
  std::stable_sort(entries.begin(), entries.end(),
                   [](const ObjectEntry& a, const ObjectEntry& b) { return Compare(a.first, b.first) < 0; });
  // Keep the last of equal keys.
  ObjectEntries out;
  out.reserve(entries.size());
  for (auto& e : entries) {
    if (!out.empty() && Compare(out.back().first, e.first) == 0) {
      out.back().second = std::move(e.second);
    } else {
      out.push_back(std::move(e));
    }
  }
  return SortedObject(std::move(out));
}

Value Value::EmptyArray() { return Array({}); }
Value Value::EmptyObject() { return SortedObject({}); }
Value Value::EmptySet() { return SortedSet({}); }

const std::string& Value::as_string() const {
  return kind_ == Kind::kString ? static_cast<const StringNode*>(p_)->text : kEmptyString;
}
const ValueVector& Value::array() const {
  return kind_ == Kind::kArray ? static_cast<const ArrayNode*>(p_)->items : kEmptyVector;
}
const ValueVector& Value::set() const {
  return kind_ == Kind::kSet ? static_cast<const SetNode*>(p_)->items : kEmptyVector;
}
const ObjectEntries& Value::object() const {
  return kind_ == Kind::kObject ? static_cast<const ObjectNode*>(p_)->entries : kEmptyEntries;
}
const std::string& Value::big_digits() const {
  return is_number() && num_ == kBig ? static_cast<const BigNode*>(p_)->digits : kEmptyString;
}

size_t Value::size() const {
  switch (kind_) {
    case Kind::kArray: return array().size();
    case Kind::kSet: return set().size();
    case Kind::kObject: return object().size();
    default: return 0;
  }
}

double Value::as_double() const {
  switch (num_) {
    case kInt: return static_cast<double>(i_);
    case kFloat: return d_;
    default: {
      double d = 0;
      const std::string& s = big_digits();
      std::from_chars(s.data(), s.data() + s.size(), d);
      return d;
    }
  }
}

std::optional<int64_t> Value::to_int64() const {
  if (kind_ != Kind::kNumber || num_ != kInt) return std::nullopt;
  return i_;
}

std::string Value::NumberText() const {
  if (num_ == kInt) return std::to_string(i_);
  if (num_ == kBig) return big_digits();
  char buf[64];
  double d = d_;
  double ad = std::fabs(d);
  std::to_chars_result r;
  if (ad >= 1e-6 && ad < 1e21) {
    r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    // Fixed with shortest digits: to_chars(fixed) without precision is shortest round-trip.
  } else {
    r = std::to_chars(buf, buf + sizeof buf, d);
  }
  return std::string(buf, r.ptr);
}

namespace {

int Sign(int c) { return c < 0 ? -1 : (c > 0 ? 1 : 0); }

// Compares two integer digit strings (optional '-').
int CompareBigText(const std::string& a, const std::string& b) {
  bool na = !a.empty() && a[0] == '-';
  bool nb = !b.empty() && b[0] == '-';
  if (na != nb) return na ? -1 : 1;
  std::string_view ma = na ? std::string_view(a).substr(1) : a;
  std::string_view mb = nb ? std::string_view(b).substr(1) : b;
  int c;
  if (ma.size() != mb.size()) {
    c = ma.size() < mb.size() ? -1 : 1;
  } else {
    c = Sign(ma.compare(mb));
  }
  return na ? -c : c;
}

int CompareNumbers(const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) return a.as_int() < b.as_int() ? -1 : (a.as_int() > b.as_int() ? 1 : 0);
  if (a.is_big() || b.is_big()) {
    if (a.is_big() && b.is_big()) return CompareBigText(a.big_digits(), b.big_digits());
    if (a.is_big() && b.is_int()) return a.big_digits()[0] == '-' ? -1 : 1;
    if (a.is_int() && b.is_big()) return b.big_digits()[0] == '-' ? 1 : -1;
  }
  if (a.is_int() && b.is_float()) {
    // Exact comparison of an int64 with a double.
    double d = b.as_double();
    if (d >= 9223372036854775808.0) return -1;
    if (d < -9223372036854775808.0) return 1;
    double f = std::floor(d);
    int64_t fi = static_cast<int64_t>(f);
    if (a.as_int() < fi) return -1;
    if (a.as_int() > fi) return 1;
    return d > f ? -1 : 0;
  }
  if (a.is_float() && b.is_int()) return -CompareNumbers(b, a);
  double x = a.as_double(), y = b.as_double();
  return x < y ? -1 : (x > y ? 1 : 0);
}

}  // namespace

int Compare(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return a.kind() < b.kind() ? -1 : 1;
  switch (a.kind()) {
    case Kind::kUndefined:
    case Kind::kNull: return 0;
    case Kind::kBool: return a.as_bool() == b.as_bool() ? 0 : (a.as_bool() ? 1 : -1);
    case Kind::kNumber: return CompareNumbers(a, b);
    case Kind::kString: {
      if (a.node_identity() == b.node_identity()) return 0;
      return Sign(a.as_string().compare(b.as_string()));
    }
    case Kind::kArray:
    case Kind::kSet: {
      if (a.node_identity() == b.node_identity()) return 0;
      const ValueVector& x = a.kind() == Kind::kArray ? a.array() : a.set();
      const ValueVector& y = a.kind() == Kind::kArray ? b.array() : b.set();
      size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        int c = Compare(x[i], y[i]);
        if (c != 0) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
    case Kind::kObject: {
      if (a.node_identity() == b.node_identity()) return 0;
      const ObjectEntries& x = a.object();
      const ObjectEntries& y = b.object();
      size_t n = std::min(x.size(), y.size());
      for (size_t i = 0; i < n; ++i) {
        int c = Compare(x[i].first, y[i].first);
        if (c != 0) return c;
        c = Compare(x[i].second, y[i].second);
        if (c != 0) return c;
      }
      return x.size() < y.size() ? -1 : (x.size() > y.size() ? 1 : 0);
    }
  }
  return 0;
}

const Value* Value::Find(const Value& key) const {
  switch (kind_) {
    case Kind::kObject: {
      const ObjectEntries& e = object();
      auto it = std::lower_bound(e.begin(), e.end(), key,
                                 [](const ObjectEntry& x, const Value& k) { return Compare(x.first, k) < 0; });
      if (it != e.end() && Compare(it->first, key) == 0) return &it->second;
      return nullptr;
    }
    case Kind::kArray: {
      if (!key.is_number()) return nullptr;
      auto i = key.to_int64();
      if (!i) return nullptr;
      const ValueVector& a = array();
      if (*i < 0 || static_cast<uint64_t>(*i) >= a.size()) return nullptr;
      return &a[static_cast<size_t>(*i)];
    }
    case Kind::kSet: {
      const ValueVector& s = set();
      auto it = std::lower_bound(s.begin(), s.end(), key, ValueLess());
      if (it != s.end() && Compare(*it, key) == 0) return &*it;
      return nullptr;
    }
    default: return nullptr;
  }
}

const Value* Value::FindKey(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  const ObjectEntries& e = object();
  // Strings sort after null, booleans and numbers and before collections.
  auto it = std::lower_bound(e.begin(), e.end(), key, [](const ObjectEntry& x, std::string_view k) {
    if (x.first.kind() != Kind::kString) return x.first.kind() < Kind::kString;
    return x.first.as_string() < k;
  });
  if (it != e.end() && it->first.is_string() && it->first.as_string() == key) return &it->second;
  return nullptr;
}

const char* Value::TypeName() const {
  switch (kind_) {
    case Kind::kUndefined: return "undefined";
    case Kind::kNull: return "null";
    case Kind::kBool: return "boolean";
    case Kind::kNumber: return "number";
    case Kind::kString: return "string";
    case Kind::kArray: return "array";
    case Kind::kObject: return "object";
    case Kind::kSet: return "set";
  }
  return "undefined";
}

namespace {

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        // Control characters, and (as Go's encoding/json does for HTML
        // safety, so OPA's output too) < > &.
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          static const char* hex = "0123456789abcdef";
          out += "\\u00";
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 15]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
}

}  // namespace

void Value::AppendJson(std::string& out) const {
  switch (kind_) {
    case Kind::kUndefined: out += "null"; return;
    case Kind::kNull: out += "null"; return;
    case Kind::kBool: out += b_ ? "true" : "false"; return;
    case Kind::kNumber: out += NumberText(); return;
    case Kind::kString: AppendJsonString(out, as_string()); return;
    case Kind::kArray:
    case Kind::kSet: {
      out.push_back('[');
      bool first = true;
      for (const Value& v : kind_ == Kind::kArray ? array() : set()) {
        if (!first) out.push_back(',');
        first = false;
        v.AppendJson(out);
      }
      out.push_back(']');
      return;
    }
    case Kind::kObject: {
      out.push_back('{');
      // Non-string keys print as their JSON text; sort by the printed key so
      // the output is the same as Go's encoding/json.
      bool all_strings = true;
      for (const auto& e : object())
        if (!e.first.is_string()) all_strings = false;
      std::vector<std::pair<std::string, const Value*>> keyed;
      if (!all_strings) {
        for (const auto& e : object())
          keyed.emplace_back(e.first.is_string() ? e.first.as_string() : e.first.ToJson(), &e.second);
        std::sort(keyed.begin(), keyed.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
      }
      bool first = true;
      if (all_strings) {
        for (const auto& e : object()) {
          if (!first) out.push_back(',');
          first = false;
          AppendJsonString(out, e.first.as_string());
          out.push_back(':');
          e.second.AppendJson(out);
        }
      } else {
        for (const auto& [k, v] : keyed) {
          if (!first) out.push_back(',');
          first = false;
          AppendJsonString(out, k);
          out.push_back(':');
          v->AppendJson(out);
        }
      }
      out.push_back('}');
      return;
    }
  }
}

std::string Value::ToJson() const {
  std::string out;
  AppendJson(out);
  return out;
}

void Value::AppendRego(std::string& out) const {
  switch (kind_) {
    case Kind::kUndefined: out += "undefined"; return;
    case Kind::kSet: {
      if (set().empty()) {
        out += "set()";
        return;
      }
      out.push_back('{');
      bool first = true;
      for (const Value& v : set()) {
        if (!first) out += ", ";
        first = false;
        v.AppendRego(out);
      }
      out.push_back('}');
      return;
    }
    case Kind::kArray: {
      out.push_back('[');
      bool first = true;
      for (const Value& v : array()) {
        if (!first) out += ", ";
        first = false;
        v.AppendRego(out);
      }
      out.push_back(']');
      return;
    }
    case Kind::kObject: {
      out.push_back('{');
      bool first = true;
      for (const auto& e : object()) {
        if (!first) out += ", ";
        first = false;
        e.first.AppendRego(out);
        out += ": ";
        e.second.AppendRego(out);
      }
      out.push_back('}');
      return;
    }
    case Kind::kString: {
      // Go's strconv.Quote style is close enough to JSON for printable text.
      out.push_back('"');
      for (unsigned char c : as_string()) {
        switch (c) {
          case '"': out += "\\\""; break;
          case '\\': out += "\\\\"; break;
          case '\n': out += "\\n"; break;
          case '\r': out += "\\r"; break;
          case '\t': out += "\\t"; break;
          default:
            if (c < 0x20) {
              static const char* hex = "0123456789abcdef";
              out += "\\x";
              out.push_back(hex[c >> 4]);
              out.push_back(hex[c & 15]);
            } else {
              out.push_back(static_cast<char>(c));
            }
        }
      }
      out.push_back('"');
      return;
    }
    default: AppendJson(out); return;
  }
}

std::string Value::ToRego() const {
  std::string out;
  AppendRego(out);
  return out;
}

Json Value::ToNlohmann() const {
  switch (kind_) {
    case Kind::kUndefined:
    case Kind::kNull: return nullptr;
    case Kind::kBool: return b_;
    case Kind::kNumber:
      if (num_ == kInt) return i_;
      return as_double();
    case Kind::kString: return as_string();
    case Kind::kArray:
    case Kind::kSet: {
      Json a = Json::array();
      for (const Value& v : kind_ == Kind::kArray ? array() : set()) a.push_back(v.ToNlohmann());
      return a;
    }
    case Kind::kObject: {
      Json o = Json::object();
      for (const auto& e : object()) o[e.first.is_string() ? e.first.as_string() : e.first.ToJson()] = e.second.ToNlohmann();
      return o;
    }
  }
  return nullptr;
}

Value Value::FromNlohmann(const Json& j) {
  switch (j.type()) {
    case Json::value_t::null: return Null();
    case Json::value_t::boolean: return Bool(j.get<bool>());
    case Json::value_t::number_integer: return Int(j.get<int64_t>());
    case Json::value_t::number_unsigned: {
      uint64_t u = j.get<uint64_t>();
      if (u <= static_cast<uint64_t>(INT64_MAX)) return Int(static_cast<int64_t>(u));
      return BigInt(std::to_string(u));
    }
    case Json::value_t::number_float: return Float(j.get<double>());
    case Json::value_t::string: return String(j.get<std::string>());
    case Json::value_t::array: {
      ValueVector items;
      items.reserve(j.size());
      for (const auto& e : j) items.push_back(FromNlohmann(e));
      return Array(std::move(items));
    }
    case Json::value_t::object: {
      ObjectEntries entries;
      entries.reserve(j.size());
      for (auto it = j.begin(); it != j.end(); ++it) entries.emplace_back(String(it.key()), FromNlohmann(it.value()));
      return Object(std::move(entries));
    }
    default: return Null();
  }
}

size_t Value::Hash() const {
  auto mix = [](size_t h, size_t x) { return h ^ (x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)); };
  switch (kind_) {
    case Kind::kUndefined: return 0;
    case Kind::kNull: return 1;
    case Kind::kBool: return b_ ? 3 : 2;
    case Kind::kNumber:
      if (num_ == kInt) return std::hash<int64_t>()(i_);
      if (num_ == kBig) return std::hash<std::string>()(big_digits());
      return std::hash<double>()(d_);
    case Kind::kString: return std::hash<std::string_view>()(as_string());
    case Kind::kArray: {
      size_t h = 7;
      for (const Value& v : array()) h = mix(h, v.Hash());
      return h;
    }
    case Kind::kSet: {
      size_t h = 11;
      for (const Value& v : set()) h = mix(h, v.Hash());
      return h;
    }
    case Kind::kObject: {
      size_t h = 13;
      for (const auto& e : object()) h = mix(mix(h, e.first.Hash()), e.second.Hash());
      return h;
    }
  }
  return 0;
}

namespace {

// Builds Values straight from nlohmann's SAX events, so number text is kept.
class ValueSax {
 public:
  bool null() { return Put(Value::Null()); }
  bool boolean(bool b) { return Put(Value::Bool(b)); }
  bool number_integer(int64_t i) { return Put(Value::Int(i)); }
  bool number_unsigned(uint64_t u) {
    if (u <= static_cast<uint64_t>(INT64_MAX)) return Put(Value::Int(static_cast<int64_t>(u)));
    return Put(Value::BigInt(std::to_string(u)));
  }
  bool number_float(double, const std::string& text) {
    Value v = Value::Number(text);
    if (v.is_undefined()) {
      error = "number " + text + " is out of range";
      return false;
    }
    return Put(std::move(v));
  }
  bool string(std::string& s) {
    if (!big_strings_.empty() && big_strings_.count(strings_seen_++)) return Put(Value::BigInt(s));
    return Put(Intern(s));
  }
  bool binary(Json::binary_t&) { return false; }
  bool start_object(size_t) {
    if (stack_.size() >= kMaxDepth) return TooDeep();
    stack_.push_back(Frame{true, {}, {}, Value()});
    return true;
  }
  bool key(std::string& k) {
    ++strings_seen_;
    stack_.back().key = Intern(k);
    return true;
  }
  // Ordinals (among all strings and keys, in document order) of the strings
  // that stand for integers too long for nlohmann's number reader.
  std::set<size_t> big_strings_;
  size_t strings_seen_ = 0;
  bool end_object() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return Put(Value::Object(std::move(f.entries)));
  }
  bool start_array(size_t) {
    if (stack_.size() >= kMaxDepth) return TooDeep();
    stack_.push_back(Frame{false, {}, {}, Value()});
    return true;
  }
  bool end_array() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    return Put(Value::Array(std::move(f.items)));
  }
  bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& ex) {
    error = ex.what();
    error_position = position;
    return false;
  }

  // Deeper documents are refused: every later walk of a value is recursive.
  static constexpr size_t kMaxDepth = 10000;
  Value result;
  std::string error;
  size_t error_position = 0;

 private:
  struct Frame {
    bool is_object;
    ValueVector items;
    ObjectEntries entries;
    Value key;
  };
  bool Put(Value v) {
    if (stack_.empty()) {
      result = std::move(v);
    } else if (stack_.back().is_object) {
      stack_.back().entries.emplace_back(std::move(stack_.back().key), std::move(v));
    } else {
      stack_.back().items.push_back(std::move(v));
    }
    return true;
  }
  // Equal strings in one document share one node: data documents repeat
  // keys and values (role names, "action", "resource") thousands of times.
  Value Intern(std::string& s) {
    if (s.size() > 64 || interned_.size() >= kMaxInterned) return Value::String(std::move(s));
    auto it = interned_.find(s);
    if (it != interned_.end()) return it->second;
    Value v = Value::String(s);
    interned_.emplace(std::move(s), v);
    return v;
  }
  static constexpr size_t kMaxInterned = 1 << 20;
  std::unordered_map<std::string, Value> interned_;

  bool TooDeep() {
    error = "nested deeper than " + std::to_string(kMaxDepth) + " levels";
    return false;
  }
  std::vector<Frame> stack_;
};

}  // namespace

namespace {

// Integers of more digits than a double's range holds cannot go through
// nlohmann's number reader (it reports an overflow). They are rewritten as
// strings, and their ordinals among all strings noted, so the reader turns
// them back into exact big integers.
std::string QuoteLongIntegers(std::string_view text, std::set<size_t>* ordinals) {
  std::string out;
  out.reserve(text.size() + 16);
  size_t strings = 0;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      out.append(text.substr(i, std::min(j + 1, text.size()) - i));
      ++strings;
      i = j + 1;
      continue;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      size_t j = i + (c == '-' ? 1 : 0);
      size_t digits_start = j;
      while (j < text.size() && text[j] >= '0' && text[j] <= '9') ++j;
      bool integral = j == text.size() || (text[j] != '.' && text[j] != 'e' && text[j] != 'E');
      if (integral && j - digits_start > 300) {
        out.push_back('"');
        out.append(text.substr(i, j - i));
        out.push_back('"');
        ordinals->insert(strings++);
      } else {
        out.append(text.substr(i, j - i));
      }
      if (j == i) {
        out.push_back(c);
        ++j;
      }
      i = j;
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace

Result<Value> ParseJsonValue(std::string_view text, const std::string& source) {
  ValueSax sax;
  bool ok = Json::sax_parse(text.begin(), text.end(), &sax, Json::input_format_t::json, true, false);
  if (!ok && sax.error.find("number overflow") != std::string::npos) {
    std::set<size_t> ordinals;
    std::string quoted = QuoteLongIntegers(text, &ordinals);
    if (!ordinals.empty()) {
      ValueSax again;
      again.big_strings_ = std::move(ordinals);
      if (Json::sax_parse(quoted.begin(), quoted.end(), &again, Json::input_format_t::json, true, false))
        return again.result;
    }
  }
  if (!ok) {
    if (sax.error_position > 0) {
      size_t line = 1, col = 1;
      for (size_t i = 0; i + 1 < sax.error_position && i < text.size(); ++i) {
        if (text[i] == '\n') {
          ++line;
          col = 1;
        } else {
          ++col;
        }
      }
      return Error::Input(source + ":" + std::to_string(line) + ":" + std::to_string(col) +
                          ": invalid JSON: " + sax.error);
    }
    return Error::Input(source + ": invalid JSON: " + sax.error);
  }
  return sax.result;
}

}  // namespace custody::rego
