// Tests for graph.reachable and graph.reachable_paths, mostly OPA's own
// conformance cases (test/cases/testdata/v0/reachable).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class GraphTest : public ::testing::Test {
 protected:
  GraphTest() { RegisterGraph(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    if (b == nullptr) return Error::Internal("no such built-in");
    EXPECT_EQ(b->arity, static_cast<int>(args.size()));
    return b->fn(args, ctx_);
  }

  static Value J(std::string_view json) {
    auto v = ParseJsonValue(json, "test");
    EXPECT_TRUE(v.ok()) << json;
    return v.ok() ? *v : Value();
  }

  static Value S(std::vector<std::string> items) {
    ValueVector v;
    for (auto& s : items) v.push_back(Value::String(s));
    return Value::Set(std::move(v));
  }

  // The set of paths given as a JSON array of arrays.
  static Value Paths(std::string_view json) { return Value::Set(J(json).array()); }

  // A graph whose edge lists are sets rather than arrays.
  static Value SetGraph(std::string_view json) {
    ObjectEntries entries;
    Value graph = J(json);
    for (const auto& [k, v] : graph.object()) {
      entries.emplace_back(k, v.is_array() ? Value::Set(v.array()) : v);
    }
    return Value::Object(std::move(entries));
  }

  std::string Text(const Result<Value>& r) { return r.ok() ? r->ToJson() : "error: " + r.error().message(); }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

TEST_F(GraphTest, Registered) {
  ASSERT_NE(table_.Find("graph.reachable"), nullptr);
  ASSERT_NE(table_.Find("graph.reachable_paths"), nullptr);
  EXPECT_EQ(table_.Find("walk"), nullptr);  // the evaluator's own relation
}

TEST_F(GraphTest, ReachableEmpty) {
  auto r = Call("graph.reachable", {Value::EmptyObject(), S({"a"})});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Value::EmptySet());
}

TEST_F(GraphTest, ReachableCycle) {
  auto r = Call("graph.reachable", {SetGraph(R"({"a": ["b"], "b": ["c"], "c": ["a"]})"), S({"a"})});
  EXPECT_EQ(Text(r), R"(["a","b","c"])");
}

TEST_F(GraphTest, ReachableComponents) {
  Value g = SetGraph(R"({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": [], "e": ["f"], "f": ["e"],
                         "x": ["x"]})");
  auto r = Call("graph.reachable", {g, S({"b", "e"})});
  EXPECT_EQ(Text(r), R"(["b","d","e","f"])");
}

TEST_F(GraphTest, ReachableArrays) {
  auto r = Call("graph.reachable", {J(R"({"a": ["b"], "b": ["c"], "c": ["a"]})"), J(R"(["a"])")});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->is_set());
  EXPECT_EQ(Text(r), R"(["a","b","c"])");
}

TEST_F(GraphTest, ReachableNullEdgesStillReachTheVertex) {
  auto r = Call("graph.reachable", {J(R"({"a": null})"), J(R"(["a"])")});
  EXPECT_EQ(Text(r), R"(["a"])");
}

TEST_F(GraphTest, ReachableIgnoresVerticesNotInTheGraph) {
  auto r =
      Call("graph.reachable", {J(R"({"a": ["b", "zz"], "b": "not edges", "c": ["a"]})"), J(R"(["a", "q"])")});
  EXPECT_EQ(Text(r), R"(["a","b"])");
}

TEST_F(GraphTest, ReachableNonStringVertices) {
  Value g = Value::Object({{Value::Int(1), J("[2]")}, {Value::Int(2), J("[3]")}, {Value::Int(3), J("[]")}});
  auto r = Call("graph.reachable", {g, J("[1]")});
  EXPECT_EQ(Text(r), "[1,2,3]");
}

TEST_F(GraphTest, ReachableLayeredGraphDoesNotExplode) {
  // Complete bipartite layers: OPA's queue would grow as width^depth.
  ObjectEntries entries;
  const int kLayers = 40, kWidth = 8;
  for (int l = 0; l < kLayers; ++l) {
    for (int i = 0; i < kWidth; ++i) {
      ValueVector next;
      if (l + 1 < kLayers) {
        for (int j = 0; j < kWidth; ++j)
          next.push_back(Value::String(std::to_string(l + 1) + "_" + std::to_string(j)));
      }
      entries.emplace_back(Value::String(std::to_string(l) + "_" + std::to_string(i)), Value::Array(next));
    }
  }
  auto r = Call("graph.reachable", {Value::Object(entries), S({"0_0"})});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->size(), static_cast<size_t>(1 + (kLayers - 1) * kWidth));
}

TEST_F(GraphTest, ReachableTypeErrors) {
  auto r = Call("graph.reachable", {Value::Int(1), J("[1]")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(), "eval_type_error: graph.reachable: operand 1 must be object but got number");
  r = Call("graph.reachable", {J(R"({"a": []})"), Value::String("a")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "eval_type_error: graph.reachable: operand 2 must be one of {array, set} but got string");
  r = Call("graph.reachable", {J(R"({"a": []})"), J(R"({"a": 1})")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "eval_type_error: graph.reachable: operand 2 must be one of {array, set} but got object");
}

TEST_F(GraphTest, PathsEmpty) {
  auto r = Call("graph.reachable_paths", {Value::EmptyObject(), S({"a"})});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Value::EmptySet());
}

TEST_F(GraphTest, PathsCycle) {
  auto r = Call("graph.reachable_paths", {SetGraph(R"({"a": ["b"], "b": ["c"], "c": ["a"]})"), S({"a"})});
  EXPECT_EQ(*r, Paths(R"([["a","b","c"]])"));
}

TEST_F(GraphTest, PathsComponents) {
  Value g = SetGraph(R"({"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": [], "e": ["f"], "f": ["e"],
                         "x": ["x"]})");
  auto r = Call("graph.reachable_paths", {g, S({"b", "e"})});
  EXPECT_EQ(*r, Paths(R"([["b","d"],["e","f"]])"));
}

TEST_F(GraphTest, PathsArrays) {
  auto r = Call("graph.reachable_paths", {J(R"({"a": ["b"], "b": ["c"], "c": ["a"]})"), J(R"(["a"])")});
  EXPECT_EQ(*r, Paths(R"([["a","b","c"]])"));
}

TEST_F(GraphTest, PathsMalformed) {
  auto r = Call("graph.reachable_paths", {Value::Int(1), J("[1]")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "eval_type_error: graph.reachable_paths: operand 1 must be object but got number");
  r = Call("graph.reachable_paths", {J(R"({"a": null})"), J(R"(["a"])")});
  EXPECT_EQ(*r, Paths(R"([["a"]])"));
  r = Call("graph.reachable_paths", {J(R"({"a": []})"), Value::String("a")});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message(),
            "eval_type_error: graph.reachable_paths: operand 2 must be one of {array, set} but got string");
}

TEST_F(GraphTest, PathsMultiple) {
  auto r = Call("graph.reachable_paths", {J(R"({"a": ["b", "c"], "b": ["c"], "c": []})"), S({"a"})});
  EXPECT_EQ(*r, Paths(R"([["a","b","c"],["a","c"]])"));
}

TEST_F(GraphTest, PathsSharedAncestor) {
  auto r = Call("graph.reachable_paths",
                {J(R"({"1": [], "2": ["1"], "3": ["2"], "4": ["3", "2"], "5": ["4"]})"), J(R"(["5"])")});
  EXPECT_EQ(*r, Paths(R"([["5","4","2","1"],["5","4","3","2","1"]])"));
}

TEST_F(GraphTest, PathsInvalidEnd) {
  auto r = Call("graph.reachable_paths", {J(R"({"a": ["b"], "b": ["nonexistent"]})"), S({"a", "b"})});
  EXPECT_EQ(*r, Paths(R"([["a","b"],["b"]])"));
}

TEST_F(GraphTest, Paths1022) {
  const char* g1 = R"({"one": ["two","five"], "two": ["four"], "three": [""], "four": ["three"],
                       "five": ["seven","six"], "six": ["nine"], "seven": ["eight"], "eight": [""],
                       "nine": [""]})";
  const char* want1 = R"([["one","five","seven","eight"],["one","five","six","nine"],
                          ["one","two","four","three"]])";
  EXPECT_EQ(*Call("graph.reachable_paths", {J(g1), S({"one"})}), Paths(want1));
  EXPECT_EQ(*Call("graph.reachable_paths", {SetGraph(g1), S({"one"})}), Paths(want1));

  const char* g3 = R"({"one": ["two","five"], "two": ["four"], "three": [""], "four": ["three"],
                       "five": ["seven","six"], "six": ["nine","seven"], "seven": ["eight"],
                       "eight": ["three"], "nine": [""]})";
  EXPECT_EQ(*Call("graph.reachable_paths", {J(g3), S({"one"})}),
            Paths(R"([["one","five","seven","eight","three"],["one","five","six","nine"],
                      ["one","five","six","seven","eight","three"],["one","two","four","three"]])"));
}

TEST_F(GraphTest, PathsSelfLoopAtStart) {
  // OPA starts each path from the start vertex's neighbours with only the
  // start marked as reached, so a self-loop there repeats the start once.
  auto r = Call("graph.reachable_paths", {J(R"({"a": ["a", "b"], "b": ["b"]})"), S({"a"})});
  EXPECT_EQ(Text(r), R"([["a","a"],["a","a","b"],["a","b"]])");
}

TEST_F(GraphTest, PathsLongChainDoesNotRecurse) {
  ObjectEntries entries;
  const int kLength = 200000;
  for (int i = 0; i < kLength; ++i) {
    ValueVector next;
    if (i + 1 < kLength) next.push_back(Value::Int(i + 1));
    entries.emplace_back(Value::Int(i), Value::Array(next));
  }
  auto r = Call("graph.reachable_paths", {Value::Object(entries), J("[0]")});
  ASSERT_TRUE(r.ok()) << r.error().message();
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ(r->set()[0].size(), static_cast<size_t>(kLength));
}

TEST_F(GraphTest, PathsExplosionIsBounded) {
  // A ladder of 40 diamonds has 2^40 paths.
  ObjectEntries entries;
  for (int i = 0; i < 40; ++i) {
    std::string n = std::to_string(i);
    std::string next = std::to_string(i + 1);
    entries.emplace_back(Value::String(n), Value::Array({Value::String(n + "l"), Value::String(n + "r")}));
    entries.emplace_back(Value::String(n + "l"), Value::Array({Value::String(next)}));
    entries.emplace_back(Value::String(n + "r"), Value::Array({Value::String(next)}));
  }
  auto r = Call("graph.reachable_paths", {Value::Object(entries), S({"0"})});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(
      r.error().message().rfind("eval_builtin_error: graph.reachable_paths: graph has too many paths", 0), 0u)
      << r.error().message();
}

}  // namespace
}  // namespace custody::rego
