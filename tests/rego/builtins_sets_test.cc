// Tests for the sets, arrays and types built-ins.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class CollectionsTest : public ::testing::Test {
 protected:
  CollectionsTest() {
    RegisterSets(table_);
    RegisterArrays(table_);
    RegisterTypes(table_);
  }

  // The result as Rego text, "undefined", or "error: MESSAGE".
  std::string Eval(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return "no such built-in";
    EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
    Result<Value> r = b->fn(args, ctx_);
    if (!r.ok()) return "error: " + r.error().message();
    return r->ToRego();
  }

  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static Value Set(std::string_view json) { return Value::Set(J(json).array()); }
  static Value I(int64_t i) { return Value::Int(i); }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

// ---- sets ----

TEST_F(CollectionsTest, AndOr) {
  EXPECT_EQ(Eval("and", {Set("[1, 2, 3]"), Set("[2, 3, 4]")}), "{2, 3}");
  EXPECT_EQ(Eval("and", {Set("[1]"), Set("[2]")}), "set()");
  EXPECT_EQ(Eval("or", {Set("[1, 2]"), Set("[2, 3]")}), "{1, 2, 3}");
  EXPECT_EQ(Eval("or", {Value::EmptySet(), Value::EmptySet()}), "set()");
  EXPECT_EQ(Eval("and", {J("[1]"), Set("[1]")}),
            "error: eval_type_error: and: operand 1 must be set but got array");
  EXPECT_EQ(Eval("or", {Set("[1]"), I(1)}),
            "error: eval_type_error: or: operand 2 must be set but got number");
}

TEST_F(CollectionsTest, IntersectionAndUnion) {
  Value sets = Value::Set({Set("[1, 2, 3]"), Set("[2, 3, 4]"), Set("[3, 2, 9]")});
  EXPECT_EQ(Eval("intersection", {sets}), "{2, 3}");
  EXPECT_EQ(Eval("union", {sets}), "{1, 2, 3, 4, 9}");
  EXPECT_EQ(Eval("intersection", {Value::EmptySet()}), "set()");
  EXPECT_EQ(Eval("union", {Value::EmptySet()}), "set()");
  EXPECT_EQ(Eval("intersection", {Value::Set({Set("[1]")})}), "{1}");
  EXPECT_EQ(Eval("union", {Value::Set({Set(R"(["a"])"), Set("[[1]]")})}), "{\"a\", [1]}");
  EXPECT_EQ(Eval("intersection", {J("[]")}),
            "error: eval_type_error: intersection: operand 1 must be set but got array");
  EXPECT_EQ(Eval("union", {Value::Set({Set("[1]"), I(2)})}),
            "error: eval_type_error: union: operand 1 must be set but got number");
  EXPECT_EQ(Eval("intersection", {Value::Set({Set("[1]"), J("[1]")})}),
            "error: eval_type_error: intersection: operand 1 must be set but got array");
}

TEST_F(CollectionsTest, DeprecatedSetDiff) {
  EXPECT_EQ(Eval("set_diff", {Set("[1, 2, 3]"), Set("[2, 4]")}), "{1, 3}");
  EXPECT_EQ(Eval("set_diff", {Set("[1]"), Set("[1]")}), "set()");
  EXPECT_EQ(Eval("set_diff", {J("[1]"), Set("[1]")}),
            "error: eval_type_error: set_diff: operand 1 must be set but got array");
  EXPECT_EQ(Eval("set_diff", {Set("[1]"), I(1)}),
            "error: eval_type_error: set_diff: operand 2 must be set but got number");
}

// ---- arrays ----

TEST_F(CollectionsTest, Concat) {
  EXPECT_EQ(Eval("array.concat", {J("[1, 2]"), J("[3, 1]")}), "[1, 2, 3, 1]");
  EXPECT_EQ(Eval("array.concat", {J("[]"), J("[3]")}), "[3]");
  EXPECT_EQ(Eval("array.concat", {J("[1]"), J("[]")}), "[1]");
  EXPECT_EQ(Eval("array.concat", {J("{}"), J("[]")}),
            "error: eval_type_error: array.concat: operand 1 must be array but got object");
  EXPECT_EQ(Eval("array.concat", {J("[]"), J("{}")}),
            "error: eval_type_error: array.concat: operand 2 must be array but got object");
}

TEST_F(CollectionsTest, Slice) {
  Value arr = J("[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("array.slice", {arr, I(1), I(3)}), "[2, 3]");
  EXPECT_EQ(Eval("array.slice", {arr, I(0), I(5)}), "[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("array.slice", {arr, I(-10), I(100)}), "[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("array.slice", {arr, I(3), I(1)}), "[]");
  EXPECT_EQ(Eval("array.slice", {arr, I(5), I(5)}), "[]");
  EXPECT_EQ(Eval("array.slice", {arr, I(4), I(-1)}), "[]");
  EXPECT_EQ(Eval("array.slice", {arr, I(INT64_MIN), I(INT64_MAX)}), "[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("array.slice", {J("[]"), I(0), I(1)}), "[]");
  EXPECT_EQ(
      Eval("array.slice", {arr, Value::Float(1.5), I(3)}),
      "error: eval_type_error: array.slice: operand 2 must be integer number but got floating-point number");
  EXPECT_EQ(Eval("array.slice", {arr, I(1), Value::String("3")}),
            "error: eval_type_error: array.slice: operand 3 must be number but got string");
  EXPECT_EQ(Eval("array.slice", {Value::Null(), I(1), I(3)}),
            "error: eval_type_error: array.slice: operand 1 must be array but got null");
}

TEST_F(CollectionsTest, ReverseAndFlatten) {
  EXPECT_EQ(Eval("array.reverse", {J("[1, [2], 3]")}), "[3, [2], 1]");
  EXPECT_EQ(Eval("array.reverse", {J("[]")}), "[]");
  EXPECT_EQ(Eval("array.reverse", {J("{}")}),
            "error: eval_type_error: array.reverse: operand 1 must be array but got object");
  EXPECT_EQ(Eval("array.flatten", {J("[]")}), "[]");
  EXPECT_EQ(Eval("array.flatten", {J("[[1, 2], [3, 4], [5]]")}), "[1, 2, 3, 4, 5]");
  EXPECT_EQ(Eval("array.flatten", {J("[1, 2, [3]]")}), "[1, 2, 3]");
  EXPECT_EQ(Eval("array.flatten", {J("[[[1], [2, 3, []]], [[4, 5]]]")}), "[[1], [2, 3, []], [4, 5]]");
  EXPECT_EQ(Eval("array.flatten", {J(R"([[1, 2], "string", [3, {"a": "b"}], 4.5, [6, [7, 8]]])")}),
            "[1, 2, \"string\", 3, {\"a\": \"b\"}, 4.5, 6, [7, 8]]");
  EXPECT_EQ(Eval("array.flatten", {I(42)}),
            "error: eval_type_error: array.flatten: operand 1 must be array but got number");
}

// ---- types ----

TEST_F(CollectionsTest, Types) {
  const std::vector<std::pair<Value, std::string>> values = {
      {Value::Null(), "null"},    {Value::Bool(false), "boolean"},
      {I(1), "number"},           {Value::String("s"), "string"},
      {J("[]"), "array"},         {J("{}"), "object"},
      {Value::EmptySet(), "set"},
  };
  const std::vector<std::pair<std::string, std::string>> predicates = {
      {"is_null", "null"},   {"is_boolean", "boolean"}, {"is_number", "number"}, {"is_string", "string"},
      {"is_array", "array"}, {"is_object", "object"},   {"is_set", "set"},
  };
  for (const auto& [v, type] : values) {
    EXPECT_EQ(Eval("type_name", {v}), "\"" + type + "\"");
    for (const auto& [predicate, accepts] : predicates) {
      EXPECT_EQ(Eval(predicate, {v}), accepts == type ? "true" : "false") << predicate << " " << type;
    }
  }
}

}  // namespace
}  // namespace custody::rego
