// Tests for the encoding built-ins: OPA's conformance cases (base64builtins,
// base64urlbuiltins, hexbuiltins, jsonbuiltins, urlbuiltins, uribuiltins)
// and the Go behaviour behind them (encoding/base64, encoding/hex,
// encoding/json, net/url, go-yaml v2 through sigs.k8s.io/yaml).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/encoding_yaml.h"

namespace custody::rego {

// Readable values in failure messages.
void PrintTo(const Value& v, std::ostream* os) { *os << (v.is_defined() ? v.ToJson() : "undefined"); }

namespace {

class EncodingTest : public ::testing::Test {
 protected:
  EncodingTest() { RegisterEncoding(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
    return b->fn(args, ctx_);
  }
  Value Ok(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message());
    return r.ok() ? *r : Value();
  }
  // The result of a one-string built-in, as a string.
  std::string Str(std::string_view name, std::string_view arg) {
    Value v = Ok(name, {Value::String(arg)});
    EXPECT_TRUE(v.is_string()) << name << "(" << arg << ") = " << (v.is_defined() ? v.ToJson() : "undefined");
    return v.is_string() ? v.as_string() : "";
  }
  std::string Err(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    EXPECT_FALSE(r.ok()) << name << " gave " << (r.ok() && r->is_defined() ? r->ToJson() : "");
    return r.ok() ? "" : r.error().message();
  }
  std::string Err(std::string_view name, std::string_view arg) { return Err(name, {Value::String(arg)}); }
  bool Bool(std::string_view name, const Value& arg) {
    Value v = Ok(name, {arg});
    EXPECT_TRUE(v.is_bool());
    return v.is_true();
  }
  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static Value S(std::string_view s) { return Value::String(s); }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(EncodingTest, Registered) {
  for (const char* name : {"base64.encode",
                           "base64.decode",
                           "base64.is_valid",
                           "base64url.encode",
                           "base64url.encode_no_pad",
                           "base64url.decode",
                           "hex.encode",
                           "hex.decode",
                           "json.marshal",
                           "json.marshal_with_options",
                           "json.unmarshal",
                           "json.is_valid",
                           "yaml.marshal",
                           "yaml.unmarshal",
                           "yaml.is_valid",
                           "urlquery.encode",
                           "urlquery.decode",
                           "urlquery.encode_object",
                           "urlquery.decode_object",
                           "uri.parse",
                           "uri.is_valid"}) {
    EXPECT_NE(table_.Find(name), nullptr) << name;
  }
  EXPECT_EQ(table_.all().size(), 21u);
}

// ---- base64 ----

TEST_F(EncodingTest, Base64) {
  EXPECT_EQ(Str("base64.encode", "hello"), "aGVsbG8=");
  EXPECT_EQ(Str("base64.encode", "there"), "dGhlcmU=");
  EXPECT_EQ(Str("base64.encode", "subjects?_d"), "c3ViamVjdHM/X2Q=");
  EXPECT_EQ(Str("base64.encode", ""), "");
  EXPECT_EQ(Str("base64.encode", std::string("\xff\xfe\x00", 3)), "//4A");
  EXPECT_EQ(Str("base64.decode", "aGVsbG8="), "hello");
  EXPECT_EQ(Str("base64.decode", "dGhlcmU="), "there");
  EXPECT_EQ(Str("base64.decode", "c3ViamVjdHM/X2Q="), "subjects?_d");
  EXPECT_EQ(Str("base64.decode", "aGVs\r\nbG8="), "hello");  // Go skips CR and LF
  EXPECT_EQ(Str("base64.decode", ""), "");
  EXPECT_TRUE(Bool("base64.is_valid", S("aGVsbG8=")));
  EXPECT_FALSE(Bool("base64.is_valid", S("{'not':'base64'}")));
  EXPECT_FALSE(Bool("base64.is_valid", S("aGVsbG8")));
  EXPECT_FALSE(Bool("base64.is_valid", Value::Int(1)));
}

TEST_F(EncodingTest, Base64Errors) {
  EXPECT_EQ(Err("base64.decode", "aGVsbG8"),
            "eval_builtin_error: base64.decode: illegal base64 data at input byte 4");
  EXPECT_EQ(Err("base64.decode", "aGVsbG8=="),
            "eval_builtin_error: base64.decode: illegal base64 data at input byte 8");
  EXPECT_EQ(Err("base64.decode", "aGVsbA="),
            "eval_builtin_error: base64.decode: illegal base64 data at input byte 7");
  EXPECT_EQ(Err("base64.decode", "aGVsbA=x"),
            "eval_builtin_error: base64.decode: illegal base64 data at input byte 6");
  EXPECT_EQ(Err("base64.decode", "!!!!"),
            "eval_builtin_error: base64.decode: illegal base64 data at input byte 0");
  EXPECT_EQ(Err("base64.decode", "_-8="),
            "eval_builtin_error: base64.decode: illegal base64 data at input byte 0");
  EXPECT_EQ(Err("base64.decode", {Value::Int(1)}),
            "eval_type_error: base64.decode: operand 1 must be string but got number");
  EXPECT_EQ(Err("base64.encode", {Value::Null()}),
            "eval_type_error: base64.encode: operand 1 must be string but got null");
}

TEST_F(EncodingTest, Base64Url) {
  EXPECT_EQ(Str("base64url.encode", "hello"), "aGVsbG8=");
  EXPECT_EQ(Str("base64url.encode", "there"), "dGhlcmU=");
  EXPECT_EQ(Str("base64url.encode", "subjects?_d"), "c3ViamVjdHM_X2Q=");
  EXPECT_EQ(Str("base64url.encode_no_pad", "hello"), "aGVsbG8");
  EXPECT_EQ(Str("base64url.encode_no_pad", "there"), "dGhlcmU");
  EXPECT_EQ(Str("base64url.decode", "aGVsbG8="), "hello");
  EXPECT_EQ(Str("base64url.decode", "aGVsbG8"), "hello");
  EXPECT_EQ(Str("base64url.decode", "c3ViamVjdHM_X2Q"), "subjects?_d");
  EXPECT_EQ(Err("base64url.decode", "a"),
            "eval_builtin_error: base64url.decode: illegal base64url string: a");
  EXPECT_EQ(Err("base64url.decode", "c3ViamVjdHM/X2Q="),
            "eval_builtin_error: base64url.decode: illegal base64 data at input byte 11");
}

TEST_F(EncodingTest, Hex) {
  EXPECT_EQ(Str("hex.encode", "lorem ipsum"), "6c6f72656d20697073756d");
  EXPECT_EQ(Str("hex.decode", "6c6f72656d20697073756d"), "lorem ipsum");
  EXPECT_EQ(Str("hex.decode", "ABcd"), "\xab\xcd");
  EXPECT_EQ(Err("hex.decode", "fghijkl"),
            "eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+0067 'g'");
  EXPECT_EQ(Err("hex.decode", "abc"), "eval_builtin_error: hex.decode: encoding/hex: odd length hex string");
  EXPECT_EQ(Err("hex.decode", "abz"),
            "eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+007A 'z'");
  EXPECT_EQ(Err("hex.decode", "a\x01"), "eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+0001");
  EXPECT_EQ(Err("hex.decode", "ab\xc3\xa9"),
            "eval_builtin_error: hex.decode: encoding/hex: invalid byte: U+00C3 '\xc3\x83'");
}

// ---- JSON ----

TEST_F(EncodingTest, JsonMarshal) {
  Value v =
      Value::Array({Value::Object({{S("foo"), Value::Set({Value::Int(1), Value::Int(2), Value::Int(3)})}})});
  EXPECT_EQ(Ok("json.marshal", {v}), S(R"([{"foo":[1,2,3]}])"));
  EXPECT_EQ(Ok("json.marshal", {J("[1234567890, 2000000, 1000000000]")}),
            S("[1234567890,2000000,1000000000]"));
  EXPECT_EQ(Ok("json.marshal", {S("<&>")}), S(R"("\u003c\u0026\u003e")"));
}

TEST_F(EncodingTest, JsonMarshalWithOptions) {
  Value nums = J("[1234567890, 2000000, 1000000000]");
  EXPECT_EQ(Ok("json.marshal_with_options", {nums, J(R"({"indent": "  "})")}),
            S("[\n  1234567890,\n  2000000,\n  1000000000\n]"));
  EXPECT_EQ(Ok("json.marshal_with_options", {nums, J("{}")}), S("[1234567890,2000000,1000000000]"));
  EXPECT_EQ(Ok("json.marshal_with_options", {nums, J(R"({"pretty": true})")}),
            S("[\n\t1234567890,\n\t2000000,\n\t1000000000\n]"));
  EXPECT_EQ(
      Ok("json.marshal_with_options", {nums, J(R"({"pretty": false, "prefix": "NO!", "indent": "BAD!"})")}),
      S("[1234567890,2000000,1000000000]"));
  EXPECT_EQ(Ok("json.marshal_with_options", {nums, J(R"({"prefix": "JSON => "})")}),
            S("JSON => [\nJSON => \t1234567890,\nJSON => \t2000000,\nJSON => \t1000000000\nJSON => ]"));
  EXPECT_EQ(
      Ok("json.marshal_with_options", {J(R"({"foo": "bar", "bar": "baz"})"), J(R"({"prefix": "JSON => "})")}),
      S("JSON => {\nJSON => \t\"bar\": \"baz\",\nJSON => \t\"foo\": \"bar\"\nJSON => }"));
  EXPECT_EQ(Ok("json.marshal_with_options", {J("[]"), J(R"({"indent": "    ", "prefix": "---"})")}),
            S("---[]"));
  EXPECT_EQ(
      Ok("json.marshal_with_options", {J("[[[[[[[]]]]]]]"), J(R"({"indent": "    "})")}),
      S("[\n    [\n        [\n            [\n                [\n                    [\n"
        "                        []\n                    ]\n                ]\n            ]\n        ]\n"
        "    ]\n]"));
  // Punctuation inside strings is left alone.
  EXPECT_EQ(Ok("json.marshal_with_options", {J(R"({"a,b": "[x]: {\"y\"}"})"), J(R"({"pretty": true})")}),
            S("{\n\t\"a,b\": \"[x]: {\\\"y\\\"}\"\n}"));
}

TEST_F(EncodingTest, JsonMarshalWithOptionsErrors) {
  EXPECT_EQ(Err("json.marshal_with_options",
                {J("[]"), J(R"({"indent": "    ", "include_winning_lottery_numbers": true})")}),
            "eval_type_error: json.marshal_with_options: operand 2 object contained unknown key "
            "\"include_winning_lottery_numbers\"");
  EXPECT_EQ(Err("json.marshal_with_options", {J("[]"), J(R"({"pretty": 1})")}),
            "eval_type_error: json.marshal_with_options: operand 2 key \"pretty\" failed cast to bool");
  EXPECT_EQ(
      Err("json.marshal_with_options", {J("[]"), J(R"({"indent": 1})")}),
      "eval_type_error: json.marshal_with_options: operand 2 key \"indent\" failed cast to string: operand 0 "
      "must be string but got number");
  EXPECT_EQ(
      Err("json.marshal_with_options", {J("[]"), Value::Object({{Value::Int(1), S("x")}})}),
      "eval_type_error: json.marshal_with_options: operand 2 failed to stringify key 1 at index 0: operand 0 "
      "must be string but got number");
  EXPECT_EQ(Err("json.marshal_with_options", {J("[]"), J("[]")}),
            "eval_type_error: json.marshal_with_options: operand 2 must be object but got array");
}

TEST_F(EncodingTest, JsonUnmarshal) {
  EXPECT_EQ(Ok("json.unmarshal", {S(R"([{"foo":[1,2,3]}])")}), J(R"([{"foo":[1,2,3]}])"));
  EXPECT_EQ(Ok("json.unmarshal", {S(" 12345678901234567890123 ")}), Value::BigInt("12345678901234567890123"));
  EXPECT_EQ(Ok("json.unmarshal", {S("1 null")}),
            Value::Int(1));  // Go's decoder reads a null token as nothing
  EXPECT_EQ(Ok("json.unmarshal", {S("\"a\xff\"")}), S("a\xef\xbf\xbd"));  // invalid UTF-8 becomes U+FFFD
  EXPECT_EQ(Err("json.unmarshal", {Value::Int(1)}),
            "eval_type_error: json.unmarshal: operand 1 must be string but got number");
  const std::pair<const char*, const char*> errors[] = {
      {"", "EOF"},
      {"  ", "EOF"},
      {"{", "unexpected EOF"},
      {"[1,2", "unexpected EOF"},
      {"x", "invalid character 'x' looking for beginning of value"},
      {"[1,]", "invalid character ']' looking for beginning of value"},
      {R"({"a" 1})", "invalid character '1' after object key"},
      {R"({"a":1 "b":2})", "invalid character '\"' after object key:value pair"},
      {R"({"a":1,})", "invalid character '}' looking for beginning of object key string"},
      {"[1 2]", "invalid character '2' after array element"},
      {"trux", "invalid character 'x' in literal true (expecting 'e')"},
      {"-x", "invalid character 'x' in numeric literal"},
      {"1.x", "invalid character 'x' after decimal point in numeric literal"},
      {"1ex", "invalid character 'x' in exponent of numeric literal"},
      {R"("\x")", "invalid character 'x' in string escape code"},
      {R"("\u12g4")", "invalid character 'g' in \\u hexadecimal character escape"},
      {"\"a\x01\"", "invalid character '\\x01' in string literal"},
      {"'a'", "invalid character '\\'' looking for beginning of value"},
      {"1 2", "error: invalid character '2' after top-level value"},
      {"01", "error: invalid character '1' after top-level value"},
      {"{} {}", "error: invalid character '{' after top-level value"},
      {R"(1 "abc")", "error: invalid character 'abc' after top-level value"},
      {"1 true", "error: invalid character '%!s(bool=true)' after top-level value"},
      {"1 x", "invalid character 'x' looking for beginning of value"},
  };
  for (const auto& [text, want] : errors) {
    EXPECT_EQ(Err("json.unmarshal", text), std::string("eval_builtin_error: json.unmarshal: ") + want)
        << text;
  }
}

TEST_F(EncodingTest, JsonIsValid) {
  EXPECT_FALSE(Bool("json.is_valid", S("plainstring")));
  EXPECT_FALSE(Bool("json.is_valid", S("{")));
  EXPECT_TRUE(Bool("json.is_valid", S(R"({"json": "ok"})")));
  EXPECT_FALSE(Bool("json.is_valid", Value::Int(1)));
  EXPECT_TRUE(Bool("json.is_valid", S(" [1, {\"a\": null}] \n")));
  EXPECT_FALSE(Bool("json.is_valid", S("1 2")));
  EXPECT_FALSE(Bool("json.is_valid", S("")));
  EXPECT_TRUE(Bool("json.is_valid", S("\"\xff\"")));         // Go does not check UTF-8 here
  EXPECT_FALSE(Bool("json.is_valid", S("\xef\xbb\xbf{}")));  // nor accept a BOM
}

// ---- YAML ----

TEST_F(EncodingTest, YamlRoundTrip) {
  Value v =
      Value::Array({Value::Object({{S("foo"), Value::Set({Value::Int(1), Value::Int(2), Value::Int(3)})}})});
  Value text = Ok("yaml.marshal", {v});
  EXPECT_EQ(text, S("- foo:\n  - 1\n  - 2\n  - 3\n"));
  EXPECT_EQ(Ok("yaml.unmarshal", {text}), J(R"([{"foo": [1, 2, 3]}])"));
}

TEST_F(EncodingTest, YamlUnmarshalTypesPlainScalarsAsGoYamlDoes) {
  EXPECT_EQ(Ok("yaml.unmarshal", {S("foo:\n  - qux: bar\n  - baz: 2\n")}),
            J(R"({"foo": [{"qux": "bar"}, {"baz": 2}]})"));
  EXPECT_EQ(Ok("yaml.unmarshal",
               {S("[a, \"b\", 1, 1.0, +1, -0, 0o17, 0b101, 017, 0x1F, 1_000, _1, 08, 0x, 1e3, .5, "
                  "+.5, 1:20, -1.5e-7, 2001-12-14, \"1\", '2', ~, null, Null, '']")}),
            J(R"(["a", "b", 1, 1, 1, 0, 15, 5, 15, 31, 1000, "_1", 8, "0x", 1000, 0.5, 0.5, "1:20", -1.5e-7,
                  "2001-12-14", "1", "2", null, null, null, ""])"));
  // YAML 1.1 booleans.
  EXPECT_EQ(
      Ok("yaml.unmarshal", {S("[yes, Yes, YES, y, on, On, true, no, N, off, OFF, false, yEs, oN]")}),
      J(R"([true, true, true, true, true, true, true, false, false, false, false, false, "yEs", "oN"])"));
  EXPECT_EQ(Ok("yaml.unmarshal", {S("a: |\n  text\nb: >-\n  folded\n  more\nc: !Ref Param\nd:\n")}),
            J(R"({"a": "text\n", "b": "folded more", "c": "Param", "d": null})"));
  EXPECT_EQ(Ok("yaml.unmarshal", {S("18446744073709551615")}), Value::BigInt("18446744073709551615"));
  EXPECT_EQ(Ok("yaml.unmarshal", {S("0x1FFFFFFFFFFFFFFFFF")}), Value::BigInt("590295810358705651711"));
  EXPECT_EQ(Ok("yaml.unmarshal", {S("1.5e400")}), S("1.5e400"));  // out of range: a string
  EXPECT_EQ(Ok("yaml.unmarshal", {S("")}), Value::Null());
  EXPECT_EQ(Ok("yaml.unmarshal", {S("a: 1\n---\nb: 2\n")}), J(R"({"a": 1})"));  // the first document
  EXPECT_EQ(Ok("yaml.unmarshal", {S(R"({"json": "ok"})")}), J(R"({"json": "ok"})"));
}

TEST_F(EncodingTest, YamlUnmarshalTagsKeysAndMerges) {
  EXPECT_EQ(Ok("yaml.unmarshal", {S("[!!str 1, !!float 1, !!int \"12\", !!bool yes, !!binary aGVsbG8=, "
                                    "!!timestamp 2001-12-14, ! 5]")}),
            J(R"(["1", 1, 12, true, "hello", "2001-12-14", "5"])"));
  EXPECT_EQ(Ok("yaml.unmarshal", {S("1: a\n1.0: b\n0.1: c\n1e10: d\nyes: e\n'x': f\n")}),
            J(R"({"1": "b", "0.1": "c", "1e+10": "d", "true": "e", "x": "f"})"));
  EXPECT_EQ(Ok("yaml.unmarshal", {S("base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  q: 3\nl: &l [1]\nm: *l\n")}),
            J(R"({"base": {"p": 1, "q": 2}, "d": {"p": 1, "q": 3}, "l": [1], "m": [1]})"));
  // A key "y" (or "n", "on", ...) is a YAML 1.1 boolean, so it becomes "true".
  EXPECT_EQ(Ok("yaml.unmarshal", {S("x: 1\ny: 2\n")}), J(R"({"x": 1, "true": 2})"));
}

TEST_F(EncodingTest, YamlUnmarshalErrors) {
  EXPECT_EQ(Err("yaml.unmarshal", "[1,2,3"),
            "eval_builtin_error: yaml.unmarshal: yaml: line 1: did not find expected ',' or ']'");
  EXPECT_EQ(Err("yaml.unmarshal", "a: [1\nb: 2\n"),
            "eval_builtin_error: yaml.unmarshal: yaml: line 2: did not find expected ',' or ']'");
  EXPECT_EQ(Err("yaml.unmarshal", "{a: 1"),
            "eval_builtin_error: yaml.unmarshal: yaml: line 1: did not find expected ',' or '}'");
  EXPECT_EQ(
      Err("yaml.unmarshal", "a: b: c"),
      "eval_builtin_error: yaml.unmarshal: yaml: line 1: invalid nested block mapping on the same line");
  EXPECT_EQ(Err("yaml.unmarshal", "a: .nan"),
            "eval_builtin_error: yaml.unmarshal: json: unsupported value: NaN");
  EXPECT_EQ(Err("yaml.unmarshal", "a: -.inf"),
            "eval_builtin_error: yaml.unmarshal: json: unsupported value: -Inf");
  EXPECT_EQ(Err("yaml.unmarshal", "a: !!int x"),
            "eval_builtin_error: yaml.unmarshal: yaml: cannot decode !!str `x` as a !!int");
  EXPECT_EQ(Err("yaml.unmarshal", "a: !!binary '!!'"),
            "eval_builtin_error: yaml.unmarshal: yaml: !!binary value contains invalid base64 data");
  EXPECT_EQ(Err("yaml.unmarshal", "? [1]\n: 2"),
            "eval_builtin_error: yaml.unmarshal: yaml: invalid map key: []interface {}{...}");
  EXPECT_EQ(Err("yaml.unmarshal", "~: 1"),
            "eval_builtin_error: yaml.unmarshal: unsupported map key of type: %!s(<nil>), key: <nil>");
  EXPECT_EQ(Err("yaml.unmarshal", "a:\n  <<: 5\n"),
            "eval_builtin_error: yaml.unmarshal: yaml: line 2: map merge requires map or sequence of maps as "
            "the value");
  EXPECT_EQ(
      Err("yaml.unmarshal", "a: \x01"),
      "eval_builtin_error: yaml.unmarshal: yaml: line 1: control character U+0001 is not allowed in YAML");
  EXPECT_EQ(Err("yaml.unmarshal", {Value::Int(1)}),
            "eval_type_error: yaml.unmarshal: operand 1 must be string but got number");
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'h'; ++c) {
    std::string prev = "*" + std::string(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + std::string(1, c) + " [" + prev + ", " + prev + ", " + prev + ", " +
            prev + ", " + prev + ", " + prev + ", " + prev + ", " + prev + ", " + prev + ", " + prev + "]\n";
  }
  EXPECT_NE(Err("yaml.unmarshal", bomb).find("alias bomb"), std::string::npos);
}

TEST_F(EncodingTest, YamlIsValid) {
  EXPECT_TRUE(Bool("yaml.is_valid", S("foo:\n - qux: bar\n - baz: 2")));
  EXPECT_FALSE(Bool("yaml.is_valid", S("foo:\n - qux: bar\n - baz: {")));
  EXPECT_TRUE(Bool("yaml.is_valid", S(R"({"json": "ok"})")));
  EXPECT_FALSE(Bool("yaml.is_valid", Value::Int(1)));
  // go-yaml itself takes these; only the JSON step of yaml.unmarshal refuses them.
  EXPECT_TRUE(Bool("yaml.is_valid", S("a: .nan")));
  EXPECT_TRUE(Bool("yaml.is_valid", S("~: 1")));
  EXPECT_FALSE(Bool("yaml.is_valid", S("? [1]\n: 2")));
  EXPECT_FALSE(Bool("yaml.is_valid", S("a: !!int x")));
}

TEST_F(EncodingTest, YamlMarshal) {
  auto yaml = [&](std::string_view json) {
    Value v = Ok("yaml.marshal", {J(json)});
    return v.is_string() ? v.as_string() : "";
  };
  EXPECT_EQ(yaml("null"), "null\n");
  EXPECT_EQ(yaml("[]"), "[]\n");
  EXPECT_EQ(yaml("{}"), "{}\n");
  EXPECT_EQ(yaml(R"("hello")"), "hello\n");
  EXPECT_EQ(yaml("[1, 2.5, true, null]"), "- 1\n- 2.5\n- true\n- null\n");
  EXPECT_EQ(yaml(R"({"a": {"b": "c", "list": [], "m": {}}, "nested": [[1, 2], {"x": 1}]})"),
            "a:\n  b: c\n  list: []\n  m: {}\nnested:\n- - 1\n  - 2\n- x: 1\n");
  // Strings that would read back as something else are quoted; so are
  // strings plain style cannot hold.
  EXPECT_EQ(
      yaml(R"(["true", "yes", "1", "1.5", "", "null", "~", "2001-12-14", "1:20", "0x1F"])"),
      "- \"true\"\n- \"yes\"\n- \"1\"\n- \"1.5\"\n- \"\"\n- \"null\"\n- \"~\"\n- \"2001-12-14\"\n- \"1:20\"\n"
      "- \"0x1F\"\n");
  EXPECT_EQ(
      yaml(R"(["a: b", "- x", "#c", "a #c", " lead", "trail ", "it's", "-", "a:b", "@x", "%x", "{x}"])"),
      "- 'a: b'\n- '- x'\n- '#c'\n- 'a #c'\n- ' lead'\n- 'trail '\n- it's\n- '-'\n- a:b\n- '@x'\n- '%x'\n"
      "- '{x}'\n");
  EXPECT_EQ(yaml(R"(["tab\there", "bell\u0007", "emoji \ud83d\ude00", "nbsp\u00a0x", "\u2028"])"),
            "- \"tab\\there\"\n- \"bell\\a\"\n- \"emoji \\U0001F600\"\n- nbsp\u00a0x\n- '\u2028'\n");
  EXPECT_EQ(yaml(R"({"k": "line1\nline2"})"), "k: |-\n  line1\n  line2\n");
  EXPECT_EQ(yaml(R"(["x\n", "x\n\n", " lead\nx"])"), "- |\n  x\n- |+\n  x\n\n- |2-\n   lead\n  x\n");
  // Keys: go-yaml v2's order (numbers inside keys compare as numbers) and
  // quoting (n and y are YAML 1.1 booleans).
  EXPECT_EQ(yaml(R"({"a10": 1, "a2": 2, "a02": 3, "b": 4, "B": 5, "n": 6, "y": 7, "1": 8})"),
            "\"1\": 8\nB: 5\na2: 2\na02: 3\na10: 1\nb: 4\n\"n\": 6\n\"y\": 7\n");
  // Non-string keys are written as their JSON text.
  EXPECT_EQ(Ok("yaml.marshal", {Value::Object({{Value::Int(1), S("a")}, {J("[1]"), S("b")}})}),
            S("'[1]': b\n\"1\": a\n"));
  // Numbers: integers as written, other numbers as Go's %g.
  EXPECT_EQ(
      yaml("[1000000, 0.000001, 1e300, 123456789.5, 18446744073709551615, 123456789012345678901234567890]"),
      "- 1000000\n- 1e-06\n- 1e+300\n- 1.234567895e+08\n- 18446744073709551615\n- 1.2345678901234568e+29\n");
}

TEST_F(EncodingTest, YamlMarshalFoldsLongLines) {
  std::string long_text =
      "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore "
      "et "
      "dolore magna aliqua.";
  Value v = Value::Object({{S("long"), S(long_text)}});
  Value text = Ok("yaml.marshal", {v});
  EXPECT_EQ(text, S("long: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n"
                    "  incididunt ut labore et dolore magna aliqua.\n"));
  EXPECT_EQ(Ok("yaml.unmarshal", {text}), v);
  std::string long_key(200, 'k');
  Value complex = Value::Object({{S(long_key), Value::Int(1)}});
  Value complex_text = Ok("yaml.marshal", {complex});
  EXPECT_EQ(complex_text, S("? " + long_key + "\n: 1\n"));
  EXPECT_EQ(Ok("yaml.unmarshal", {complex_text}), complex);
}

TEST_F(EncodingTest, YamlMarshalRoundTripsAwkwardStrings) {
  std::vector<std::string> strings = {"",
                                      " ",
                                      "a\tb",
                                      "x\n",
                                      "\n",
                                      "a\n\nb",
                                      "'q'",
                                      "\"dq\"",
                                      "\\",
                                      "- - x",
                                      "? x",
                                      "---",
                                      "...",
                                      "a: b: c",
                                      "{a: b}",
                                      "[1, 2]",
                                      "yes",
                                      "0o17",
                                      "é ü",
                                      "\xef\xbb\xbf"
                                      "bom",
                                      "x # y",
                                      "trailing\n ",
                                      "\r\n",
                                      "a\xc2\x85"
                                      "b"};
  for (const std::string& s : strings) {
    Value v = Value::Object({{S("k"), S(s)}, {S(s), S("v")}});
    Value text = Ok("yaml.marshal", {v});
    ASSERT_TRUE(text.is_string());
    EXPECT_EQ(Ok("yaml.unmarshal", {text}), v) << text.as_string();
  }
}

TEST_F(EncodingTest, YamlMarshalRefusesWhatGoYamlCannotRead) {
  EXPECT_EQ(Err("yaml.marshal", {S("del\x7f")}),
            "eval_builtin_error: yaml.marshal: yaml: control characters are not allowed");
  EXPECT_EQ(Err("yaml.marshal", {Value::Object({{S("\xc2\x80"), S("x")}})}),
            "eval_builtin_error: yaml.marshal: yaml: control characters are not allowed");
  // Invalid UTF-8 becomes U+FFFD, as Go's JSON encoder makes it.
  EXPECT_EQ(Ok("yaml.marshal", {S("a\xff")}), S("a\xef\xbf\xbd\n"));
}

TEST(GoFormatTest, FormatFloatG) {
  EXPECT_EQ(goyaml::FormatFloatG(1.5, 64), "1.5");
  EXPECT_EQ(goyaml::FormatFloatG(100000, 64), "100000");
  EXPECT_EQ(goyaml::FormatFloatG(1000000, 64), "1e+06");
  EXPECT_EQ(goyaml::FormatFloatG(0.0001234, 64), "0.0001234");
  EXPECT_EQ(goyaml::FormatFloatG(0.00001234, 64), "1.234e-05");
  EXPECT_EQ(goyaml::FormatFloatG(-2.5e-300, 64), "-2.5e-300");
  EXPECT_EQ(goyaml::FormatFloatG(0.1, 32), "0.1");
  EXPECT_EQ(goyaml::FormatFloatG(1e10, 32), "1e+10");
  EXPECT_EQ(goyaml::FormatFloatG(123456.7, 64), "123456.7");
}

// ---- urlquery ----

TEST_F(EncodingTest, UrlQuery) {
  EXPECT_EQ(Str("urlquery.encode", ""), "");
  EXPECT_EQ(Str("urlquery.encode", "a b&c=d/\xc3\xa9~-_."), "a+b%26c%3Dd%2F%C3%A9~-_.");
  EXPECT_EQ(Str("urlquery.decode", "a%3Db%2B1"), "a=b+1");
  EXPECT_EQ(Str("urlquery.decode", "a+b%20c"), "a b c");
  EXPECT_EQ(Err("urlquery.decode", "%zz"), "eval_builtin_error: urlquery.decode: invalid URL escape \"%zz\"");
  EXPECT_EQ(Err("urlquery.decode", "ab%4"), "eval_builtin_error: urlquery.decode: invalid URL escape \"%4\"");
}

TEST_F(EncodingTest, UrlQueryObjects) {
  EXPECT_EQ(Ok("urlquery.encode_object", {J("{}")}), S(""));
  EXPECT_EQ(Ok("urlquery.encode_object", {J(R"({"a": "b", "c": "d"})")}), S("a=b&c=d"));
  EXPECT_EQ(Ok("urlquery.encode_object", {J(R"({"a": "c=b+1"})")}), S("a=c%3Db%2B1"));
  EXPECT_EQ(Ok("urlquery.encode_object", {J(R"({"a": ["b+1", "c+2"]})")}), S("a=b%2B1&a=c%2B2"));
  EXPECT_EQ(Ok("urlquery.encode_object", {Value::Object({{S("a"), Value::Set({S("b+1")})}})}), S("a=b%2B1"));
  EXPECT_EQ(Ok("urlquery.encode_object", {J(R"({"e": [], "b": "x y"})")}), S("b=x+y"));
  EXPECT_EQ(Err("urlquery.encode_object", {J(R"({"a": 1})")}),
            "eval_type_error: urlquery.encode_object: operand 1 values must be string, array[string], or "
            "set[string]");
  EXPECT_EQ(Err("urlquery.encode_object", {J(R"({"a": [1]})")}),
            "eval_type_error: urlquery.encode_object: operand 1 values must be string, array[string], or "
            "set[string]");

  EXPECT_EQ(Ok("urlquery.decode_object", {S("a=value_a1&b=value_b&a=value_a2")}),
            J(R"({"a": ["value_a1", "value_a2"], "b": ["value_b"]})"));
  EXPECT_EQ(Ok("urlquery.decode_object", {S("a=value_a1&b")}), J(R"({"a": ["value_a1"], "b": [""]})"));
  EXPECT_EQ(Ok("urlquery.decode_object", {S("")}), J("{}"));
  EXPECT_EQ(Ok("urlquery.decode_object", {S("&&a=%20+x&")}), J(R"({"a": ["  x"]})"));
  EXPECT_EQ(Err("urlquery.decode_object", "a=1;b=2"),
            "eval_builtin_error: urlquery.decode_object: invalid semicolon separator in query");
  EXPECT_EQ(Err("urlquery.decode_object", "a=%zz&b=1"),
            "eval_builtin_error: urlquery.decode_object: invalid URL escape \"%zz\"");
  std::string many;
  for (int i = 0; i < 10000; ++i) many += "a=1&";
  EXPECT_EQ(Err("urlquery.decode_object", many),
            "eval_builtin_error: urlquery.decode_object: number of URL query parameters exceeded limit");
}

// ---- uri ----

TEST_F(EncodingTest, UriParse) {
  EXPECT_EQ(
      Ok("uri.parse", {S("https://example.com:8080/api?q=1#top")}),
      J(R"({"scheme": "https", "hostname": "example.com", "port": "8080", "path": "/api", "raw_path": "/api",
                  "raw_query": "q=1", "fragment": "top"})"));
  EXPECT_EQ(Ok("uri.parse", {S("https://example.com/path")}),
            J(R"({"scheme": "https", "hostname": "example.com", "path": "/path", "raw_path": "/path"})"));
  EXPECT_EQ(Ok("uri.parse", {S("https://example.com:443/path")}),
            J(R"({"scheme": "https", "hostname": "example.com", "port": "443", "path": "/path",
                  "raw_path": "/path"})"));
  EXPECT_EQ(Ok("uri.parse", {S("https://example.com?q=1#frag")}),
            J(R"({"scheme": "https", "hostname": "example.com", "raw_query": "q=1", "fragment": "frag"})"));
  EXPECT_EQ(
      Ok("uri.parse", {S("http://[::1]:8080/path")}),
      J(R"({"scheme": "http", "hostname": "::1", "port": "8080", "path": "/path", "raw_path": "/path"})"));
  EXPECT_EQ(Ok("uri.parse", {S("https://example.com/path%2Fwith%2Fslashes")}),
            J(R"({"scheme": "https", "hostname": "example.com", "path": "/path/with/slashes",
                  "raw_path": "/path%2Fwith%2Fslashes"})"));
  EXPECT_EQ(Ok("uri.parse", {S("https://example.com/plain/path")}),
            J(R"({"scheme": "https", "hostname": "example.com", "path": "/plain/path",
                  "raw_path": "/plain/path"})"));
  EXPECT_EQ(Ok("uri.parse", {S("")}), J("{}"));
  EXPECT_EQ(Ok("uri.parse", {S("mailto:user@example.com")}), J(R"({"scheme": "mailto"})"));
  EXPECT_EQ(Ok("uri.parse", {S("http://foo]bar/")}),
            J(R"({"scheme": "http", "hostname": "foo]bar", "path": "/", "raw_path": "/"})"));
  for (const char* p : {"a%21b", "a%27b", "a%2Ab", "a%28b%29"}) {
    Value v = Ok("uri.parse", {S(std::string("https://example.com/") + p)});
    EXPECT_EQ(*v.FindKey("raw_path"), *v.FindKey("path")) << p;
  }
  EXPECT_EQ(Ok("uri.parse", {S("HTTP://user:pw@[fe80::1%25en0]:80/x#a%20b")}),
            J(R"({"scheme": "http", "hostname": "fe80::1%en0", "port": "80", "path": "/x", "raw_path": "/x",
                  "fragment": "a b"})"));
}

TEST_F(EncodingTest, UriParseErrors) {
  EXPECT_EQ(Err("uri.parse", "http://exa%6dple.com/"),
            R"(eval_builtin_error: uri.parse: parse "http://exa%6dple.com/": invalid URL escape "%6d")");
  EXPECT_EQ(Err("uri.parse", "http://a<b@example.com/"),
            R"(eval_builtin_error: uri.parse: parse "http://a<b@example.com/": net/url: invalid userinfo)");
  EXPECT_EQ(Err("uri.parse", "http://example.com:\xd9\xa3\xd9\xa4/"),
            "eval_builtin_error: uri.parse: parse \"http://example.com:\xd9\xa3\xd9\xa4/\": invalid port "
            "\":\xd9\xa3\xd9\xa4\" after host");
  EXPECT_EQ(Err("uri.parse", "http://a b/"),
            R"(eval_builtin_error: uri.parse: parse "http://a b/": invalid character " " in host name)");
  EXPECT_EQ(Err("uri.parse", ":foo"),
            R"(eval_builtin_error: uri.parse: parse ":foo": missing protocol scheme)");
  EXPECT_EQ(Err("uri.parse", "a:b\x01"),
            R"(eval_builtin_error: uri.parse: parse "a:b\x01": net/url: invalid control character in URL)");
  EXPECT_EQ(Ok("uri.parse", {S("rel:x")}), J(R"({"scheme": "rel"})"));  // a scheme with an opaque part
  EXPECT_EQ(
      Err("uri.parse", "1rel:x/y"),
      R"(eval_builtin_error: uri.parse: parse "1rel:x/y": first path segment in URL cannot contain colon)");
  EXPECT_EQ(Err("uri.parse", "http://[::1/"),
            R"(eval_builtin_error: uri.parse: parse "http://[::1/": missing ']' in host)");
  EXPECT_EQ(Err("uri.parse", "http://[1.2.3.4]/"),
            R"(eval_builtin_error: uri.parse: parse "http://[1.2.3.4]/": invalid IP-literal)");
  EXPECT_EQ(Err("uri.parse", "http://x[::1]/"),
            R"(eval_builtin_error: uri.parse: parse "http://x[::1]/": invalid IP-literal)");
  EXPECT_EQ(Err("uri.parse", "http://[zz]/"),
            "eval_builtin_error: uri.parse: parse \"http://[zz]/\": invalid host: "
            "ParseAddr(\"zz\"): unable to parse IP");
  EXPECT_EQ(
      Err("uri.parse", "http://localhost:80:80/"),
      R"(eval_builtin_error: uri.parse: parse "http://localhost:80:80/": invalid port ":80:80" after host)");
  EXPECT_EQ(Err("uri.parse", "http://ex.com/#%zz"),
            R"(eval_builtin_error: uri.parse: parse "http://ex.com/#%zz": invalid URL escape "%zz")");
}

TEST_F(EncodingTest, UriIsValid) {
  EXPECT_FALSE(Bool("uri.is_valid", S("http://exa%6dple.com/")));
  EXPECT_FALSE(Bool("uri.is_valid", S("http://a<b@example.com/")));
  EXPECT_FALSE(Bool("uri.is_valid", S("http://user name@example.com/")));
  EXPECT_FALSE(Bool("uri.is_valid", S("http://example.com:\xd9\xa3\xd9\xa4/")));
  EXPECT_TRUE(Bool("uri.is_valid", S("http://foo]bar/")));
  EXPECT_TRUE(Bool("uri.is_valid", S("https://example.com/a?b#c")));
  EXPECT_FALSE(Bool("uri.is_valid", S("")));
  EXPECT_FALSE(Bool("uri.is_valid", Value::Int(1)));
}

}  // namespace
}  // namespace custody::rego
