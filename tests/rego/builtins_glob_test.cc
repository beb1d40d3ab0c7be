// The "glob" built-in group: gobwas/glob syntax, delimiters and errors as OPA
// gives them.
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

class GlobTest : public ::testing::Test {
 protected:
  GlobTest() { RegisterGlob(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    if (b == nullptr) return Error::Internal("no built-in " + std::string(name));
    EXPECT_EQ(static_cast<size_t>(b->arity), args.size()) << name;
    return b->fn(args, ctx_);
  }
  // glob.match with the delimiters as JSON: "true", "false" or the error.
  std::string M(std::string_view pattern, std::string_view delimiters, std::string_view text) {
    auto r = Call("glob.match", {S(pattern), J(delimiters), S(text)});
    if (!r.ok()) return r.error().message();
    return r->ToJson();
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(GlobTest, Registers) {
  ASSERT_NE(table_.Find("glob.match"), nullptr);
  EXPECT_EQ(table_.Find("glob.match")->arity, 3);
  ASSERT_NE(table_.Find("glob.quote_meta"), nullptr);
  EXPECT_EQ(table_.Find("glob.quote_meta")->arity, 1);
  EXPECT_EQ(table_.all().size(), 2u);
}

TEST_F(GlobTest, Conformance) {
  EXPECT_EQ(M("*.github.com", R"(["."])", "api.github.com"), "true");
  EXPECT_EQ(M("api.**.com", R"(["."])", "api.github.com"), "true");
  EXPECT_EQ(M("*:github:com", R"([":"])", "api:github:com"), "true");
  EXPECT_EQ(M("*.github.com", R"(["."])", "api.not-github.com"), "false");
  EXPECT_EQ(M("*.github.com", R"(["."])", "api.example.com"), "false");
  EXPECT_EQ(M("[abc]at", "[]", "fat"), "false");
  EXPECT_EQ(M("[!abc]at", "[]", "fat"), "true");
  EXPECT_EQ(M("[!abc]at", "[]", "cat"), "false");
  EXPECT_EQ(M("[a-c]at", "[]", "bat"), "true");
  EXPECT_EQ(M("[a-c]at", "[]", "fat"), "false");
  EXPECT_EQ(M("[!a-c]at", "[]", "fat"), "true");
  EXPECT_EQ(M("[!a-c]at", "[]", "bat"), "false");
  EXPECT_EQ(M("?at", "[]", "fat"), "true");
  EXPECT_EQ(M("?at", "[]", "at"), "false");
  EXPECT_EQ(M("?at", R"(["f"])", "bat"), "true");
  EXPECT_EQ(M("?at", R"(["f"])", "fat"), "false");
  for (const char* word : {"cat", "bat", "fat", "rat"})
    EXPECT_EQ(M("{cat,bat,[fr]at}", "[]", word), "true") << word;
  EXPECT_EQ(M("{cat,bat,[fr]at}", "[]", "at"), "false");
  EXPECT_EQ(M("*", R"(["."])", "foo"), "true");
  EXPECT_EQ(M("*", "[]", "foo"), "true");
  EXPECT_EQ(M("*", R"(["."])", "foo.bar"), "false");
  EXPECT_EQ(M("*", "[]", "foo.bar"), "false");   // [] means the default, "."
  EXPECT_EQ(M("*", "null", "foo.bar"), "true");  // null means no delimiters
  EXPECT_EQ(M("foo*", "null", "foo.bar"), "true");
}

TEST_F(GlobTest, Syntax) {
  EXPECT_EQ(M("**", R"(["."])", "a.b.c"), "true");
  EXPECT_EQ(M("a.*.c", R"(["."])", "a..c"), "true");
  EXPECT_EQ(M("a.?.c", R"(["."])", "a...c"), "false");
  EXPECT_EQ(M("*/*", R"(["/", "."])", "a/b"), "true");
  EXPECT_EQ(M("*/*", R"(["/", "."])", "a/b.c"), "false");
  EXPECT_EQ(M("[!x]", R"(["."])", "."), "true");  // lists ignore delimiters
  EXPECT_EQ(M("{a,b{c,d}}e", "null", "bde"), "true");
  EXPECT_EQ(M("{a,b{c,d}}e", "null", "be"), "false");
  EXPECT_EQ(M("{a,}x", "null", "x"), "true");
  EXPECT_EQ(M("{a", "null", "a"), "true");         // an unclosed brace closes at the end
  EXPECT_EQ(M("a}b,c", "null", "a}b,c"), "true");  // '}' and ',' are text outside braces
  EXPECT_EQ(M(R"(\*\?\[\{x)", "null", "*?[{x"), "true");
  EXPECT_EQ(M(R"(a\)", "null", "a"), "true");  // a trailing '\' is dropped
  // A NUL is dropped inside text and ends the pattern anywhere else, as in gobwas.
  EXPECT_EQ(M(std::string_view("a\0b", 3), "null", "ab"), "true");
  EXPECT_EQ(M(std::string_view("*\0b", 3), "null", "xyz"), "true");
  EXPECT_EQ(M(R"([\]])", "null", "]"), "true");
  EXPECT_EQ(M("[!-]]", "null", "a]"), "true");  // not '-', then ']'
  EXPECT_EQ(M("é?", R"(["é"])", "éa"), "true");
  EXPECT_EQ(M("?", R"(["é"])", "é"), "false");
  EXPECT_EQ(M("a.b", "null", "a\nb"), "false");
  EXPECT_EQ(M("a?b", "null", "a\nb"), "true");
  EXPECT_EQ(M("(a)+|^$", "null", "(a)+|^$"), "true");  // regex characters are plain text
  EXPECT_EQ(M("", "null", ""), "true");
  EXPECT_EQ(M("", "null", "a"), "false");
}

TEST_F(GlobTest, Errors) {
  const std::string p = "eval_builtin_error: glob.match: ";
  EXPECT_EQ(M("[", "[]", "x"), p + "unexpected end of input");
  EXPECT_EQ(M("[a", "[]", "x"), p + "unexpected end of input");
  EXPECT_EQ(M("[]", "[]", "x"), p + "could not parse range");
  EXPECT_EQ(M("[!]", "[]", "x"), p + "could not parse range");
  EXPECT_EQ(M("[z-a]", "[]", "x"), p + "hi character 'a' should be greater than lo 'z'");
  EXPECT_EQ(M("[a-bc]", "[]", "x"), p + "expected close range character");
  EXPECT_EQ(M("[]-]", "[]", "x"), p + "unexpected end of input");
  EXPECT_EQ(M("[a-]]", "[]", "x"), p + "hi character ']' should be greater than lo 'a'");
  EXPECT_EQ(M("a\xEF\xBF\xBD", "[]", "x"), p + "could not read rune");
  EXPECT_EQ(M("a\xFF", "[]", "x"), p + "could not read rune");
  EXPECT_EQ(M("[\xFF", "[]", "x"), p + "unexpected end of input");
  EXPECT_EQ(M("*", "[1]", "x"),
            "eval_type_error: glob.match: operand 2 must be array of strings but got array "
            "containing number");
  EXPECT_EQ(M("*", R"(["ab"])", "x"),
            "eval_type_error: glob.match: operand 2 must be array of runes but got array "
            "containing string");
  EXPECT_EQ(M("*", R"([""])", "x"),
            "eval_type_error: glob.match: operand 2 must be array of runes but got array "
            "containing string");
  EXPECT_EQ(M("*", R"("x")", "x"),
            "eval_type_error: glob.match: operand 2 must be one of {array, null} but got string");
  auto r = Call("glob.match", {Value::Int(1), J("[]"), S("x")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "eval_type_error: glob.match: operand 1 must be string but got number");
  r = Call("glob.match", {S("*"), J("[]"), Value::Int(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "eval_type_error: glob.match: operand 3 must be string but got number");
  EXPECT_EQ(M(std::string(64 * 1024 + 1, 'a'), "[]", "x"),
            p + "pattern is 65537 bytes long, more than the 65536 allowed");
  EXPECT_EQ(M(std::string(1000, '{'), "[]", "x"), p + "pattern nested too deeply");
}

TEST_F(GlobTest, LongInputsStayLinear) {
  // A backtracking matcher would take exponential time here.
  std::string pattern;
  for (int i = 0; i < 30; ++i) pattern += "*a";
  pattern += "b";
  EXPECT_EQ(M(pattern, "null", std::string(100000, 'a')), "false");
}

TEST_F(GlobTest, CompiledPatternsAreCached) {
  EXPECT_EQ(M("*.com", R"(["."])", "a.com"), "true");
  EXPECT_EQ(M("*.com", R"(["."])", "b.com"), "true");
  EXPECT_EQ(M("*.com", "null", "a.b.com"), "true");
  EXPECT_EQ(ctx_.cache.size(), 2u);  // one per pattern and delimiter set
}

TEST_F(GlobTest, QuoteMeta) {
  auto q = [&](std::string_view s) {
    auto r = Call("glob.quote_meta", {S(s)});
    return r.ok() ? r->as_string() : r.error().message();
  };
  EXPECT_EQ(q("*.github.com"), R"(\*.github.com)");
  EXPECT_EQ(q(R"([a]{b,c}?\!-)"), R"(\[a\]\{b,c\}\?\\!-)");
  EXPECT_EQ(q(""), "");
  EXPECT_EQ(M(q("a*[b]{c}?"), "null", "a*[b]{c}?"), "true");
  auto r = Call("glob.quote_meta", {Value::Int(1)});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "eval_type_error: glob.quote_meta: operand 1 must be string but got number");
}

}  // namespace
}  // namespace custody::rego
