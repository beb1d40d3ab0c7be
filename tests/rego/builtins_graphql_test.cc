// Tests for the graphql.* built-ins and the GraphQL parser and validator
// behind them: the AST shape OPA returns, gqlparser's error texts as OPA
// rewords them, validation results, documents given back as objects, and
// hostile input (deep nesting, size, pathological validation work).
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/graphql_parser.h"

namespace custody::rego {
namespace {

class GraphqlTest : public ::testing::Test {
 protected:
  GraphqlTest() { RegisterGraphql(table_); }

  Result<Value> Call(std::string_view name, std::vector<Value> args) {
    const Builtin* b = table_.Find(name);
    EXPECT_NE(b, nullptr) << name;
    return b->fn(args, ctx_);
  }

  static Value Json(std::string_view text) {
    auto v = ParseJsonValue(text, "test");
    EXPECT_TRUE(v.ok()) << text;
    return v.ok() ? *v : Value();
  }

  static Value S(std::string_view s) { return Value::String(s); }

  void ExpectValue(const Result<Value>& r, std::string_view json) {
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(*r, Json(json)) << r->ToJson();
  }

  void ExpectError(const Result<Value>& r, std::string_view message) {
    ASSERT_FALSE(r.ok()) << r->ToJson();
    EXPECT_EQ(r.error().message(), message);
  }

  void ExpectBool(const Result<Value>& r, bool want) {
    ASSERT_TRUE(r.ok()) << r.error().message();
    EXPECT_EQ(*r, Value::Bool(want));
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

constexpr std::string_view kDogSchema = R"(
  type Query { dog(id: ID): Dog  e(v: Cmd): Int  i(v: Int): Int  j: String }
  type Dog { name(surname: Boolean): String  nick: String }
  enum Cmd { SIT DOWN }
)";

TEST_F(GraphqlTest, RegistersTheGroup) {
  const std::pair<const char*, int> want[] = {
      {"graphql.is_valid", 2},    {"graphql.parse", 2},        {"graphql.parse_and_verify", 2},
      {"graphql.parse_query", 1}, {"graphql.parse_schema", 1}, {"graphql.schema_is_valid", 1},
  };
  EXPECT_EQ(table_.all().size(), 6u);
  for (const auto& [name, arity] : want) {
    const Builtin* b = table_.Find(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_EQ(b->arity, arity) << name;
  }
}

// ---- graphql.parse_query ----

TEST_F(GraphqlTest, ParseQuerySimple) {
  ExpectValue(Call("graphql.parse_query", {S("{hero {name}}")}),
              R"({"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [{"Alias": "hero",
                  "Name": "hero", "SelectionSet": [{"Alias": "name", "Name": "name"}]}]}]})");
}

TEST_F(GraphqlTest, ParseQueryEveryConstruct) {
  const char* query =
      R"(query Q($v: Int = 3) @dir(a: "\u00e9\n") { a: f(x: 1.5e3, y: [1, {z: null}]) ...F ... on T { g } })"
      " fragment F on T { h }";
  ExpectValue(Call("graphql.parse_query", {S(query)}),
              R"({"Fragments": [{"Name": "F", "SelectionSet": [{"Alias": "h", "Name": "h"}],
          "TypeCondition": "T"}], "Operations": [{"Directives": [{"Arguments": [{"Name": "a",
          "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "é\n"}}], "Location": "",
          "Name": "dir"}], "Name": "Q", "Operation": "query", "SelectionSet": [{"Alias": "a",
          "Arguments": [{"Name": "x", "Value": {"ExpectedTypeHasDefault": false, "Kind": 2,
          "Raw": "1.5e3"}}, {"Name": "y", "Value": {"Children": [{"Name": "",
          "Value": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "1"}}, {"Name": "",
          "Value": {"Children": [{"Name": "z", "Value": {"ExpectedTypeHasDefault": false, "Kind": 6,
          "Raw": "null"}}], "ExpectedTypeHasDefault": false, "Kind": 9, "Raw": ""}}],
          "ExpectedTypeHasDefault": false, "Kind": 8, "Raw": ""}}], "Name": "f"}, {"Name": "F"},
          {"SelectionSet": [{"Alias": "g", "Name": "g"}], "TypeCondition": "T"}],
          "VariableDefinitions": [{"DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 1,
          "Raw": "3"}, "Type": {"NamedType": "Int", "NonNull": false}, "Used": false, "Variable": "v"}]}]})");
}

TEST_F(GraphqlTest, ParseQueryStringsAndTypes) {
  ExpectValue(Call("graphql.parse_query", {S("query ($arr: [Arr], $nn: [Arr!]!) { f(long: \"\"\"\n    block "
                                             "\\\"\"\"\n  \"\"\", b: true) }")}),
              R"({"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [{"Alias": "f",
          "Arguments": [{"Name": "long", "Value": {"ExpectedTypeHasDefault": false, "Kind": 4,
          "Raw": "block \"\"\""}}, {"Name": "b", "Value": {"ExpectedTypeHasDefault": false, "Kind": 5,
          "Raw": "true"}}], "Name": "f"}], "VariableDefinitions": [{"Type": {"Elem": {"NamedType": "Arr",
          "NonNull": false}, "NamedType": "", "NonNull": false}, "Used": false, "Variable": "arr"},
          {"Type": {"Elem": {"NamedType": "Arr", "NonNull": true}, "NamedType": "", "NonNull": true},
          "Used": false, "Variable": "nn"}]}]})");
}

TEST_F(GraphqlTest, ParseQueryEmptyDocuments) {
  ExpectValue(Call("graphql.parse_query", {S("")}), "{}");
  ExpectValue(Call("graphql.parse_query", {S("# only a comment\n\xEF\xBB\xBF ,,")}), "{}");
}

TEST_F(GraphqlTest, ParseQueryErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"{", "Expected Name, found <EOF> in GraphQL string at location 1:2"},
      {"\n  { ...MissingOn }\n  fragment MissingOn Type\n",
       "Expected \"on\", found Name \"Type\" in GraphQL string at location 3:22"},
      {"{ field: {} }", "Expected Name, found { in GraphQL string at location 1:10"},
      {"notanoperation Foo { field }",
       "Unexpected Name \"notanoperation\" in GraphQL string at location 1:1"},
      {"...", "Unexpected ... in GraphQL string at location 1:1"},
      {"query Foo($x: Complex = { a: { b: [ $var ] } }) { field }",
       "Unexpected $ in GraphQL string at location 1:37"},
      {"fragment on on on { on }", "Unexpected Name \"on\" in GraphQL string at location 1:10"},
      {"{ ...on }", "Expected Name, found } in GraphQL string at location 1:9"},
      {"{__typename{...}}", "Expected {, found } in GraphQL string at location 1:16"},
      {"{...{__typename{...{}}}}",
       "expected at least one definition, found } in GraphQL string at location 1:21"},
      // Lexer failures surface as an invalid token at the lexer's position.
      {"{ f(a: \"unterminated) }", "Unexpected <Invalid> in GraphQL string at location 1:24"},
      {"{ f(a: 'x') }", "Unexpected <Invalid> in GraphQL string at location 1:8"},
      {"{ f(a: 01) }", "Unexpected <Invalid> in GraphQL string at location 1:9"},
      {"{ f(a: \"\\u12\") }", "Unexpected <Invalid> in GraphQL string at location 1:10"},
      {"{ \xC3\xA9 }", "Expected Name, found <Invalid> in GraphQL string at location 1:3"},
      // Columns count runes, not bytes.
      {"{ f(a: \"\xE0\xA8\x8A\xE0\xA8\x8A\") x: }",
       "Expected Name, found } in GraphQL string at location 1:17"},
  };
  for (const auto& [query, message] : cases) {
    ExpectError(Call("graphql.parse_query", {S(query)}),
                std::string("eval_builtin_error: graphql.parse_query: ") + message);
  }
}

TEST_F(GraphqlTest, ParseQueryOperandType) {
  ExpectError(Call("graphql.parse_query", {Value::Int(5)}),
              "eval_type_error: graphql.parse_query: operand 1 must be string but got number");
  ExpectError(Call("graphql.parse_query", {Json("{}")}),
              "eval_type_error: graphql.parse_query: operand 1 must be string but got object");
}

// ---- graphql.parse_schema ----

TEST_F(GraphqlTest, ParseSchemaEveryConstruct) {
  ExpectValue(Call("graphql.parse_schema",
                   {S("schema { query: Q } type Q { a(x: Int = 1 @deprecated): [String!]! "
                      "@deprecated(reason: \"no\") } "
                      "enum E { A B } input I { f: Int = 2 } union U = Q directive @d(a: Int) repeatable on "
                      "FIELD | QUERY "
                      "scalar S @specifiedBy(url: \"u\") interface N { id: ID } extend schema @d")}),
              R"({"Definitions": [{"BuiltIn": false, "Description": "",
                  "Fields": [{"Arguments": [{"DefaultValue": {"ExpectedTypeHasDefault": false, "Kind": 1,
                  "Raw": "1"}, "Description": "", "Directives": [{"Location": "", "Name": "deprecated"}],
                  "Name": "x", "Type": {"NamedType": "Int", "NonNull": false}}], "Description": "",
                  "Directives": [{"Arguments": [{"Name": "reason",
                  "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "no"}}], "Location": "",
                  "Name": "deprecated"}], "Name": "a", "Type": {"Elem": {"NamedType": "String",
                  "NonNull": true}, "NamedType": "", "NonNull": true}}], "Kind": "OBJECT", "Name": "Q"},
                  {"BuiltIn": false, "Description": "", "EnumValues": [{"Description": "", "Name": "A"},
                  {"Description": "", "Name": "B"}], "Kind": "ENUM", "Name": "E"}, {"BuiltIn": false,
                  "Description": "", "Fields": [{"DefaultValue": {"ExpectedTypeHasDefault": false,
                  "Kind": 1, "Raw": "2"}, "Description": "", "Name": "f", "Type": {"NamedType": "Int",
                  "NonNull": false}}], "Kind": "INPUT_OBJECT", "Name": "I"}, {"BuiltIn": false,
                  "Description": "", "Kind": "UNION", "Name": "U", "Types": ["Q"]}, {"BuiltIn": false,
                  "Description": "", "Directives": [{"Arguments": [{"Name": "url",
                  "Value": {"ExpectedTypeHasDefault": false, "Kind": 3, "Raw": "u"}}], "Location": "",
                  "Name": "specifiedBy"}], "Kind": "SCALAR", "Name": "S"}, {"BuiltIn": false,
                  "Description": "", "Fields": [{"Description": "", "Name": "id",
                  "Type": {"NamedType": "ID", "NonNull": false}}], "Kind": "INTERFACE", "Name": "N"}],
                  "Directives": [{"Arguments": [{"Description": "", "Name": "a",
                  "Type": {"NamedType": "Int", "NonNull": false}}], "Description": "",
                  "IsRepeatable": true, "Locations": ["FIELD", "QUERY"], "Name": "d"}],
                  "Schema": [{"Description": "", "OperationTypes": [{"Operation": "query", "Type": "Q"}]}],
                  "SchemaExtension": [{"Description": "", "Directives": [{"Location": "", "Name": "d"}]}]})");
}

TEST_F(GraphqlTest, ParseSchemaDescriptionsAndExtensions) {
  ExpectValue(
      Call("graphql.parse_schema", {S("\n  \"\"\"\n  Description\n  \"\"\"\n  type Hello { world: String }\n"
                                      "  extend type Hello implements Greeting\n")}),
      R"({"Definitions": [{"BuiltIn": false, "Description": "Description", "Fields": [{"Description": "",
          "Name": "world", "Type": {"NamedType": "String", "NonNull": false}}], "Kind": "OBJECT",
          "Name": "Hello"}], "Extensions": [{"BuiltIn": false, "Description": "",
          "Interfaces": ["Greeting"], "Kind": "OBJECT", "Name": "Hello"}]})");
  ExpectValue(Call("graphql.parse_schema", {S("")}), "{}");
}

TEST_F(GraphqlTest, ParseSchemaErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"type Hello {}", "expected at least one definition, found } in GraphQL string at location 1:13"},
      {"extend type Hello", "Unexpected <EOF> in GraphQL string at location 1:18"},
      {"\n  \"Description\"\n  extend type Hello {\n    world: String\n  }\n",
       "Unexpected String \"Description\" in GraphQL string at location 2:4"},
      {"\n  extend \"Description\" type Hello {\n    world: String\n  }\n",
       "Unexpected String \"Description\" in GraphQL string at location 2:11"},
      {"extend schema", "Unexpected <EOF> in GraphQL string at location 1:14"},
      {"union Hello = || Wo | Rld", "Expected Name, found | in GraphQL string at location 1:16"},
      {"union Hello = | Wo | Rld |", "Expected Name, found <EOF> in GraphQL string at location 1:27"},
      {"input Hello {\n  world(foo: Int): String\n}",
       "Expected :, found ( in GraphQL string at location 2:8"},
      {"directive @foo on FIELD | INCORRECT_LOCATION",
       "Unexpected Name \"INCORRECT_LOCATION\" in GraphQL string at location 1:27"},
      {"type o{d(g:[", "Expected Name, found <EOF> in GraphQL string at location 1:13"},
      {"\"\"\"\r", "Unexpected <Invalid> in GraphQL string at location 2:1"},
  };
  for (const auto& [schema, message] : cases) {
    ExpectError(Call("graphql.parse_schema", {S(schema)}),
                std::string("eval_builtin_error: graphql.parse_schema: ") + message);
  }
  ExpectError(Call("graphql.parse_schema", {Value::Bool(true)}),
              "eval_type_error: graphql.parse_schema: operand 1 must be string but got boolean");
}

// ---- graphql.parse ----

TEST_F(GraphqlTest, ParseReturnsBothDocuments) {
  ExpectValue(
      Call("graphql.parse", {S("{ e(v: SIT) }"), S("type Query { e(v: Cmd): Int } enum Cmd { SIT }")}),
      R"([{"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [{"Alias": "e",
          "Arguments": [{"Name": "v", "Value": {"ExpectedTypeHasDefault": false, "Kind": 7,
          "Raw": "SIT"}}], "Name": "e"}]}]}, {"Definitions": [{"BuiltIn": false, "Description": "",
          "Fields": [{"Arguments": [{"Description": "", "Name": "v", "Type": {"NamedType": "Cmd",
          "NonNull": false}}], "Description": "", "Name": "e", "Type": {"NamedType": "Int",
          "NonNull": false}}], "Kind": "OBJECT", "Name": "Query"}, {"BuiltIn": false, "Description": "",
          "EnumValues": [{"Description": "", "Name": "SIT"}], "Kind": "ENUM", "Name": "Cmd"}]}])");
}

TEST_F(GraphqlTest, ParseValidationErrors) {
  const std::pair<const char*, const char*> cases[] = {
      {"\n  query SomeOperation {\n    myAction {\n      name\n    }\n  }\n",
       "Field \"myAction\" argument \"myEnum\" of type \"Locale!\" is required, but it was not provided in "
       "GraphQL "
       "string at location 3:5"},
      {"{ dog { nme } }",
       "Cannot query field \"nme\" on type \"Dog\". Did you mean \"name\"?\n in GraphQL string at "
       "location 1:9"},
      {"query ($v: String) { dog(id: $v) { name } }",
       "Variable \"$v\" of type \"String\" used in position expecting type \"ID\" in GraphQL string at "
       "location 1:30"},
      {"{ e(v: SITT) }",
       "Value \"SITT\" does not exist in \"Cmd\" enum. Did you mean the enum value \"SIT\"?\n in "
       "GraphQL string at location 1:8"},
      {"{ e(v: \"SIT\") }",
       "Enum \"Cmd\" cannot represent non-enum value: \"SIT\". Did you mean the enum value "
       "\"SIT\"?\n in GraphQL string at location 1:9"},
      {"{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }",
       "Cannot spread fragment \"A\" within itself via \"B\" in GraphQL string at location 1:64"},
      {"{ a: i b: i(v: 1) a: j }",
       "Fields \"a\" conflict because \"i\" and \"j\" are different fields. Use "
       "different aliases on the fields to fetch both if this was intentional in GraphQL "
       "string at location 1:19"},
      {"query Q($a: Int!) { j }",
       "Variable \"$a\" is never used in operation \"Q\" in GraphQL string at location 1:9"},
      // gqlparser's message has no final period, so OPA's trimming keeps the newline.
      {"mutation { j }",
       "Schema does not support operation type \"mutation\"\n in GraphQL string at location 1:1"},
      // Every error is reported, one a line, at the first one's location.
      {"{ z0 z1 }",
       "Cannot query field \"z0\" on type \"Query\".\ninput:1:6: Cannot query field \"z1\" on type "
       "\"Query\" in GraphQL string at location 1:3"},
  };
  std::string schema =
      std::string(kDogSchema) + "extend type Query { myAction(myEnum: Locale!): Dog }  enum Locale { EN DE }";
  for (const auto& [query, message] : cases) {
    ExpectError(Call("graphql.parse", {S(query), S(schema)}),
                std::string("eval_builtin_error: graphql.parse: ") + message);
  }
}

TEST_F(GraphqlTest, ParseSchemaConversionErrors) {
  ExpectError(Call("graphql.parse", {S("{ x }"), S("type Query { x: Foo }")}),
              "eval_builtin_error: graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: "
              "input:1:17: Undefined type Foo.");
  ExpectError(Call("graphql.parse", {S("{ x }"), S("type Query { x: Int } type Query { y: Int }")}),
              "eval_builtin_error: graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: "
              "input:1:28: Cannot redeclare type Query.");
}

TEST_F(GraphqlTest, ParseStepsInOpaOrder) {
  // The query is parsed first, then the schema.
  ExpectError(
      Call("graphql.parse", {S("{"), S("type {")}),
      "eval_builtin_error: graphql.parse: Expected Name, found <EOF> in GraphQL string at location 1:2");
  ExpectError(Call("graphql.parse", {S("{ x }"), S("type {")}),
              "eval_builtin_error: graphql.parse: Expected Name, found { in GraphQL string at location 1:6");
  // OPA numbers these two operands from 0.
  ExpectError(Call("graphql.parse", {Value::Int(1), S("type Query { x: Int }")}),
              "eval_type_error: graphql.parse: operand 0 must be one of {string, object} but got number");
  ExpectError(Call("graphql.parse", {S("{ x }"), Value::Bool(true)}),
              "eval_type_error: graphql.parse: operand 1 must be one of {string, object} but got boolean");
}

// ---- graphql.parse_and_verify, graphql.is_valid, graphql.schema_is_valid ----

TEST_F(GraphqlTest, ParseAndVerify) {
  ExpectValue(Call("graphql.parse_and_verify", {S("{ j }"), S("type Query { j: String }")}),
              R"([true, {"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [{"Alias": "j",
                  "Name": "j"}]}]}, {"Definitions": [{"BuiltIn": false, "Description": "",
                  "Fields": [{"Description": "", "Name": "j", "Type": {"NamedType": "String",
                  "NonNull": false}}], "Kind": "OBJECT", "Name": "Query"}]}])");
  for (const auto& [q, s] : std::vector<std::pair<Value, Value>>{
           {S("{ k }"), S("type Query { j: String }")},
           {S("{"), S("type Query { j: String }")},
           {S("{ j }"), S("")},
           {Value::Int(3), S("type Query { j: String }")},
           {S("{ j }"), Value::Null()},
       }) {
    ExpectValue(Call("graphql.parse_and_verify", {q, s}), "[false, {}, {}]");
  }
}

TEST_F(GraphqlTest, IsValid) {
  ExpectBool(Call("graphql.is_valid", {S("{ dog { name } }"), S(kDogSchema)}), true);
  ExpectBool(Call("graphql.is_valid", {S("{ dog }"), S(kDogSchema)}), false);
  ExpectBool(Call("graphql.is_valid", {S(""), S(kDogSchema)}), true);
  // Extending types that do not exist is allowed.
  ExpectBool(Call("graphql.is_valid", {S("{ entity { ... on User { id } } }"),
                                       S("extend type User { id: ID! } union _Entity = User "
                                         "extend type Query { entity: _Entity }")}),
             true);
  // A default on the variable makes a non-null one acceptable.
  ExpectBool(Call("graphql.is_valid", {S("query ($l: Locale! = DE) { a(e: $l) }"),
                                       S("type Query { a(e: Locale!): Int } enum Locale { EN DE }")}),
             true);
  // Variables used only inside fragments count as used.
  ExpectBool(Call("graphql.is_valid", {S("query Foo($flag: Boolean!) { ...Bar } "
                                         "fragment Bar on Query { bar @include(if: $flag) }"),
                                       S("type Query { bar: String! }")}),
             true);
  ExpectBool(Call("graphql.is_valid", {S("{ __typename __schema { types { name } } }"), S(kDogSchema)}),
             true);
  ExpectBool(Call("graphql.is_valid", {Value::Int(1), S(kDogSchema)}), false);
  ExpectBool(Call("graphql.is_valid", {S("{ j }"), Value::EmptyArray()}), false);
  ExpectBool(Call("graphql.is_valid", {S("{ j }"), S("type Query { j: Nope }")}), false);
}

TEST_F(GraphqlTest, SchemaIsValid) {
  const std::pair<const char*, bool> cases[] = {
      {"type Hello { world: String }", true},
      {"", true},  // the prelude alone is a schema
      {"type Hello {}", false},
      {"extend type Hello implements Greeting", false},
      {"extend scalar Foo @deprecated extend type Foo @deprecated", false},
      {"schema { query: Query }", false},
      {"type Hello implements World { field: String }", false},
      {"interface IA { id: ID! } interface IIA implements IA { id: ID! } type A implements IIA { id: ID! }",
       false},
      {"union Hello = World", false},
      {"type Query { x: Int } directive @directive(a: String = \"b\") on SCHEMA extend schema @directive",
       true},
      {"type Q { p(i: P): Int } type P { x: Int } input I { p: P }", false},
      {"type Q { __x: Int }", false},
      {"enum E { true }", false},
      {"directive @skip(if: Boolean!) on FIELD", true},
      {"directive @d on FIELD directive @d on FIELD", false},
  };
  for (const auto& [schema, valid] : cases) {
    SCOPED_TRACE(schema);
    ExpectBool(Call("graphql.schema_is_valid", {S(schema)}), valid);
  }
  ExpectBool(Call("graphql.schema_is_valid", {Value::Int(1)}), false);
}

// ---- Documents given back as objects ----

TEST_F(GraphqlTest, ObjectsRoundTrip) {
  auto query = Call("graphql.parse_query", {S("query ($v: ID) { dog(id: $v) { name(surname: true) } }")});
  auto schema = Call("graphql.parse_schema", {S(kDogSchema)});
  ASSERT_TRUE(query.ok() && schema.ok());
  auto parsed = Call("graphql.parse", {*query, *schema});
  ASSERT_TRUE(parsed.ok()) << parsed.error().message();
  EXPECT_EQ(*parsed, Value::Array({*query, *schema}));
  ExpectBool(Call("graphql.is_valid", {*query, *schema}), true);
  ExpectBool(Call("graphql.schema_is_valid", {*schema}), true);
}

TEST_F(GraphqlTest, ObjectsDecodeAsGoDoes) {
  // Keys match case-insensitively; a missing Alias stays empty.
  ExpectValue(
      Call("graphql.parse", {Json(R"({"operations": [{"Operation": "query", "SelectionSet": [{"Name": "i",
                                      "Arguments": [{"name": "v", "value": {"kind": 1, "raw": "1"}}]}]}]})"),
                             S("type Query { i(v: Int): Int }")}),
      R"([{"Operations": [{"Name": "", "Operation": "query", "SelectionSet": [{"Alias": "",
          "Arguments": [{"Name": "v", "Value": {"ExpectedTypeHasDefault": false, "Kind": 1, "Raw": "1"}}],
          "Name": "i"}]}]}, {"Definitions": [{"BuiltIn": false, "Description": "",
          "Fields": [{"Arguments": [{"Description": "", "Name": "v", "Type": {"NamedType": "Int",
          "NonNull": false}}], "Description": "", "Name": "i", "Type": {"NamedType": "Int",
          "NonNull": false}}], "Kind": "OBJECT", "Name": "Query"}]}])");
  // gqlparser decodes every selection object as a field first, so a fragment
  // spread given back as an object is a field named after the fragment.
  Value spread = Json(R"({"Operations": [{"Operation": "query", "SelectionSet": [{"Name": "Bar"}]}]})");
  ExpectBool(Call("graphql.is_valid", {spread, S("type Query { Bar: Int }")}), true);
  // A selection that is not a valid field falls back to a fragment spread.
  Value bad_field = Json(R"({"Operations": [{"Operation": "query",
                             "SelectionSet": [{"Name": "x", "Arguments": [{"Name": 5}]}]}]})");
  ExpectError(Call("graphql.parse", {bad_field, S("type Query { x: Int }")}),
              "eval_builtin_error: graphql.parse: Unknown fragment \"x\" in GraphQL string");
  // Objects have no positions: schema errors are at -1:-1.
  Value undefined_type = Json(R"({"Definitions": [{"Kind": "OBJECT", "Name": "Query",
                                  "Fields": [{"Name": "x", "Type": {"NamedType": "Nope"}}]}]})");
  ExpectError(Call("graphql.parse", {S("{ x }"), undefined_type}),
              "eval_builtin_error: graphql.parse: Error in gqlparser SchemaDocument to Schema conversion: "
              "input:-1:-1: Undefined type Nope.");
  ExpectError(Call("graphql.parse", {Json(R"({"Operations": 5})"), S("type Query { x: Int }")}),
              "eval_builtin_error: graphql.parse: json: cannot unmarshal number into Go struct field "
              "QueryDocument.Operations of type list");
  // OPA's "undefined argument schema ast" case.
  Value mutation = Json(R"({"Operations": [{"Operation": "mutation", "SelectionSet": [{"Alias": "x",
      "Name": "x", "Arguments": [{"Name": "a", "Value": {"Kind": 7, "Raw": "b"}}]}]}]})");
  Value schema = Json(R"({"Definitions": [
      {"Kind": "OBJECT", "Name": "Query", "Fields": [{"Name": "bar", "Type": {"NamedType": "String"}}]},
      {"Kind": "OBJECT", "Name": "Mutation", "Fields": [{"Name": "x", "Type": {"NamedType": "String"}}]}]})");
  ExpectBool(Call("graphql.is_valid", {mutation, schema}), false);
  ExpectBool(Call("graphql.schema_is_valid", {Json(R"({"Definitions": [{"Kind": 3}]})")}), false);
  // An argument without a value, a null selection (an empty field) and a
  // number (dropped).
  Value odd = Json(R"({"Operations": [{"Operation": "query",
                       "SelectionSet": [{"Name": "x", "Arguments": [{"Name": "a"}]}, null, 7]}]})");
  ExpectBool(Call("graphql.is_valid", {odd, S("type Query { x(a: Int): Int }")}), false);
}

// ---- Limits and hostile input ----

TEST_F(GraphqlTest, NestingIsBounded) {
  std::string deep_selection;
  for (int i = 0; i < 100000; ++i) deep_selection += "{a";
  ExpectError(
      Call("graphql.parse_query", {S(deep_selection)}),
      "eval_builtin_error: graphql.parse_query: exceeded maximum nesting depth of 200 in GraphQL string at "
      "location 1:401");
  std::string deep_list = "{ f(a: " + std::string(300, '[') + "1" + std::string(300, ']') + ") }";
  ExpectError(
      Call("graphql.parse_query", {S(deep_list)}),
      "eval_builtin_error: graphql.parse_query: exceeded maximum nesting depth of 200 in GraphQL string at "
      "location 1:207");
  std::string deep_type = "type Q { f: " + std::string(100000, '[') + "Int }";
  auto r = Call("graphql.parse_schema", {S(deep_type)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("exceeded maximum nesting depth"), std::string::npos);
  // Nesting that fits parses.
  std::string ok_selection;
  for (int i = 0; i < 150; ++i) ok_selection += "{a";
  ok_selection += std::string(150, '}');
  EXPECT_TRUE(Call("graphql.parse_query", {S(ok_selection)}).ok());
}

TEST_F(GraphqlTest, SizeIsBounded) {
  std::string big = "{ a }" + std::string(5 << 20, ' ');
  ExpectError(
      Call("graphql.parse_query", {S(big)}),
      "eval_builtin_error: graphql.parse_query: GraphQL document too large (5242885 bytes; the limit is "
      "4194304) in GraphQL string at location 1:1");
  ExpectBool(Call("graphql.schema_is_valid", {S(big)}), false);
}

TEST_F(GraphqlTest, DeepFragmentChainsAndObjectsAreBounded) {
  const char* schema = "type Query { a: Query b: Int }";
  std::string query = "{ ...F0 }";
  for (int i = 0; i < 3000; ++i) {
    query += " fragment F" + std::to_string(i) + " on Query { a { ...F" + std::to_string(i + 1) + " } }";
  }
  query += " fragment F3000 on Query { b }";
  ExpectBool(Call("graphql.is_valid", {S(query), S(schema)}), false);

  std::string object = R"({"Name": "b"})";
  for (int i = 0; i < 900; ++i) object = R"({"Alias": "a", "Name": "a", "SelectionSet": [)" + object + "]}";
  Value doc = Json(R"({"Operations": [{"Operation": "query", "SelectionSet": [)" + object + "]}]}");
  ExpectError(Call("graphql.parse", {doc, S(schema)}),
              "eval_builtin_error: graphql.parse: json: GraphQL AST object too large or nested too deeply");
}

TEST_F(GraphqlTest, PathologicalValidationStops) {
  // Overlapping-field checks grow exponentially with repeated nested fields;
  // the work budget ends them (gqlparser would run for minutes).
  std::function<std::string(int)> nest = [&](int d) -> std::string {
    if (d == 0) return "b";
    std::string inner = nest(d - 1);
    return "a { " + inner + " } a { " + inner + " } a { " + inner + " }";
  };
  auto start = std::chrono::steady_clock::now();
  ExpectBool(Call("graphql.is_valid", {S("{ " + nest(9) + " }"), S("type Query { a: Query b: Int }")}),
             false);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60));
  ExpectBool(Call("graphql.is_valid", {S("{ " + nest(3) + " }"), S("type Query { a: Query b: Int }")}), true);
}

TEST_F(GraphqlTest, RandomInputNeverCrashes) {
  static const char* const kPieces[] = {
      "{",          "}",      "(",          ")",     "[",        "]",      ":",         "$",
      "@",          "!",      "=",          "|",     "&",        "...",    "\"s\"",     "\"\"\"b\"\"\"",
      "1",          "-2.5e3", "on",         "query", "fragment", "x",      "Query",     "type",
      "extend",     "schema", "input",      "enum",  "union",    "scalar", "interface", "directive",
      "implements", "#c\n",   "\n",         "\"",    "\\",       "\xC3",   "'",         "0x",
      "null",       "true",   "__typename",
  };
  std::mt19937 rng(12345);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    int n = static_cast<int>(rng() % 40);
    for (int k = 0; k < n; ++k) {
      text += kPieces[rng() % (sizeof(kPieces) / sizeof(kPieces[0]))];
      text += ' ';
    }
    (void)Call("graphql.parse_query", {S(text)});
    (void)Call("graphql.parse_schema", {S(text)});
    ExpectBool(Call("graphql.schema_is_valid", {S(text)}),
               Call("graphql.schema_is_valid", {S(text)}).ok() &&
                   Call("graphql.schema_is_valid", {S(text)})->is_true());
    (void)Call("graphql.is_valid", {S(text), S("type Query { x(a: Int): Query y: Int } " + text)});
  }
}

// ---- Internals ----

TEST(GraphqlInternals, GoQuote) {
  EXPECT_EQ(graphql::GoQuote("plain"), "\"plain\"");
  EXPECT_EQ(graphql::GoQuote("a\"b\\c\n\t\x01\x7f"), "\"a\\\"b\\\\c\\n\\t\\x01\\x7f\"");
  EXPECT_EQ(graphql::GoQuote("\xC3\xA9\xE2\x80\xA8"), "\"\xC3\xA9\\u2028\"");
  EXPECT_EQ(graphql::GoQuote("\xFF"), "\"\\xff\"");
}

TEST(GraphqlInternals, ValidationAnnotatesLikeGqlparser) {
  graphql::Arena arena;
  graphql::GqlError error;
  graphql::QueryDocument* doc = graphql::ParseQuery(arena, "query ($v: Int) { f(a: $v) }", &error);
  ASSERT_NE(doc, nullptr);
  graphql::SchemaDocument* prelude = graphql::ParsePrelude(arena);
  ASSERT_NE(prelude, nullptr);
  graphql::SchemaDocument* user =
      graphql::ParseSchema(arena, "type Query { f(a: Int = 1): Int }", false, &error);
  ASSERT_NE(user, nullptr);
  graphql::SchemaDocument merged = *prelude;
  merged.definitions.insert(merged.definitions.end(), user->definitions.begin(), user->definitions.end());
  graphql::Schema* schema = graphql::ValidateSchemaDocument(arena, merged, &error);
  ASSERT_NE(schema, nullptr) << error.Text();
  EXPECT_TRUE(graphql::ValidateQuery(arena, *schema, *doc).empty());
  const graphql::VariableDefinition* var = doc->operations[0]->variable_definitions[0];
  EXPECT_TRUE(var->used);
  const auto* field = static_cast<const graphql::Field*>(doc->operations[0]->selection_set[0]);
  EXPECT_TRUE(field->arguments[0]->value->expected_type_has_default);
  EXPECT_EQ(field->arguments[0]->value->variable_definition, var);
}

}  // namespace
}  // namespace custody::rego
