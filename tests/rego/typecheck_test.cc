// The compile-time type checker: OPA's built-in declarations, type
// printing and unification, and the errors it reports (or must not report).
#include <gtest/gtest.h>

#include <string>

#include "rego/builtins.h"
#include "rego/compiler.h"
#include "rego/types.h"

namespace custody::rego {
namespace {

// The compile error of a v1 module and a query, or "" when both compile.
std::string CompileErrorOf(const std::string& module, const std::string& query = "x := 1") {
  CompileOptions co;
  co.v0_fallback = false;
  auto p = Compile({{"policy.rego", module}}, Value::EmptyObject(), co);
  if (!p.ok()) return p.error().message();
  auto q = (*p)->CompileQuery(query, RegoVersion::kV1);
  return q.ok() ? "" : q.error().message();
}

TEST(RegoTypes, EveryDeclarationParses) {
  ASSERT_GT(BuiltinDeclarations().size(), 150u);
  for (const auto& [name, decl] : BuiltinDeclarations()) {
    auto f = ParseDeclaration(decl);
    EXPECT_TRUE(f.ok()) << name << ": " << (f.ok() ? "" : f.error().message());
  }
}

TEST(RegoTypes, EveryRegisteredBuiltinIsDeclaredWithItsArity) {
  for (const auto& [name, builtin] : DefaultBuiltins().all()) {
    const Type* decl = BuiltinDeclaration(name);
    ASSERT_NE(decl, nullptr) << name << " has no declaration";
    if (builtin.arity >= 0) {
      EXPECT_EQ(decl->items.size(), static_cast<size_t>(builtin.arity)) << name;
    }
  }
}

TEST(RegoTypes, PrintAsOpaDoes) {
  auto round = [](const char* text) {
    auto t = ParseType(text);
    return t.ok() ? TypeString(*t) : "error: " + t.error().message();
  };
  EXPECT_EQ(round("any<set[any], object[any: any], string, array[any]>"),
            "any<string, array[any], object[any: any], set[any]>");  // members in OPA's order
  EXPECT_EQ(round("object<\"b\": string, \"a\": number>[string: any]"), "object<a: number, b: string>[string: any]");
  EXPECT_EQ(round("array<number, string>[boolean]"), "array<number, string>[boolean]");
  EXPECT_EQ(round("any<number, any>"), "any");
  EXPECT_FALSE(ParseType("array").ok());
  EXPECT_FALSE(ParseType("numbr").ok());
  EXPECT_EQ(TypeString(nullptr), "???");
  auto f = ParseDeclaration("(x: number, string) => (y: boolean)");
  ASSERT_TRUE(f.ok()) << f.error().message();
  EXPECT_EQ(ArgsString(**f), "(x: number, string, y: boolean)");
}

TEST(RegoTypes, UnifiesAsOpa) {
  auto t = [](const char* text) { return *ParseType(text); };
  EXPECT_TRUE(Unifies(t("number"), t("any<number, string>")));
  EXPECT_FALSE(Unifies(t("boolean"), t("any<number, string>")));
  EXPECT_TRUE(Unifies(t("any"), t("set[string]")));
  EXPECT_TRUE(Unifies(t("array<number, number>"), t("array[number]")));
  EXPECT_FALSE(Unifies(t("array<number, string>"), t("array[number]")));
  EXPECT_TRUE(Unifies(t("object<\"a\": number>"), t("object[string: any]")));
  EXPECT_FALSE(Unifies(t("set[number]"), t("array[any]")));
  EXPECT_FALSE(Unifies(nullptr, t("any")));
  EXPECT_TRUE(HasUnknown(ArrayType({NumberType(), nullptr}, nullptr)));
}

TEST(RegoTypeCheck, BuiltinArgumentsOfAKnownWrongType) {
  std::string e = CompileErrorOf("package p\n\nn := count(5)\n");
  EXPECT_NE(e.find("policy.rego:3: rego_type_error: count: invalid argument(s)"), std::string::npos) << e;
  EXPECT_NE(e.find("\thave: (number, ?\?\?)\n"), std::string::npos) << e;
  EXPECT_NE(e.find("\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)"),
            std::string::npos)
      << e;
  // A condition has no output.
  e = CompileErrorOf("package p\nallow if startswith(1, \"a\")\n");
  EXPECT_NE(e.find("startswith: invalid argument(s)\n\thave: (number, string)\n"), std::string::npos) << e;
  // Types flow through variables, results and `some ... in`.
  e = CompileErrorOf("package p\nf if {\n  x := lower(\"A\")\n  y := x\n  abs(y) > 1\n}\n");
  EXPECT_NE(e.find("policy.rego:5: rego_type_error: abs: invalid argument(s)\n\thave: (string, ?\?\?)"),
            std::string::npos)
      << e;
  e = CompileErrorOf("package p\nf if {\n  some x in [1, 2]\n  upper(x) == \"A\"\n}\n");
  EXPECT_NE(e.find("upper: invalid argument(s)\n\thave: (number, ?\?\?)"), std::string::npos) << e;
  // Queries are checked too.
  e = CompileErrorOf("package p\n", "x := concat(\",\", 3)");
  EXPECT_NE(e.find("concat: invalid argument(s)"), std::string::npos) << e;
}

TEST(RegoTypeCheck, RuleDocumentsAndFunctionsHaveTheTypesOfTheirValues) {
  std::string e = CompileErrorOf("package p\nlimit := 5\nn := count(limit)\n");
  EXPECT_NE(e.find("policy.rego:3: rego_type_error: count: invalid argument(s)\n\thave: (number, ?\?\?)"),
            std::string::npos)
      << e;
  e = CompileErrorOf("package p\nnames contains n if some n in [\"a\"]\nu := upper(names)\n");
  EXPECT_NE(e.find("upper: invalid argument(s)\n\thave: (set[string], ?\?\?)"), std::string::npos) << e;
  e = CompileErrorOf("package p\nf(x) := x + 1\ny := upper(f(2))\n");
  EXPECT_NE(e.find("upper: invalid argument(s)\n\thave: (number, ?\?\?)"), std::string::npos) << e;
  // From another package, through a ref.
  e = CompileErrorOf("package p\nn := count(data.q.limit)\n", "x := 1");
  EXPECT_EQ(e, "");  // data.q.limit is base data here: any
  // A document whose value is only partly known stays unknown.
  EXPECT_EQ(CompileErrorOf("package p\nv := input.x\nn := count(v)\nw := [input.y]\nm := count(w)\n"), "");
  // Every rule is checked; each error on its own line.
  e = CompileErrorOf("package p\na := count(1)\nb := upper(2)\n");
  EXPECT_NE(e.find("policy.rego:2: rego_type_error: count: invalid argument(s)"), std::string::npos) << e;
  EXPECT_NE(e.find("\npolicy.rego:3: rego_type_error: upper: invalid argument(s)"), std::string::npos) << e;
}

TEST(RegoTypeCheck, MatchErrorOnImpossibleUnification) {
  std::string e = CompileErrorOf("package p\nf if {\n  x := 1\n  x = \"a\"\n}\n");
  EXPECT_NE(e.find("policy.rego:4: rego_type_error: match error\n\tleft  : number\n\tright : string"),
            std::string::npos)
      << e;
}

TEST(RegoTypeCheck, UnknownTypesPass) {
  // input, data, user function results, unbound parts: any value.
  EXPECT_EQ(CompileErrorOf("package p\nn := count(input.items)\nm := count(data.q)\n"), "");
  EXPECT_EQ(CompileErrorOf("package p\ng(x) := x\nn := count(g(5))\n"), "");
  EXPECT_EQ(CompileErrorOf("package p\nn := sum([x | some x in input.v])\ns := concat(\",\", {y | some y in input.w})\n"),
            "");
  EXPECT_EQ(CompileErrorOf("package p\nf if {\n  [a, b] := [1, \"x\"]\n  abs(a) > 0\n  upper(b) != \"\"\n}\n"), "");
  EXPECT_EQ(CompileErrorOf("package p\nf(x) if count(x) > 1\nv := f([1, 2])\n"), "");
  // A replaced built-in may take other arguments.
  EXPECT_EQ(CompileErrorOf("package p\nmock(_) := 1\nf if {\n  count(5) == 1 with count as mock\n}\n"), "");
}

}  // namespace
}  // namespace custody::rego
