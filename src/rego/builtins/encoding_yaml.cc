#include "rego/builtins/encoding_yaml.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <vector>

#include "core/yaml.h"
#include "rego/builtins/encoding_strconv.h"

namespace custody::rego::goyaml {
namespace {

constexpr std::string_view kTagPrefix = "tag:yaml.org,2002:";
const std::string kStrTag = "tag:yaml.org,2002:str";
const std::string kBoolTag = "tag:yaml.org,2002:bool";
const std::string kIntTag = "tag:yaml.org,2002:int";
const std::string kFloatTag = "tag:yaml.org,2002:float";
const std::string kNullTag = "tag:yaml.org,2002:null";
const std::string kTimestampTag = "tag:yaml.org,2002:timestamp";
const std::string kBinaryTag = "tag:yaml.org,2002:binary";

// ---- Scalar resolution (go-yaml v2's resolve) ----

enum class Kind { kNull, kBool, kInt, kUint, kBig, kFloat, kTimestamp, kStr };

struct Resolved {
  Kind kind = Kind::kStr;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  std::string big;  // decimal digits, '-' first when negative
  double f = 0;
  std::string tag;  // the resolved tag, long form
};

enum class NumErr { kOk, kSyntax, kRange };

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

// strconv.ParseUint(s, 0, 64), without underscores (go-yaml removed them).
NumErr ParseUintBase0(std::string_view s, uint64_t* out) {
  *out = 0;
  if (s.empty()) return NumErr::kSyntax;
  unsigned base = 10;
  if (s[0] == '0') {
    if (s.size() >= 3 && Lower(s[1]) == 'b') {
      base = 2, s = s.substr(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'o') {
      base = 8, s = s.substr(2);
    } else if (s.size() >= 3 && Lower(s[1]) == 'x') {
      base = 16, s = s.substr(2);
    } else {
      base = 8, s = s.substr(1);
    }
  }
  uint64_t n = 0;
  const uint64_t cutoff = std::numeric_limits<uint64_t>::max() / base + 1;
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (Lower(c) >= 'a' && Lower(c) <= 'z') {
      d = static_cast<unsigned>(Lower(c) - 'a' + 10);
    } else {
      return NumErr::kSyntax;
    }
    if (d >= base) return NumErr::kSyntax;
    if (n >= cutoff) return NumErr::kRange;
    n *= base;
    uint64_t n1 = n + d;
    if (n1 < n) return NumErr::kRange;
    n = n1;
  }
  *out = n;
  return NumErr::kOk;
}

// strconv.ParseInt(s, 0, 64).
NumErr ParseIntBase0(std::string_view s, int64_t* out) {
  *out = 0;
  if (s.empty()) return NumErr::kSyntax;
  bool neg = false;
  if (s[0] == '+') {
    s = s.substr(1);
  } else if (s[0] == '-') {
    neg = true;
    s = s.substr(1);
  }
  uint64_t un;
  NumErr err = ParseUintBase0(s, &un);
  if (err == NumErr::kSyntax) return err;
  if (err == NumErr::kRange) return NumErr::kRange;
  constexpr uint64_t kCutoff = uint64_t{1} << 63;
  if (!neg && un >= kCutoff) return NumErr::kRange;
  if (neg && un > kCutoff) return NumErr::kRange;
  *out = neg ? static_cast<int64_t>(0 - un) : static_cast<int64_t>(un);
  return NumErr::kOk;
}

// big.Int's SetString(s, 0) as decimal digits; false on bad syntax.
bool BigDecimal(std::string_view s, std::string* out) {
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s = s.substr(1);
  }
  unsigned base = 10;
  if (s.size() >= 2 && s[0] == '0') {
    char p = Lower(s[1]);
    if (p == 'x') {
      base = 16, s = s.substr(2);
    } else if (p == 'b') {
      base = 2, s = s.substr(2);
    } else if (p == 'o') {
      base = 8, s = s.substr(2);
    } else {
      base = 8, s = s.substr(1);
    }
  }
  if (s.empty()) return false;
  std::vector<uint32_t> limbs;  // little-endian, base 1e9
  for (char c : s) {
    unsigned d;
    if (c >= '0' && c <= '9') {
      d = static_cast<unsigned>(c - '0');
    } else if (Lower(c) >= 'a' && Lower(c) <= 'f') {
      d = static_cast<unsigned>(Lower(c) - 'a' + 10);
    } else {
      return false;
    }
    if (d >= base) return false;
    uint64_t carry = d;
    for (uint32_t& limb : limbs) {
      uint64_t v = static_cast<uint64_t>(limb) * base + carry;
      limb = static_cast<uint32_t>(v % 1000000000);
      carry = v / 1000000000;
    }
    while (carry != 0) {
      limbs.push_back(static_cast<uint32_t>(carry % 1000000000));
      carry /= 1000000000;
    }
  }
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  std::string digits = limbs.empty() ? "0" : std::to_string(limbs.back());
  for (size_t i = limbs.size(); i-- > 1;) {
    std::string part = std::to_string(limbs[i - 1]);
    digits += std::string(9 - part.size(), '0') + part;
  }
  *out = (neg && digits != "0" ? "-" : "") + digits;
  return true;
}

// go-yaml's yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
bool YamlStyleFloat(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  } else {
    if (digits() == 0) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      digits();
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

// strconv.ParseFloat on text already known to be decimal; false when out of
// range (Go answers ±Inf with ErrRange there).
bool ParseDecimalFloat(std::string_view s, double* out) {
  std::string text(s);
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || std::isinf(d)) return false;
  *out = d;
  return true;
}

int DaysIn(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

// go-yaml's parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00"
// (or 't'), "2006-1-2 15:4:5.999999999" or "2006-1-2".
bool IsTimestamp(std::string_view s) {
  size_t i = 0;
  auto number = [&](size_t min_digits, size_t max_digits, int* out) {
    size_t start = i;
    int v = 0;
    while (i < s.size() && i - start < max_digits && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s[i++] - '0');
    *out = v;
    return i - start >= min_digits;
  };
  int year, month, day;
  if (!number(4, 4, &year) || i >= s.size() || s[i++] != '-') return false;
  if (!number(1, 2, &month) || month < 1 || month > 12 || i >= s.size() || s[i++] != '-') return false;
  if (!number(1, 2, &day) || day < 1 || day > DaysIn(year, month)) return false;
  if (i == s.size()) return true;
  char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  int hour, minute, second;
  if (!number(1, 2, &hour) || hour > 23 || i >= s.size() || s[i++] != ':') return false;
  if (!number(1, 2, &minute) || minute > 59 || i >= s.size() || s[i++] != ':') return false;
  if (!number(1, 2, &second) || second > 59) return false;
  if (i + 1 < s.size() && (s[i] == '.' || s[i] == ',') && s[i + 1] >= '0' && s[i + 1] <= '9') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  }
  if (sep == ' ') return i == s.size();
  if (i < s.size() && s[i] == 'Z') return i + 1 == s.size();
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    ++i;
    int hh, mm;
    if (!number(2, 2, &hh) || hh > 24 || i >= s.size() || s[i++] != ':' || !number(2, 2, &mm) || mm > 60)
      return false;
    return i == s.size();
  }
  return false;
}

bool IsResolvableTag(const std::string& tag) {
  return tag.empty() || tag == kStrTag || tag == kBoolTag || tag == kIntTag || tag == kFloatTag ||
         tag == kNullTag || tag == kTimestampTag;
}

std::string ShortTag(const std::string& tag) {
  if (tag.rfind(kTagPrefix, 0) == 0) return "!!" + tag.substr(kTagPrefix.size());
  return tag;
}

// The value a plain scalar `in` has under tag `tag`, before the check that
// the two agree.
Resolved ResolveRaw(const std::string& tag, std::string_view in) {
  Resolved r;
  r.tag = kStrTag;
  char hint = 'N';
  if (!in.empty()) {
    char c = in[0];
    if (c == '+' || c == '-') {
      hint = 'S';
    } else if (c >= '0' && c <= '9') {
      hint = 'D';
    } else if (std::string_view("yYnNtTfFoO~").find(c) != std::string_view::npos) {
      hint = 'M';
    } else if (c == '.') {
      hint = '.';
    } else {
      hint = 0;
    }
  }
  if (hint == 0 || tag == kStrTag || tag == kBinaryTag) return r;

  static const struct {
    const char* text;
    Kind kind;
    bool b;
    double f;
  } kMap[] = {
      {"y", Kind::kBool, true, 0},
      {"Y", Kind::kBool, true, 0},
      {"yes", Kind::kBool, true, 0},
      {"Yes", Kind::kBool, true, 0},
      {"YES", Kind::kBool, true, 0},
      {"true", Kind::kBool, true, 0},
      {"True", Kind::kBool, true, 0},
      {"TRUE", Kind::kBool, true, 0},
      {"on", Kind::kBool, true, 0},
      {"On", Kind::kBool, true, 0},
      {"ON", Kind::kBool, true, 0},
      {"n", Kind::kBool, false, 0},
      {"N", Kind::kBool, false, 0},
      {"no", Kind::kBool, false, 0},
      {"No", Kind::kBool, false, 0},
      {"NO", Kind::kBool, false, 0},
      {"false", Kind::kBool, false, 0},
      {"False", Kind::kBool, false, 0},
      {"FALSE", Kind::kBool, false, 0},
      {"off", Kind::kBool, false, 0},
      {"Off", Kind::kBool, false, 0},
      {"OFF", Kind::kBool, false, 0},
      {"", Kind::kNull, false, 0},
      {"~", Kind::kNull, false, 0},
      {"null", Kind::kNull, false, 0},
      {"Null", Kind::kNull, false, 0},
      {"NULL", Kind::kNull, false, 0},
      {".nan", Kind::kFloat, false, std::numeric_limits<double>::quiet_NaN()},
      {".NaN", Kind::kFloat, false, std::numeric_limits<double>::quiet_NaN()},
      {".NAN", Kind::kFloat, false, std::numeric_limits<double>::quiet_NaN()},
      {".inf", Kind::kFloat, false, HUGE_VAL},
      {".Inf", Kind::kFloat, false, HUGE_VAL},
      {".INF", Kind::kFloat, false, HUGE_VAL},
      {"+.inf", Kind::kFloat, false, HUGE_VAL},
      {"+.Inf", Kind::kFloat, false, HUGE_VAL},
      {"+.INF", Kind::kFloat, false, HUGE_VAL},
      {"-.inf", Kind::kFloat, false, -HUGE_VAL},
      {"-.Inf", Kind::kFloat, false, -HUGE_VAL},
      {"-.INF", Kind::kFloat, false, -HUGE_VAL},
  };
  for (const auto& m : kMap) {
    if (in == m.text) {
      r.kind = m.kind;
      r.b = m.b;
      r.f = m.f;
      r.tag = m.kind == Kind::kBool ? kBoolTag : m.kind == Kind::kNull ? kNullTag : kFloatTag;
      return r;
    }
  }
  if (hint == '.') {
    // A float like ".5": ParseFloat's decimal syntax.
    if (YamlStyleFloat(in) && ParseDecimalFloat(in, &r.f)) {
      r.kind = Kind::kFloat;
      r.tag = kFloatTag;
    }
    return r;
  }
  if (hint == 'D' || hint == 'S') {
    if ((tag.empty() || tag == kTimestampTag) && IsTimestamp(in)) {
      r.kind = Kind::kTimestamp;
      r.tag = kTimestampTag;
      return r;
    }
    std::string plain;
    for (char c : in)
      if (c != '_') plain.push_back(c);
    if (ParseIntBase0(plain, &r.i) == NumErr::kOk) {
      r.kind = Kind::kInt;
      r.tag = kIntTag;
      return r;
    }
    NumErr uerr = ParseUintBase0(plain, &r.u);
    if (uerr == NumErr::kOk) {
      r.kind = Kind::kUint;
      r.tag = kIntTag;
      return r;
    }
    if (YamlStyleFloat(plain) && ParseDecimalFloat(plain, &r.f)) {
      r.kind = Kind::kFloat;
      r.tag = kFloatTag;
      return r;
    }
    if (uerr == NumErr::kRange && BigDecimal(plain, &r.big)) {
      r.kind = Kind::kBig;
      r.tag = kIntTag;
      return r;
    }
  }
  return r;
}

// go-yaml's resolve: the value, or its error when an explicit tag does not
// fit the text.
Result<Resolved> Resolve(const std::string& tag, std::string_view in) {
  if (!IsResolvableTag(tag)) {
    Resolved r;
    r.tag = tag;
    return r;
  }
  Resolved r = ResolveRaw(tag, in);
  if (tag.empty() || tag == r.tag || tag == kStrTag || tag == kBinaryTag) {
    if (tag == kStrTag) r = Resolved{Kind::kStr, false, 0, 0, "", 0, kStrTag};
    return r;
  }
  if (tag == kFloatTag && r.kind == Kind::kInt) {
    r.kind = Kind::kFloat;
    r.f = static_cast<double>(r.i);
    r.tag = kFloatTag;
    return r;
  }
  if (tag == kFloatTag && r.kind == Kind::kUint) {
    r.kind = Kind::kFloat;
    r.f = static_cast<double>(r.u);
    r.tag = kFloatTag;
    return r;
  }
  return Error::Input("yaml: cannot decode " + ShortTag(r.tag) + " `" + std::string(in) + "` as a " +
                      ShortTag(tag));
}

// ---- Reading ----

struct ReadOptions {
  bool json = true;  // the JSON step of yaml.unmarshal (refuses .nan, null keys)
};

std::string FloatUnsupported(double f) {
  return std::isnan(f) ? "json: unsupported value: NaN"
         : f > 0       ? "json: unsupported value: +Inf"
                       : "json: unsupported value: -Inf";
}

Result<Value> Convert(const YamlNode& n, const ReadOptions& opt);

// What a scalar node holds: the string, or the typed value.
Result<Value> ConvertScalar(const YamlNode& n, const ReadOptions& opt) {
  // Quoted and block scalars without a tag are strings.
  if (!n.plain && n.tag.empty()) return Value::String(n.scalar);
  CUSTODY_ASSIGN_OR_RETURN(Resolved r, Resolve(n.tag, n.scalar));
  if (r.tag == kBinaryTag || (n.tag == kBinaryTag)) {
    std::string decoded;
    if (!GoBase64Decode(n.scalar, /*url=*/false, &decoded, nullptr)) {
      return Error::Input("yaml: !!binary value contains invalid base64 data");
    }
    return Value::String(GoToValidUtf8(decoded));
  }
  switch (r.kind) {
    case Kind::kNull: return Value::Null();
    case Kind::kBool: return Value::Bool(r.b);
    case Kind::kInt: return Value::Int(r.i);
    case Kind::kUint: return Value::BigInt(std::to_string(r.u));
    case Kind::kBig: return Value::BigInt(r.big);
    case Kind::kFloat:
      if (!std::isfinite(r.f)) {
        if (opt.json) return Error::Input(FloatUnsupported(r.f));
        return Value::Null();  // only validity is asked
      }
      return Value::Float(r.f);
    case Kind::kTimestamp:
    case Kind::kStr: return Value::String(n.scalar);
  }
  return Value::String(n.scalar);
}

// sigs.k8s.io/yaml turns map keys into strings: numbers by their Go text,
// booleans as true/false; null and other key types are refused (go-yaml
// itself, all that yaml.is_valid asks, takes any scalar key).
Result<Value> KeyString(const YamlNode& k, const ReadOptions& opt) {
  if (k.type != YamlNode::Type::kScalar) {
    return Error::Input(
        std::string("yaml: invalid map key: ") +
        (k.type == YamlNode::Type::kSequence ? "[]interface {}{...}" : "map[interface {}]interface {}{...}"));
  }
  ReadOptions lax = opt;
  lax.json = false;
  CUSTODY_ASSIGN_OR_RETURN(Value key, ConvertScalar(k, lax));
  if (key.is_string() || !opt.json) return key.is_string() ? key : Value::String(k.scalar);
  if (key.is_bool()) return Value::String(key.as_bool() ? "true" : "false");
  if (key.is_null()) {
    // A non-finite float is null in lax mode; Go prints it.
    CUSTODY_ASSIGN_OR_RETURN(Resolved r, Resolve(k.tag, k.scalar));
    if (r.kind == Kind::kFloat) return Value::String(std::isnan(r.f) ? ".nan" : r.f > 0 ? ".inf" : "-.inf");
    return Error::Input("unsupported map key of type: %!s(<nil>), key: <nil>");
  }
  CUSTODY_ASSIGN_OR_RETURN(Resolved r, Resolve(k.tag, k.scalar));
  switch (r.kind) {
    case Kind::kInt: return Value::String(std::to_string(r.i));
    case Kind::kFloat: return Value::String(FormatFloatG(r.f, 32));
    case Kind::kUint: return Error::Input("unsupported map key of type: uint64, key: " + std::to_string(r.u));
    case Kind::kBig: return Error::Input("unsupported map key of type: *big.Int, key: " + r.big);
    default: return Value::String(k.scalar);
  }
}

Result<Value> Convert(const YamlNode& n, const ReadOptions& opt) {
  switch (n.type) {
    case YamlNode::Type::kNull: return Value::Null();
    case YamlNode::Type::kScalar: return ConvertScalar(n, opt);
    case YamlNode::Type::kSequence: {
      ValueVector items;
      items.reserve(n.items.size());
      for (const YamlNode& item : n.items) {
        CUSTODY_ASSIGN_OR_RETURN(Value v, Convert(item, opt));
        items.push_back(std::move(v));
      }
      return Value::Array(std::move(items));
    }
    case YamlNode::Type::kMapping: {
      ObjectEntries entries;
      entries.reserve(n.entries.size());
      for (const auto& [k, v] : n.entries) {
        CUSTODY_ASSIGN_OR_RETURN(Value key, KeyString(k, opt));
        CUSTODY_ASSIGN_OR_RETURN(Value value, Convert(v, opt));
        entries.emplace_back(std::move(key), std::move(value));
      }
      return Value::Object(std::move(entries));  // a repeated key: the last wins, as in Go's map
    }
  }
  return Value::Null();
}

// Core parse errors worded as go-yaml words its own: "yaml: line N: ...".
Error YamlError(std::string_view text, const YamlErrorDetail& d) {
  std::string msg = d.message;
  if (msg.find("flow sequence without a closing bracket") != std::string::npos ||
      msg.find("missing comma in flow sequence") != std::string::npos) {
    msg = "did not find expected ',' or ']'";
  } else if (msg.find("flow mapping without a closing brace") != std::string::npos ||
             msg.find("missing comma in flow mapping") != std::string::npos) {
    msg = "did not find expected ',' or '}'";
  } else if (msg.rfind("merge key <<", 0) == 0) {
    msg = "map merge requires map or sequence of maps as the value";
  }
  if (d.line <= 0) return Error::Input("yaml: " + msg);
  // libfyaml places errors at the end of input on the line after the last;
  // go-yaml names the last line.
  int lines = 1;
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if (text[i] == '\n') ++lines;
  return Error::Input("yaml: line " + std::to_string(std::min(d.line, lines)) + ": " + msg);
}

Result<Value> Read(std::string_view text, const ReadOptions& opt) {
  YamlErrorDetail detail;
  auto docs = ParseYamlDocuments(text, "yaml", &detail);
  if (!docs.ok()) return YamlError(text, detail);
  if (docs->empty()) return Value::Null();
  // go-yaml reads the first document only.
  return Convert((*docs)[0], opt);
}

// ---- Writing (go-yaml v2's emitter) ----

bool IsBase60Float(std::string_view s) {
  // ^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$
  if (s.empty()) return false;
  char c = s[0];
  if (!(c == '+' || c == '-' || (c >= '0' && c <= '9')) || s.find(':') == std::string_view::npos)
    return false;
  size_t i = 0;
  if (s[i] == '+' || s[i] == '-') ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  ++i;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) ++i;
  int groups = 0;
  while (i < s.size() && s[i] == ':') {
    ++i;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9' && i - start < 2) ++i;
    size_t len = i - start;
    if (len == 0) return false;
    if (len == 2 && s[start] > '5') return false;
    ++groups;
  }
  if (groups == 0) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '_')) ++i;
  }
  return i == s.size();
}

// unicode.IsLetter for the key order. Exact for Latin-1; above it, code points
// outside the punctuation, symbol and mark blocks count as letters.
bool IsLetter(uint32_t r) {
  if (r < 0x80) return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
  if (r < 0x100) return r == 0xAA || r == 0xB5 || r == 0xBA || (r >= 0xC0 && r != 0xD7 && r != 0xF7);
  if ((r >= 0x300 && r <= 0x36F) || (r >= 0x2000 && r <= 0x2BFF) || (r >= 0x3000 && r <= 0x303F) ||
      (r >= 0xFE00 && r <= 0xFE4F) || (r >= 0xFF00 && r <= 0xFF20) || (r >= 0x1F000 && r <= 0x1FAFF))
    return false;
  return true;
}

std::vector<uint32_t> Runes(std::string_view s) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i < s.size();) {
    size_t w;
    uint32_t r = GoDecodeRune(s, i, &w);
    out.push_back(r == 0xFFFFFFFF ? 0xFFFD : r);
    i += w;
  }
  return out;
}

// go-yaml v2's keyList.Less for string keys: letters sort by code point,
// runs of digits by their number.
bool KeyLess(const std::vector<uint32_t>& a, const std::vector<uint32_t>& b) {
  auto digit = [](uint32_t r) { return r >= '0' && r <= '9'; };
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    if (a[i] == b[i]) continue;
    bool al = IsLetter(a[i]), bl = IsLetter(b[i]);
    if (al && bl) return a[i] < b[i];
    if (al || bl) return bl;
    int64_t an = 0, bn = 0;
    if (a[i] == '0' || b[i] == '0') {
      for (size_t j = i; j-- > 0 && digit(a[j]);) {
        if (a[j] != '0') {
          an = bn = 1;
          break;
        }
      }
    }
    size_t ai = i, bi = i;
    for (; ai < a.size() && digit(a[ai]); ++ai) an = an * 10 + static_cast<int64_t>(a[ai] - '0');
    for (; bi < b.size() && digit(b[bi]); ++bi) bn = bn * 10 + static_cast<int64_t>(b[bi] - '0');
    if (an != bn) return an < bn;
    if (ai != bi) return ai < bi;
    return a[i] < b[i];
  }
  return a.size() < b.size();
}

// A merge sort: safe whatever the comparator does (go-yaml's order is not
// guaranteed to be a strict weak order).
template <typename T, typename Less>
void MergeSort(std::vector<T>& v, Less less) {
  std::vector<T> tmp(v.size());
  for (size_t width = 1; width < v.size(); width *= 2) {
    for (size_t lo = 0; lo < v.size(); lo += 2 * width) {
      size_t mid = std::min(lo + width, v.size()), hi = std::min(lo + 2 * width, v.size());
      size_t i = lo, j = mid, k = lo;
      while (i < mid && j < hi) tmp[k++] = less(v[j], v[i]) ? std::move(v[j++]) : std::move(v[i++]);
      while (i < mid) tmp[k++] = std::move(v[i++]);
      while (j < hi) tmp[k++] = std::move(v[j++]);
    }
    std::swap(v, tmp);
  }
}

enum class Style { kPlain, kSingle, kDouble, kLiteral };

struct Analysis {
  bool multiline = false;
  bool flow_plain_allowed = false;
  bool block_plain_allowed = false;
  bool single_quoted_allowed = false;
  bool block_allowed = false;
};

size_t Width(unsigned char c) {
  if ((c & 0x80) == 0) return 1;
  if ((c & 0xE0) == 0xC0) return 2;
  if ((c & 0xF0) == 0xE0) return 3;
  if ((c & 0xF8) == 0xF0) return 4;
  return 1;
}

bool At(std::string_view s, size_t i, unsigned char c) {
  return i < s.size() && static_cast<unsigned char>(s[i]) == c;
}
bool IsSpaceAt(std::string_view s, size_t i) { return At(s, i, ' '); }
bool IsBreakAt(std::string_view s, size_t i) {
  return At(s, i, '\r') || At(s, i, '\n') || (At(s, i, 0xC2) && At(s, i + 1, 0x85)) ||
         (At(s, i, 0xE2) && At(s, i + 1, 0x80) && (At(s, i + 2, 0xA8) || At(s, i + 2, 0xA9)));
}
bool IsBlankAt(std::string_view s, size_t i) { return IsSpaceAt(s, i) || At(s, i, '\t'); }
bool IsBlankzAt(std::string_view s, size_t i) { return IsBlankAt(s, i) || IsBreakAt(s, i) || i >= s.size(); }
bool IsBomAt(std::string_view s, size_t i) {
  return At(s, i, 0xEF) && At(s, i + 1, 0xBB) && At(s, i + 2, 0xBF);
}

// go-yaml's is_printable (with unicode output on).
bool IsPrintableAt(std::string_view s, size_t i) {
  auto b = [&](size_t k) -> unsigned char { return k < s.size() ? static_cast<unsigned char>(s[k]) : 0; };
  unsigned char c = b(i);
  return c == 0x0A || (c >= 0x20 && c <= 0x7E) || (c == 0xC2 && b(i + 1) >= 0xA0) || (c > 0xC2 && c < 0xED) ||
         (c == 0xED && b(i + 1) < 0xA0) || c == 0xEE ||
         (c == 0xEF && !(b(i + 1) == 0xBB && b(i + 2) == 0xBF) &&
          !(b(i + 1) == 0xBF && (b(i + 2) == 0xBE || b(i + 2) == 0xBF)));
}

// yaml_emitter_analyze_scalar.
Analysis Analyze(std::string_view v) {
  Analysis a;
  if (v.empty()) {
    a.block_plain_allowed = true;
    a.single_quoted_allowed = true;
    return a;
  }
  bool block_indicators = false, flow_indicators = false, line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false, previous_space = false, previous_break = false;
  if (v.size() >= 3 && (v.substr(0, 3) == "---" || v.substr(0, 3) == "..."))
    block_indicators = flow_indicators = true;
  bool preceded_by_whitespace = true;
  for (size_t i = 0; i < v.size();) {
    size_t w = Width(static_cast<unsigned char>(v[i]));
    bool followed_by_whitespace = i + w >= v.size() || IsBlankAt(v, i + w);
    char c = v[i];
    auto one_of = [c](std::string_view set) { return set.find(c) != std::string_view::npos; };
    if (i == 0) {
      if (one_of("#,[]{}&*!|>'\"%@`")) {
        flow_indicators = block_indicators = true;
      } else if (c == '?' || c == ':') {
        flow_indicators = true;
        if (followed_by_whitespace) block_indicators = true;
      } else if (c == '-' && followed_by_whitespace) {
        flow_indicators = block_indicators = true;
      }
    } else if (one_of(",?[]{}")) {
      flow_indicators = true;
    } else if (c == ':') {
      flow_indicators = true;
      if (followed_by_whitespace) block_indicators = true;
    } else if (c == '#' && preceded_by_whitespace) {
      flow_indicators = block_indicators = true;
    }
    if (!IsPrintableAt(v, i)) special = true;
    if (IsSpaceAt(v, i)) {
      if (i == 0) leading_space = true;
      if (i + w == v.size()) trailing_space = true;
      if (previous_break) break_space = true;
      previous_space = true;
      previous_break = false;
    } else if (IsBreakAt(v, i)) {
      line_breaks = true;
      if (i == 0) leading_break = true;
      if (i + w == v.size()) trailing_break = true;
      if (previous_space) space_break = true;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
    preceded_by_whitespace = IsBlankzAt(v, i);
    i += w;
  }
  a.multiline = line_breaks;
  a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = true;
  if (leading_space || leading_break || trailing_space || trailing_break) {
    a.flow_plain_allowed = a.block_plain_allowed = false;
  }
  if (trailing_space) a.block_allowed = false;
  if (break_space) a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = false;
  if (space_break || special) {
    a.flow_plain_allowed = a.block_plain_allowed = a.single_quoted_allowed = a.block_allowed = false;
  }
  if (line_breaks) a.flow_plain_allowed = a.block_plain_allowed = false;
  if (flow_indicators) a.flow_plain_allowed = false;
  if (block_indicators) a.block_plain_allowed = false;
  return a;
}

class Emitter {
 public:
  Result<std::string> Run(const Value& v) {
    Node(v, /*mapping_ctx=*/false, /*simple_key=*/false);
    if (!error_.empty()) return Error::Input(error_);
    indent_ = -1;
    WriteIndent();  // the implicit document end
    return std::move(out_);
  }

 private:
  static constexpr int kBestIndent = 2;
  static constexpr int kBestWidth = 80;

  void Put(char c) {
    out_.push_back(c);
    ++column_;
  }
  void PutBreak() {
    out_.push_back('\n');
    column_ = 0;
  }
  // One character (all its bytes) from s at i.
  void Write(std::string_view s, size_t& i) {
    size_t w = std::min(Width(static_cast<unsigned char>(s[i])), s.size() - i);
    out_.append(s.substr(i, w));
    ++column_;
    i += w;
  }
  void WriteBreak(std::string_view s, size_t& i) {
    if (s[i] == '\n') {
      PutBreak();
      ++i;
    } else {
      size_t w = std::min(Width(static_cast<unsigned char>(s[i])), s.size() - i);
      out_.append(s.substr(i, w));
      column_ = 0;
      i += w;
    }
  }
  void WriteIndent() {
    int indent = std::max(indent_, 0);
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) PutBreak();
    while (column_ < indent) Put(' ');
    whitespace_ = true;
    indention_ = true;
  }
  void WriteIndicator(std::string_view ind, bool need_whitespace, bool is_whitespace, bool is_indention) {
    if (need_whitespace && !whitespace_) Put(' ');
    out_.append(ind);
    column_ += static_cast<int>(ind.size());
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
  }
  void IncreaseIndent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      indent_ += kBestIndent;
    }
  }
  void PopIndent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  // yaml.v2 stringv: literal for text with a newline, plain when the text
  // would read back as a string, double-quoted otherwise.
  static Style StringStyle(std::string_view s) {
    if (s.find('\n') != std::string_view::npos) return Style::kLiteral;
    Resolved r = ResolveRaw("", s);
    if (r.kind == Kind::kStr && !IsBase60Float(s)) return Style::kPlain;
    return Style::kDouble;
  }

  void Scalar(std::string_view v, Style style, bool simple_key) {
    Analysis a = Analyze(v);
    if (style == Style::kPlain) {
      if ((flow_level_ > 0 && !a.flow_plain_allowed) || (flow_level_ == 0 && !a.block_plain_allowed)) {
        style = Style::kSingle;
      }
      if (v.empty() && (flow_level_ > 0 || simple_key)) style = Style::kSingle;
    }
    if (style == Style::kSingle && !a.single_quoted_allowed) style = Style::kDouble;
    if (style == Style::kLiteral && (!a.block_allowed || flow_level_ > 0 || simple_key))
      style = Style::kDouble;
    IncreaseIndent(true, false);
    bool allow_breaks = !simple_key;
    switch (style) {
      case Style::kPlain: Plain(v, allow_breaks); break;
      case Style::kSingle: Single(v, allow_breaks); break;
      case Style::kDouble: Double(v, allow_breaks); break;
      case Style::kLiteral: Literal(v); break;
    }
    PopIndent();
  }

  void Plain(std::string_view v, bool allow_breaks) {
    if (!whitespace_) Put(' ');
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < v.size();) {
      if (IsSpaceAt(v, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && !IsSpaceAt(v, i + 1)) {
          WriteIndent();
          ++i;
        } else {
          Write(v, i);
        }
        spaces = true;
      } else if (IsBreakAt(v, i)) {
        if (!breaks && v[i] == '\n') PutBreak();
        WriteBreak(v, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(v, i);
        indention_ = false;
        spaces = breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
  }

  void Single(std::string_view v, bool allow_breaks) {
    WriteIndicator("'", true, false, false);
    bool spaces = false, breaks = false;
    for (size_t i = 0; i < v.size();) {
      if (IsSpaceAt(v, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < v.size() - 1 &&
            !IsSpaceAt(v, i + 1)) {
          WriteIndent();
          ++i;
        } else {
          Write(v, i);
        }
        spaces = true;
      } else if (IsBreakAt(v, i)) {
        if (!breaks && v[i] == '\n') PutBreak();
        WriteBreak(v, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        if (v[i] == '\'') Put('\'');
        Write(v, i);
        indention_ = false;
        spaces = breaks = false;
      }
    }
    WriteIndicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void Double(std::string_view v, bool allow_breaks) {
    WriteIndicator("\"", true, false, false);
    bool spaces = false;
    for (size_t i = 0; i < v.size();) {
      unsigned char c = static_cast<unsigned char>(v[i]);
      if (!IsPrintableAt(v, i) || IsBomAt(v, i) || IsBreakAt(v, i) || c == '"' || c == '\\') {
        size_t w = std::min(Width(c), v.size() - i);
        uint32_t r = w == 1 ? c : w == 2 ? (c & 0x1F) : w == 3 ? (c & 0x0F) : (c & 0x07);
        for (size_t k = 1; k < w; ++k) r = (r << 6) | (static_cast<unsigned char>(v[i + k]) & 0x3F);
        i += w;
        Put('\\');
        switch (r) {
          case 0x00: Put('0'); break;
          case 0x07: Put('a'); break;
          case 0x08: Put('b'); break;
          case 0x09: Put('t'); break;
          case 0x0A: Put('n'); break;
          case 0x0B: Put('v'); break;
          case 0x0C: Put('f'); break;
          case 0x0D: Put('r'); break;
          case 0x1B: Put('e'); break;
          case 0x22: Put('"'); break;
          case 0x5C: Put('\\'); break;
          case 0x85: Put('N'); break;
          case 0xA0: Put('_'); break;
          case 0x2028: Put('L'); break;
          case 0x2029: Put('P'); break;
          default: {
            int digits = r <= 0xFF ? 2 : r <= 0xFFFF ? 4 : 8;
            Put(r <= 0xFF ? 'x' : r <= 0xFFFF ? 'u' : 'U');
            for (int k = (digits - 1) * 4; k >= 0; k -= 4) Put("0123456789ABCDEF"[(r >> k) & 0xF]);
          }
        }
        spaces = false;
      } else if (IsSpaceAt(v, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < v.size() - 1) {
          WriteIndent();
          if (IsSpaceAt(v, i + 1)) Put('\\');
          ++i;
        } else {
          Write(v, i);
        }
        spaces = true;
      } else {
        Write(v, i);
        spaces = false;
      }
    }
    WriteIndicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void Literal(std::string_view v) {
    WriteIndicator("|", true, false, false);
    // Block scalar hints: an indentation digit when the text starts with a
    // space or break, then the chomping indicator.
    if (IsSpaceAt(v, 0) || IsBreakAt(v, 0))
      WriteIndicator(std::string(1, static_cast<char>('0' + kBestIndent)), false, false, false);
    char chomp = 0;
    if (v.empty()) {
      chomp = '-';
    } else {
      size_t i = v.size() - 1;
      while (i > 0 && (static_cast<unsigned char>(v[i]) & 0xC0) == 0x80) --i;
      if (!IsBreakAt(v, i)) {
        chomp = '-';
      } else if (i == 0) {
        chomp = '+';
      } else {
        --i;
        while (i > 0 && (static_cast<unsigned char>(v[i]) & 0xC0) == 0x80) --i;
        if (IsBreakAt(v, i)) chomp = '+';
      }
    }
    if (chomp != 0) WriteIndicator(std::string(1, chomp), false, false, false);
    PutBreak();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (size_t i = 0; i < v.size();) {
      if (IsBreakAt(v, i)) {
        WriteBreak(v, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) WriteIndent();
        Write(v, i);
        indention_ = false;
        breaks = false;
      }
    }
  }

  // A node; `mapping_ctx` when it is a mapping value (a sequence there is
  // written without indentation, as go-yaml does), `simple_key` when it is a
  // key written inline.
  void Node(const Value& v, bool mapping_ctx, bool simple_key) {
    switch (v.kind()) {
      case Kind_::kUndefined:
      case Kind_::kNull: Scalar("null", Style::kPlain, simple_key); return;
      case Kind_::kBool: Scalar(v.as_bool() ? "true" : "false", Style::kPlain, simple_key); return;
      case Kind_::kNumber: Scalar(NumberText(v), Style::kPlain, simple_key); return;
      case Kind_::kString: {
        std::string s = GoToValidUtf8(v.as_string());
        CheckCharacters(s);
        Scalar(s, StringStyle(s), simple_key);
        return;
      }
      case Kind_::kArray:
      case Kind_::kSet: {
        const ValueVector& items = v.is_array() ? v.array() : v.set();
        if (items.empty()) {
          WriteIndicator("[", true, true, false);
          WriteIndicator("]", false, false, false);
          return;
        }
        IncreaseIndent(false, mapping_ctx && !indention_);
        for (const Value& item : items) {
          WriteIndent();
          WriteIndicator("-", true, false, true);
          Node(item, false, false);
        }
        PopIndent();
        return;
      }
      case Kind_::kObject: {
        if (v.object().empty()) {
          WriteIndicator("{", true, true, false);
          WriteIndicator("}", false, false, false);
          return;
        }
        struct Entry {
          std::string key;
          std::vector<uint32_t> runes;
          const Value* value;
        };
        std::vector<Entry> entries;
        entries.reserve(v.object().size());
        for (const auto& [k, val] : v.object()) {
          std::string key = GoToValidUtf8(k.is_string() ? k.as_string() : k.ToJson());
          std::vector<uint32_t> runes = Runes(key);
          entries.push_back({std::move(key), std::move(runes), &val});
        }
        MergeSort(entries, [](const Entry& a, const Entry& b) { return KeyLess(a.runes, b.runes); });
        IncreaseIndent(false, false);
        for (const Entry& e : entries) {
          CheckCharacters(e.key);
          WriteIndent();
          bool simple = e.key.size() <= 128 && !Analyze(e.key).multiline;
          if (simple) {
            Scalar(e.key, StringStyle(e.key), true);
            WriteIndicator(":", false, false, false);
          } else {
            WriteIndicator("?", true, false, true);
            Scalar(e.key, StringStyle(e.key), false);
            WriteIndent();
            WriteIndicator(":", true, false, true);
          }
          Node(*e.value, true, false);
        }
        PopIndent();
        return;
      }
    }
  }

  // How go-yaml writes a number it read from JSON text: resolved again from
  // that text, so integers stay integers and other numbers print as Go's %g.
  static std::string NumberText(const Value& v) {
    std::string text = v.NumberText();
    Resolved r = ResolveRaw("", text);
    switch (r.kind) {
      case Kind::kInt: return std::to_string(r.i);
      case Kind::kUint: return std::to_string(r.u);
      case Kind::kFloat: return FormatFloatG(r.f, 64);
      default: return text;
    }
  }

  // go-yaml reads the JSON text first, and its reader refuses characters
  // YAML does not allow (JSON escapes the C0 controls, not DEL or C1).
  void CheckCharacters(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      size_t w;
      uint32_t r = GoDecodeRune(s, i, &w);
      i += w;
      if (r == 0x7F || (r >= 0x80 && r <= 0x9F && r != 0x85) || r == 0xFFFE || r == 0xFFFF) {
        if (error_.empty()) error_ = "yaml: control characters are not allowed";
      }
    }
  }

  using Kind_ = ::custody::rego::Kind;

  std::string out_;
  std::string error_;
  int column_ = 0;
  int indent_ = -1;
  std::vector<int> indents_;
  int flow_level_ = 0;
  bool whitespace_ = true;
  bool indention_ = true;
};

}  // namespace

std::string FormatFloatG(double d, int bits) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  char buf[64];
  std::to_chars_result res =
      bits == 32 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(d), std::chars_format::scientific)
                 : std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  bool neg = !sci.empty() && sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e))
    if (c != '.') digits.push_back(c);
  int exp = std::atoi(std::string(sci.substr(e + 1)).c_str());
  // Shortest digits; %e when the exponent is < -4 or >= 6 (Go's 'g' with
  // precision -1), else %f.
  std::string out = neg ? "-" : "";
  if (exp < -4 || exp >= 6) {
    out.push_back(digits[0]);
    if (digits.size() > 1) out += "." + digits.substr(1);
    out.push_back('e');
    out.push_back(exp < 0 ? '-' : '+');
    int a = std::abs(exp);
    if (a < 10) out.push_back('0');
    out += std::to_string(a);
    return out;
  }
  int dp = exp + 1;  // digits before the decimal point
  int nd = static_cast<int>(digits.size());
  if (dp > 0) {
    for (int i = 0; i < dp; ++i) out.push_back(i < nd ? digits[static_cast<size_t>(i)] : '0');
  } else {
    out.push_back('0');
  }
  int prec = std::max(nd - dp, 0);
  if (prec > 0) {
    out.push_back('.');
    for (int i = 0; i < prec; ++i) {
      int j = dp + i;
      out.push_back(j >= 0 && j < nd ? digits[static_cast<size_t>(j)] : '0');
    }
  }
  return out;
}

Result<Value> Unmarshal(std::string_view text) { return Read(text, ReadOptions{true}); }

bool IsValid(std::string_view text) { return Read(text, ReadOptions{false}).ok(); }

Result<std::string> Marshal(const Value& v) {
  Emitter e;
  return e.Run(v);
}

Result<Value> FromNode(const YamlNode& node) { return Convert(node, ReadOptions{}); }

}  // namespace custody::rego::goyaml
