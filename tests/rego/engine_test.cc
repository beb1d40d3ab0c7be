// The Rego language core: parser errors, compiler checks and evaluation
// semantics (built-ins have their own tests).
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "rego/compiler.h"
#include "rego/eval.h"
#include "rego/parser.h"

namespace custody::rego {
namespace {

struct Outcome {
  bool ok = false;
  std::string error;
  std::vector<QueryRow> rows;
};

Outcome EvalPolicy(const std::string& module, const std::string& query, const std::string& input_json = "",
            RegoVersion version = RegoVersion::kV1, bool strict = false) {
  Outcome out;
  CompileOptions co;
  co.version = version;
  co.v0_fallback = false;
  std::vector<SourceModule> mods;
  if (!module.empty()) mods.push_back({"policy.rego", module});
  auto p = Compile(mods, Value::EmptyObject(), co);
  if (!p.ok()) {
    out.error = p.error().message();
    return out;
  }
  auto q = (*p)->CompileQuery(query, version);
  if (!q.ok()) {
    out.error = q.error().message();
    return out;
  }
  EvalOptions eo;
  eo.strict_builtin_errors = strict;
  if (!input_json.empty()) eo.input = *ParseJsonValue(input_json, "input");
  auto rows = Evaluate(**p, *q, eo);
  if (!rows.ok()) {
    out.error = rows.error().message();
    return out;
  }
  out.ok = true;
  out.rows = std::move(*rows);
  return out;
}

// The JSON of binding `var` in the only row, or "undefined".
std::string One(const Outcome& o, const std::string& var = "x") {
  if (!o.ok) return "error: " + o.error;
  if (o.rows.empty()) return "undefined";
  EXPECT_EQ(o.rows.size(), 1u);
  for (const auto& [name, v] : o.rows[0].bindings)
    if (name == var) return v.ToJson();
  return "unbound";
}

TEST(RegoParser, ErrorsNameFileLineAndColumn) {
  auto m = ParseModule("package p\n\nx := \"abc\n", "a.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().message(), "a.rego:3:6: rego_parse_error: non-terminated string");
  m = ParseModule("package p\nx := [1, 2\n", "b.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("b.rego:3:1: rego_parse_error: unexpected eof token: expected ]"),
            std::string::npos)
      << m.error().message();
  m = ParseModule("x := 1\n", "c.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("c.rego:1:1: rego_parse_error: expected package"), std::string::npos);
}

// Bad YAML in a METADATA block is a parse error at its own line and column
// in the file (not an undefined rule).
TEST(RegoParser, InvalidMetadataNamesItsLineAndColumn) {
  auto o = EvalPolicy("package p\n\n# METADATA\n# title: \"Allows (\"*\") principal\"\ndeny contains 1 if input.a\n",
                      "x := data.p.deny");
  EXPECT_FALSE(o.ok);
  EXPECT_EQ(o.error.rfind("policy.rego:4:20: rego_parse_error: invalid METADATA: ", 0), 0u) << o.error;
}

TEST(RegoParser, InvalidUtf8IsAParseError) {
  auto m = ParseModule("package p\nx := \"\xff\"\n", "u.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("not valid UTF-8"), std::string::npos);
}

TEST(RegoParser, DeepNestingIsRefusedNotACrash) {
  std::string deep = "package p\nx := " + std::string(100000, '[') + std::string(100000, ']') + "\n";
  auto m = ParseModule(deep, "deep.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("nesting too deep"), std::string::npos);
}

TEST(RegoParser, HugeBodiesAndNestedTemplatesAreRefused) {
  std::string body = "package p\nx if {\n";
  for (int i = 0; i < 5000; ++i) body += "  input.a == 1\n";
  body += "}\n";
  auto m = ParseModule(body, "huge.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("more than 1000 expressions"), std::string::npos) << m.error().message();
  std::string minus = "package p\nx := " + std::string(50000, '-') + "1\n";
  m = ParseModule(minus, "minus.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("nesting too deep"), std::string::npos) << m.error().message();
}

TEST(RegoParser, V1RequiresIfAndContains) {
  auto m = ParseModule("package p\ndeny[msg] { msg := \"x\" }\n", "v0.rego", RegoVersion::kV1);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message().find("rego_parse_error"), std::string::npos);
  EXPECT_TRUE(ParseModule("package p\ndeny[msg] { msg := \"x\" }\n", "v0.rego", RegoVersion::kV0).ok());
  EXPECT_TRUE(ParseModule("package p\ndeny contains msg if { msg := \"x\" }\n", "v1.rego", RegoVersion::kV1).ok());
}

TEST(RegoCompiler, V0FileIsAcceptedWithANotice) {
  CompileOptions co;
  auto p = Compile({{"legacy.rego", "package p\ndeny[msg] { msg := \"x\" }\n"}}, Value::EmptyObject(), co);
  ASSERT_TRUE(p.ok()) << p.error().message();
  ASSERT_EQ((*p)->notices.size(), 1u);
  EXPECT_NE((*p)->notices[0].find("legacy.rego: parsed as Rego v0"), std::string::npos);
}

TEST(RegoCompiler, UnsafeVariableIsNamed) {
  auto o = EvalPolicy("package p\nallow if { y > 1 }\n", "x := data.p.allow");
  EXPECT_NE(o.error.find("policy.rego:2: rego_unsafe_var_error: var y is unsafe"), std::string::npos) << o.error;
}

TEST(RegoCompiler, StringPlusIsATypeErrorThatSaysWhatToUse) {
  auto o = EvalPolicy("package p\nmsg := \"Lambda '\" + input.name + \"' is public\"\n", "x := data.p.msg");
  EXPECT_NE(o.error.find("rego_type_error"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("concat"), std::string::npos) << o.error;
  EXPECT_NE(o.error.find("sprintf"), std::string::npos) << o.error;
}

TEST(RegoCompiler, UndefinedFunction) {
  auto o = EvalPolicy("package p\nx := nope(1)\n", "x := data.p.x");
  EXPECT_NE(o.error.find("rego_type_error: undefined function nope"), std::string::npos) << o.error;
}

TEST(RegoEval, UndefinedIsNotFalse) {
  EXPECT_EQ(One(EvalPolicy("package p\nallow if input.user == \"alice\"\n", "x := data.p.allow", R"({"user":"bob"})")),
            "undefined");
  EXPECT_EQ(One(EvalPolicy("package p\ndefault allow := false\nallow if input.user == \"alice\"\n", "x := data.p.allow",
                    R"({"user":"bob"})")),
            "false");
}

TEST(RegoEval, PartialSetsObjectsAndComprehensions) {
  const char* m = R"(package p
s contains x if { some x in input.xs; x > 1 }
o[k] := v if { some k, v in input.m }
a := [x * 2 | some x in input.xs]
c := {k: count(v) | some k, v in input.m}
)";
  std::string in = R"({"xs": [1, 2, 3], "m": {"a": "xy", "b": "z"}})";
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.s", in)), "[2,3]");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.o", in)), R"({"a":"xy","b":"z"})");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.a", in)), "[2,4,6]");
}

TEST(RegoEval, ConflictsAreErrors) {
  auto o = EvalPolicy("package p\nx := 1 if true\nx := 2 if true\n", "y := data.p.x");
  EXPECT_NE(o.error.find("eval_conflict_error: complete rules must not produce multiple outputs"), std::string::npos)
      << o.error;
  o = EvalPolicy("package p\nf(_) := 1\nf(_) := 2\nx := f(0)\n", "y := data.p.x");
  EXPECT_NE(o.error.find("functions must not produce multiple outputs for same inputs"), std::string::npos)
      << o.error;
}

TEST(RegoEval, RecursionIsAnErrorNotAHang) {
  auto o = EvalPolicy("package p\na if b\nb if a\n", "x := data.p.a");
  EXPECT_NE(o.error.find("recursive"), std::string::npos) << o.error;
  o = EvalPolicy("package p\nf(x) := y if y := f(x)\nz := f(1)\n", "x := data.p.z");
  EXPECT_NE(o.error.find("rego_recursion_error"), std::string::npos) << o.error;
}

TEST(RegoEval, EveryAndSomeIn) {
  const char* m = R"(package p
all_positive if every x in input.xs { x > 0 }
has_two if { some x in input.xs; x == 2 }
)";
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.all_positive", R"({"xs": [1, 2]})")), "true");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.all_positive", R"({"xs": [1, -2]})")), "undefined");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.has_two", R"({"xs": [1, 2]})")), "true");
}

TEST(RegoEval, WithReplacesInputDataAndFunctions) {
  const char* m = R"(package p
allow if input.user == data.admin
f(x) := x + 1
g := f(1)
)";
  EXPECT_EQ(One(EvalPolicy(m, R"(x := data.p.allow with input as {"user": "a"} with data.admin as "a")")), "true");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.g with data.p.f as 10")), "10");
}

TEST(RegoEval, ElseChainsAndFunctionsWithPatterns) {
  const char* m = R"(package p
grade := "a" if input.score > 90
else := "b" if input.score > 80
else := "c"
first([x, _]) := x
)";
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.grade", R"({"score": 85})")), R"("b")");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.grade", R"({"score": 10})")), R"("c")");
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.first([7, 8])")), "7");
}

TEST(RegoEval, PrintWritesLinesAndUndefinedArguments) {
  CompileOptions co;
  auto p = Compile({{"p.rego", "package p\nx if { print(\"hello\", input.missing, 1) }\n"}}, Value::EmptyObject(), co);
  ASSERT_TRUE(p.ok()) << p.error().message();
  auto q = (*p)->CompileQuery("data.p.x", RegoVersion::kV1);
  ASSERT_TRUE(q.ok());
  std::ostringstream out;
  EvalOptions eo;
  eo.print = &out;
  auto rows = Evaluate(**p, *q, eo);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(out.str(), "hello <undefined> 1\n");
}

TEST(RegoEval, PoliciesAreSharedBetweenThreads) {
  CompileOptions co;
  auto p = Compile({{"p.rego", "package p\nallow if input.n % 2 == 0\n"}}, Value::EmptyObject(), co);
  ASSERT_TRUE(p.ok()) << p.error().message();
  auto q = (*p)->CompileQuery("data.p.allow", RegoVersion::kV1);
  ASSERT_TRUE(q.ok());
  std::vector<std::thread> threads;
  std::atomic<int> allowed{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        EvalOptions eo;
        eo.input = Value::Object({{Value::String("n"), Value::Int(t * 1000 + i)}});
        auto rows = Evaluate(**p, *q, eo);
        if (rows.ok() && !rows->empty()) ++allowed;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 4 * 250);
}

TEST(RegoEval, RegexThatWouldBacktrackStillAnswers) {
  // Exponential for a backtracking matcher; RE2 answers in linear time (a hang would hit ctest's timeout).
  std::string s(200000, 'a');
  s += "b";
  auto o = EvalPolicy("package p\nm := regex.match(`^(a+)+$`, input.s)\n", "x := data.p.m", "{\"s\": \"" + s + "\"}");
  EXPECT_EQ(One(o), "false");
}

TEST(RegoEval, HugeInputsAndTooDeepInputs) {
  std::string big = "{\"xs\": [";
  for (int i = 0; i < 200000; ++i) big += (i ? ",{\"n\":" : "{\"n\":") + std::to_string(i) + "}";
  big += "]}";
  auto o = EvalPolicy("package p\nn := count([x | some x in input.xs; x.n % 2 == 0])\n", "x := data.p.n", big);
  EXPECT_EQ(One(o), "100000");
  std::string deep(20000, '[');
  deep += std::string(20000, ']');
  auto v = ParseJsonValue(deep, "deep.json");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message().find("nested deeper than 10000 levels"), std::string::npos) << v.error().message();
}

TEST(RegoValue, IntegersBeyondADoubleReadBackExactly) {
  // Found by fuzzing: such integers printed as JSON that the reader refused.
  std::string digits(400, '7');
  auto v = ParseJsonValue("{\"n\": [" + digits + ", -" + digits + ", \"x\"]}", "big.json");
  ASSERT_TRUE(v.ok()) << v.error().message();
  const Value* n = v->FindKey("n");
  ASSERT_TRUE(n && n->is_array());
  EXPECT_TRUE(n->array()[0].is_big());
  EXPECT_EQ(n->array()[0].big_digits(), digits);
  EXPECT_EQ(n->array()[1].big_digits(), "-" + digits);
  EXPECT_EQ(n->array()[2].as_string(), "x");
  auto back = ParseJsonValue(v->ToJson(), "again.json");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(Compare(*v, *back), 0);
}

TEST(RegoCompiler, ComprehensionLocalsDoNotCaptureLaterDeclarations) {
  const char* m = R"(package p
xs := {"a", "b", "c"}
n := x if {
  y := {x | xs[x]}
  x := count(y)
}
)";
  EXPECT_EQ(One(EvalPolicy(m, "x := data.p.n")), "3");
}

}  // namespace
}  // namespace custody::rego

namespace custody::rego {
namespace {

// Rules that test one input path with == or `in` a constant collection are
// indexed by that path (DocNode::index); the results must be exactly those
// of trying every rule: rules under several values, numbers equal across
// int/float, objects by their values, and rules the index cannot place.
TEST(RegoEval, RuleIndexOnEqualityAndMembership) {
  const std::string m =
      "package p\n"
      "kinds contains \"workload\" if input.kind in {\"Pod\", \"Deployment\", \"Pod\"}\n"
      "kinds contains \"job\" if input.kind in [\"Job\", \"CronJob\"]\n"
      "kinds contains \"named\" if input.kind in {\"a\": \"Service\", \"b\": \"Ingress\"}\n"
      "kinds contains \"pod\" if input.kind == \"Pod\"\n"
      "kinds contains \"one\" if input.kind in [1, 2]\n"
      "kinds contains \"any\" if startswith(input.kind, \"Cron\")\n"
      "kinds contains \"eq\" if \"Ingress\" = input.kind\n";
  auto kinds = [&](const std::string& input) { return One(EvalPolicy(m, "x := data.p.kinds", input)); };
  EXPECT_EQ(kinds(R"({"kind":"Pod"})"), R"(["pod","workload"])");
  EXPECT_EQ(kinds(R"({"kind":"Deployment"})"), R"(["workload"])");
  EXPECT_EQ(kinds(R"({"kind":"CronJob"})"), R"(["any","job"])");
  EXPECT_EQ(kinds(R"({"kind":"Ingress"})"), R"(["eq","named"])");
  EXPECT_EQ(kinds(R"({"kind":"a"})"), "[]");  // object keys are not members
  EXPECT_EQ(kinds(R"({"kind":1.0})"), R"(["one"])");
  EXPECT_EQ(kinds(R"({"kind":"Secret"})"), "[]");
  EXPECT_EQ(kinds(R"({"other":1})"), "[]");
  // The index is there: "Pod" leads to its two rules, "Job" and "CronJob" to one each.
  auto p = Compile({{"policy.rego", m}}, Value::EmptyObject(), CompileOptions{});
  ASSERT_TRUE(p.ok()) << p.error().message();
  const DocNode* n = (*p)->Find({Value::String("p"), Value::String("kinds")});
  ASSERT_NE(n, nullptr);
  ASSERT_TRUE(n->indexed);
  EXPECT_EQ(n->index.at(Value::String("Pod")).size(), 2u);
  EXPECT_EQ(n->index.at(Value::String("CronJob")).size(), 1u);
  EXPECT_EQ(n->index.at(Value::Int(1)).size(), 1u);
  EXPECT_EQ(n->unindexed.size(), 1u);
}

}  // namespace
}  // namespace custody::rego
