// Tests for the objects built-ins (object.*, json.filter, json.remove,
// json.patch), mostly OPA's own conformance cases.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class ObjectsTest : public ::testing::Test {
 protected:
  ObjectsTest() { RegisterObjects(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size())) << name;
    return b->fn(args, ctx_);
  }

  // The result as Rego text, "undefined", or "error: MESSAGE".
  std::string Eval(std::string_view name, std::vector<Value> args) {
    Result<Value> r = Call(name, std::move(args));
    if (!r.ok()) return "error: " + r.error().message();
    return r->ToRego();
  }

  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }
  static Value S(std::string_view s) { return Value::String(s); }
  static Value I(int64_t i) { return Value::Int(i); }
  // A set of the elements of a JSON array.
  static Value Set(std::string_view json) { return Value::Set(J(json).array()); }

  // json.patch(doc, patch) as JSON, or "undefined".
  std::string Patch(const Value& doc, std::string_view patch) {
    Result<Value> r = Call("json.patch", {doc, J(patch)});
    if (!r.ok()) return "error: " + r.error().message();
    return r->is_defined() ? r->ToRego() : "undefined";
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

// ---- object.get ----

TEST_F(ObjectsTest, Get) {
  EXPECT_EQ(Eval("object.get", {J(R"({"a": "b"})"), S("a"), S("c")}), "\"b\"");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": "b"})"), S("c"), S("c")}), "\"c\"");
  Value int_keys = Value::Object({{I(1), I(2)}});
  EXPECT_EQ(Eval("object.get", {int_keys, I(1), I(3)}), "2");
  EXPECT_EQ(Eval("object.get", {int_keys, I(2), I(3)}), "3");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": 1})"), J("[]"), I(2)}), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": {"b": {"c": 1}}})"), J(R"(["a", "b", "c"])"), I(2)}), "1");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": {"b": {"c": 1}}})"), J(R"(["a", "b", "a"])"), I(2)}), "2");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": {"b": 1}})"), J(R"(["b", "a"])"), I(2)}), "2");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": {"b": [1, 2, 3]}})"), J(R"(["a", "b", "a"])"), I(2)}), "2");
  EXPECT_EQ(Eval("object.get", {J(R"({"a": {"b": [{"c": 1}]}})"), J(R"(["a", "b", 0, "c"])"), I(2)}), "1");
  // Array indexes must be numbers; set members are found by value.
  EXPECT_EQ(Eval("object.get", {J(R"({"a": [7]})"), J(R"(["a", "0"])"), I(2)}), "2");
  Value with_set = Value::Object({{S("s"), Set(R"(["x"])")}});
  EXPECT_EQ(Eval("object.get", {with_set, J(R"(["s", "x"])"), I(2)}), "\"x\"");
  // Non-string keys along the path.
  Value nested = Value::Object({{I(1), Value::Object({{S("b"), Value::Object({{J("[1, 2, 3]"), I(1)}})}})}});
  EXPECT_EQ(Eval("object.get", {nested, J(R"([1, "b", [1, 2, 3]])"), I(2)}), "1");
  EXPECT_EQ(Eval("object.get", {S("x"), J(R"(["a"])"), I(2)}),
            "error: eval_type_error: object.get: operand 1 must be object but got string");
}

// ---- object.remove, object.filter ----

TEST_F(ObjectsTest, RemoveAndFilter) {
  Value obj = J(R"({"a": 1, "b": 2, "c": 3})");
  EXPECT_EQ(Eval("object.remove", {obj, J(R"(["a", "c", "z"])")}), "{\"b\": 2}");
  EXPECT_EQ(Eval("object.remove", {obj, Set(R"(["b"])")}), "{\"a\": 1, \"c\": 3}");
  EXPECT_EQ(Eval("object.remove", {obj, J(R"({"a": 0, "b": 0})")}), "{\"c\": 3}");
  EXPECT_EQ(Eval("object.remove", {obj, J("[]")}), "{\"a\": 1, \"b\": 2, \"c\": 3}");
  EXPECT_EQ(Eval("object.filter", {obj, J(R"(["a", "c", "z"])")}), "{\"a\": 1, \"c\": 3}");
  EXPECT_EQ(Eval("object.filter", {obj, Set(R"(["b"])")}), "{\"b\": 2}");
  EXPECT_EQ(Eval("object.filter", {obj, J(R"({"a": 0})")}), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.filter", {obj, J("[]")}), "{}");
  // Non-string keys.
  Value int_keys = Value::Object({{I(1), S("x")}, {I(2), S("y")}});
  EXPECT_EQ(Eval("object.filter", {int_keys, J("[1]")}), "{1: \"x\"}");
  EXPECT_EQ(Eval("object.remove", {int_keys, J("[1]")}), "{2: \"y\"}");
  EXPECT_EQ(Eval("object.remove", {J("[]"), J("[]")}),
            "error: eval_type_error: object.remove: operand 1 must be object but got array");
  EXPECT_EQ(
      Eval("object.remove", {obj, S("a")}),
      "error: eval_type_error: object.remove: operand 2 must be one of {object, set, array} but got string");
  EXPECT_EQ(Eval("object.filter", {Value::Null(), J("[]")}),
            "error: eval_type_error: object.filter: operand 1 must be object but got null");
  EXPECT_EQ(
      Eval("object.filter", {obj, Value::Bool(true)}),
      "error: eval_type_error: object.filter: operand 2 must be one of {object, set, array} but got boolean");
}

// ---- object.union, object.union_n ----

TEST_F(ObjectsTest, Union) {
  EXPECT_EQ(Eval("object.union", {J(R"({"a": 1, "b": 2})"), J(R"({"b": 3, "c": 4})")}),
            "{\"a\": 1, \"b\": 3, \"c\": 4}");
  EXPECT_EQ(Eval("object.union", {J(R"({"a": {"b": 1, "c": 2}})"), J(R"({"a": {"c": 3, "d": 4}})")}),
            "{\"a\": {\"b\": 1, \"c\": 3, \"d\": 4}}");
  EXPECT_EQ(Eval("object.union", {J(R"({"a": {"b": 1}})"), J(R"({"a": 7})")}), "{\"a\": 7}");
  EXPECT_EQ(Eval("object.union", {J(R"({"a": 7})"), J(R"({"a": {"b": 1}})")}), "{\"a\": {\"b\": 1}}");
  EXPECT_EQ(Eval("object.union", {J("{}"), J(R"({"a": 1})")}), "{\"a\": 1}");
  EXPECT_EQ(Eval("object.union", {J("[]"), J("{}")}),
            "error: eval_type_error: object.union: operand 1 must be object but got array");
  EXPECT_EQ(Eval("object.union", {J("{}"), J("[]")}),
            "error: eval_type_error: object.union: operand 2 must be object but got array");
}

TEST_F(ObjectsTest, UnionN) {
  EXPECT_EQ(Eval("object.union_n", {J("[]")}), "{}");
  EXPECT_EQ(Eval("object.union_n", {J("[{}]")}), "{}");
  EXPECT_EQ(Eval("object.union_n", {J(R"([{"foo": "bar"}, {"x": "y"}])")}),
            "{\"foo\": \"bar\", \"x\": \"y\"}");
  EXPECT_EQ(Eval("object.union_n", {J(R"([{"foo": "bar"}, {"foo": "baz"}])")}), "{\"foo\": \"baz\"}");
  // A non-object in the chain cuts off the objects before it.
  EXPECT_EQ(Eval("object.union_n", {J(R"([{"a": {"b": 2}}, {"a": 4}, {"a": {"c": 3}}])")}),
            "{\"a\": {\"c\": 3}}");
  EXPECT_EQ(Eval("object.union_n", {J(R"([{"a": {"b": 2}}, {"a": {"c": 3}}, {"a": {"b": 5, "d": 1}}])")}),
            "{\"a\": {\"b\": 5, \"c\": 3, \"d\": 1}}");
  EXPECT_EQ(
      Eval("object.union_n", {J(R"([{"foo": 1}, {"bar": 2}, "baz"])")}),
      "error: eval_type_error: object.union_n: operand 1 must be array of objects but got array containing "
      "string");
  EXPECT_EQ(
      Eval("object.union_n", {J(R"([1, {}, null])")}),
      "error: eval_type_error: object.union_n: operand 1 must be array of objects but got array containing "
      "null");
  EXPECT_EQ(Eval("object.union_n", {J("{}")}),
            "error: eval_type_error: object.union_n: operand 1 must be array but got object");
}

// ---- object.keys ----

TEST_F(ObjectsTest, Keys) {
  EXPECT_EQ(Eval("object.keys", {J(R"({"b": 1, "a": 2})")}), "{\"a\", \"b\"}");
  EXPECT_EQ(Eval("object.keys", {J("{}")}), "set()");
  EXPECT_EQ(Eval("object.keys", {S("object")}),
            "error: eval_type_error: object.keys: operand 1 must be object but got string");
}

// ---- object.subset ----

TEST_F(ObjectsTest, Subset) {
  auto subset = [&](const Value& a, const Value& b) { return Eval("object.subset", {a, b}); };
  EXPECT_EQ(subset(J(R"({"a": 1, "b": 2})"), J(R"({"a": 1})")), "true");
  EXPECT_EQ(subset(J(R"({"a": 1})"), J(R"({"a": 1, "b": 2})")), "false");
  EXPECT_EQ(subset(J(R"({"a": 1})"), J(R"({"a": 2})")), "false");
  EXPECT_EQ(subset(J(R"({"a": {"b": 1, "c": 2}, "d": 3})"), J(R"({"a": {"c": 2}})")), "true");
  EXPECT_EQ(subset(J(R"({"a": {"b": 1}})"), J(R"({"a": {"b": 2}})")), "false");
  EXPECT_EQ(subset(J(R"({"a": [1, 2, 3, 4]})"), J(R"({"a": [2, 3]})")), "true");
  EXPECT_EQ(subset(J(R"({"a": [1, 2, 3, 4]})"), J(R"({"a": [2, 4]})")), "false");
  Value with_set = Value::Object({{S("s"), Set("[1, 2, 3]")}});
  EXPECT_EQ(subset(with_set, Value::Object({{S("s"), Set("[3, 1]")}})), "true");
  EXPECT_EQ(subset(with_set, Value::Object({{S("s"), Set("[4]")}})), "false");
  EXPECT_EQ(subset(Set("[1, 2, 3]"), Set("[1, 3]")), "true");
  EXPECT_EQ(subset(Set("[1, 2, 3]"), Set("[1, 4]")), "false");
  EXPECT_EQ(subset(J("[1, 2, 3, 4, 5]"), J("[2, 3, 4]")), "true");
  EXPECT_EQ(subset(J("[1, 2, 3, 4, 5]"), J("[2, 4]")), "false");
  EXPECT_EQ(subset(J("[1, 2, 1, 2, 3]"), J("[1, 2, 3]")), "true");
  EXPECT_EQ(subset(J("[]"), J("[]")), "true");
  EXPECT_EQ(subset(J("[1]"), J("[1, 2]")), "false");
  EXPECT_EQ(subset(J("[1, 2, 3, 4, 5, 6]"), Set("[4, 3, 2]")), "true");
  EXPECT_EQ(subset(J("[1, 2, 3, 4, 5, 6]"), Set("[9, 8, 7]")), "false");
  // OPA's quirks with an empty set.
  EXPECT_EQ(subset(J("[1]"), Value::EmptySet()), "true");
  EXPECT_EQ(subset(J("[]"), Value::EmptySet()), "false");
  EXPECT_EQ(
      subset(Set("[1, 2]"), J("[1]")),
      "error: eval_type_error: object.subset: both arguments object.subset must be of the same type or array "
      "and set");
  EXPECT_EQ(
      subset(J("{}"), J("[]")),
      "error: eval_type_error: object.subset: both arguments object.subset must be of the same type or array "
      "and set");
}

// ---- json.filter ----

TEST_F(ObjectsTest, JsonFilter) {
  Value doc = J(R"({"a": {"b": {"c": 7, "d": 8}}, "e": 9})");
  EXPECT_EQ(Eval("json.filter", {doc, Set(R"(["a/b/c"])")}), "{\"a\": {\"b\": {\"c\": 7}}}");
  EXPECT_EQ(Eval("json.filter", {doc, J(R"(["a/b/c", "e"])")}), "{\"a\": {\"b\": {\"c\": 7}}, \"e\": 9}");
  EXPECT_EQ(Eval("json.filter", {doc, J(R"(["a", "a/b/c"])")}), "{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}}");
  EXPECT_EQ(Eval("json.filter", {doc, J(R"(["a/b/c", "a"])")}), "{\"a\": {\"b\": {\"c\": 7, \"d\": 8}}}");
  EXPECT_EQ(Eval("json.filter", {doc, J(R"([["a", "b", "d"]])")}), "{\"a\": {\"b\": {\"d\": 8}}}");
  EXPECT_EQ(Eval("json.filter", {doc, J("[]")}), "{}");
  EXPECT_EQ(Eval("json.filter", {doc, J(R"([""])")}), "{}");
  EXPECT_EQ(Eval("json.filter", {doc, J(R"(["/e"])")}), "{\"e\": 9}");
  EXPECT_EQ(Eval("json.filter", {J(R"({"a": [{"b": 1, "c": 2}, {"d": 3}, 4]})"), J(R"(["a/0/b", "a/2"])")}),
            "{\"a\": [{\"b\": 1}, 4]}");
  // Escapes: ~1 is '/', ~0 is '~'.
  EXPECT_EQ(Eval("json.filter", {J(R"({"a/b": 1, "c~d": 2, "e": 3})"), J(R"(["a~1b", "c~0d"])")}),
            "{\"a/b\": 1, \"c~d\": 2}");
  // Set members are addressed by value.
  Value with_set = Value::Object({{S("s"), Set(R"(["x", "y"])")}});
  EXPECT_EQ(Eval("json.filter", {with_set, J(R"(["s/x"])")}), "{\"s\": {\"x\"}}");
  // A path far longer than the document is deep costs nothing special.
  std::string deep;
  for (int i = 0; i < 50000; ++i) deep += "a/";
  EXPECT_EQ(Eval("json.filter", {J(R"({"a": {"a": 1}})"), Value::Set({Value::String(deep)})}),
            "{\"a\": {\"a\": 1}}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": {"a": 1}})"), Value::Set({Value::String(deep)})}),
            "{\"a\": {\"a\": 1}}");
  EXPECT_EQ(Patch(J(R"({"a": {"a": 1}})"), "[{\"op\": \"add\", \"path\": \"" + deep + "\", \"value\": 1}]"),
            "undefined");
  EXPECT_EQ(Eval("json.filter", {J("[]"), J("[]")}),
            "error: eval_type_error: json.filter: operand 1 must be object but got array");
  EXPECT_EQ(Eval("json.filter", {doc, S("a")}),
            "error: eval_type_error: json.filter: operand 2 must be one of {set, array} but got string");
  EXPECT_EQ(
      Eval("json.filter", {doc, J("[1]")}),
      "error: eval_type_error: json.filter: operand 2 must be one of {set, array} containing string paths or "
      "array of path segments but got number");
}

// ---- json.remove ----

TEST_F(ObjectsTest, JsonRemove) {
  Value doc = J(R"({"a": {"b": {"c": 7, "d": 8}}, "e": 9})");
  EXPECT_EQ(Eval("json.remove", {doc, Set(R"(["a/b/c"])")}), "{\"a\": {\"b\": {\"d\": 8}}, \"e\": 9}");
  EXPECT_EQ(Eval("json.remove", {doc, Set(R"(["a/b/c", "e"])")}), "{\"a\": {\"b\": {\"d\": 8}}}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": {"b": 7}, "c": 1})"), Set(R"(["a", "a/b"])")}), "{\"c\": 1}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": 7})"), Value::EmptySet()}), "{\"a\": 7}");
  EXPECT_EQ(Eval("json.remove", {J("{}"), Set(R"(["a/b"])")}), "{}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": {"b": 7}, "c": 1})"), Set(R"(["a", "c"])")}), "{}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": {"b": 7}, "c": 1})"), Set(R"(["a/b", "c"])")}), "{\"a\": {}}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": [{"b": 7, "c": 8}, {"d": 9}]})"), Set(R"(["a/0/b", "a/1"])")}),
            "{\"a\": [{\"c\": 8}]}");
  EXPECT_EQ(Eval("json.remove", {doc, J(R"([["a", "b", "c"], ["e"]])")}), "{\"a\": {\"b\": {\"d\": 8}}}");
  EXPECT_EQ(Eval("json.remove", {J(R"({"a": {"b": {"c": 7, "d": 8, "x": 0}}, "e": 9})"),
                                 Value::Set({S("a/b/d"), J(R"(["a", "b", "c"])")})}),
            "{\"a\": {\"b\": {\"x\": 0}}, \"e\": 9}");
  Value with_set = Value::Object({{S("s"), Set(R"(["x", "y"])")}});
  EXPECT_EQ(Eval("json.remove", {with_set, J(R"(["s/x"])")}), "{\"s\": {\"y\"}}");
  EXPECT_EQ(Eval("json.remove", {Value::Bool(true), Set(R"(["a"])")}),
            "error: eval_type_error: json.remove: operand 1 must be object but got boolean");
  EXPECT_EQ(Eval("json.remove", {doc, J("{}")}),
            "error: eval_type_error: json.remove: operand 2 must be one of {set, array} but got object");
  EXPECT_EQ(
      Eval("json.remove", {doc, Value::Set({J("{}")})}),
      "error: eval_type_error: json.remove: operand 2 must be one of {set, array} containing string paths or "
      "array of path segments but got object");
}

// ---- json.patch ----

TEST_F(ObjectsTest, PatchRfc6902Examples) {
  EXPECT_EQ(Patch(J(R"({"foo": "bar"})"), R"([{"op": "add", "path": "/baz", "value": "qux"}])"),
            "{\"baz\": \"qux\", \"foo\": \"bar\"}");
  EXPECT_EQ(Patch(J(R"({"foo": ["bar", "baz"]})"), R"([{"op": "add", "path": "/foo/1", "value": "qux"}])"),
            "{\"foo\": [\"bar\", \"qux\", \"baz\"]}");
  EXPECT_EQ(Patch(J(R"({"baz": "qux", "foo": "bar"})"), R"([{"op": "remove", "path": "/baz"}])"),
            "{\"foo\": \"bar\"}");
  EXPECT_EQ(Patch(J(R"({"foo": ["bar", "qux", "baz"]})"), R"([{"op": "remove", "path": "/foo/1"}])"),
            "{\"foo\": [\"bar\", \"baz\"]}");
  EXPECT_EQ(Patch(J(R"({"baz": "qux"})"), R"([{"op": "replace", "path": "/baz", "value": "boo"}])"),
            "{\"baz\": \"boo\"}");
  EXPECT_EQ(Patch(J(R"({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}})"),
                  R"([{"op": "move", "from": "/foo/waldo", "path": "/qux/thud"}])"),
            "{\"foo\": {\"bar\": \"baz\"}, \"qux\": {\"corge\": \"grault\", \"thud\": \"fred\"}}");
  EXPECT_EQ(Patch(J(R"({"foo": ["all", "grass", "cows", "eat"]})"),
                  R"([{"op": "move", "from": "/foo/1", "path": "/foo/3"}])"),
            "{\"foo\": [\"all\", \"cows\", \"eat\", \"grass\"]}");
  EXPECT_EQ(
      Patch(
          J(R"({"baz": "qux", "foo": ["a", 2, "c"]})"),
          R"([{"op": "test", "path": "/baz", "value": "qux"},
              {"op": "test", "path": "/foo/1", "value": 2}])"),
      "{\"baz\": \"qux\", \"foo\": [\"a\", 2, \"c\"]}");
  EXPECT_EQ(Patch(J(R"({"baz": "qux"})"), R"([{"op": "test", "path": "/baz", "value": "bar"}])"),
            "undefined");
  EXPECT_EQ(Patch(J(R"({"foo": "bar"})"), R"([{"op": "add", "path": "/baz/bat", "value": "qux"}])"),
            "undefined");
  EXPECT_EQ(Patch(J(R"({"/": 9, "~1": 10})"), R"([{"op": "test", "path": "/~01", "value": 10}])"),
            "{\"/\": 9, \"~1\": 10}");
  EXPECT_EQ(Patch(J(R"({"/": 9, "~1": 10})"), R"([{"op": "test", "path": "/~01", "value": "10"}])"),
            "undefined");
  EXPECT_EQ(Patch(J(R"({"foo": ["bar"]})"), R"([{"op": "add", "path": "/foo/-", "value": ["abc", "def"]}])"),
            "{\"foo\": [\"bar\", [\"abc\", \"def\"]]}");
}

TEST_F(ObjectsTest, PatchEdgeCases) {
  EXPECT_EQ(Patch(J("{}"), "[]"), "{}");
  EXPECT_EQ(Patch(J("[]"), R"([{"op": "add", "path": "/0", "value": "foo"}])"), "[\"foo\"]");
  EXPECT_EQ(Patch(J("{}"), R"([{"op": "add", "path": "", "value": []}])"), "[]");
  EXPECT_EQ(Patch(J("[]"), R"([{"op": "add", "path": "/-", "value": "hi"}])"), "[\"hi\"]");
  EXPECT_EQ(Patch(J("{}"), R"([{"op": "add", "path": "/", "value": 1}])"), "{\"\": 1}");
  EXPECT_EQ(Patch(J(R"({"foo": {}})"), R"([{"op": "add", "path": "/foo/", "value": 1}])"),
            "{\"foo\": {\"\": 1}}");
  EXPECT_EQ(Patch(J(R"({"bar": [1, 2]})"), R"([{"op": "add", "path": "/bar/8", "value": "5"}])"),
            "undefined");
  EXPECT_EQ(Patch(J(R"({"bar": [1, 2]})"), R"([{"op": "add", "path": "/bar/-1", "value": "5"}])"),
            "undefined");
  EXPECT_EQ(Patch(J(R"({"foo": 1})"), R"([{"op": "add", "path": "/0", "value": "bar"}])"),
            "{\"0\": \"bar\", \"foo\": 1}");
  EXPECT_EQ(Patch(J(R"(["foo", "sil"])"), R"([{"op": "add", "path": "/2", "value": "bar"}])"),
            "[\"foo\", \"sil\", \"bar\"]");
  EXPECT_EQ(Patch(J(R"(["foo", "sil"])"), R"([{"op": "add", "path": "/3", "value": "bar"}])"), "undefined");
  EXPECT_EQ(Patch(J(R"(["foo", "bar"])"), R"([{"op": "test", "path": "/1e0", "value": "bar"}])"),
            "undefined");
  EXPECT_EQ(Patch(J(R"({"1e0": "foo"})"), R"([{"op": "test", "path": "/1e0", "value": "foo"}])"),
            "{\"1e0\": \"foo\"}");
  EXPECT_EQ(Patch(J(R"(["foo", "sil"])"), R"([{"op": "add", "path": "/bar", "value": 42}])"), "undefined");
  EXPECT_EQ(Patch(J(R"(["foo", "bar"])"), R"([{"op": "test", "path": "/00", "value": "foo"}])"), "undefined");
  EXPECT_EQ(Patch(J(R"(["foo", "bar"])"), R"([{"op": "test", "path": "/01", "value": "bar"}])"), "undefined");
  EXPECT_EQ(Patch(J("[1, 2, 3, 4]"), R"([{"op": "remove", "path": "/1"}, {"op": "remove", "path": "/2"}])"),
            "[1, 3]");
  EXPECT_EQ(Patch(J(R"({"foo": 1})"), R"([{"op": "move", "from": "/foo", "path": "/foo"}])"), "{\"foo\": 1}");
  EXPECT_EQ(Patch(J(R"({"baz": [{"qux": "hello"}], "bar": 1})"),
                  R"([{"op": "move", "from": "/baz/0/qux", "path": "/baz/1"}])"),
            "{\"bar\": 1, \"baz\": [{}, \"hello\"]}");
  EXPECT_EQ(Patch(J(R"({"baz": [{"qux": "hello"}], "bar": 1})"),
                  R"([{"op": "copy", "from": "/baz/0", "path": "/boo"}])"),
            "{\"bar\": 1, \"baz\": [{\"qux\": \"hello\"}], \"boo\": {\"qux\": \"hello\"}}");
  EXPECT_EQ(Patch(J("[1, 2, [3, [4, 5]]]"), R"([{"op": "add", "path": "/2/1/-", "value": {"foo": 1}}])"),
            "[1, 2, [3, [4, 5, {\"foo\": 1}]]]");
  EXPECT_EQ(Patch(J(R"({"foo": "bar"})"), R"([{"op": "replace", "path": "", "value": {"baz": "qux"}}])"),
            "{\"baz\": \"qux\"}");
  EXPECT_EQ(Patch(J(R"({"foo": null})"), R"([{"op": "remove", "path": "/foo"}])"), "{}");
  // Moving a value into itself fails, as the RFC requires.
  EXPECT_EQ(Patch(J(R"({"a": {"b": 1}})"), R"([{"op": "move", "from": "/a", "path": "/a/c"}])"), "undefined");
  // Removing the root leaves nothing, unless something is added back.
  EXPECT_EQ(Patch(J(R"({"a": 1})"), R"([{"op": "remove", "path": ""}])"), "undefined");
  EXPECT_EQ(
      Patch(J(R"({"a": 1})"), R"([{"op": "remove", "path": ""}, {"op": "add", "path": "", "value": 2}])"),
      "2");
  // A path without the leading '/' is accepted, as OPA does.
  EXPECT_EQ(Patch(J(R"({"a": 1})"), R"([{"op": "replace", "path": "a", "value": 2}])"), "{\"a\": 2}");
  // Scalars can be patched as a whole.
  EXPECT_EQ(Patch(S("foo"), R"([{"op": "replace", "path": "", "value": "bar"}])"), "\"bar\"");
}

TEST_F(ObjectsTest, PatchMalformedOperations) {
  Value doc = J(R"({"foo": 1})");
  for (const char* patch : {
           R"([{"op": "add", "value": "bar"}])",
           R"([{"op": "add", "path": null, "value": "bar"}])",
           R"([{"op": "add", "path": "/-"}])",
           R"([{"op": "replace", "path": "/0"}])",
           R"([{"op": "test", "path": "/0"}])",
           R"([{"op": "copy", "path": "/-"}])",
           R"([{"op": "copy", "from": "/bar", "path": "/foo"}])",
           R"([{"op": "move", "path": ""}])",
           R"([{"op": "move", "from": "/bar", "path": "/foo"}])",
           R"([{"op": "spam", "path": "/foo", "value": 1}])",
           R"([{"op": 1, "path": "/foo", "value": 1}])",
           R"([{"path": "/foo", "value": 1}])",
           R"([{"op": "remove", "path": "/baz"}])",
           R"([{"op": "remove", "path": "/missing1/missing2"}])",
           R"([1])",
       }) {
    EXPECT_EQ(Patch(doc, patch), "undefined") << patch;
  }
  EXPECT_EQ(Patch(J("[\"foo\", \"bar\"]"), R"([{"op": "remove", "path": "/2"}])"), "undefined");
  EXPECT_EQ(Eval("json.patch", {doc, J("{}")}),
            "error: eval_type_error: json.patch: operand 2 must be array but got object");
}

TEST_F(ObjectsTest, PatchSets) {
  Value doc = Value::Object({{S("foo"), Set(R"(["a", "b", "c"])")}});
  EXPECT_EQ(Patch(doc, R"([{"op": "remove", "path": "foo/b"}])"), "{\"foo\": {\"a\", \"c\"}}");
  EXPECT_EQ(Patch(doc, R"([{"op": "add", "path": "foo/d", "value": "d"}])"),
            "{\"foo\": {\"a\", \"b\", \"c\", \"d\"}}");
  EXPECT_EQ(Patch(doc, R"([{"op": "add", "path": "foo/d", "value": "e"}])"), "undefined");
  Value two = Value::Object({{S("foo"), Set(R"(["a", "b"])")}, {S("bar"), Set(R"(["c", "d"])")}});
  EXPECT_EQ(Patch(two, R"([{"op": "move", "from": "foo/a", "path": "bar/a"}])"),
            "{\"bar\": {\"a\", \"c\", \"d\"}, \"foo\": {\"b\"}}");
  // Into a member of a set: [1] becomes [1, 2].
  EXPECT_EQ(Patch(Value::Set({J("[1]")}), R"([{"op": "add", "path": [[1], 1], "value": 2}])"), "{[1, 2]}");
  EXPECT_EQ(
      Patch(
          Value::Set({J("[0]"), S("a")}),
          R"([{"op": "add", "path": [[0], 1], "value": 1}, {"op": "add", "path": [[0, 1], 2], "value": 3}])"),
      "{\"a\", [0, 1, 3]}");
}

}  // namespace
}  // namespace custody::rego
