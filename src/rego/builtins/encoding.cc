// The "encoding" built-ins: base64, base64url, hex, JSON, YAML, URL query
// strings (urlquery.*) and URIs (uri.*). Results and error texts are those of
// the Go libraries OPA calls (encoding/base64, encoding/hex, encoding/json,
// net/url, sigs.k8s.io/yaml); the Go-specific parts live in encoding_*.cc.
#include <string>

#include "rego/builtins.h"
#include "rego/builtins/encoding_json.h"
#include "rego/builtins/encoding_strconv.h"
#include "rego/builtins/encoding_url.h"
#include "rego/builtins/encoding_yaml.h"

namespace custody::rego {
namespace {

// ---- base64, base64url, hex ----

std::string Base64Encode(std::string_view data, bool url, bool pad) {
  static const char* kStd = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  static const char* kUrl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const char* alphabet = url ? kUrl : kStd;
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(data[i]) << 16 |
                                       static_cast<unsigned char>(data[i + 1]) << 8 |
                                       static_cast<unsigned char>(data[i + 2]));
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    out.push_back(alphabet[v >> 6 & 63]);
    out.push_back(alphabet[v & 63]);
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = static_cast<uint32_t>(static_cast<unsigned char>(data[i]) << 16);
    if (rest == 2) v |= static_cast<uint32_t>(static_cast<unsigned char>(data[i + 1]) << 8);
    out.push_back(alphabet[v >> 18 & 63]);
    out.push_back(alphabet[v >> 12 & 63]);
    if (rest == 2) out.push_back(alphabet[v >> 6 & 63]);
    if (pad) out.append(rest == 2 ? "=" : "==");
  }
  return out;
}

Result<Value> Base64EncodeFn(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("base64.encode", args, 1));
  return Value::String(Base64Encode(s, false, true));
}

Result<Value> Base64DecodeFn(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("base64.decode", args, 1));
  std::string out;
  size_t bad = 0;
  if (!GoBase64Decode(s, false, &out, &bad)) {
    return BuiltinError("base64.decode", "illegal base64 data at input byte " + std::to_string(bad));
  }
  return Value::String(std::move(out));
}

Result<Value> Base64IsValidFn(std::span<const Value> args, BuiltinContext&) {
  if (!args[0].is_string()) return Value::Bool(false);
  std::string out;
  return Value::Bool(GoBase64Decode(args[0].as_string(), false, &out, nullptr));
}

Result<Value> Base64UrlEncodeFn(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("base64url.encode", args, 1));
  return Value::String(Base64Encode(s, true, true));
}

Result<Value> Base64UrlEncodeNoPadFn(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("base64url.encode_no_pad", args, 1));
  return Value::String(Base64Encode(s, true, false));
}

Result<Value> Base64UrlDecodeFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "base64url.decode";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view in, StringArg(kName, args, 1));
  std::string s(in);
  // Unpadded input is padded first (RFC 7515 appendix C), as OPA does.
  if (s.empty() || s.back() != '=') {
    switch (s.size() % 4) {
      case 0: break;
      case 2: s += "=="; break;
      case 3: s += "="; break;
      default: return BuiltinError(kName, "illegal base64url string: " + s);
    }
  }
  std::string out;
  size_t bad = 0;
  if (!GoBase64Decode(s, true, &out, &bad)) {
    return BuiltinError(kName, "illegal base64 data at input byte " + std::to_string(bad));
  }
  return Value::String(std::move(out));
}

Result<Value> HexEncodeFn(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("hex.encode", args, 1));
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(s.size() * 2);
  for (unsigned char c : s) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return Value::String(std::move(out));
}

int HexDigit(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<Value> HexDecodeFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "hex.decode";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  auto invalid = [&](unsigned char c) {
    return BuiltinError(kName, "encoding/hex: invalid byte: " + GoRuneU(c));
  };
  std::string out;
  out.reserve(s.size() / 2);
  size_t j = 1;
  for (; j < s.size(); j += 2) {
    int a = HexDigit(static_cast<unsigned char>(s[j - 1]));
    int b = HexDigit(static_cast<unsigned char>(s[j]));
    if (a < 0) return invalid(static_cast<unsigned char>(s[j - 1]));
    if (b < 0) return invalid(static_cast<unsigned char>(s[j]));
    out.push_back(static_cast<char>(a << 4 | b));
  }
  if (s.size() % 2 == 1) {
    // An invalid character is an earlier problem than the odd length.
    if (HexDigit(static_cast<unsigned char>(s[j - 1])) < 0)
      return invalid(static_cast<unsigned char>(s[j - 1]));
    return BuiltinError(kName, "encoding/hex: odd length hex string");
  }
  return Value::String(std::move(out));
}

// ---- JSON ----

Result<Value> JsonMarshalFn(std::span<const Value> args, BuiltinContext&) {
  return Value::String(args[0].ToJson());
}

Result<Value> JsonMarshalWithOptionsFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "json.marshal_with_options";
  CUSTODY_ASSIGN_OR_RETURN(const Value* opts, ObjectArg(kName, args, 2));
  std::string indent = "\t", prefix;
  bool implicit_pretty = false, explicit_set = false, pretty = false;
  int index = 0;
  for (const auto& [k, v] : opts->object()) {
    if (!k.is_string()) {
      return OperandError(kName, 2,
                          "failed to stringify key " + k.ToRego() + " at index " + std::to_string(index) +
                              ": operand " + std::to_string(index) + " must be string but got " +
                              k.TypeName());
    }
    const std::string& key = k.as_string();
    if (key == "prefix" || key == "indent") {
      if (!v.is_string()) {
        return OperandError(kName, 2,
                            "key " + GoQuote(key) + " failed cast to string: operand " +
                                std::to_string(index) + " must be string but got " + v.TypeName());
      }
      (key == "prefix" ? prefix : indent) = v.as_string();
      implicit_pretty = true;
    } else if (key == "pretty") {
      explicit_set = true;
      if (!v.is_bool()) return OperandError(kName, 2, "key " + GoQuote(key) + " failed cast to bool");
      pretty = v.as_bool();
    } else {
      return OperandError(kName, 2, "object contained unknown key " + GoQuote(key));
    }
    ++index;
  }
  if (!explicit_set) pretty = implicit_pretty;
  std::string compact = args[0].ToJson();
  if (!pretty) return Value::String(std::move(compact));
  // MarshalIndent does not prefix the first line; OPA adds it.
  return Value::String(prefix + gojson::Indent(compact, prefix, indent));
}

Result<Value> JsonUnmarshalFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "json.unmarshal";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  std::string why = gojson::UnmarshalError(s);
  if (!why.empty()) return BuiltinError(kName, why);
  // Go replaces invalid UTF-8 in strings; the value is the first one (a
  // trailing null is ignored, as OPA's decoder does).
  std::string text = GoToValidUtf8(s.substr(0, gojson::FirstValueEnd(s)));
  auto v = ParseJsonValue(text, "json");
  if (!v.ok()) {
    // Only what Go accepts and the Value reader does not: nesting beyond its
    // bound, numbers beyond a double.
    std::string msg = v.error().message();
    size_t at = msg.find("invalid JSON: ");
    return BuiltinError(kName, at == std::string::npos ? msg : msg.substr(at + 14));
  }
  return *v;
}

Result<Value> JsonIsValidFn(std::span<const Value> args, BuiltinContext&) {
  if (!args[0].is_string()) return Value::Bool(false);
  return Value::Bool(gojson::Valid(args[0].as_string()));
}

// ---- YAML ----

Result<Value> YamlMarshalFn(std::span<const Value> args, BuiltinContext&) {
  auto text = goyaml::Marshal(args[0]);
  if (!text.ok()) return BuiltinError("yaml.marshal", text.error().message());
  return Value::String(std::move(*text));
}

Result<Value> YamlUnmarshalFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "yaml.unmarshal";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  auto v = goyaml::Unmarshal(s);
  if (!v.ok()) return BuiltinError(kName, v.error().message());
  return *v;
}

Result<Value> YamlIsValidFn(std::span<const Value> args, BuiltinContext&) {
  if (!args[0].is_string()) return Value::Bool(false);
  return Value::Bool(goyaml::IsValid(args[0].as_string()));
}

// ---- urlquery ----

Result<Value> UrlQueryEncodeFn(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg("urlquery.encode", args, 1));
  return Value::String(gourl::QueryEscape(s));
}

Result<Value> UrlQueryDecodeFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "urlquery.decode";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  std::string out, error;
  if (!gourl::QueryUnescape(s, &out, &error)) return BuiltinError(kName, error);
  return Value::String(std::move(out));
}

Result<Value> UrlQueryEncodeObjectFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "urlquery.encode_object";
  CUSTODY_ASSIGN_OR_RETURN(const Value* obj, ObjectArg(kName, args, 1));
  auto bad_value = [&] {
    return OperandError(kName, 1, "values must be string, array[string], or set[string]");
  };
  gourl::Values values;
  for (const auto& [k, v] : obj->object()) {
    std::string key = k.is_string() ? k.as_string() : k.ToJson();
    if (v.is_string()) {
      values[key] = {v.as_string()};  // url.Values.Set
    } else if (v.is_array() || v.is_set()) {
      for (const Value& item : v.is_array() ? v.array() : v.set()) {
        if (!item.is_string()) return bad_value();
        values[key].push_back(item.as_string());  // url.Values.Add
      }
    } else {
      return bad_value();
    }
  }
  return Value::String(gourl::EncodeValues(values));
}

Result<Value> UrlQueryDecodeObjectFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "urlquery.decode_object";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  gourl::Values values;
  std::string error;
  if (!gourl::ParseQuery(s, &values, &error)) return BuiltinError(kName, error);
  ObjectEntries entries;
  entries.reserve(values.size());
  for (auto& [k, list] : values) {
    ValueVector items;
    items.reserve(list.size());
    for (std::string& v : list) items.push_back(Value::String(std::move(v)));
    entries.emplace_back(Value::String(k), Value::Array(std::move(items)));
  }
  return Value::Object(std::move(entries));
}

// ---- uri ----

Result<Value> UriParseFn(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "uri.parse";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view s, StringArg(kName, args, 1));
  gourl::Url u;
  std::string error;
  if (!gourl::Parse(s, &u, &error)) return BuiltinError(kName, error);
  ObjectEntries out;
  auto put = [&](const char* key, std::string value) {
    if (!value.empty()) out.emplace_back(Value::String(key), Value::String(std::move(value)));
  };
  put("scheme", u.scheme);
  put("hostname", gourl::Hostname(u));
  put("port", gourl::Port(u));
  if (!u.path.empty()) {
    put("path", u.path);
    // Always there with a path, so policies can normalize paths themselves.
    put("raw_path", u.raw_path.empty() ? u.path : u.raw_path);
  }
  put("raw_query", u.raw_query);
  put("fragment", u.fragment);
  return Value::Object(std::move(out));
}

Result<Value> UriIsValidFn(std::span<const Value> args, BuiltinContext&) {
  // Empty strings are valid relative references, but OPA refuses them.
  if (!args[0].is_string() || args[0].as_string().empty()) return Value::Bool(false);
  gourl::Url u;
  std::string error;
  return Value::Bool(gourl::Parse(args[0].as_string(), &u, &error));
}

}  // namespace

void RegisterEncoding(BuiltinTable& t) {
  t.Add({"base64.encode", 1, Base64EncodeFn});
  t.Add({"base64.decode", 1, Base64DecodeFn});
  t.Add({"base64.is_valid", 1, Base64IsValidFn});
  t.Add({"base64url.encode", 1, Base64UrlEncodeFn});
  t.Add({"base64url.encode_no_pad", 1, Base64UrlEncodeNoPadFn});
  t.Add({"base64url.decode", 1, Base64UrlDecodeFn});
  t.Add({"hex.encode", 1, HexEncodeFn});
  t.Add({"hex.decode", 1, HexDecodeFn});
  t.Add({"json.marshal", 1, JsonMarshalFn});
  t.Add({"json.marshal_with_options", 2, JsonMarshalWithOptionsFn});
  t.Add({"json.unmarshal", 1, JsonUnmarshalFn});
  t.Add({"json.is_valid", 1, JsonIsValidFn});
  t.Add({"yaml.marshal", 1, YamlMarshalFn});
  t.Add({"yaml.unmarshal", 1, YamlUnmarshalFn});
  t.Add({"yaml.is_valid", 1, YamlIsValidFn});
  t.Add({"urlquery.encode", 1, UrlQueryEncodeFn});
  t.Add({"urlquery.decode", 1, UrlQueryDecodeFn});
  t.Add({"urlquery.encode_object", 1, UrlQueryEncodeObjectFn});
  t.Add({"urlquery.decode_object", 1, UrlQueryDecodeObjectFn});
  t.Add({"uri.parse", 1, UriParseFn});
  t.Add({"uri.is_valid", 1, UriIsValidFn});
}

}  // namespace custody::rego
