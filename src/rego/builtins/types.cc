// Built-ins of OPA's "types" group: is_number, is_string, is_boolean,
// is_array, is_set, is_object, is_null and type_name. They accept any value
// and never fail.
#include "rego/builtins.h"

namespace custody::rego {
namespace {

template <Kind K>
Result<Value> IsKind(std::span<const Value> args, BuiltinContext&) {
  return Value::Bool(args[0].kind() == K);
}

Result<Value> TypeName(std::span<const Value> args, BuiltinContext&) {
  return Value::String(args[0].TypeName());
}

}  // namespace

void RegisterTypes(BuiltinTable& t) {
  t.Add({"is_number", 1, IsKind<Kind::kNumber>});
  t.Add({"is_string", 1, IsKind<Kind::kString>});
  t.Add({"is_boolean", 1, IsKind<Kind::kBool>});
  t.Add({"is_array", 1, IsKind<Kind::kArray>});
  t.Add({"is_set", 1, IsKind<Kind::kSet>});
  t.Add({"is_object", 1, IsKind<Kind::kObject>});
  t.Add({"is_null", 1, IsKind<Kind::kNull>});
  t.Add({"type_name", 1, TypeName});
}

}  // namespace custody::rego
