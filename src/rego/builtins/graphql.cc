// The graphql.* built-ins: parsing GraphQL queries and schemas into OPA's
// AST objects, and validating queries against schemas.
//
// OPA runs these on its copy of gqlparser; the documents, messages and
// validation rules are reproduced in graphql_parser.cc and
// graphql_validator.cc. This file holds what OPA's topdown/graphql.go adds:
// which argument types are accepted, the order of the steps, and the way
// gqlparser's "input:LINE:COL: message" errors are reworded.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/graphql_parser.h"

namespace custody::rego {
namespace {

namespace gql = graphql;

// ---- OPA's error wording ----

// OPA splits gqlparser's error text on its first three colons and rebuilds it
// as "MESSAGE in GraphQL string at location LINE:COL". For validation errors
// the text is the whole list, one error a line, and a final ".\n" is cut.
std::string OpaWording(const std::string& text, bool located, bool trim_final_period) {
  std::vector<std::string> parts;
  size_t from = 0;
  while (located && parts.size() < 3) {
    size_t colon = text.find(':', from);
    if (colon == std::string::npos) break;
    parts.push_back(text.substr(from, colon - from));
    from = colon + 1;
  }
  if (!located) {
    // Errors in documents given as objects have no location; OPA cannot
    // split those (it fails), so only the "input: " prefix is removed.
    size_t colon = text.find(':');
    from = colon == std::string::npos ? 0 : colon + 1;
  }
  std::string rest = text.substr(from);
  size_t first = rest.find_first_not_of(' ');
  rest = first == std::string::npos ? std::string() : rest.substr(first);
  if (trim_final_period && rest.size() >= 2 && rest.compare(rest.size() - 2, 2, ".\n") == 0) {
    rest.resize(rest.size() - 2);
  }
  if (parts.size() < 3) return rest + " in GraphQL string";
  return rest + " in GraphQL string at location " + parts[1] + ":" + parts[2];
}

std::string ParseErrorText(const gql::GqlError& e) { return OpaWording(e.Text(), e.pos.set, false); }

std::string ValidationErrorText(const std::vector<gql::GqlError>& errors) {
  std::string text;
  for (const gql::GqlError& e : errors) text += e.Text() + "\n";
  return OpaWording(text, !errors.empty() && errors[0].pos.set, true);
}

// ---- Schemas, cached per evaluation ----
//
// A policy typically checks many queries against one schema; parsing and
// checking the schema (and the prelude) once per evaluation keeps that cheap.
// The cached schema is only read while queries are validated.

struct CompiledSchema {
  gql::Arena arena;
  gql::SchemaDocument* doc = nullptr;
  std::string parse_error;  // OPA's wording; empty when the text parsed
  Value ast;                // the caller's document as OPA returns it
  bool converted = false;
  gql::Schema* schema = nullptr;
  std::string convert_error;
};

struct SchemaCache {
  std::map<std::string, std::shared_ptr<CompiledSchema>, std::less<>> entries;
};

constexpr size_t kMaxCachedSchemas = 8;
constexpr size_t kMaxCachedSchemaBytes = 1 << 20;

// Builds the schema from the caller's document: the prelude merged in first,
// then ValidateSchemaDocument. OPA words a failure "Error in gqlparser
// SchemaDocument to Schema conversion: input:LINE:COL: message".
void Convert(CompiledSchema& c) {
  if (c.converted) return;
  c.converted = true;
  gql::SchemaDocument* prelude = gql::ParsePrelude(c.arena);
  auto* merged = c.arena.New<gql::SchemaDocument>();
  for (gql::SchemaDocument* part : {prelude, c.doc}) {
    if (part == nullptr) continue;
    auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    append(merged->schema, part->schema);
    append(merged->schema_extension, part->schema_extension);
    append(merged->directives, part->directives);
    append(merged->definitions, part->definitions);
    append(merged->extensions, part->extensions);
  }
  gql::GqlError error;
  c.schema = gql::ValidateSchemaDocument(c.arena, *merged, &error);
  if (c.schema == nullptr) {
    c.convert_error = "Error in gqlparser SchemaDocument to Schema conversion: " + error.Text();
  }
}

std::shared_ptr<CompiledSchema> CompileSchemaText(const std::string& text) {
  auto c = std::make_shared<CompiledSchema>();
  gql::GqlError error;
  c->doc = gql::ParseSchema(c->arena, text, false, &error);
  if (c->doc == nullptr) {
    c->parse_error = ParseErrorText(error);
    return c;
  }
  // The AST is taken before validation, which folds extensions into
  // definitions.
  c->ast = gql::SchemaToValue(*c->doc);
  return c;
}

std::shared_ptr<CompiledSchema> SchemaFromText(const std::string& text, BuiltinContext& ctx) {
  if (text.size() > kMaxCachedSchemaBytes) return CompileSchemaText(text);
  auto& slot = ctx.cache["graphql.schemas"];
  if (slot == nullptr) slot = std::make_shared<SchemaCache>();
  auto& cache = *static_cast<SchemaCache*>(slot.get());
  if (auto it = cache.entries.find(text); it != cache.entries.end()) return it->second;
  auto c = CompileSchemaText(text);
  if (cache.entries.size() >= kMaxCachedSchemas) cache.entries.clear();
  cache.entries.emplace(text, c);
  return c;
}

// A schema argument: the schema text, or a schema AST object (decoded as Go
// decodes it into gqlparser's structs, then re-encoded for the result).
// nullptr when the argument is neither.
std::shared_ptr<CompiledSchema> LoadSchema(const Value& v, BuiltinContext& ctx) {
  if (v.is_string()) return SchemaFromText(v.as_string(), ctx);
  if (!v.is_object()) return nullptr;
  auto c = std::make_shared<CompiledSchema>();
  std::string error;
  c->doc = gql::SchemaFromValue(c->arena, v, &error);
  if (c->doc == nullptr) {
    c->parse_error = error;
    return c;
  }
  c->ast = gql::SchemaToValue(*c->doc);
  return c;
}

// A query argument: the query text or a query AST object. `error` gets OPA's
// wording of a failure; nullptr with an empty error when the argument is
// neither a string nor an object.
gql::QueryDocument* LoadQuery(gql::Arena& arena, const Value& v, std::string* error) {
  if (v.is_string()) {
    gql::GqlError e;
    gql::QueryDocument* doc = gql::ParseQuery(arena, v.as_string(), &e);
    if (doc == nullptr) *error = ParseErrorText(e);
    return doc;
  }
  if (v.is_object()) return gql::QueryFromValue(arena, v, error);
  return nullptr;
}

// The steps graphql.parse, graphql.parse_and_verify and graphql.is_valid
// share. On success fills the query and schema ASTs (when `out` is given);
// otherwise says what failed, with OPA's error text in *error.
struct Parsed {
  Value query_ast;
  Value schema_ast;
};

enum class Failure { kNone, kQueryType, kSchemaType, kOther };

Failure ParseAndValidate(const Value& query, const Value& schema, BuiltinContext& ctx, Parsed* out,
                         std::string* error) {
  gql::Arena arena;
  gql::QueryDocument* doc = LoadQuery(arena, query, error);
  if (doc == nullptr) return error->empty() ? Failure::kQueryType : Failure::kOther;
  std::shared_ptr<CompiledSchema> compiled = LoadSchema(schema, ctx);
  if (compiled == nullptr) return Failure::kSchemaType;
  if (!compiled->parse_error.empty()) {
    *error = compiled->parse_error;
    return Failure::kOther;
  }
  Convert(*compiled);
  if (compiled->schema == nullptr) {
    *error = compiled->convert_error;
    return Failure::kOther;
  }
  // OPA takes the query's AST before validation annotates it.
  if (out != nullptr) {
    out->query_ast = gql::QueryToValue(*doc);
    out->schema_ast = compiled->ast;
  }
  std::vector<gql::GqlError> errors = gql::ValidateQuery(arena, *compiled->schema, *doc);
  if (!errors.empty()) {
    *error = ValidationErrorText(errors);
    return Failure::kOther;
  }
  return Failure::kNone;
}

// ---- Built-ins ----

Result<Value> GraphqlParse(std::span<const Value> args, BuiltinContext& ctx) {
  static constexpr std::string_view kName = "graphql.parse";
  Parsed parsed;
  std::string error;
  switch (ParseAndValidate(args[0], args[1], ctx, &parsed, &error)) {
    case Failure::kNone: break;
    // OPA numbers these operands from 0.
    case Failure::kQueryType: return OperandTypeErrorOneOf(kName, 0, args[0], {"string", "object"});
    case Failure::kSchemaType: return OperandTypeErrorOneOf(kName, 1, args[1], {"string", "object"});
    case Failure::kOther: return BuiltinError(kName, error);
  }
  return Value::Array({parsed.query_ast, parsed.schema_ast});
}

Result<Value> GraphqlParseAndVerify(std::span<const Value> args, BuiltinContext& ctx) {
  Parsed parsed;
  std::string error;
  if (ParseAndValidate(args[0], args[1], ctx, &parsed, &error) != Failure::kNone) {
    return Value::Array({Value::Bool(false), Value::EmptyObject(), Value::EmptyObject()});
  }
  return Value::Array({Value::Bool(true), parsed.query_ast, parsed.schema_ast});
}

Result<Value> GraphqlIsValid(std::span<const Value> args, BuiltinContext& ctx) {
  std::string error;
  return Value::Bool(ParseAndValidate(args[0], args[1], ctx, nullptr, &error) == Failure::kNone);
}

Result<Value> GraphqlParseQuery(std::span<const Value> args, BuiltinContext&) {
  static constexpr std::string_view kName = "graphql.parse_query";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view text, StringArg(kName, args, 1));
  gql::Arena arena;
  gql::GqlError error;
  gql::QueryDocument* doc = gql::ParseQuery(arena, text, &error);
  if (doc == nullptr) return BuiltinError(kName, ParseErrorText(error));
  return gql::QueryToValue(*doc);
}

Result<Value> GraphqlParseSchema(std::span<const Value> args, BuiltinContext& ctx) {
  static constexpr std::string_view kName = "graphql.parse_schema";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view text, StringArg(kName, args, 1));
  std::shared_ptr<CompiledSchema> compiled = SchemaFromText(std::string(text), ctx);
  if (!compiled->parse_error.empty()) return BuiltinError(kName, compiled->parse_error);
  return compiled->ast;
}

Result<Value> GraphqlSchemaIsValid(std::span<const Value> args, BuiltinContext& ctx) {
  std::shared_ptr<CompiledSchema> compiled = LoadSchema(args[0], ctx);
  if (compiled == nullptr || !compiled->parse_error.empty()) return Value::Bool(false);
  Convert(*compiled);
  return Value::Bool(compiled->schema != nullptr);
}

}  // namespace

void RegisterGraphql(BuiltinTable& t) {
  t.Add({"graphql.is_valid", 2, GraphqlIsValid});
  t.Add({"graphql.parse", 2, GraphqlParse});
  t.Add({"graphql.parse_and_verify", 2, GraphqlParseAndVerify});
  t.Add({"graphql.parse_query", 1, GraphqlParseQuery});
  t.Add({"graphql.parse_schema", 1, GraphqlParseSchema});
  t.Add({"graphql.schema_is_valid", 1, GraphqlSchemaIsValid});
}

}  // namespace custody::rego
