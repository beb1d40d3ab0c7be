// The "strings" built-in group: results, undefined and error texts as OPA
// gives them (from OPA's conformance cases and Go's fmt behaviour).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

Value J(std::string_view json) {
  auto v = ParseJsonValue(json, "test");
  EXPECT_TRUE(v.ok()) << json;
  return v.ok() ? *v : Value();
}
Value S(std::string_view s) { return Value::String(s); }
Value I(int64_t i) { return Value::Int(i); }

class StringsTest : public ::testing::Test {
 protected:
  StringsTest() { RegisterStrings(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    if (b == nullptr) return Error::Internal("no built-in " + std::string(name));
    EXPECT_EQ(static_cast<size_t>(b->arity), args.size()) << name;
    return b->fn(args, ctx_);
  }
  // The result as JSON text (sets as arrays), or "ERROR: message".
  std::string Json(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    if (!r.ok()) return "ERROR: " + r.error().message();
    if (r->is_undefined()) return "undefined";
    return r->ToJson();
  }
  std::string Str(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    if (!r.ok()) return "ERROR: " + r.error().message();
    if (!r->is_string()) return "NOT A STRING: " + r->ToJson();
    return r->as_string();
  }
  std::string Sprintf(std::string_view format, std::string_view args_json) {
    return Str("sprintf", {S(format), J(args_json)});
  }
  std::string Err(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    return r.ok() ? "no error: " + (r->is_defined() ? r->ToJson() : "undefined") : r.error().message();
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(StringsTest, RegistersEveryBuiltinWithItsArity) {
  const std::vector<std::pair<std::string, int>> expected = {
      {"concat", 2},
      {"contains", 2},
      {"endswith", 2},
      {"format_int", 2},
      {"indexof", 2},
      {"indexof_n", 2},
      {"lower", 1},
      {"replace", 3},
      {"split", 2},
      {"sprintf", 2},
      {"startswith", 2},
      {"strings.any_prefix_match", 2},
      {"strings.any_suffix_match", 2},
      {"strings.count", 2},
      {"strings.render_template", 2},
      {"strings.replace_n", 2},
      {"strings.reverse", 1},
      {"substring", 3},
      {"trim", 2},
      {"trim_left", 2},
      {"trim_prefix", 2},
      {"trim_right", 2},
      {"trim_space", 1},
      {"trim_suffix", 2},
      {"upper", 1},
      {"internal.template_string", 1},
  };
  for (const auto& [name, arity] : expected) {
    const Builtin* b = table_.Find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->arity, arity) << name;
  }
  EXPECT_EQ(table_.all().size(), expected.size());
}

TEST_F(StringsTest, Concat) {
  EXPECT_EQ(Str("concat", {S("/"), J(R"(["", "foo", "bar", "0", "baz"])")}), "/foo/bar/0/baz");
  EXPECT_EQ(Str("concat", {S(","), J("[]")}), "");
  EXPECT_EQ(Str("concat", {S(","), Value::Set({S("b"), S("a")})}), "a,b");
  EXPECT_EQ(Err("concat", {S(","), J(R"(["a", 1])")}),
            "eval_type_error: concat: operand 2 must be array of strings but got array containing number");
  EXPECT_EQ(Err("concat", {S(","), Value::Set({S("a"), I(1)})}),
            "eval_type_error: concat: operand 2 must be set of strings but got set containing number");
  EXPECT_EQ(Err("concat", {S(","), S("a")}),
            "eval_type_error: concat: operand 2 must be one of {set, array} but got string");
  EXPECT_EQ(Err("concat", {I(1), J("[]")}),
            "eval_type_error: concat: operand 1 must be string but got number");
}

TEST_F(StringsTest, ContainsStartsEndsWith) {
  EXPECT_EQ(Json("contains", {S("abcdefgh"), S("defg")}), "true");
  EXPECT_EQ(Json("contains", {S("abcdefgh"), S("ac")}), "false");
  EXPECT_EQ(Json("contains", {S("abc"), S("")}), "true");
  EXPECT_EQ(Json("startswith", {S("abcdefgh"), S("abcd")}), "true");
  EXPECT_EQ(Json("startswith", {S("abcdefgh"), S("bcd")}), "false");
  EXPECT_EQ(Json("endswith", {S("abcdefgh"), S("fgh")}), "true");
  EXPECT_EQ(Json("endswith", {S("abcdefgh"), S("fg")}), "false");
  EXPECT_EQ(Err("contains", {S("a"), I(1)}),
            "eval_type_error: contains: operand 2 must be string but got number");
  EXPECT_EQ(Err("endswith", {J("null"), S("a")}),
            "eval_type_error: endswith: operand 1 must be string but got null");
}

TEST_F(StringsTest, FormatInt) {
  EXPECT_EQ(Str("format_int", {J("15.5"), I(16)}), "f");
  EXPECT_EQ(Str("format_int", {J("-15.5"), I(16)}), "-f");
  EXPECT_EQ(Str("format_int", {J("4.1"), I(10)}), "4");
  EXPECT_EQ(Str("format_int", {J("-0.5"), I(10)}), "0");
  EXPECT_EQ(Str("format_int", {I(10), I(2)}), "1010");
  EXPECT_EQ(Str("format_int", {I(8), I(8)}), "10");
  EXPECT_EQ(Str("format_int", {I(-255), I(16)}), "-ff");
  EXPECT_EQ(Str("format_int", {I(INT64_MIN), I(16)}), "-8000000000000000");
  EXPECT_EQ(Str("format_int", {I(INT64_MIN), I(10)}), "-9223372036854775808");
  EXPECT_EQ(Str("format_int", {J("18446744073709551616"), I(16)}), "10000000000000000");
  // OPA reads big numbers at 64 bits of precision.
  EXPECT_EQ(Str("format_int", {J("123456789123456789123"), I(10)}), "123456789123456789120");
  // 1e30 is a double here: its exact value, truncated.
  EXPECT_EQ(Str("format_int", {J("1e30"), I(16)}), "c9f2c9cd04675000000000000");
  EXPECT_EQ(Err("format_int", {J("4.1"), I(199)}),
            "eval_type_error: format_int: operand 2 must be one of {2, 8, 10, 16}");
  EXPECT_EQ(Err("format_int", {J("4.1"), J("2.5")}),
            "eval_type_error: format_int: operand 2 must be one of {2, 8, 10, 16}");
  EXPECT_EQ(Err("format_int", {S("1"), I(10)}),
            "eval_type_error: format_int: operand 1 must be number but got string");
  EXPECT_EQ(Err("format_int", {I(1), S("10")}),
            "eval_type_error: format_int: operand 2 must be number but got string");
}

TEST_F(StringsTest, IndexOfCountsCodePoints) {
  EXPECT_EQ(Json("indexof", {S("abcdefgh"), S("cde")}), "2");
  EXPECT_EQ(Json("indexof", {S("abcabcabcdefgh"), S("cde")}), "8");
  EXPECT_EQ(Json("indexof", {S("abc"), S("x")}), "-1");
  EXPECT_EQ(Json("indexof", {S("μx"), S("x")}), "1");
  EXPECT_EQ(Json("indexof", {S("μ"), S("μμ")}), "-1");
  EXPECT_EQ(Json("indexof", {S("skön var våren"), S("vår")}), "9");
  EXPECT_EQ(Json("indexof", {S("🍧🍨🧁🍰🍮"), S("🍮")}), "4");
  EXPECT_EQ(Json("indexof", {S("🍧🍨🧁🍰🍮"), S("🍧🍨🧁🍰🍮")}), "0");
  EXPECT_EQ(Err("indexof", {S("abc"), S("")}), "eval_builtin_error: indexof: empty search character");
  EXPECT_EQ(Json("indexof_n", {S("dogcat"), S("cat")}), "[3]");
  EXPECT_EQ(Json("indexof_n", {S("dogcatdogcat"), S("cat")}), "[3,9]");
  EXPECT_EQ(Json("indexof_n", {S("dogcat"), S("rabbit")}), "[]");
  EXPECT_EQ(Json("indexof_n", {S("😇😀😇😀😇😀"), S("😀")}), "[1,3,5]");
  EXPECT_EQ(Json("indexof_n", {S("aaaa"), S("aa")}), "[0,1,2]");  // overlapping
  EXPECT_EQ(Err("indexof_n", {S("abc"), S("")}), "eval_builtin_error: indexof_n: empty search character");
}

TEST_F(StringsTest, LowerUpperFollowUnicode) {
  EXPECT_EQ(Str("lower", {S("AbCdEf")}), "abcdef");
  EXPECT_EQ(Str("upper", {S("AbCdEf")}), "ABCDEF");
  EXPECT_EQ(Str("lower", {S("ÅÄÖ ΣΑΣ İ")}), "åäö σασ i");
  EXPECT_EQ(Str("upper", {S("straße ǆ ω")}), "STRAßE Ǆ Ω");
  EXPECT_EQ(Str("upper", {S("😀")}), "😀");
  EXPECT_EQ(Err("lower", {I(1)}), "eval_type_error: lower: operand 1 must be string but got number");
}

TEST_F(StringsTest, Replace) {
  EXPECT_EQ(Str("replace", {S(""), S("hi"), S("bye")}), "");
  EXPECT_EQ(Str("replace", {S("foo.bar"), S("."), S(",")}), "foo,bar");
  EXPECT_EQ(Str("replace", {S("foo...bar"), S(".."), S(",,")}), "foo,,.bar");
  EXPECT_EQ(Str("replace", {S("abc"), S(""), S("-")}), "-a-b-c-");
  EXPECT_EQ(Str("replace", {S("åb"), S(""), S("-")}), "-å-b-");  // between code points
  EXPECT_EQ(Err("replace", {S("a"), S("a"), I(1)}),
            "eval_type_error: replace: operand 3 must be string but got number");
}

TEST_F(StringsTest, ReplaceN) {
  EXPECT_EQ(Str("strings.replace_n", {J(R"({"<": "&lt;", ">": "&gt;"})"), S("This is <b>HTML</b>!")}),
            "This is &lt;b&gt;HTML&lt;/b&gt;!");
  // Patterns apply in key order: "f" before "foo".
  EXPECT_EQ(Str("strings.replace_n", {J(R"({"f": "x", "foo": "xxx"})"), S("foobar")}), "xoobar");
  EXPECT_EQ(
      Str("strings.replace_n", {J(R"({"old1": "new1", "old2": "new2"})"), S("Everything is new1, new2")}),
      "Everything is new1, new2");
  EXPECT_EQ(Str("strings.replace_n", {J(R"({"ab": "1", "b": "2"})"), S("abb")}), "12");
  EXPECT_EQ(Str("strings.replace_n", {J("{}"), S("abc")}), "abc");
  EXPECT_EQ(Err("strings.replace_n", {Value::Object({{I(1), S("x")}}), S("abc")}),
            "eval_type_error: strings.replace_n: operand 1 non-string key found in pattern object");
  EXPECT_EQ(Err("strings.replace_n", {J(R"({"a": 1})"), S("abc")}),
            "eval_type_error: strings.replace_n: operand 1 non-string value found in pattern object");
  EXPECT_EQ(Err("strings.replace_n", {J("[]"), S("abc")}),
            "eval_type_error: strings.replace_n: operand 1 must be object but got array");
  EXPECT_EQ(Err("strings.replace_n", {J("{}"), I(1)}),
            "eval_type_error: strings.replace_n: operand 2 must be string but got number");
}

TEST_F(StringsTest, Split) {
  EXPECT_EQ(Json("split", {S(""), S(".")}), R"([""])");
  EXPECT_EQ(Json("split", {S("test"), S("")}), R"(["t","e","s","t"])");
  EXPECT_EQ(Json("split", {S(""), S("")}), "[]");
  EXPECT_EQ(Json("split", {S("foo"), S(".")}), R"(["foo"])");
  EXPECT_EQ(Json("split", {S("foo.bar.baz"), S(".")}), R"(["foo","bar","baz"])");
  EXPECT_EQ(Json("split", {S("a..b."), S(".")}), R"(["a","","b",""])");
  EXPECT_EQ(Json("split", {S("åä"), S("")}), R"(["å","ä"])");
  EXPECT_EQ(Err("split", {S("a"), J("[]")}),
            "eval_type_error: split: operand 2 must be string but got array");
}

TEST_F(StringsTest, SprintfConformance) {
  EXPECT_EQ(Sprintf("hi", "[]"), "hi");
  EXPECT_EQ(Sprintf("hi %s", R"(["there"])"), "hi there");
  EXPECT_EQ(Sprintf("hi %02d", "[5]"), "hi 05");
  EXPECT_EQ(Sprintf("hi %02X.%02X", "[127, 1]"), "hi 7F.01");
  EXPECT_EQ(Sprintf("hi %v", R"([["there", 5, 3.14]])"), R"(hi ["there", 5, 3.14])");
  EXPECT_EQ(Sprintf("%s", "[123456789123456789123]"), "123456789123456789123");
  EXPECT_EQ(Sprintf("%s", "[1208925819614629174706175]"), "1208925819614629174706175");
  EXPECT_EQ(Sprintf("%s/%d", R"(["a", 1])"), "a/1");
}

TEST_F(StringsTest, SprintfVerbsAsGo) {
  EXPECT_EQ(Sprintf("%d", "[3]"), "3");
  EXPECT_EQ(Sprintf("%v %v %v", "[1, 1.5, -2]"), "1 1.5 -2");
  EXPECT_EQ(Sprintf("%.2f", "[3.14159]"), "3.14");
  EXPECT_EQ(Sprintf("%f", "[1.5]"), "1.500000");
  EXPECT_EQ(Sprintf("%f", "[2]"), "%!f(int=2)");
  EXPECT_EQ(Sprintf("%e", "[123456.789]"), "1.234568e+05");
  EXPECT_EQ(Sprintf("%E", "[0.5]"), "5.000000E-01");
  EXPECT_EQ(Sprintf("%g", "[0.000012345]"), "1.2345e-05");
  EXPECT_EQ(Sprintf("%.3g", "[1234.5678]"), "1.23e+03");
  EXPECT_EQ(Sprintf("%v", "[1e21]"), "1e+21");
  EXPECT_EQ(Sprintf("%v", "[123456789.5]"), "1.234567895e+08");
  EXPECT_EQ(Sprintf("%6.2v|", "[3.14159]"), "   3.1|");
  EXPECT_EQ(Sprintf("%5.1f|", "[-2.25]"), " -2.2|");
  EXPECT_EQ(Sprintf("%08.3f", "[-3.5]"), "-003.500");
  EXPECT_EQ(Sprintf("%+.1e", "[1234.5]"), "+1.2e+03");
  EXPECT_EQ(Sprintf("%#.0f|%#g", "[3, 1.5]"), "%!f(int=3)|1.50000");
  EXPECT_EQ(Sprintf("%x|%X|%o|%#o|%O|%b|%#x|%#b", "[255, 255, 8, 8, 8, 5, 255, 5]"),
            "ff|FF|10|010|0o10|101|0xff|0b101");
  EXPECT_EQ(Sprintf("%x", "[-255]"), "-ff");
  EXPECT_EQ(Sprintf("%x|%X|% x|%#x", R"(["hi", "hi", "hi", "hi"])"), "6869|6869|68 69|0x6869");
  EXPECT_EQ(Sprintf("%x", "[3.5]"), "0x1.cp+01");
  EXPECT_EQ(Sprintf("%b", "[1.0]"), "1");  // 1.0 is the integer 1
  EXPECT_EQ(Sprintf("%b", "[0.5]"), "4503599627370496p-53");
  EXPECT_EQ(Sprintf("%c|%q|%U|%#U", "[65, 65, 65, 128512]"), "A|'A'|U+0041|U+1F600 '😀'");
  EXPECT_EQ(Sprintf("%q", R"(["a\"b\n"])"), R"("a\"b\n")");
  EXPECT_EQ(Sprintf("%+q|%q|%#q", R"(["é", "\u0001", "x"])"), R"("\u00e9"|"\x01"|`x`)");
  EXPECT_EQ(Sprintf("%5s|%-5s|%.3s|%5.1s|", R"(["ab", "cd", "abcdef", "xyz"])"), "   ab|cd   |abc|    x|");
  EXPECT_EQ(Sprintf("%05d|%-05d|%+d|% d|%08d", "[42, 42, 5, 5, -42]"), "00042|42   |+5| 5|-0000042");
  EXPECT_EQ(Sprintf("%.3d|%.0d|%3.0d|", "[7, 0, 0]"), "007||   |");
  EXPECT_EQ(Sprintf("%d%%", "[50]"), "50%");
  EXPECT_EQ(Sprintf("%T %T %T %T %T", R"([1, 1.5, "a", 18446744073709551616, true])"),
            "int float64 string *big.Int string");
}

TEST_F(StringsTest, SprintfNonNumbersPrintAsRego) {
  EXPECT_EQ(Sprintf("%v %v %v", R"([true, null, {"a": [1, "x"]}])"), R"(true null {"a": [1, "x"]})");
  EXPECT_EQ(
      Str("sprintf", {S("%v %v %s"), Value::Array({Value::Set({I(2), I(1)}), Value::EmptySet(), J("[]")})}),
      "{1, 2} set() []");
  // Booleans reach Go as strings.
  EXPECT_EQ(Sprintf("%t", "[true]"), "%!t(string=true)");
  EXPECT_EQ(Sprintf("%5t", "[true]"), "%!t(string= true)");
}

TEST_F(StringsTest, SprintfBigIntegers) {
  EXPECT_EQ(
      Sprintf("%d|%v|%x|%X|%o|%b",
              "[18446744073709551616, 18446744073709551616, 18446744073709551616, "
              "18446744073709551615, 18446744073709551616, 18446744073709551616]"),
      "18446744073709551616|18446744073709551616|10000000000000000|FFFFFFFFFFFFFFFF|2000000000000000000000|"
      "10000000000000000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(
      Sprintf("%25d|%-25d|%025d|%+d|%#x",
              "[-18446744073709551616, 18446744073709551616, "
              "18446744073709551616, 18446744073709551616, 18446744073709551616]"),
      "    -18446744073709551616|18446744073709551616     |0000018446744073709551616|+18446744073709551616|"
      "0x10000000000000000");
  EXPECT_EQ(Sprintf("%q", "[18446744073709551616]"), "%!q(big.Int=18446744073709551616)");
}

TEST_F(StringsTest, SprintfBadFormats) {
  EXPECT_EQ(Sprintf("%d", R"(["x"])"), "%!d(string=x)");
  EXPECT_EQ(Sprintf("%s", "[1]"), "%!s(int=1)");
  EXPECT_EQ(Sprintf("%d", "[1.5]"), "%!d(float64=1.5)");
  EXPECT_EQ(Sprintf("%z", "[1]"), "%!z(int=1)");
  EXPECT_EQ(Sprintf("%d %d", "[1]"), "1 %!d(MISSING)");
  EXPECT_EQ(Sprintf("%d", "[1, 2]"), R"(1%!(EXTRA int=2))");
  EXPECT_EQ(Sprintf("x", R"([1, "a"])"), R"(x%!(EXTRA int=1, string=a))");
  EXPECT_EQ(Sprintf("%", "[]"), "%!(NOVERB)");
  EXPECT_EQ(Sprintf("%!", "[]"), "%!!(MISSING)");
  EXPECT_EQ(Sprintf("%[2]d %[1]d", "[1, 2]"), "2 1");
  EXPECT_EQ(Sprintf("%[3]d", "[1]"), "%!d(BADINDEX)");
  EXPECT_EQ(Sprintf("%*d|%-*d|", "[5, 42, 4, 1]"), "   42|1   |");
  EXPECT_EQ(Sprintf("%.*f", "[2, 3.14159]"), "3.14");
  EXPECT_EQ(Sprintf("%*d", R"(["x", 1])"), "%!(BADWIDTH)1");
  EXPECT_EQ(Sprintf("%.*d", R"([-1, 1])"), "%!(BADPREC)1");
  // Widths stop at Go's limit, and the operand is then extra.
  EXPECT_EQ(Sprintf("%100000000d", "[1]"), "%!(NOVERB)%!(EXTRA int=1)");
  EXPECT_EQ(Err("sprintf", {S("%d"), S("x")}),
            "eval_type_error: sprintf: operand 2 must be array but got string");
  EXPECT_EQ(Err("sprintf", {I(1), J("[]")}),
            "eval_type_error: sprintf: operand 1 must be string but got number");
}

TEST_F(StringsTest, SprintfOutputIsBounded) {
  std::string format;
  for (int i = 0; i < 100; ++i) format += "%1000000d";
  ValueVector args(100, I(1));
  EXPECT_EQ(Err("sprintf", {S(format), Value::Array(args)}), "eval_builtin_error: sprintf: result too large");
  std::string digits(30000, '7');
  EXPECT_EQ(Err("sprintf", {S("%x"), Value::Array({Value::BigInt(digits)})}),
            "eval_builtin_error: sprintf: result too large");
  EXPECT_EQ(Err("format_int", {Value::BigInt(digits), I(16)}),
            "eval_builtin_error: format_int: number has too many digits");
  EXPECT_EQ(Str("sprintf", {S("%d"), Value::Array({Value::BigInt(digits)})}), digits);
}

TEST_F(StringsTest, AnyPrefixSuffixMatch) {
  EXPECT_EQ(Json("strings.any_prefix_match", {J(R"(["a/b/c", "a/b/d", "e/f/g"])"), J(R"(["a/", "d/"])")}),
            "true");
  EXPECT_EQ(Json("strings.any_prefix_match", {J(R"(["a/b/c", "a/b/d", "e/f/g"])"), J(R"(["f/", "d/"])")}),
            "false");
  EXPECT_EQ(Json("strings.any_prefix_match", {J(R"(["aa/bb/cc"])"), J(R"(["a/b"])")}), "false");
  EXPECT_EQ(Json("strings.any_prefix_match", {J(R"(["aa/bb/cc"])"), J(R"(["aa/b"])")}), "true");
  EXPECT_EQ(Json("strings.any_prefix_match", {J("[]"), J(R"(["a"])")}), "false");
  EXPECT_EQ(Json("strings.any_prefix_match", {S("a/b/c"), J(R"(["g/", "a/"])")}), "true");
  EXPECT_EQ(Json("strings.any_prefix_match", {Value::Set({S("a/b/c")}), S("a/")}), "true");
  EXPECT_EQ(Json("strings.any_suffix_match", {J(R"(["a/b/c", "e/f/g"])"), J(R"(["/c", "/a"])")}), "true");
  EXPECT_EQ(Json("strings.any_suffix_match", {J(R"(["aa/bb/cc"])"), J(R"(["b/c"])")}), "false");
  EXPECT_EQ(Json("strings.any_suffix_match", {S("a/b/g"), J(R"(["/c", "/a"])")}), "false");
  EXPECT_EQ(Err("strings.any_prefix_match", {J("[1, 2, 3]"), J(R"(["f/"])")}),
            "eval_type_error: strings.any_prefix_match: operand 1 must be array of strings but got array "
            "containing "
            "number");
  EXPECT_EQ(Err("strings.any_prefix_match", {I(1), J(R"(["f/"])")}),
            "eval_type_error: strings.any_prefix_match: operand 1 must be one of {string, set, array} but "
            "got number");
  EXPECT_EQ(Err("strings.any_prefix_match", {J(R"(["a"])"), J("[1, 2]")}),
            "eval_type_error: strings.any_prefix_match: operand 2 must be array of strings but got array "
            "containing "
            "number");
  EXPECT_EQ(Err("strings.any_suffix_match", {J(R"(["a"])"), I(1)}),
            "eval_type_error: strings.any_suffix_match: operand 2 must be one of {string, set, array} but "
            "got number");
}

TEST_F(StringsTest, Count) {
  EXPECT_EQ(Json("strings.count", {S("cheese"), S("e")}), "3");
  EXPECT_EQ(Json("strings.count", {S("hello hello hello world"), S("hello")}), "3");
  EXPECT_EQ(Json("strings.count", {S("dummy"), S("x")}), "0");
  EXPECT_EQ(Json("strings.count", {S("dummy"), S("")}), "6");
  EXPECT_EQ(Json("strings.count", {S("åä"), S("")}), "3");
  EXPECT_EQ(Json("strings.count", {S(""), S("")}), "1");
  EXPECT_EQ(Json("strings.count", {S(""), S("x")}), "0");
  EXPECT_EQ(Json("strings.count", {S("11111"), S("11")}), "2");
  EXPECT_EQ(Json("strings.count", {S("11111"), S("11111")}), "1");
}

TEST_F(StringsTest, Reverse) {
  EXPECT_EQ(Str("strings.reverse", {S("bar")}), "rab");
  EXPECT_EQ(Str("strings.reverse", {S("2\uFE0F\u20E3")}), "\u20E3\uFE0F2");
  EXPECT_EQ(Str("strings.reverse", {S("1\U0001F600\U0001D7FE")}), "\U0001D7FE\U0001F6001");
  EXPECT_EQ(Str("strings.reverse", {S("")}), "");
  EXPECT_EQ(Err("strings.reverse", {I(123)}),
            "eval_type_error: strings.reverse: operand 1 must be string but got number");
  EXPECT_EQ(Err("strings.reverse", {J(R"({"bar": "baz"})")}),
            "eval_type_error: strings.reverse: operand 1 must be string but got object");
}

TEST_F(StringsTest, Substring) {
  EXPECT_EQ(Str("substring", {S("abcdefgh"), I(2), I(3)}), "cde");
  EXPECT_EQ(Str("substring", {S("åäö"), I(0), I(2)}), "åä");
  EXPECT_EQ(Str("substring", {S("abcdefgh"), I(2), I(-1)}), "cdefgh");
  EXPECT_EQ(Str("substring", {S("aåäö"), I(2), I(-1)}), "äö");
  EXPECT_EQ(Str("substring", {S("abcdefgh"), I(2), I(10000)}), "cdefgh");
  EXPECT_EQ(Str("substring", {S("abcdefghåäö"), I(2), I(10000)}), "cdefghåäö");
  EXPECT_EQ(Str("substring", {S("aaa"), I(3), I(-1)}), "");
  EXPECT_EQ(Str("substring", {S("åäö"), I(4), I(-1)}), "");
  EXPECT_EQ(Str("substring", {S("abc"), I(1), I(0)}), "");
  EXPECT_EQ(Str("substring", {S("abc"), I(INT64_MAX), I(INT64_MAX)}), "");
  EXPECT_EQ(Err("substring", {S("aaa"), I(-1), I(-1)}), "eval_builtin_error: substring: negative offset");
  EXPECT_EQ(Err("substring", {S("aaa"), J("1.5"), I(1)}),
            "eval_type_error: substring: operand 2 must be integer number but got floating-point number");
  EXPECT_EQ(Err("substring", {S("aaa"), I(1), S("1")}),
            "eval_type_error: substring: operand 3 must be number but got string");
}

TEST_F(StringsTest, Trim) {
  EXPECT_EQ(Str("trim", {S("foo.bar..."), S(".")}), "foo.bar");
  EXPECT_EQ(Str("trim", {S("...foo.bar"), S(".")}), "foo.bar");
  EXPECT_EQ(Str("trim", {S("...foo.bar..."), S(".o")}), "foo.bar");
  EXPECT_EQ(Str("trim", {S(""), S(".")}), "");
  EXPECT_EQ(Str("trim", {S("¡¡¡foo, bar!!!"), S("!¡")}), "foo, bar");
  EXPECT_EQ(Str("trim", {S("¡¡¡foo, bar!!!"), S("i")}), "¡¡¡foo, bar!!!");
  EXPECT_EQ(Str("trim_left", {S("¡¡¡foo, bar!!!"), S("!¡")}), "foo, bar!!!");
  EXPECT_EQ(Str("trim_left", {S("!!!foo, bar¡¡¡"), S("¡")}), "!!!foo, bar¡¡¡");
  EXPECT_EQ(Str("trim_right", {S("¡¡¡foo, bar!!!"), S("!¡")}), "¡¡¡foo, bar");
  EXPECT_EQ(Str("trim_right", {S("!!!foo, bar¡¡¡"), S("!")}), "!!!foo, bar¡¡¡");
  EXPECT_EQ(Str("trim_prefix", {S("¡¡¡foo"), S("¡¡")}), "¡foo");
  EXPECT_EQ(Str("trim_prefix", {S("foo"), S("x")}), "foo");
  EXPECT_EQ(Str("trim_suffix", {S("¡¡¡foo, bar!!!"), S(", bar!!!")}), "¡¡¡foo");
  EXPECT_EQ(Str("trim_suffix", {S("¡¡¡foo, bar!!!"), S(", foo!!!")}), "¡¡¡foo, bar!!!");
  EXPECT_EQ(Str("trim_space", {S(" \t\n foo, bar \n\t\r\n")}), "foo, bar");
  EXPECT_EQ(Str("trim_space", {S("\u00A0\u3000foo\u2003\u0085")}), "foo");
  EXPECT_EQ(Str("trim_space", {S("foo, bar")}), "foo, bar");
  EXPECT_EQ(Err("trim", {S("a"), I(1)}), "eval_type_error: trim: operand 2 must be string but got number");
  EXPECT_EQ(Err("trim_space", {I(1)}),
            "eval_type_error: trim_space: operand 1 must be string but got number");
}

TEST_F(StringsTest, RenderTemplate) {
  auto render = [&](std::string_view tmpl, std::string_view vars) {
    return Str("strings.render_template", {S(tmpl), J(vars)});
  };
  EXPECT_EQ(render("{{.test}}", R"({"test": "hello world"})"), "hello world");
  EXPECT_EQ(render("{{.test}}", R"({"test": 2023})"), "2023");
  EXPECT_EQ(render("{{range $i, $name := .hellonames}}{{if $i}},{{end}}hello {{$name}}{{end}}",
                   R"({"hellonames": ["rohan", "john doe"]})"),
            "hello rohan,hello john doe");
  EXPECT_EQ(render("{{.testvarnotprovided}}", R"({"test": "hello world"})"), "<undefined>");
  EXPECT_EQ(render("test {{.foo}} {{.bar}} {{.baz}}", R"({"baz": 1})"), "test <undefined> <undefined> 1");
  EXPECT_EQ(
      render(
          "{{.a.b}} {{.n}} {{.x}} {{.arr}} {{.obj}}",
          R"({"a": {"b": true}, "n": null, "x": 1.5, "arr": [1, "a", null], "obj": {"k": [2], "a": "b"}})"),
      "true <undefined> 1.5 [1 a <nil>] map[a:b k:[2]]");
  EXPECT_EQ(render("{{- if .a -}}  yes  {{- else -}} no {{- end }}!", R"({"a": ""})"), "no!");
  EXPECT_EQ(render("{{if .a}}A{{else if .b}}B{{else}}C{{end}}", R"({"a": false, "b": 1})"), "B");
  EXPECT_EQ(render("{{with .a}}{{.b}}{{else}}none{{end}}", R"({"a": {"b": "in"}})"), "in");
  EXPECT_EQ(render("{{range .m}}{{.}},{{else}}empty{{end}}", R"({"m": {"b": 2, "a": 1}})"), "1,2,");
  EXPECT_EQ(render("{{range .m}}{{.}}{{else}}empty{{end}}", R"({"m": []})"), "empty");
  EXPECT_EQ(render("{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}", R"({"m": {"b": 2, "a": 1}})"), "a=1;b=2;");
  EXPECT_EQ(
      render("{{range .l}}{{if eq . \"3\"}}{{break}}{{end}}{{if eq . \"1\"}}{{continue}}{{end}}{{.}}{{end}}",
             R"({"l": ["0", "1", "2", "3", "4"]})"),
      "02");
  EXPECT_EQ(render("{{$x := .a}}{{$x}}{{$x = \"z\"}}{{$x}}", R"({"a": "y"})"), "yz");
  EXPECT_EQ(render("{{len .l}} {{index .l 1}} {{index .m \"k\"}} {{len .s}}",
                   R"({"l": [5, 6], "m": {"k": "v"}, "s": "héllo"})"),
            "2 6 v 6");
  EXPECT_EQ(render("{{printf \"%s-%d-%v\" .a 3 .n}} {{print 1 2 \"x\" 3}} {{.a | printf \"%q\"}}",
                   R"({"a": "b", "n": 7})"),
            "b-3-7 1 2x3 \"b\"");
  EXPECT_EQ(render("{{not .f}} {{and .t .f}} {{or .f \"d\"}} {{eq .s \"x\" \"y\"}} {{ne 1 2}} {{lt 1 2}} "
                   "{{ge \"b\" \"a\"}}",
                   R"({"t": true, "f": false, "s": "y"})"),
            "true false d true true true true");
  EXPECT_EQ(render("{{html .h}} {{urlquery .h}} {{js .h}}", R"({"h": "<a href='x'>&</a>"})"),
            "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt; %3Ca+href%3D%27x%27%3E%26%3C%2Fa%3E "
            "\\u003Ca href\\u003D\\'x\\'\\u003E\\u0026\\u003C/a\\u003E");
  EXPECT_EQ(render("{{/* a comment */}}x{{- /* trimmed */ -}} y", "{}"), "xy");
  EXPECT_EQ(render("{{range 3}}{{.}}{{end}} {{(index .l 0).k}} {{\"}}\"}} {{`raw`}} {{'a'}} {{0x10}} {{1e2}}",
                   R"({"l": [{"k": "v"}]})"),
            "012 v }} raw 97 16 100");
}

TEST_F(StringsTest, RenderTemplateErrors) {
  auto err = [&](std::string_view tmpl, std::string_view vars) {
    return Err("strings.render_template", {S(tmpl), J(vars)});
  };
  EXPECT_EQ(err("{{.a", "{}"),
            "eval_builtin_error: strings.render_template: template: template:1: unclosed action");
  EXPECT_EQ(err("{{if .a}}", "{}"),
            "eval_builtin_error: strings.render_template: template: template:1: unexpected EOF");
  EXPECT_EQ(err("{{end}}", "{}"),
            "eval_builtin_error: strings.render_template: template: template:1: unexpected {{end}}");
  EXPECT_EQ(
      err("{{foo 1}}", "{}"),
      "eval_builtin_error: strings.render_template: template: template:1: function \"foo\" not defined");
  EXPECT_EQ(err("{{$x}}", "{}"),
            "eval_builtin_error: strings.render_template: template: template:1: undefined variable \"$x\"");
  EXPECT_EQ(
      err("{{template \"x\"}}", "{}"),
      "eval_builtin_error: strings.render_template: template: template:1: {{template}} is not supported by "
      "strings.render_template");
  EXPECT_EQ(err("\n{{.a.b}}", R"({"a": "s"})"),
            "eval_builtin_error: strings.render_template: template: template:2:3: executing \"template\" at "
            "<.a.b>: "
            "can't evaluate field b in type string");
  EXPECT_EQ(
      err("{{eq .n 1}}", R"({"n": 1})"),
      "eval_builtin_error: strings.render_template: template: template:1:3: executing \"template\" at <eq .n "
      "1>: error calling eq: incompatible types for comparison");
  EXPECT_EQ(
      err("{{range .s}}{{end}}", R"({"s": "abc"})"),
      "eval_builtin_error: strings.render_template: template: template:1:9: executing \"template\" at <.s>: "
      "range can't iterate over abc");
  EXPECT_EQ(Err("strings.render_template", {I(1), J("{}")}),
            "eval_type_error: strings.render_template: operand 1 must be string but got number");
  EXPECT_EQ(Err("strings.render_template", {S("x"), J("[]")}),
            "eval_type_error: strings.render_template: operand 2 must be object but got array");
  // Nested empty ranges stop instead of spinning.
  ValueVector big(1000, I(1));
  auto r = Call("strings.render_template", {S("{{range .l}}{{range $.l}}{{range $.l}}{{end}}{{end}}{{end}}"),
                                            Value::Object({{S("l"), Value::Array(big)}})});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("too many steps"), std::string::npos);
}

TEST_F(StringsTest, TemplateString) {
  auto ts = [&](Value parts) { return Str("internal.template_string", {std::move(parts)}); };
  EXPECT_EQ(ts(J("[]")), "");
  EXPECT_EQ(ts(J(R"([""])")), "");
  EXPECT_EQ(ts(Value::Array({Value::EmptySet()})), "<undefined>");
  EXPECT_EQ(ts(Value::Array({S("a "), Value::Set({I(42)}), S(" "), Value::Set({J("13.37")}), S(" "),
                             Value::Set({J("true")}), S(" "), Value::Set({S("foo")}), S(" "),
                             Value::Set({J("null")})})),
            "a 42 13.37 true foo null");
  EXPECT_EQ(ts(Value::Array({Value::Set({J(R"([42, 13.37, true, "foo", null])")}), S(","),
                             Value::Set({Value::EmptySet()}), S(","), Value::Set({Value::Set({I(42)})}),
                             S(","), Value::Set({J("{}")}), S(","), Value::Set({J(R"({"a": "b"})")})})),
            R"([42, 13.37, true, "foo", null],set(),{42},{},{"a": "b"})");
  EXPECT_EQ(ts(J(R"([1, true, null, "x"])")), "1truenullx");
  EXPECT_EQ(Err("internal.template_string", {Value::Array({Value::Set({I(1), I(2)})})}),
            "eval_conflict_error: template-strings must not produce multiple outputs");
  EXPECT_EQ(Err("internal.template_string", {J("[[1]]")}),
            "eval_internal_error: illegal argument type: array");
  EXPECT_EQ(Err("internal.template_string", {J("{}")}),
            "eval_type_error: internal.template_string: operand 1 must be array but got object");
}

}  // namespace
}  // namespace custody::rego
