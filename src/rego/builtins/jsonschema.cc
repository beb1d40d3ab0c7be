// JSON Schema built-ins: json.verify_schema and json.match_schema, as OPA
// has them (v1/topdown/jsonschema.go). Schemas and documents may be JSON
// text or Rego objects (arrays too, as OPA accepts them at run time); the
// validation itself lives in jsonschema_validator.
//
// json.verify_schema reports a bad schema in its result ([false, "jsonschema:
// ..."]); json.match_schema raises it as a built-in error, as OPA does.
#include <cstdint>
#include <memory>
#include <string>

#include "rego/builtins.h"
#include "rego/builtins/jsonschema_validator.h"

namespace custody::rego {
namespace {

constexpr std::string_view kVerifySchema = "json.verify_schema";
constexpr std::string_view kMatchSchema = "json.match_schema";

// Compiled schemas are kept for the rest of the evaluation, keyed by the
// identity of the schema value (held here, so the identity is not reused);
// a policy matching many documents against one schema compiles it once.
constexpr size_t kMaxCachedSchemas = 256;
constexpr std::string_view kCachePrefix = "jsonschema:";

struct CompiledSchema {
  Value source;
  std::shared_ptr<const jsonschema::Schema> schema;
  std::string error;  // gojsonschema's text, when compilation failed
};

// OPA's astValueToJSONSchemaLoader followed by the decode: the error is the
// loader's text ("invalid JSON string", "wrong type, expected string or
// object").
Result<jsonschema::Node> Load(const Value& v) {
  if (v.is_string()) return jsonschema::ParseNode(v.as_string());
  if (v.is_object() || v.is_array()) return jsonschema::NodeFromValue(v);
  return Error::Input("wrong type, expected string or object");
}

std::shared_ptr<const CompiledSchema> Compile(const Value& v) {
  auto compiled = std::make_shared<CompiledSchema>();
  compiled->source = v;
  auto node = Load(v);
  if (!node.ok()) {
    compiled->error = node.error().message();
    return compiled;
  }
  auto schema = jsonschema::Schema::Compile(std::move(*node));
  if (!schema.ok()) {
    compiled->error = schema.error().message();
  } else {
    compiled->schema = std::move(*schema);
  }
  return compiled;
}

std::shared_ptr<const CompiledSchema> CompileCached(const Value& v, BuiltinContext& ctx) {
  const void* identity = v.node_identity();
  if (identity == nullptr) return Compile(v);
  std::string key = std::string(kCachePrefix) + std::to_string(reinterpret_cast<uintptr_t>(identity));
  if (auto it = ctx.cache.find(key); it != ctx.cache.end()) {
    return std::static_pointer_cast<const CompiledSchema>(it->second);
  }
  auto compiled = Compile(v);
  std::string count_key = std::string(kCachePrefix) + "count";
  auto& count = ctx.cache[count_key];
  if (count == nullptr) count = std::make_shared<size_t>(0);
  size_t& n = *std::static_pointer_cast<size_t>(count);
  if (n < kMaxCachedSchemas) {
    ++n;
    ctx.cache[key] = std::const_pointer_cast<CompiledSchema>(compiled);
  }
  return compiled;
}

Result<Value> VerifySchema(std::span<const Value> args, BuiltinContext& ctx) {
  auto compiled = CompileCached(args[0], ctx);
  if (compiled->schema == nullptr) {
    return Value::Array({Value::Bool(false), Value::String("jsonschema: " + compiled->error)});
  }
  return Value::Array({Value::Bool(true), Value::Null()});
}

Result<Value> MatchSchema(std::span<const Value> args, BuiltinContext& ctx) {
  auto document = Load(args[0]);
  if (!document.ok()) return BuiltinError(kMatchSchema, document.error().message());
  auto compiled = CompileCached(args[1], ctx);
  if (compiled->schema == nullptr) return BuiltinError(kMatchSchema, compiled->error);
  auto errors = compiled->schema->Validate(*document);
  if (!errors.ok()) return BuiltinError(kMatchSchema, errors.error().message());

  ValueVector out;
  out.reserve(errors->size());
  for (const jsonschema::ValidationError& e : *errors) {
    out.push_back(Value::Object({
        {Value::String("error"), Value::String(e.Text())},
        {Value::String("type"), Value::String(e.type)},
        {Value::String("field"), Value::String(e.field)},
        {Value::String("desc"), Value::String(e.description)},
    }));
  }
  bool valid = out.empty();
  return Value::Array({Value::Bool(valid), Value::Array(std::move(out))});
}

}  // namespace

void RegisterJsonSchema(BuiltinTable& t) {
  t.Add({kVerifySchema, 1, VerifySchema});
  t.Add({kMatchSchema, 2, MatchSchema});
}

}  // namespace custody::rego
