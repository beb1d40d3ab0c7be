// Tests for json.verify_schema and json.match_schema: OPA's own cases
// (test/cases/testdata/v1/jsonschema, topdown/jsonschema_test.go) and the
// texts gojsonschema produces for each keyword.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

class JsonSchemaTest : public ::testing::Test {
 protected:
  JsonSchemaTest() { RegisterJsonSchema(table_); }

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
  static Value S(std::string_view s) { return Value::String(s); }

  static std::string Text(const Result<Value>& r) {
    return r.ok() ? r->ToJson() : "error: " + r.error().message();
  }

  std::string Verify(const Value& schema) { return Text(Call("json.verify_schema", {schema})); }
  std::string Match(const Value& doc, const Value& schema) {
    return Text(Call("json.match_schema", {doc, schema}));
  }

  // The schema error verify_schema reports for `schema` given as JSON text.
  std::string SchemaError(std::string_view schema) {
    auto r = Call("json.verify_schema", {S(schema)});
    if (!r.ok()) return "error: " + r.error().message();
    if (r->array()[0].is_true()) return "(valid)";
    return r->array()[1].as_string();
  }

  // The descriptions of the errors of matching `doc` against `schema` (both
  // JSON text), joined by " | ", each as "type@field: desc".
  std::string Errors(std::string_view doc, std::string_view schema) {
    auto r = Call("json.match_schema", {S(doc), S(schema)});
    if (!r.ok()) return "error: " + r.error().message();
    std::string out;
    for (const Value& e : r->array()[1].array()) {
      if (!out.empty()) out += " | ";
      out += e.FindKey("type")->as_string() + "@" + e.FindKey("field")->as_string() + ": " +
             e.FindKey("desc")->as_string();
      EXPECT_EQ(e.FindKey("error")->as_string(),
                e.FindKey("field")->as_string() + ": " + e.FindKey("desc")->as_string());
    }
    EXPECT_EQ(r->array()[0].is_true(), out.empty());
    return out;
  }

  bool FormatOk(std::string_view format, std::string_view value) {
    std::string schema = std::string(R"({"format": ")") + std::string(format) + "\"}";
    Value doc = S(value);
    auto r = Call("json.match_schema", {Value::Array({doc}), S("{\"items\": " + schema + "}")});
    EXPECT_TRUE(r.ok()) << r.error().message();
    return r.ok() && r->array()[0].is_true();
  }

  BuiltinTable table_;
  BuiltinContext ctx_;
};

constexpr const char* kBadType =
    "has a primitive type that is NOT VALID -- given: /unknown_type/ Expected valid values are:"
    "[array boolean integer number null object string]";

TEST_F(JsonSchemaTest, Registered) {
  ASSERT_NE(table_.Find("json.verify_schema"), nullptr);
  ASSERT_NE(table_.Find("json.match_schema"), nullptr);
  EXPECT_EQ(table_.Find("json.verify_schema")->arity, 1);
  EXPECT_EQ(table_.Find("json.match_schema")->arity, 2);
}

// ---- json.verify_schema (OPA's conformance cases and unit tests). ----

TEST_F(JsonSchemaTest, VerifyValidSchemas) {
  EXPECT_EQ(Verify(S(R"({"type": "boolean"})")), "[true,null]");
  EXPECT_EQ(Verify(J(R"({"type": "boolean"})")), "[true,null]");
  EXPECT_EQ(Verify(S("{}")), "[true,null]");
  EXPECT_EQ(Verify(Value::EmptyObject()), "[true,null]");
  EXPECT_EQ(Verify(S(R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})")), "[true,null]");
  EXPECT_EQ(Verify(S("true")), "[true,null]");  // a boolean schema
}

TEST_F(JsonSchemaTest, VerifyInvalidSchemas) {
  EXPECT_EQ(Verify(S(R"({"type": "unknown_type"})")),
            std::string(R"([false,"jsonschema: )") + kBadType + "\"]");
  EXPECT_EQ(Verify(J(R"({"type": "unknown_type"})")),
            std::string(R"([false,"jsonschema: )") + kBadType + "\"]");
  EXPECT_EQ(Verify(S(R"({"properties": {"id": {"type": "UNKNOWN"}}, "required": ["id"]})")),
            "[false,\"jsonschema: has a primitive type that is NOT VALID -- given: /UNKNOWN/ Expected valid "
            "values are:[array boolean integer number null object string]\"]");
  EXPECT_EQ(Verify(S(R"({ "a": ")")), R"([false,"jsonschema: invalid JSON string"])");
  EXPECT_EQ(Verify(S(R"({ "properties": { id: {} } })")), R"([false,"jsonschema: invalid JSON string"])");
  EXPECT_EQ(Verify(S("{} {}")), R"([false,"jsonschema: invalid JSON string"])");
  EXPECT_EQ(Verify(S("\xEF\xBB\xBF{}")), R"([false,"jsonschema: invalid JSON string"])");
  EXPECT_EQ(Verify(S(" \n{}\t")), "[true,null]");
  EXPECT_EQ(Verify(Value::Int(5)), R"([false,"jsonschema: wrong type, expected string or object"])");
  EXPECT_EQ(Verify(Value::Set({S("a")})), R"([false,"jsonschema: wrong type, expected string or object"])");
  EXPECT_EQ(Verify(Value::Null()), R"([false,"jsonschema: wrong type, expected string or object"])");
  EXPECT_EQ(Verify(J("[1]")), R"([false,"jsonschema: schema is invalid"])");
  EXPECT_EQ(Verify(S("5")), R"([false,"jsonschema: schema is invalid"])");
}

TEST_F(JsonSchemaTest, SchemaErrorTexts) {
  EXPECT_EQ(SchemaError(R"({"type": 5})"),
            "jsonschema: Invalid type. Expected: type, given: string/array of strings");
  EXPECT_EQ(SchemaError(R"({"type": ["string", 1]})"),
            "jsonschema: Invalid type. Expected: type, given: string/array of strings");
  EXPECT_EQ(SchemaError(R"({"type": ["string", "string"]})"), "jsonschema: string type is duplicated");
  EXPECT_EQ(SchemaError(R"({"title": 5})"), "jsonschema: Invalid type. Expected: string, given: title");
  EXPECT_EQ(SchemaError(R"({"$id": 5})"), "jsonschema: Invalid type. Expected: string, given: $id");
  EXPECT_EQ(SchemaError(R"({"$schema": 5})"), "jsonschema: $schema must be of type string");
  EXPECT_EQ(SchemaError(R"({"definitions": 5})"),
            "jsonschema: Invalid type. Expected: array of schemas, given: definitions");
  EXPECT_EQ(SchemaError(R"({"definitions": {"a": 5}})"),
            "jsonschema: Invalid type. Expected: array of schemas, given: definitions");
  EXPECT_EQ(SchemaError(R"({"properties": 5})"), "jsonschema: properties must be of type object");
  EXPECT_EQ(SchemaError(R"({"properties": {"a": 5}})"),
            "jsonschema: Expected: valid schema, given: Invalid JSON");
  EXPECT_EQ(SchemaError(R"({"additionalProperties": 5})"),
            "jsonschema: Invalid type. Expected: boolean/valid schema, given: additionalProperties");
  EXPECT_EQ(SchemaError(R"({"patternProperties": 5})"),
            "jsonschema: Invalid type. Expected: valid schema, given: patternProperties");
  EXPECT_EQ(SchemaError(R"({"patternProperties": {"(": {}}})"), "jsonschema: Invalid regex pattern '('");
  EXPECT_EQ(SchemaError(R"({"propertyNames": 5})"),
            "jsonschema: Invalid type. Expected: valid schema, given: patternProperties");
  EXPECT_EQ(SchemaError(R"({"dependencies": 5})"), "jsonschema: dependencies must be of type object");
  EXPECT_EQ(SchemaError(R"({"dependencies": {"a": 5}})"),
            "jsonschema: dependency must be of type schema or array of strings");
  EXPECT_EQ(SchemaError(R"({"dependencies": {"a": [1]}})"),
            "jsonschema: dependency must be of type schema or array of strings");
  EXPECT_EQ(SchemaError(R"({"items": 5})"),
            "jsonschema: Invalid type. Expected: valid schema/array of schemas, given: items");
  EXPECT_EQ(SchemaError(R"({"items": [{}, 5]})"),
            "jsonschema: Invalid type. Expected: valid schema/array of schemas, given: items");
  EXPECT_EQ(SchemaError(R"({"additionalItems": 5})"),
            "jsonschema: Invalid type. Expected: boolean/valid schema, given: additionalItems");
  EXPECT_EQ(SchemaError(R"({"multipleOf": "x"})"),
            "jsonschema: Invalid type. Expected: number, given: multipleOf");
  EXPECT_EQ(SchemaError(R"({"multipleOf": 0})"), "jsonschema: multipleOf must be strictly greater than 0");
  EXPECT_EQ(SchemaError(R"({"multipleOf": -2})"), "jsonschema: multipleOf must be strictly greater than 0");
  EXPECT_EQ(SchemaError(R"({"minimum": "x"})"), "jsonschema: minimum must be of a number");
  EXPECT_EQ(SchemaError(R"({"maximum": null})"), "jsonschema: maximum must be of a number");
  EXPECT_EQ(SchemaError(R"({"exclusiveMinimum": "x"})"),
            "jsonschema: Invalid type. Expected: boolean/number, given: exclusiveMinimum");
  EXPECT_EQ(SchemaError(R"({"exclusiveMaximum": true})"),
            "jsonschema: exclusiveMaximum cannot be used without maximum");
  EXPECT_EQ(SchemaError(R"({"$schema": "http://json-schema.org/draft-04/schema#", "exclusiveMinimum": 3})"),
            "jsonschema: Invalid type. Expected: boolean, given: exclusiveMinimum");
  EXPECT_EQ(
      SchemaError(R"({"$schema": "http://json-schema.org/draft-07/schema#", "exclusiveMinimum": true})"),
      "jsonschema: Invalid type. Expected: number, given: exclusiveMinimum");
  EXPECT_EQ(SchemaError(R"({"minLength": -1})"), "jsonschema: minLength must be greater than or equal to 0");
  EXPECT_EQ(SchemaError(R"({"minLength": 1.5})"), "jsonschema: minLength must be of an integer");
  // gojsonschema reads the integer with json.Number.Int64, which refuses "1.0".
  EXPECT_EQ(SchemaError(R"({"maxLength": 1.0})"), "jsonschema: maxLength must be of an integer");
  EXPECT_EQ(Verify(J(R"({"maxLength": 1.0})")), "[true,null]");  // Rego's 1.0 is the integer 1
  EXPECT_EQ(SchemaError(R"({"minLength": 3, "maxLength": 2})"),
            "jsonschema: minLength cannot be greater than maxLength");
  EXPECT_EQ(SchemaError(R"({"pattern": 5})"), "jsonschema: Invalid type. Expected: string, given: pattern");
  EXPECT_EQ(SchemaError(R"({"pattern": "("})"), "jsonschema: pattern must be a valid regex");
  EXPECT_EQ(SchemaError(R"({"format": 5})"), "jsonschema: Invalid type. Expected: string, given: format");
  EXPECT_EQ(SchemaError(R"({"minProperties": "a"})"), "jsonschema: minProperties must be of an integer");
  EXPECT_EQ(SchemaError(R"({"minProperties": 2, "maxProperties": 1})"),
            "jsonschema: minProperties cannot be greater than maxProperties");
  EXPECT_EQ(SchemaError(R"({"required": "a"})"), "jsonschema: required must be of an array");
  EXPECT_EQ(SchemaError(R"({"required": [1]})"),
            "jsonschema: Invalid type. Expected: string, given: required");
  EXPECT_EQ(SchemaError(R"({"required": ["a", "a"]})"), "jsonschema: required items must be unique");
  EXPECT_EQ(SchemaError(R"({"minItems": -3})"), "jsonschema: minItems must be greater than or equal to 0");
  EXPECT_EQ(SchemaError(R"({"maxItems": true})"), "jsonschema: maxItems must be of an integer");
  EXPECT_EQ(SchemaError(R"({"uniqueItems": 1})"), "jsonschema: uniqueItems must be of a boolean");
  EXPECT_EQ(SchemaError(R"({"contains": 5})"), "jsonschema: Expected: valid schema, given: Invalid JSON");
  EXPECT_EQ(SchemaError(R"({"enum": 5})"), "jsonschema: enum must be of an array");
  EXPECT_EQ(SchemaError(R"({"enum": [1, 1.0]})"), "jsonschema: enum items must be unique");
  EXPECT_EQ(SchemaError(R"({"anyOf": {}})"), "jsonschema: anyOf must be of an array");
  EXPECT_EQ(SchemaError(R"({"oneOf": [5]})"), "jsonschema: Expected: valid schema, given: Invalid JSON");
  EXPECT_EQ(SchemaError(R"({"not": 5})"), "jsonschema: not must be of an object");
  EXPECT_EQ(SchemaError(R"({"if": 5})"), "jsonschema: if must be of an object");
  EXPECT_EQ(SchemaError(R"({"else": []})"), "jsonschema: else must be of an object");
  EXPECT_EQ(SchemaError(R"({"$ref": 5})"), "jsonschema: Invalid type. Expected: string, given: $ref");
  EXPECT_EQ(SchemaError(R"({"$ref": "#foo"})"),
            "jsonschema: JSON pointer must be empty or start with a \"/\"");
}

TEST_F(JsonSchemaTest, DraftFourRefusesBooleanSchemas) {
  EXPECT_EQ(
      SchemaError(R"({"$schema": "http://json-schema.org/draft-04/schema#", "properties": {"a": false}})"),
      "jsonschema: Expected: valid schema, given: Invalid JSON");
  EXPECT_EQ(SchemaError(R"({"properties": {"a": false}})"), "(valid)");
  // Draft 4 ignores const, contains and if; draft 6 ignores if.
  EXPECT_EQ(Errors("5", R"({"$schema": "http://json-schema.org/draft-04/schema#", "const": 4})"), "");
  EXPECT_EQ(Errors("5", R"({"$schema": "http://json-schema.org/draft-06/schema#", "const": 4})"),
            "const@(root): (root) does not match: 4");
  EXPECT_EQ(
      Errors("5", R"({"$schema": "http://json-schema.org/draft-06/schema", "if": true, "then": false})"), "");
  EXPECT_EQ(
      Errors("5", R"({"$schema": "http://json-schema.org/draft-07/schema", "if": true, "then": false})"),
      "condition_then@(root): Must validate \"then\" as \"if\" was valid | false@(root): False always fails "
      "validation");
}

// ---- json.match_schema (OPA's conformance cases and unit tests). ----

TEST_F(JsonSchemaTest, MatchSuccess) {
  Value schema = J(R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})");
  EXPECT_EQ(Match(J(R"({"id": 5})"), schema), "[true,[]]");
  EXPECT_EQ(Match(S(R"({"id": 5})"), schema), "[true,[]]");
  EXPECT_EQ(Match(J(R"({"id": 5})"), S(R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})")),
            "[true,[]]");
  EXPECT_EQ(Match(S("{}"), S("{}")), "[true,[]]");
}

TEST_F(JsonSchemaTest, MatchInvalidDocument) {
  Value schema = J(R"({"properties": {"id": {"type": "integer"}}, "required": ["id"]})");
  const char* want =
      R"([false,[{"desc":"Invalid type. Expected: integer, given: string","error":"id: Invalid type. )"
      R"(Expected: integer, given: string","field":"id","type":"invalid_type"}]])";
  EXPECT_EQ(Match(J(R"({"id": "foo"})"), schema), want);
  EXPECT_EQ(Match(S(R"({ "id": "test" })"), schema), want);
}

TEST_F(JsonSchemaTest, MatchEmptyEnumRejectsEverything) {
  EXPECT_EQ(Match(J(R"({"value": "allow"})"), J(R"({"enum": []})")),
            R"js([false,[{"desc":"(root) must be one of the following: (none)",)js"
            R"js("error":"(root): (root) must be one of the following: (none)",)js"
            R"js("field":"(root)","type":"enum"}]])js");
}

TEST_F(JsonSchemaTest, MatchErrors) {
  EXPECT_EQ(
      Match(J(R"({"id": "foo"})"), J(R"({"properties": {"id": {"type": "unknown"}}, "required": ["id"]})")),
      "error: eval_builtin_error: json.match_schema: has a primitive type that is NOT VALID -- given: "
      "/unknown/ Expected valid values are:[array boolean integer number null object string]");
  EXPECT_EQ(Match(S("{}"), S(R"({ "a": ")")),
            "error: eval_builtin_error: json.match_schema: invalid JSON string");
  EXPECT_EQ(Match(S(R"({ "a": ")"), S("{}")),
            "error: eval_builtin_error: json.match_schema: invalid JSON string");
  EXPECT_EQ(Match(Value::Int(1), S("{}")),
            "error: eval_builtin_error: json.match_schema: wrong type, expected string or object");
  EXPECT_EQ(Match(S("{}"), Value::Bool(true)),
            "error: eval_builtin_error: json.match_schema: wrong type, expected string or object");
  // The document is looked at first.
  EXPECT_EQ(Match(S("{"), S("{")), "error: eval_builtin_error: json.match_schema: invalid JSON string");
  EXPECT_EQ(Match(Value::Null(), S(R"({"type": 1})")),
            "error: eval_builtin_error: json.match_schema: wrong type, expected string or object");
}

TEST_F(JsonSchemaTest, MatchAnyDocumentKind) {
  EXPECT_EQ(Errors("null", R"({"type": "string"})"),
            "invalid_type@(root): Invalid type. Expected: string, given: null");
  EXPECT_EQ(Errors("true", R"({"type": ["string", "null"]})"),
            "invalid_type@(root): Invalid type. Expected: [string,null], given: boolean");
  EXPECT_EQ(Errors("1.5", R"({"type": "integer"})"),
            "invalid_type@(root): Invalid type. Expected: integer, given: number");
  EXPECT_EQ(Errors("1.0", R"({"type": "integer"})"), "");
  EXPECT_EQ(Errors("1e2", R"({"type": "integer"})"), "");
  EXPECT_EQ(Errors("[]", R"({"type": "object"})"),
            "invalid_type@(root): Invalid type. Expected: object, given: array");
  EXPECT_EQ(Errors("{}", R"({"type": "array"})"),
            "invalid_type@(root): Invalid type. Expected: array, given: object");
  EXPECT_EQ(Errors("5", R"({"type": "boolean"})"),
            "invalid_type@(root): Invalid type. Expected: boolean, given: integer");
  // Arrays are accepted as documents and schemas at run time.
  EXPECT_EQ(Match(J("[1, 2]"), J(R"({"items": {"type": "integer"}})")), "[true,[]]");
}

// ---- Keywords. ----

TEST_F(JsonSchemaTest, ObjectKeywords) {
  EXPECT_EQ(Errors("{}", R"({"required": ["name", "age"]})"),
            "required@(root): name is required | required@(root): age is required");
  EXPECT_EQ(
      Errors(R"({"a": 1, "b": 2, "c": 3})", R"({"properties": {"a": {}}, "additionalProperties": false})"),
      "additional_property_not_allowed@(root): Additional property b is not allowed | "
      "additional_property_not_allowed@(root): Additional property c is not allowed");
  EXPECT_EQ(Errors(R"({"a": 1, "b": "x"})", R"({"additionalProperties": {"type": "integer"}})"),
            "invalid_type@b: Invalid type. Expected: integer, given: string");
  EXPECT_EQ(Errors(R"({"x1": 1, "x2": "s", "y": true})",
                   R"({"patternProperties": {"^x": {"type": "integer"}}, "additionalProperties": false})"),
            "invalid_type@x2: Invalid type. Expected: integer, given: string | "
            "additional_property_not_allowed@(root): Additional property y is not allowed");
  EXPECT_EQ(Errors(R"({"a": 1})", R"({"minProperties": 2})"),
            "array_min_properties@(root): Must have at least 2 properties");
  EXPECT_EQ(Errors(R"({"a": 1, "b": 2})", R"({"maxProperties": 1})"),
            "array_max_properties@(root): Must have at most 1 properties");
  EXPECT_EQ(Errors(R"({"abcd": 1, "ab": 2})", R"({"propertyNames": {"maxLength": 3}})"),
            "invalid_property_name@(root): Property name of \"abcd\" does not match | "
            "string_lte@(root): String length must be less than or equal to 3");
  EXPECT_EQ(
      Errors(R"({"a": 1})", R"({"dependencies": {"a": ["b", "c"]}})"),
      "missing_dependency@(root): Has a dependency on b | missing_dependency@(root): Has a dependency on c");
  EXPECT_EQ(Errors(R"({"a": 1})", R"({"dependencies": {"a": {"required": ["z"]}}})"),
            "required@(root): z is required");
  EXPECT_EQ(Errors(R"({"b": 1})", R"({"dependencies": {"a": ["b"]}})"), "");
}

TEST_F(JsonSchemaTest, NestedFields) {
  const char* schema = R"({"properties": {"user": {"properties": {"tags": {"items": {"type": "string"}}}}}})";
  EXPECT_EQ(Errors(R"({"user": {"tags": ["a", 2]}})", schema),
            "invalid_type@user.tags.1: Invalid type. Expected: string, given: integer");
  auto r = Call("json.match_schema", {J(R"({"user": {"tags": ["a", 2]}})"), J(schema)});
  EXPECT_EQ(
      Text(r),
      R"([false,[{"desc":"Invalid type. Expected: string, given: integer","error":"user.tags.1: Invalid )"
      R"(type. Expected: string, given: integer","field":"user.tags.1","type":"invalid_type"}]])");
}

TEST_F(JsonSchemaTest, ArrayKeywords) {
  EXPECT_EQ(Errors("[1, \"x\"]", R"({"items": {"type": "integer"}})"),
            "invalid_type@1: Invalid type. Expected: integer, given: string");
  EXPECT_EQ(Errors("[1, 2]", R"({"items": [{"type": "integer"}], "additionalItems": false})"),
            "array_no_additional_items@(root): No additional items allowed on array");
  EXPECT_EQ(Errors("[1, 2, \"x\"]", R"({"items": [{}], "additionalItems": {"type": "integer"}})"),
            "invalid_type@2: Invalid type. Expected: integer, given: string");
  EXPECT_EQ(Errors("[1]", R"({"items": [{}, {"type": "string"}]})"), "");
  EXPECT_EQ(Errors("[1]", R"({"minItems": 2})"), "array_min_items@(root): Array must have at least 2 items");
  EXPECT_EQ(Errors("[1, 2]", R"({"maxItems": 1})"),
            "array_max_items@(root): Array must have at most 1 items");
  EXPECT_EQ(
      Errors("[1, 2, 1.0, 1]", R"({"uniqueItems": true})"),
      "unique@(root): array items[0,2] must be unique | unique@(root): array items[2,3] must be unique");
  EXPECT_EQ(Errors(R"([{"a": 1, "b": 2}, {"b": 2, "a": 1}])", R"({"uniqueItems": true})"),
            "unique@(root): array items[0,1] must be unique");
  EXPECT_EQ(Errors("[1, 2]", R"({"contains": {"type": "string"}})"),
            "contains@(root): At least one of the items must match | "
            "invalid_type@0: Invalid type. Expected: string, given: integer");
  EXPECT_EQ(Errors("[1, \"a\"]", R"({"contains": {"type": "string"}})"), "");
  EXPECT_EQ(Errors("[]", R"({"contains": {}})"), "contains@(root): At least one of the items must match");
}

TEST_F(JsonSchemaTest, StringKeywords) {
  EXPECT_EQ(Errors("\"ab\"", R"({"minLength": 3})"),
            "string_gte@(root): String length must be greater than or equal to 3");
  EXPECT_EQ(Errors("\"abcd\"", R"({"maxLength": 3})"),
            "string_lte@(root): String length must be less than or equal to 3");
  EXPECT_EQ(Errors("\"h\u00e9\u00e9\"", R"({"maxLength": 3, "minLength": 3})"), "");  // runes, not bytes
  EXPECT_EQ(Errors("\"abc\"", R"({"pattern": "^a+$"})"), "pattern@(root): Does not match pattern '^a+$'");
  EXPECT_EQ(Errors("\"xaay\"", R"({"pattern": "a+"})"), "");             // unanchored
  EXPECT_EQ(Errors("5", R"({"pattern": "^a+$", "minLength": 3})"), "");  // not a string
}

TEST_F(JsonSchemaTest, NumberKeywords) {
  EXPECT_EQ(Errors("4", R"({"minimum": 5})"), "number_gte@(root): Must be greater than or equal to 5");
  EXPECT_EQ(Errors("6", R"({"maximum": 5.5})"), "number_lte@(root): Must be less than or equal to 5.5");
  EXPECT_EQ(Errors("5", R"({"exclusiveMinimum": 5})"), "number_gt@(root): Must be greater than 5");
  EXPECT_EQ(Errors("5", R"({"exclusiveMaximum": 5})"), "number_lt@(root): Must be less than 5");
  EXPECT_EQ(Errors("5", R"({"$schema": "http://json-schema.org/draft-04/schema#", "minimum": 5,
                            "exclusiveMinimum": true})"),
            "number_gt@(root): Must be greater than 5");
  EXPECT_EQ(Errors("5", R"({"minimum": 5, "exclusiveMinimum": false})"), "");
  EXPECT_EQ(Errors("2000000", R"({"maximum": 1000000})"),
            "number_lte@(root): Must be less than or equal to 1e+06");
  EXPECT_EQ(Errors("-1", R"({"minimum": 0.00001})"),
            "number_gte@(root): Must be greater than or equal to 1e-05");
  EXPECT_EQ(Errors("0", R"({"minimum": 0.0001})"),
            "number_gte@(root): Must be greater than or equal to 0.0001");
  EXPECT_EQ(Errors("200000", R"({"maximum": 123456})"),
            "number_lte@(root): Must be less than or equal to 123456");
  EXPECT_EQ(Errors("0.3", R"({"multipleOf": 0.1})"), "");  // exact, as with big.Rat
  EXPECT_EQ(Errors("0.35", R"({"multipleOf": 0.1})"), "multiple_of@(root): Must be a multiple of 0.1");
  EXPECT_EQ(Errors("1e30", R"({"multipleOf": 7})"), "multiple_of@(root): Must be a multiple of 7");
  EXPECT_EQ(Errors("7e30", R"({"multipleOf": 7})"), "");
  EXPECT_EQ(Errors("12345678901234567890", R"({"maximum": 12345678901234567889})"),
            "number_lte@(root): Must be less than or equal to 1.2345678901234567889e+19");
  EXPECT_EQ(Errors("-3", R"({"maximum": -4})"), "number_lte@(root): Must be less than or equal to -4");
  // Rego numbers keep their value: 0.3 from a policy is still a multiple of 0.1.
  EXPECT_EQ(Match(Value::Array({Value::Float(0.3)}), J(R"({"items": {"multipleOf": 0.1}})")), "[true,[]]");
}

TEST_F(JsonSchemaTest, ConstAndEnum) {
  EXPECT_EQ(Errors("5", R"({"const": {"a": [1, "<b>"]}})"),
            "const@(root): (root) does not match: {\"a\":[1,\"\\u003cb\\u003e\"]}");
  EXPECT_EQ(Errors("1.0", R"({"const": 1})"), "");
  EXPECT_EQ(Errors(R"({"c": "x"})", R"({"properties": {"c": {"enum": ["a", "b", null, 1.50]}}})"),
            "enum@c: c must be one of the following: \"a\", \"b\", null, 1.5");
  EXPECT_EQ(Errors(R"({"c": {"b": 1, "a": 2}})", R"({"properties": {"c": {"enum": [{"a": 2, "b": 1}]}}})"),
            "");
  EXPECT_EQ(Errors("null", R"({"const": null})"), "");
  EXPECT_EQ(Errors("false", R"({"const": null})"), "const@(root): (root) does not match: null");
}

TEST_F(JsonSchemaTest, Combinators) {
  EXPECT_EQ(Errors("5", R"({"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 10}]})"),
            "number_any_of@(root): Must validate at least one schema (anyOf) | "
            "number_gte@(root): Must be greater than or equal to 10");
  EXPECT_EQ(Errors("5", R"({"anyOf": [{"type": "string"}, {"type": "integer"}]})"), "");
  EXPECT_EQ(Errors("5", R"({"oneOf": [{"type": "integer"}, {"minimum": 0}]})"),
            "number_one_of@(root): Must validate one and only one schema (oneOf)");
  EXPECT_EQ(Errors("5", R"({"oneOf": [{"type": "string"}, {"maximum": 3}]})"),
            "number_one_of@(root): Must validate one and only one schema (oneOf) | "
            "number_lte@(root): Must be less than or equal to 3");
  EXPECT_EQ(Errors("5", R"({"oneOf": [{"type": "string"}, {"minimum": 3}]})"), "");
  EXPECT_EQ(Errors("\"ab\"", R"({"allOf": [{"type": "string"}, {"maxLength": 1}]})"),
            "string_lte@(root): String length must be less than or equal to 1 | "
            "number_all_of@(root): Must validate all the schemas (allOf)");
  EXPECT_EQ(Errors("\"x\"", R"({"not": {"type": "string"}})"),
            "number_not@(root): Must not validate the schema (not)");
  EXPECT_EQ(Errors("1", R"({"not": {"type": "string"}})"), "");
  const char* cond = R"({"if": {"properties": {"a": {"const": 1}}}, "then": {"required": ["b"]},
                         "else": {"required": ["c"]}})";
  EXPECT_EQ(
      Errors(R"({"a": 1})", cond),
      "condition_then@(root): Must validate \"then\" as \"if\" was valid | required@(root): b is required");
  EXPECT_EQ(Errors(R"({"a": 2})", cond),
            "condition_else@(root): Must validate \"else\" as \"if\" was not valid | required@(root): c is "
            "required");
  EXPECT_EQ(Errors(R"({"a": 1, "b": 0})", cond), "");
}

TEST_F(JsonSchemaTest, BooleanSchemas) {
  EXPECT_EQ(Errors(R"({"a": 1})", R"({"properties": {"a": false}})"),
            "false@a: False always fails validation");
  EXPECT_EQ(Errors("5", "false"), "false@(root): False always fails validation");
  EXPECT_EQ(Errors("5", "true"), "");
  EXPECT_EQ(Errors("[1]", R"({"items": false})"), "false@0: False always fails validation");
}

TEST_F(JsonSchemaTest, Formats) {
  EXPECT_EQ(Errors("\"nope\"", R"({"format": "email"})"), "format@(root): Does not match format 'email'");
  EXPECT_EQ(Errors("5", R"({"format": "email"})"), "");        // only strings are checked
  EXPECT_EQ(Errors("\"x\"", R"({"format": "no-such"})"), "");  // unknown formats pass

  EXPECT_TRUE(FormatOk("date", "2024-02-29"));
  EXPECT_FALSE(FormatOk("date", "2023-02-29"));
  EXPECT_FALSE(FormatOk("date", "2024-13-01"));
  EXPECT_FALSE(FormatOk("date", "2024-1-01"));
  EXPECT_TRUE(FormatOk("time", "12:34:56"));
  EXPECT_TRUE(FormatOk("time", "12:34:56.789+02:00"));
  EXPECT_TRUE(FormatOk("time", "1:34:56Z"));  // Go's layout "15" takes one digit too
  EXPECT_FALSE(FormatOk("time", "24:00:00"));
  EXPECT_FALSE(FormatOk("time", "12:34:60"));
  EXPECT_TRUE(FormatOk("date-time", "2024-01-02T03:04:05Z"));
  EXPECT_TRUE(FormatOk("date-time", "2024-01-02T03:04:05.123456789-07:00"));
  EXPECT_TRUE(FormatOk("date-time", "2024-01-02"));  // gojsonschema also accepts a bare date or time
  EXPECT_FALSE(FormatOk("date-time", "2024-01-02t03:04:05z"));
  EXPECT_FALSE(FormatOk("date-time", "2024-01-02T03:04:05"));
  EXPECT_TRUE(FormatOk("email", "joe@example.com"));
  EXPECT_TRUE(FormatOk("email", "Joe Bloggs <joe.bloggs@example.com>"));
  EXPECT_TRUE(FormatOk("email", "\"joe bloggs\"@[127.0.0.1]"));
  EXPECT_FALSE(FormatOk("email", "joe@"));
  EXPECT_FALSE(FormatOk("email", "joe..b@example.com"));
  EXPECT_FALSE(FormatOk("email", "a@b c@d"));
  EXPECT_TRUE(FormatOk("ipv4", "192.168.0.1"));
  EXPECT_TRUE(FormatOk("ipv4", "::ffff:1.2.3.4"));  // net.ParseIP plus a dot, as gojsonschema checks
  EXPECT_FALSE(FormatOk("ipv4", "192.168.0.01"));
  EXPECT_FALSE(FormatOk("ipv4", "256.1.1.1"));
  EXPECT_TRUE(FormatOk("ipv6", "2001:db8::1"));
  EXPECT_TRUE(FormatOk("ipv6", "::"));
  EXPECT_FALSE(FormatOk("ipv6", "1.2.3.4"));
  EXPECT_FALSE(FormatOk("ipv6", "2001:db8::1::2"));
  EXPECT_FALSE(FormatOk("ipv6", "fe80::1%eth0"));
  EXPECT_TRUE(FormatOk("hostname", "www.example.com"));
  EXPECT_FALSE(FormatOk("hostname", "-bad.example.com"));
  EXPECT_TRUE(FormatOk("uri", "https://example.com/a?b=c#d"));
  EXPECT_TRUE(FormatOk("uri", "urn:isbn:0451450523"));
  EXPECT_FALSE(FormatOk("uri", "/relative/path"));
  EXPECT_FALSE(FormatOk("uri", "http://exa mple.com/"));
  EXPECT_FALSE(FormatOk("uri", "http://example.com/%zz"));
  EXPECT_FALSE(FormatOk("uri", "http://example.com:port/"));
  EXPECT_FALSE(FormatOk("uri", "c:\\windows"));
  EXPECT_TRUE(FormatOk("uri-reference", "/relative/path"));
  EXPECT_FALSE(FormatOk("uri-reference", "a:b\\c"));
  EXPECT_FALSE(FormatOk("uri-reference", "1a:b"));  // "first path segment in URL cannot contain colon"
  EXPECT_TRUE(FormatOk("uri-template", "http://example.com/{id}/x"));
  EXPECT_FALSE(FormatOk("uri-template", "http://example.com/{id/x"));
  EXPECT_TRUE(FormatOk("uuid", "123e4567-E89B-12d3-a456-426614174000"));
  EXPECT_FALSE(FormatOk("uuid", "123e4567-e89b-12d3-a456-42661417400"));
  EXPECT_TRUE(FormatOk("regex", "^a+(b|c)$"));
  EXPECT_TRUE(FormatOk("regex", ""));
  EXPECT_FALSE(FormatOk("regex", "(unclosed"));
  EXPECT_TRUE(FormatOk("json-pointer", "/a/b~0~1"));
  EXPECT_FALSE(FormatOk("json-pointer", "a/b"));
  EXPECT_TRUE(FormatOk("relative-json-pointer", "1/a"));
  EXPECT_TRUE(FormatOk("relative-json-pointer", "0#"));
  EXPECT_FALSE(FormatOk("relative-json-pointer", "01/a"));
}

// ---- References. ----

TEST_F(JsonSchemaTest, LocalReferences) {
  const char* defs = R"({"definitions": {"pos": {"type": "integer", "minimum": 0}},
                         "properties": {"n": {"$ref": "#/definitions/pos"}}})";
  EXPECT_EQ(Errors(R"({"n": -1})", defs), "number_gte@n: Must be greater than or equal to 0");
  EXPECT_EQ(Errors(R"({"n": 3})", defs), "");
  const char* defs2019 = R"({"$defs": {"name": {"type": "string"}}, "items": {"$ref": "#/$defs/name"}})";
  EXPECT_EQ(Errors(R"(["a", 1])", defs2019),
            "invalid_type@1: Invalid type. Expected: string, given: integer");
  // Pointer tokens are decoded (~1 is "/", %25 is "%").
  const char* escaped = R"({"definitions": {"a/b": {"type": "string"}, "c%d": {"type": "string"}},
                            "properties": {"x": {"$ref": "#/definitions/a~1b"},
                                           "y": {"$ref": "#/definitions/c%25d"}}})";
  EXPECT_EQ(Errors(R"({"x": 1, "y": 2})", escaped),
            "invalid_type@x: Invalid type. Expected: string, given: integer | "
            "invalid_type@y: Invalid type. Expected: string, given: integer");
  // A reference into an array.
  EXPECT_EQ(Errors("5", R"({"allOf": [{"type": "string"}], "not": {"$ref": "#/allOf/0"}})"),
            "invalid_type@(root): Invalid type. Expected: string, given: integer | "
            "number_all_of@(root): Must validate all the schemas (allOf)");
  // Siblings of "$ref" are ignored.
  EXPECT_EQ(Errors("5", R"({"definitions": {"s": {}}, "$ref": "#/definitions/s", "type": "string"})"), "");
}

TEST_F(JsonSchemaTest, RecursiveReferences) {
  const char* tree =
      R"({"type": "object", "properties": {"child": {"$ref": "#"}}, "additionalProperties": false})";
  EXPECT_EQ(Errors(R"({"child": {"child": {"x": 1}}})", tree),
            "additional_property_not_allowed@child.child: Additional property x is not allowed");
  const char* list = R"({"definitions": {"node": {"type": "object", "properties": {
                          "value": {"type": "integer"}, "next": {"$ref": "#/definitions/node"}}}},
                        "$ref": "#/definitions/node"})";
  EXPECT_EQ(Errors(R"({"value": 1, "next": {"value": 2, "next": {"value": "x"}}})", list),
            "invalid_type@next.next.value: Invalid type. Expected: integer, given: string");
}

TEST_F(JsonSchemaTest, IdScopedReferences) {
  const char* schema = R"({"$id": "http://example.com/root.json",
                           "definitions": {"a": {"$id": "item.json", "type": "integer"}},
                           "items": {"$ref": "item.json"}})";
  EXPECT_EQ(Errors("[1, \"x\"]", schema), "invalid_type@1: Invalid type. Expected: integer, given: string");
  const char* pointer = R"({"$id": "http://example.com/root.json",
                            "definitions": {"a": {"type": "integer"}},
                            "items": {"$ref": "#/definitions/a"}})";
  EXPECT_EQ(Errors("[\"x\"]", pointer), "invalid_type@0: Invalid type. Expected: integer, given: string");
}

TEST_F(JsonSchemaTest, UnresolvableReferences) {
  EXPECT_EQ(SchemaError(R"({"definitions": {}, "$ref": "#/definitions/nope"})"),
            "jsonschema: Object has no key 'nope'");
  EXPECT_EQ(SchemaError(R"({"definitions": {"a": [1]}, "$ref": "#/definitions/a/x"})"),
            "jsonschema: Invalid type. Expected: array of schemas, given: definitions");
  EXPECT_EQ(SchemaError(R"({"items": [{}], "$ref": "#/items/x"})"), "jsonschema: Invalid array index 'x'");
  EXPECT_EQ(SchemaError(R"({"items": [{}], "$ref": "#/items/3"})"),
            "jsonschema: Out of bound array[0,1] index '3'");
  EXPECT_EQ(SchemaError(R"({"title": "t", "$ref": "#/title/x"})"), "jsonschema: Invalid token reference 'x'");
  EXPECT_EQ(SchemaError(R"({"title": "t", "$ref": "#/title"})"),
            "jsonschema: valid schema must be of type object");
  EXPECT_EQ(SchemaError(R"({"$ref": "http://example.com/schema.json#/a"})"),
            "jsonschema: remote reference loading disabled: http://example.com/schema.json");
  EXPECT_EQ(SchemaError(R"({"$ref": "http://json-schema.org/draft-07/schema#"})"),
            "jsonschema: remote reference loading disabled: http://json-schema.org/draft-07/schema");
  EXPECT_EQ(SchemaError(R"({"$ref": "file:///etc/passwd"})"),
            "jsonschema: file reference loading disabled: file:///etc/passwd");
  EXPECT_EQ(SchemaError(R"({"$ref": "other.json"})"), "jsonschema: Reference /other.json must be canonical");
  EXPECT_EQ(Match(S("{}"), S(R"({"definitions": {}, "$ref": "#/definitions/nope"})")),
            "error: eval_builtin_error: json.match_schema: Object has no key 'nope'");
}

// ---- Limits: OPA overflows its stack or runs forever here. ----

TEST_F(JsonSchemaTest, ReferenceCyclesAreBounded) {
  EXPECT_EQ(Verify(S(R"({"$ref": "#"})")), "[true,null]");
  EXPECT_EQ(Match(S("5"), S(R"({"$ref": "#"})")),
            "error: eval_builtin_error: json.match_schema: $ref recursion deeper than 1000 levels");
  const char* loop = R"({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
                         "$ref": "#/definitions/a"})";
  EXPECT_EQ(Match(S("5"), S(loop)),
            "error: eval_builtin_error: json.match_schema: $ref recursion deeper than 1000 levels");
  // Recursion through a combinator rather than a bare chain.
  EXPECT_EQ(Match(S("5"), S(R"({"anyOf": [{"$ref": "#"}]})")),
            "error: eval_builtin_error: json.match_schema: $ref recursion deeper than 1000 levels");
  EXPECT_EQ(Match(S("5"), S(R"({"not": {"allOf": [{"type": "string"}, {"$ref": "#"}]}})")),
            "error: eval_builtin_error: json.match_schema: $ref recursion deeper than 1000 levels");
}

TEST_F(JsonSchemaTest, ExponentialSchemasAreBounded) {
  std::string schema = R"({"$ref": "#/definitions/d0", "definitions": {)";
  for (int i = 0; i < 40; ++i) {
    std::string next = "#/definitions/d" + std::to_string(i + 1);
    schema += "\"d" + std::to_string(i) + R"(": {"anyOf": [{"$ref": ")" + next + R"("}, {"$ref": ")" + next +
              "\"}]},";
  }
  schema += R"("d40": {"type": "string"}}})";
  EXPECT_EQ(Match(S("5"), S(schema)),
            "error: eval_builtin_error: json.match_schema: validation needs more than 1000000 steps");
}

TEST_F(JsonSchemaTest, LongReferenceChains) {
  // Each link is a reference to the next definition; compiling them does not
  // nest, validating them does (and is bounded).
  auto chain = [](int n) {
    std::string s = R"({"$ref": "#/definitions/d0", "definitions": {)";
    for (int i = 0; i < n; ++i) {
      s += "\"d" + std::to_string(i) + R"(": {"$ref": "#/definitions/d)" + std::to_string(i + 1) + "\"},";
    }
    return s + "\"d" + std::to_string(n) + R"(": {"type": "string"}}})";
  };
  EXPECT_EQ(Match(S("5"), S(chain(900))),
            R"js([false,[{"desc":"Invalid type. Expected: string, given: integer",)js"
            R"js("error":"(root): Invalid type. Expected: string, given: integer","field":"(root)",)js"
            R"js("type":"invalid_type"}]])js");
  EXPECT_EQ(Verify(S(chain(5000))), "[true,null]");
  EXPECT_EQ(Match(S("5"), S(chain(5000))),
            "error: eval_builtin_error: json.match_schema: $ref recursion deeper than 1000 levels");
}

TEST_F(JsonSchemaTest, DeepDocuments) {
  std::string deep(600, '[');
  deep += std::string(600, ']');
  EXPECT_EQ(Match(S(deep), S("{}")),
            "error: eval_builtin_error: json.match_schema: document nests deeper than 512 levels");
  EXPECT_EQ(Verify(S(deep)), R"([false,"jsonschema: document nests deeper than 512 levels"])");
  // As deep as allowed, through a recursive schema.
  std::string doc;
  for (int i = 0; i < 500; ++i) doc += R"({"a": )";
  doc += "1";
  for (int i = 0; i < 500; ++i) doc += "}";
  EXPECT_EQ(Match(S(doc), S(R"({"properties": {"a": {"$ref": "#"}}, "type": ["object", "integer"]})")),
            "[true,[]]");
}

// ---- Rego values as documents. ----

TEST_F(JsonSchemaTest, RegoValuesConvertAsOpaDoes) {
  // Sets become arrays; keys that are not strings become their JSON text.
  Value doc =
      Value::Object({{Value::Int(1), S("one")}, {S("s"), Value::Set({Value::Int(2), Value::Int(1)})}});
  EXPECT_EQ(
      Match(doc, J(R"({"required": ["1"], "properties": {"s": {"type": "array", "uniqueItems": true}}})")),
      "[true,[]]");
  EXPECT_EQ(Match(doc, J(R"({"additionalProperties": false})")),
            R"js([false,[{"desc":"Additional property 1 is not allowed",)js"
            R"js("error":"(root): Additional property 1 is not allowed","field":"(root)",)js"
            R"js("type":"additional_property_not_allowed"},{"desc":"Additional property s is not allowed",)js"
            R"js("error":"(root): Additional property s is not allowed","field":"(root)",)js"
            R"js("type":"additional_property_not_allowed"}]])js");
}

TEST_F(JsonSchemaTest, CompiledSchemasAreReused) {
  Value schema = S(R"({"type": "string"})");
  EXPECT_EQ(Match(S("\"a\""), schema), "[true,[]]");
  size_t cached = ctx_.cache.size();
  EXPECT_GT(cached, 0u);
  EXPECT_EQ(Match(S("5"), schema),
            R"js([false,[{"desc":"Invalid type. Expected: string, given: integer",)js"
            R"js("error":"(root): Invalid type. Expected: string, given: integer","field":"(root)",)js"
            R"js("type":"invalid_type"}]])js");
  EXPECT_EQ(ctx_.cache.size(), cached);
  // A bad schema is remembered as bad.
  Value bad = S(R"({"type": "unknown_type"})");
  EXPECT_EQ(Verify(bad), std::string(R"([false,"jsonschema: )") + kBadType + "\"]");
  EXPECT_EQ(Verify(bad), std::string(R"([false,"jsonschema: )") + kBadType + "\"]");
  EXPECT_EQ(Match(S("1"), bad), std::string("error: eval_builtin_error: json.match_schema: ") + kBadType);
}

}  // namespace
}  // namespace custody::rego
