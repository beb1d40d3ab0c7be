// Tests for semver.is_valid and semver.compare: OPA's conformance cases
// (folders semverisvalid, semvercompare), SemVer 2.0.0 precedence, and the
// leniencies of OPA's own version reader.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class SemverTest : public ::testing::Test {
 protected:
  SemverTest() { RegisterSemver(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx_);
  }

  std::string Text(const Result<Value>& r) { return r.ok() ? r->ToJson() : "error: " + r.error().message(); }
  std::string Valid(std::string_view v) { return Text(Call("semver.is_valid", {Value::String(v)})); }
  std::string Cmp(std::string_view a, std::string_view b) {
    return Text(Call("semver.compare", {Value::String(a), Value::String(b)}));
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(SemverTest, Conformance) {
  EXPECT_EQ(Cmp("1.0.0", "2.0.0"), "-1");
  EXPECT_EQ(Cmp("2.0.0", "1.0.0"), "1");
  EXPECT_EQ(Cmp("1.0.0", "1.0.0"), "0");
  EXPECT_EQ(Cmp("1.0.0", "1"),
            "error: eval_builtin_error: semver.compare: operand 2: string \"1\" is not a valid SemVer");
  EXPECT_EQ(Valid("1.0.0"), "true");
  EXPECT_EQ(Valid("1"), "false");
  EXPECT_EQ(Text(Call("semver.is_valid", {Value::Int(1)})), "false");
}

TEST_F(SemverTest, Validity) {
  for (const char* v : {"0.0.0", "1.2.3", "10.20.30", "1.2.3-alpha", "1.2.3-alpha.1", "1.2.3-0.3.7",
                        "1.2.3-x.7.z.92", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85",
                        "1.2.3----RC-SNAPSHOT.12.9.1--.12+788", "1.2.3-alpha-1",
                        // OPA's reader also takes these:
                        "v1.2.3", "01.2.3", "1.2.3-", "1.2.3+", "1.2.3-01", "9223372036854775807.0.0"})
    EXPECT_EQ(Valid(v), "true") << v;
  for (const char* v : {"",
                        "1",
                        "1.2",
                        "1.2.3.4",
                        "1.2.x",
                        "a.b.c",
                        "1..3",
                        ".1.2",
                        "1.2.3-alpha..1",
                        "1.2.3+meta..data",
                        "1.2.3-alpha_1",
                        "-1.2.3",
                        "+1.2.3",
                        "1.2.-3",
                        " 1.2.3",
                        "1.2.3 ",
                        "vv1.2.3",
                        "V1.2.3",
                        "9223372036854775808.0.0",
                        "1.2.3-\xc3\xa9"})
    EXPECT_EQ(Valid(v), "false") << v;
}

TEST_F(SemverTest, Precedence) {
  // SemVer 2.0.0 section 11's example chain, each lower than the next.
  const char* chain[] = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta",
                         "1.0.0-beta",  "1.0.0-beta.2",  "1.0.0-beta.11",
                         "1.0.0-rc.1",  "1.0.0",         "2.0.0",
                         "2.1.0",       "2.1.1"};
  for (size_t i = 0; i + 1 < std::size(chain); ++i) {
    EXPECT_EQ(Cmp(chain[i], chain[i + 1]), "-1") << chain[i] << " < " << chain[i + 1];
    EXPECT_EQ(Cmp(chain[i + 1], chain[i]), "1") << chain[i + 1] << " > " << chain[i];
  }
  // Build metadata does not count; the "v" prefix and leading zeros neither.
  EXPECT_EQ(Cmp("1.0.0+build.1", "1.0.0+build.2"), "0");
  EXPECT_EQ(Cmp("v1.0.0", "1.0.0"), "0");
  EXPECT_EQ(Cmp("01.002.0003", "1.2.3"), "0");
  EXPECT_EQ(Cmp("1.2.3-", "1.2.3"), "0");
  // Numbers compare as numbers, not text.
  EXPECT_EQ(Cmp("1.10.0", "1.9.0"), "1");
  EXPECT_EQ(Cmp("1.0.0-2", "1.0.0-10"), "-1");
  // Identifiers compare byte-wise (upper case first).
  EXPECT_EQ(Cmp("1.0.0-Beta", "1.0.0-alpha"), "-1");
  // Huge numeric identifiers saturate, as strconv.Atoi does in OPA.
  EXPECT_EQ(Cmp("1.0.0-99999999999999999999", "1.0.0-99999999999999999998"), "0");
}

TEST_F(SemverTest, Errors) {
  EXPECT_EQ(Cmp("x", "1.0.0"),
            "error: eval_builtin_error: semver.compare: operand 1: string \"x\" is not a valid SemVer");
  // Both invalid: the first one is reported.
  EXPECT_EQ(Cmp("x", "y"),
            "error: eval_builtin_error: semver.compare: operand 1: string \"x\" is not a valid SemVer");
  // The operand is quoted the way Go's strconv.Quote does it.
  EXPECT_EQ(
      Cmp("1.0.0", "a\"b\\c\n\xc3\xa9\xff\xc2\xa0"),
      "error: eval_builtin_error: semver.compare: operand 2: string \"a\\\"b\\\\c\\n\xc3\xa9\\xff\\u00a0\" "
      "is not a valid SemVer");
  EXPECT_EQ(Text(Call("semver.compare", {Value::Int(1), Value::String("1.0.0")})),
            "error: eval_type_error: semver.compare: operand 1 must be string but got number");
  EXPECT_EQ(Text(Call("semver.compare", {Value::String("1.0.0"), Value::Null()})),
            "error: eval_type_error: semver.compare: operand 2 must be string but got null");
}

}  // namespace
}  // namespace custody::rego
