// Built-ins of OPA's "conversions" group: to_number, and the cast_* built-ins
// OPA deprecated in v0.13 but still runs for Rego v0 policies.
//
// OPA accepts any string Go's strconv.ParseFloat accepts (underscores between
// digits, hexadecimal floats such as "0x1p-2", "5.", ".5") except infinities
// and NaN, and reports ParseFloat's own error text otherwise.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

#include "rego/builtins.h"
#include "rego/builtins/go_utf8.h"

namespace custody::rego {
namespace {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHexLetter(char c) { return Lower(c) >= 'a' && Lower(c) <= 'f'; }

// Go's underscoreOK: underscores only between digits (a base prefix counts
// as a digit).
bool UnderscoresOk(std::string_view s) {
  char saw = '^';
  size_t i = 0;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  bool hex = false;
  if (s.size() >= 2 && s[0] == '0' && (Lower(s[1]) == 'b' || Lower(s[1]) == 'o' || Lower(s[1]) == 'x')) {
    i = 2;
    saw = '0';
    hex = Lower(s[1]) == 'x';
  }
  for (; i < s.size(); ++i) {
    if (IsDigit(s[i]) || (hex && IsHexLetter(s[i]))) {
      saw = '0';
      continue;
    }
    if (s[i] == '_') {
      if (saw != '0') return false;
      saw = '_';
      continue;
    }
    if (saw == '_') return false;
    saw = '!';
  }
  return saw != '_';
}

// The shape of a number ParseFloat accepts, without underscores.
struct FloatSyntax {
  bool negative = false;
  bool hex = false;
  bool integer = false;  // decimal digits only: exact as a big integer
  std::string mantissa;  // digits and an optional '.'
  long exponent = 0;     // decimal, or binary for hex; clamped
};

// Go's readFloat followed by the whole-string check of ParseFloat.
bool ReadFloat(std::string_view s, FloatSyntax& out) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    out.negative = s[i] == '-';
    ++i;
  }
  char exp_char = 'e';
  if (i + 2 < s.size() && s[i] == '0' && Lower(s[i + 1]) == 'x') {
    out.hex = true;
    exp_char = 'p';
    i += 2;
  }
  bool underscores = false, saw_dot = false, saw_digits = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '_') {
      underscores = true;
    } else if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
      out.mantissa += c;
    } else if (IsDigit(c) || (out.hex && IsHexLetter(c))) {
      saw_digits = true;
      out.mantissa += c;
    } else {
      break;
    }
  }
  if (!saw_digits) return false;
  bool saw_exp = false;
  if (i < s.size() && Lower(s[i]) == exp_char) {
    saw_exp = true;
    if (++i >= s.size()) return false;
    int sign = 1;
    if (s[i] == '+' || s[i] == '-') {
      sign = s[i] == '-' ? -1 : 1;
      ++i;
    }
    if (i >= s.size() || !IsDigit(s[i])) return false;
    long e = 0;
    for (; i < s.size() && (IsDigit(s[i]) || s[i] == '_'); ++i) {
      if (s[i] == '_') {
        underscores = true;
      } else if (e < 100000) {
        e = e * 10 + (s[i] - '0');
      }
    }
    out.exponent = sign * e;
  } else if (out.hex) {
    return false;  // a hexadecimal float must have a 'p' exponent
  }
  if (underscores && !UnderscoresOk(s.substr(0, i))) return false;
  out.integer = !out.hex && !saw_dot && !saw_exp;
  return i == s.size();
}

// Whether an out-of-range mantissa and exponent overflow (rather than
// underflow): the position of the first significant digit plus the exponent.
bool Overflows(const FloatSyntax& f) {
  long position = 0;
  bool seen_point = false, significant = false;
  for (char c : f.mantissa) {
    if (c == '.') {
      seen_point = true;
    } else if (c != '0' || significant) {
      significant = true;
      if (!seen_point) ++position;
    } else if (seen_point) {
      --position;  // a zero between the point and the first significant digit
    }
  }
  return position * (f.hex ? 4 : 1) + f.exponent > 0;
}

enum class Parse { kOk, kSyntax, kRange };

// ParseFloat's verdict on `s`, and the number it denotes.
Parse ParseGoFloat(std::string_view s, Value& out) {
  FloatSyntax f;
  if (!ReadFloat(s, f)) return Parse::kSyntax;
  if (f.integer) {
    // OPA keeps the text, so integers of any size stay exact.
    out = Value::BigInt((f.negative ? "-" : "") + f.mantissa);
    return Parse::kOk;
  }
  std::string text = f.mantissa;
  text += f.hex ? 'p' : 'e';
  text += std::to_string(f.exponent);
  auto format = f.hex ? std::chars_format::hex : std::chars_format::general;
  double d = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), d, format);
  if (r.ec == std::errc::result_out_of_range) {
    if (Overflows(f)) return Parse::kRange;
    // Underflow: Go returns the nearest subnormal or zero without error.
    long double x = 0;
    auto rl = std::from_chars(text.data(), text.data() + text.size(), x, format);
    d = rl.ec == std::errc() ? static_cast<double>(x) : 0.0;
  } else if (r.ec != std::errc() || r.ptr != text.data() + text.size()) {
    return Parse::kSyntax;
  }
  out = Value::Float(f.negative ? -d : d);
  if (out.is_undefined()) return Parse::kRange;
  return Parse::kOk;
}

// Go's strconv.Quote, as ParseFloat's error quotes its input: printable text
// as is, escapes for the rest (\x for bytes and ASCII controls, \u otherwise).
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  while (!s.empty()) {
    go_utf8::Rune r = go_utf8::DecodeRune(s);
    std::string_view raw = s.substr(0, r.size);
    s.remove_prefix(r.size);
    if (r.rune == go_utf8::kRuneError && r.size == 1) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(raw[0]));
      out += buf;
      continue;
    }
    switch (r.rune) {
      case '\a': out += "\\a"; continue;
      case '\b': out += "\\b"; continue;
      case '\f': out += "\\f"; continue;
      case '\n': out += "\\n"; continue;
      case '\r': out += "\\r"; continue;
      case '\t': out += "\\t"; continue;
      case '\v': out += "\\v"; continue;
      case '\\': out += "\\\\"; continue;
      case '"': out += "\\\""; continue;
      default: break;
    }
    char32_t c = r.rune;
    if (c < 0x20 || c == 0x7F) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(c));
      out += buf;
    } else if ((c >= 0x80 && c <= 0x9F) || c == 0xAD || (c >= 0x200B && c <= 0x200F) ||
               (c >= 0x2028 && c <= 0x202E) || (c >= 0x2060 && c <= 0x206F) || c == 0xFEFF ||
               (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xFFF9 && c <= 0xFFFB)) {
      // Controls, format characters and private use: not printable for Go.
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out += raw;
    }
  }
  out += '"';
  return out;
}

Result<Value> ToNumber(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kNull: return Value::Int(0);
    case Kind::kBool: return Value::Int(v.as_bool() ? 1 : 0);
    case Kind::kNumber: return v;
    case Kind::kString: break;
    default: return OperandTypeErrorOneOf("to_number", 1, v, {"null", "boolean", "number", "string"});
  }
  std::string_view s = v.as_string();
  // ParseFloat would accept these; OPA refuses them, whatever the signs.
  std::string_view trimmed = s.substr(std::min(s.find_first_not_of("+-"), s.size()));
  std::string lower;
  for (char c : trimmed) lower += Lower(c);
  if (lower == "inf" || lower == "infinity" || lower == "nan") {
    return OperandTypeError("to_number", 1, v, "valid number string");
  }
  Value out;
  switch (ParseGoFloat(s, out)) {
    case Parse::kOk: return out;
    case Parse::kSyntax:
      return BuiltinError("to_number", "strconv.ParseFloat: parsing " + GoQuote(s) + ": invalid syntax");
    case Parse::kRange:
      return BuiltinError("to_number", "strconv.ParseFloat: parsing " + GoQuote(s) + ": value out of range");
  }
  return out;
}

// ---- Deprecated casts (OPA v0 only) ----

Result<Value> CastArray(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  if (v.is_array()) return v;
  if (v.is_set()) return Value::Array(v.set());
  return OperandTypeErrorOneOf("cast_array", 1, v, {"array", "set"});
}

Result<Value> CastSet(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  if (v.is_set()) return v;
  if (v.is_array()) return Value::Set(v.array());
  return OperandTypeErrorOneOf("cast_set", 1, v, {"array", "set"});
}

// cast_string, cast_boolean, cast_null and cast_object only check the type.
template <Kind K>
Result<Value> CastTo(std::string_view name, std::string_view type, std::span<const Value> args) {
  if (args[0].kind() != K) return OperandTypeError(name, 1, args[0], type);
  return args[0];
}

Result<Value> CastString(std::span<const Value> args, BuiltinContext&) {
  return CastTo<Kind::kString>("cast_string", "string", args);
}
Result<Value> CastBoolean(std::span<const Value> args, BuiltinContext&) {
  return CastTo<Kind::kBool>("cast_boolean", "boolean", args);
}
Result<Value> CastNull(std::span<const Value> args, BuiltinContext&) {
  return CastTo<Kind::kNull>("cast_null", "null", args);
}
Result<Value> CastObject(std::span<const Value> args, BuiltinContext&) {
  return CastTo<Kind::kObject>("cast_object", "object", args);
}

}  // namespace

void RegisterConversions(BuiltinTable& t) {
  t.Add({"to_number", 1, ToNumber});
  t.Add({"cast_array", 1, CastArray});
  t.Add({"cast_set", 1, CastSet});
  t.Add({"cast_string", 1, CastString});
  t.Add({"cast_boolean", 1, CastBoolean});
  t.Add({"cast_null", 1, CastNull});
  t.Add({"cast_object", 1, CastObject});
}

}  // namespace custody::rego
