// Types of Rego values for the compile-time type checker, as OPA's
// v1/types package defines them: null, boolean, number, string, arrays
// (static element types and/or a dynamic one), objects (static properties
// and/or dynamic keys and values), sets, unions ("any<...>", where the empty
// union is any value) and function declarations.
//
// The declaration notation (BuiltinDeclarations() in builtin_decls.cc):
//   decl   := "(" [arg ("," arg)*] ["..." type] ")" " => " [result]
//   arg    := [name ": "] type      result := "(" name ": " type ")" | type
//   type   := "any" | "null" | "boolean" | "number" | "string"
//           | "any<" type, ... ">"                      union
//           | "array[" type "]" | "array<" type, ... ">" ["[" type "]"]
//           | "set[" type "]"
//           | "object[" type ": " type "]"
//           | "object<" "\"key\"" ": " type, ... ">" ["[" type ": " type "]"]
// Types print as OPA prints them (`any<array[any], set[any], string>`,
// `object<a: number>[string: any]`, `???` for an unknown type).
//
// Types are immutable and shared; any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "rego/value.h"

namespace custody::rego {

enum class TypeKind : uint8_t { kNull, kBoolean, kNumber, kString, kArray, kObject, kSet, kAny, kFunction };

struct Type;
// nullptr is an unknown type (OPA's nil, printed "???").
using TypePtr = std::shared_ptr<const Type>;

struct Type {
  TypeKind kind = TypeKind::kAny;
  // kArray: static element types; kAny: the union's members (sorted, empty =
  // any value); kFunction: argument types.
  std::vector<TypePtr> items;
  // kArray: dynamic element type (or null); kSet: element type; kObject:
  // dynamic value type (or null); kFunction: result type (or null).
  TypePtr of;
  TypePtr key;  // kObject: dynamic key type (with `of`)
  std::vector<std::pair<Value, TypePtr>> props;  // kObject: static properties, sorted by key
  // kFunction: argument names, then the result's name ("" when unnamed).
  std::vector<std::string> names;
  TypePtr variadic;  // kFunction: the type of arguments after `items`, if any
};

TypePtr AnyType();  // the top type
TypePtr NullType();
TypePtr BooleanType();
TypePtr NumberType();
TypePtr StringType();
TypePtr ArrayType(std::vector<TypePtr> static_items, TypePtr dynamic);
TypePtr SetType(TypePtr of);
TypePtr ObjectType(std::vector<std::pair<Value, TypePtr>> props, TypePtr key, TypePtr value);

// The type of a constant value (arrays and objects typed element by element,
// sets by the union of their elements).
TypePtr TypeOfValue(const Value& v);

// OPA's types.Compare order: null < boolean < number < string < array <
// object < set < any < function; unknown first.
int CompareTypes(const TypePtr& a, const TypePtr& b);
// The union of a and b (a superset is returned unchanged; unknown is ignored).
TypePtr Or(const TypePtr& a, const TypePtr& b);
// The types of the keys / values one can enumerate in a collection type.
TypePtr KeysOf(const TypePtr& t);
TypePtr ValuesOf(const TypePtr& t);
// The type of element `key` of a collection type (array index, object key,
// set member), or unknown.
TypePtr SelectOf(const TypePtr& t, const Value& key);
// True when the type or a part of it is unknown.
bool HasUnknown(const TypePtr& t);
// OPA's unifies(a, b): some value could have both types. Unknown types do
// not unify.
bool Unifies(const TypePtr& a, const TypePtr& b);

std::string TypeString(const TypePtr& t);
// "(name: type, ...)" of a function's arguments followed by its result, as
// OPA prints the `want` of an argument error.
std::string ArgsString(const Type& function);

// Parses the notation above; errors name the offending text.
Result<TypePtr> ParseType(std::string_view text);
// Parses a declaration into a kFunction type.
Result<TypePtr> ParseDeclaration(std::string_view text);

// The declared type of built-in `name` (OPA's declarations, parsed once), or
// nullptr when it has none.
const Type* BuiltinDeclaration(std::string_view name);
// name -> declaration text, sorted by name (builtin_decls.cc).
const std::vector<std::pair<std::string_view, std::string_view>>& BuiltinDeclarations();

}  // namespace custody::rego
