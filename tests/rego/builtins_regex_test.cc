// The "regex" built-in group: Go regexp behaviour over RE2, OPA's error texts,
// and regex.globs_match's glob intersection.
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

class RegexTest : public ::testing::Test {
 protected:
  RegexTest() { RegisterRegex(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    if (b == nullptr) return Error::Internal("no built-in " + std::string(name));
    EXPECT_EQ(static_cast<size_t>(b->arity), args.size()) << name;
    return b->fn(args, ctx_);
  }
  std::string Json(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    if (!r.ok()) return "ERROR: " + r.error().message();
    if (r->is_undefined()) return "undefined";
    return r->ToJson();
  }
  std::string Err(std::string_view name, std::vector<Value> args) {
    auto r = Call(name, std::move(args));
    return r.ok() ? "no error: " + (r->is_defined() ? r->ToJson() : "undefined") : r.error().message();
  }
  std::string Replace(std::string_view s, std::string_view pattern, std::string_view repl) {
    auto r = Call("regex.replace", {S(s), S(pattern), S(repl)});
    if (!r.ok()) return "ERROR: " + r.error().message();
    return r->as_string();
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(RegexTest, RegistersEveryBuiltinWithItsArity) {
  const std::vector<std::pair<std::string, int>> expected = {
      {"regex.match", 2},       {"re_match", 2},
      {"regex.is_valid", 1},    {"regex.split", 2},
      {"regex.find_n", 3},      {"regex.find_all_string_submatch_n", 3},
      {"regex.replace", 3},     {"regex.template_match", 4},
      {"regex.globs_match", 2},
  };
  for (const auto& [name, arity] : expected) {
    const Builtin* b = table_.Find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->arity, arity) << name;
  }
  EXPECT_EQ(table_.all().size(), expected.size());
}

TEST_F(RegexTest, Match) {
  EXPECT_EQ(Json("regex.match", {S(R"(^[a-z]+\[[0-9]+\]$)"), S("foo[1]")}), "true");
  EXPECT_EQ(Json("regex.match", {S(R"(^[a-z]+\[[0-9]+\]$)"), S(R"(foo["bar"])")}), "false");
  EXPECT_EQ(Json("regex.match", {S("^$"), S("")}), "true");
  EXPECT_EQ(Json("regex.match", {S(""), S("")}), "true");
  EXPECT_EQ(Json("regex.match", {S(""), S("x")}), "true");
  EXPECT_EQ(Json("regex.match", {S("^$"), S("something")}), "false");
  EXPECT_EQ(Json("re_match", {S("^b.*$"), S("bar")}), "true");
  EXPECT_EQ(Json("regex.match", {S("(?i)^ÅB$"), S("åb")}), "true");
  EXPECT_EQ(Json("regex.match", {S(R"(^\p{Greek}+$)"), S("αβ")}), "true");
  EXPECT_EQ(Json("regex.match", {S("a.c"), S("a\nc")}), "false");  // '.' stops at newlines, as in Go
  EXPECT_EQ(Err("regex.match", {S("$^[[["), S("something")}),
            "eval_builtin_error: regex.match: error parsing regexp: missing closing ]: `[[[`");
  EXPECT_EQ(Err("re_match", {S("]["), S("x")}),
            "eval_builtin_error: re_match: error parsing regexp: missing closing ]: `[`");
  EXPECT_EQ(Err("regex.match", {I(1), S("x")}),
            "eval_type_error: regex.match: operand 1 must be string but got number");
  EXPECT_EQ(Err("regex.match", {S("x"), J("[]")}),
            "eval_type_error: regex.match: operand 2 must be string but got array");
}

TEST_F(RegexTest, ErrorsAreWordedAsGo) {
  auto err = [&](std::string_view pattern) { return Err("regex.match", {S(pattern), S("x")}); };
  const std::string p = "eval_builtin_error: regex.match: error parsing regexp: ";
  EXPECT_EQ(err("a**"), p + "invalid nested repetition operator: `**`");
  EXPECT_EQ(err("(abc"), p + "missing closing ): `(abc`");
  EXPECT_EQ(err("abc)"), p + "unexpected ): `abc)`");
  EXPECT_EQ(err("x{1001}"), p + "invalid repeat count: `{1001}`");
  EXPECT_EQ(err(R"(\q)"), p + "invalid escape sequence: `\\q`");
  EXPECT_EQ(err("[z-a]"), p + "invalid character class range: `z-a`");
  EXPECT_EQ(err("*"), p + "missing argument to repetition operator: `*`");
  EXPECT_EQ(err("++"), p + "missing argument to repetition operator: `+`");
  EXPECT_EQ(err(R"(a\)"), p + "trailing backslash at end of expression: ``");
  EXPECT_EQ(err("(?P<>a)"), p + "invalid named capture: `(?P<>`");
  // Go refuses \C (any byte), which RE2 would accept.
  EXPECT_EQ(err(R"(a\C)"), p + "invalid escape sequence: `\\C`");
  std::string huge(64 * 1024 + 1, 'a');
  EXPECT_EQ(
      err(huge),
      "eval_builtin_error: regex.match: regular expression is 65537 bytes long, more than the 65536 allowed");
}

TEST_F(RegexTest, GoOnlySyntax) {
  EXPECT_EQ(Json("regex.find_all_string_submatch_n", {S("(?<y>a)(b)"), S("ab"), I(-1)}),
            R"([["ab","a","b"]])");
  EXPECT_EQ(Replace("ab", "(?<first>a)", "${first}!"), "a!b");
  EXPECT_EQ(Json("regex.match", {S("[(?<]x"), S("<x")}), "true");  // inside a class it stays literal
  EXPECT_EQ(Json("regex.match", {S(R"(\Q(?<\E)"), S("(?<")}), "true");
}

TEST_F(RegexTest, IsValid) {
  EXPECT_EQ(Json("regex.is_valid", {I(10)}), "false");
  EXPECT_EQ(Json("regex.is_valid", {S("++")}), "false");
  EXPECT_EQ(Json("regex.is_valid", {S(".+")}), "true");
  EXPECT_EQ(Json("regex.is_valid", {S("")}), "true");
}

TEST_F(RegexTest, CompiledExpressionsAreCachedPerEvaluation) {
  EXPECT_EQ(Json("regex.match", {S("a+"), S("aaa")}), "true");
  EXPECT_EQ(Json("regex.find_n", {S("a+"), S("aba"), I(-1)}), R"(["a","a"])");
  EXPECT_EQ(ctx_.cache.count("re:a+"), 1u);
  EXPECT_EQ(ctx_.cache.size(), 1u);
  // Bad patterns are remembered as bad.
  EXPECT_EQ(Json("regex.is_valid", {S("(")}), "false");
  EXPECT_EQ(ctx_.cache.count("re:("), 1u);
}

TEST_F(RegexTest, Split) {
  EXPECT_EQ(Json("regex.split", {S(R"(^[a-z]+\[[0-9]+\]$)"), S("")}), R"([""])");
  EXPECT_EQ(Json("regex.split", {S("^[a-z]+"), S("foobar baz")}), R"([""," baz"])");
  EXPECT_EQ(Json("regex.split", {S("[a-z]+$"), S("foobar baz")}), R"(["foobar ",""])");
  EXPECT_EQ(Json("regex.split", {S("^[a-z]+$"), S("foobar baz")}), R"(["foobar baz"])");
  EXPECT_EQ(Json("regex.split", {S("^[a-z ]+$"), S("foobar baz")}), R"(["",""])");
  EXPECT_EQ(Json("regex.split", {S("a"), S("banana")}), R"(["b","n","n",""])");
  EXPECT_EQ(Json("regex.split", {S("z+"), S("pizza")}), R"(["pi","a"])");
  EXPECT_EQ(Json("regex.split", {S(""), S("abc")}), R"(["a","b","c"])");
  EXPECT_EQ(Json("regex.split", {S(""), S("")}), "[]");
  EXPECT_EQ(Json("regex.split", {S("x*"), S("axbc")}), R"(["a","b","c"])");
  EXPECT_EQ(Err("regex.split", {S("("), S("a")}),
            "eval_builtin_error: regex.split: error parsing regexp: missing closing ): `(`");
}

TEST_F(RegexTest, FindN) {
  EXPECT_EQ(Json("regex.find_n", {S("a."), S("paranormal"), I(-1)}), R"(["ar","an","al"])");
  EXPECT_EQ(Json("regex.find_n", {S("a."), S("paranormal"), I(2)}), R"(["ar","an"])");
  EXPECT_EQ(Json("regex.find_n", {S("bork"), S("paranormal"), I(-1)}), "[]");
  EXPECT_EQ(Json("regex.find_n", {S("a."), S("paranormal"), I(0)}), "[]");
  // Empty matches: none right after a match, steps by code point.
  EXPECT_EQ(Json("regex.find_n", {S("a*"), S("baaåc"), I(-1)}), R"(["","aa","",""])");
  EXPECT_EQ(Err("regex.find_n", {S("a"), S("a"), J("1.5")}),
            "eval_type_error: regex.find_n: operand 3 must be integer number but got floating-point number");
  EXPECT_EQ(Err("regex.find_n", {S("a"), S("a"), S("1")}),
            "eval_type_error: regex.find_n: operand 3 must be number but got string");
}

TEST_F(RegexTest, FindAllStringSubmatch) {
  auto find = [&](std::string_view p, std::string_view s, int64_t n) {
    return Json("regex.find_all_string_submatch_n", {S(p), S(s), I(n)});
  };
  EXPECT_EQ(find("a(x*)b", "-", -1), "[]");
  EXPECT_EQ(find("a(x*)b", "-ab-", -1), R"([["ab",""]])");
  EXPECT_EQ(find("a(x*)b", "-axxb-", -1), R"([["axxb","xx"]])");
  EXPECT_EQ(find("a(x*)b", "-ab-axb-", -1), R"([["ab",""],["axb","x"]])");
  EXPECT_EQ(find("[^aouiye]([aouiye])([^aouiye])?", "somestri", -1), R"([["som","o","m"],["ri","i",""]])");
  EXPECT_EQ(find("[^aouiye]([aouiye])([^aouiye])?", "somestri", 1), R"([["som","o","m"]])");
  std::string long_input(62, 'a');
  long_input += "bc";
  EXPECT_EQ(find("^.*$", long_input, -1), "[[\"" + long_input + "\"]]");
}

TEST_F(RegexTest, Replace) {
  EXPECT_EQ(Replace("-wy-wxxy-", "w(x*)y", "0"), "-0-0-");
  EXPECT_EQ(Replace("foo", "(foo)", "$1$1"), "foofoo");
  EXPECT_EQ(Replace("foo", "^[a-z]", "F"), "Foo");
  EXPECT_EQ(Replace("foo", "^[a-z]$", "F"), "foo");
  EXPECT_EQ(Replace("foo", "^[a-z]+$", "M"), "M");
  EXPECT_EQ(Replace("foo", "[a-z]$", "F"), "foF");
  EXPECT_EQ(Replace("foo", "x[a-z]$", "F"), "foo");
  EXPECT_EQ(Replace("foo bar", "[a-z]", "_"), "___ ___");
  EXPECT_EQ(Replace("foo barx", "[a-z]{3}", "_"), "_ _x");
  EXPECT_EQ(Replace("foo barx", "[a-z]{2}", "_"), "_o __");
  EXPECT_EQ(Replace("abc", "x*", "-"), "-a-b-c-");
  EXPECT_EQ(Replace("åb", "x*", "-"), "-å-b-");
  EXPECT_EQ(Replace("ab", "(?P<n>a)", "[${n}|$n|$$|$2|$|${x]"), "[a|a|$||$|${x]b");
  EXPECT_EQ(Replace("ab", "(a)", "$1x"), "b");  // $1x names group "1x"
  EXPECT_EQ(Replace("ab", "(a)", "${1}x"), "axb");
  EXPECT_EQ(Replace("ab", "(a)", "$01"), "b");  // leading zero: a name, not a number
  EXPECT_EQ(Err("regex.replace", {S("foo"), S("["), S("$1")}),
            "eval_builtin_error: regex.replace: error parsing regexp: missing closing ]: `[`");
  EXPECT_EQ(Err("regex.replace", {S("foo"), S("o"), I(1)}),
            "eval_type_error: regex.replace: operand 3 must be string but got number");
}

TEST_F(RegexTest, TemplateMatch) {
  auto tm = [&](std::string_view t, std::string_view v, std::string_view s, std::string_view e) {
    return Json("regex.template_match", {S(t), S(v), S(s), S(e)});
  };
  EXPECT_EQ(tm("urn:foo:{.*}", "urn:foo:bar:baz", "{", "}"), "true");
  EXPECT_EQ(tm("urn:foo:<.*>", "urn:foo:bar:baz", "<", ">"), "true");
  EXPECT_EQ(tm("urn:foo.<[0-9]{2}>:x", "urn:foo.12:x", "<", ">"), "true");
  EXPECT_EQ(tm("urn:foo.<[0-9]{2}>:x", "urn:fooX12:x", "<", ">"), "false");  // literal text is quoted
  EXPECT_EQ(tm("a{b{c}d}e", "abcde", "{", "}"), "false");
  EXPECT_EQ(tm("plain", "plain", "{", "}"), "true");
  EXPECT_EQ(Err("regex.template_match", {S("urn:{.*"), S("x"), S("{"), S("}")}),
            R"(eval_builtin_error: regex.template_match: unbalanced braces in "urn:{.*")");
  EXPECT_EQ(Err("regex.template_match", {S("urn:.*}"), S("x"), S("{"), S("}")}),
            R"(eval_builtin_error: regex.template_match: unbalanced braces in "urn:.*}")");
  EXPECT_EQ(Err("regex.template_match", {S("a"), S("x"), S("{{"), S("}")}),
            "eval_builtin_error: regex.template_match: start delimiter has to be exactly one character long "
            "but is 2 "
            "long");
  EXPECT_EQ(
      Err("regex.template_match", {S("a"), S("x"), S("{"), S("")}),
      "eval_builtin_error: regex.template_match: end delimiter has to be exactly one character long but is 1 "
      "long");
  EXPECT_EQ(Err("regex.template_match", {S("a{(}"), S("x"), S("{"), S("}")}),
            "eval_builtin_error: regex.template_match: error parsing regexp: missing closing ): `^($`");
  EXPECT_EQ(Err("regex.template_match", {S("a"), S("x"), I(1), S("}")}),
            "eval_type_error: regex.template_match: operand 3 must be string but got number");
}

TEST_F(RegexTest, GlobsMatch) {
  auto gm = [&](std::string_view a, std::string_view b) { return Json("regex.globs_match", {S(a), S(b)}); };
  EXPECT_EQ(gm("a.a.[0-9]+z", ".b.b2359825792*594823z"), "true");
  EXPECT_EQ(gm("[a-z]+", "[0-9]*"), "false");
  EXPECT_EQ(gm("b.*", "bar"), "true");
  EXPECT_EQ(gm("b.*", "baz"), "true");
  EXPECT_EQ(gm(R"([a-z]+\[[0-9]+\])", R"(foo\[1\])"), "true");
  EXPECT_EQ(gm(R"([a-z]+\[[0-9]+\])", R"(foo["bar"])"), "false");
  EXPECT_EQ(gm("a.a.", ".b.b"), "true");
  EXPECT_EQ(gm("[ab]+c", "[bc]+"), "true");
  EXPECT_EQ(gm("abc", "abd"), "false");
  EXPECT_EQ(gm("a*", "aaaa"), "true");
  EXPECT_EQ(gm("a*b*c", "aaabbbc"), "true");
  EXPECT_EQ(gm("a*b*c", "aaabbbd"), "false");
  EXPECT_EQ(
      Err("regex.globs_match", {S("pqrs]"), S("[a-b]+")}),
      "eval_builtin_error: regex.globs_match: input:pqrs], pos:5, set-close ']' with no preceding '[': the "
      "input provided is invalid");
  EXPECT_EQ(
      Err("regex.globs_match", {S("a"), S("*a")}),
      "eval_builtin_error: regex.globs_match: input:*a, pos:1, flag '*' must be preceded by a non-flag: the "
      "input provided is invalid");
  EXPECT_EQ(Err("regex.globs_match", {S("[ab"), S("a")}),
            "eval_builtin_error: regex.globs_match: input:[ab, pos:3, found [ without matching ]: the input "
            "provided "
            "is invalid");
  EXPECT_EQ(Err("regex.globs_match", {S("[z-a]"), S("a")}),
            "eval_builtin_error: regex.globs_match: input:[z-a], pos:4, range is out of order: 'a' comes "
            "before 'z' "
            "in Unicode: the input provided is invalid");
  EXPECT_EQ(
      Err("regex.globs_match", {S("a\\"), S("a")}),
      "eval_builtin_error: regex.globs_match: input:a\\, pos:1, input ends with a \\ (escape) character: the "
      "input provided is invalid");
  EXPECT_EQ(Err("regex.globs_match", {S("a"), I(1)}),
            "eval_type_error: regex.globs_match: operand 2 must be string but got number");
  // Long patterns with many stars stay fast (the search is memoized).
  std::string many;
  for (int i = 0; i < 200; ++i) many += "a*";
  EXPECT_EQ(gm(many + "b", std::string(200, 'a') + "c"), "false");
}

}  // namespace
}  // namespace custody::rego
