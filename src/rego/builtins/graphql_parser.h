// GraphQL documents for the graphql.* built-ins: the AST, the lexer and
// parser, the conversion of documents to and from the JSON shape OPA returns,
// and the schema and query validation OPA runs.
//
// OPA delegates all of this to its copy of the Go library gqlparser (v2.5,
// without comment tokens). Policies see that library's AST marshalled to JSON
// (field names such as "Operations", "SelectionSet", "Kind": 3), and its error
// texts, so both are reproduced here: node types mirror gqlparser's structs
// field for field, positions are recorded where gqlparser records them, and
// the validation rules report the same messages in the same order.
//
// Nodes live in an Arena for the duration of one built-in call and refer to
// each other with plain pointers; validation annotates them (Definition,
// ExpectedType, Used, ...) exactly as gqlparser does. Not thread-safe: one
// Arena per call.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rego/value.h"

namespace custody::rego::graphql {

// Limits on what a caller controls. gqlparser has none; these keep a hostile
// document from exhausting the stack or the machine.
inline constexpr size_t kMaxSourceBytes = 4 << 20;
inline constexpr int kMaxNestingDepth = 200;

// A source location: 1-based line and column in runes, as gqlparser counts.
struct Pos {
  int line = 0;
  int column = 0;
  bool set = false;
  // The location is in the built-in prelude rather than the caller's text.
  bool prelude = false;
};

// One gqlparser error: the message and, when known, where it happened.
struct GqlError {
  std::string message;
  Pos pos;
  // gqlerror's text: "input:LINE:COL: message" (or "input: message").
  std::string Text() const;
};

struct Node {
  virtual ~Node() = default;
};

// Owns every node of one call.
class Arena {
 public:
  template <typename T>
  T* New() {
    auto node = std::make_unique<T>();
    T* raw = node.get();
    nodes_.push_back(std::move(node));
    return raw;
  }

 private:
  std::vector<std::unique_ptr<Node>> nodes_;
};

struct Definition;
struct FieldDefinition;
struct VariableDefinition;
struct DirectiveDefinition;
struct FragmentDefinition;
struct ValueNode;

// ---- Query documents (gqlparser ast/{type,value,selection,fragment,operation}.go) ----

struct Type : Node {
  std::string named_type;
  Type* elem = nullptr;
  bool non_null = false;
  Pos pos;

  // The innermost named type ("" for a malformed type without one).
  const std::string& Name() const;
  // "[String!]!" notation.
  std::string String() const;
  bool IsCompatible(const Type& other) const;
};

// gqlparser's ValueKind numbering, which is what the JSON "Kind" holds.
enum ValueKind : int64_t {
  kVariable = 0,
  kIntValue = 1,
  kFloatValue = 2,
  kStringValue = 3,
  kBlockValue = 4,
  kBooleanValue = 5,
  kNullValue = 6,
  kEnumValue = 7,
  kListValue = 8,
  kObjectValue = 9,
};

struct ChildValue : Node {
  std::string name;
  ValueNode* value = nullptr;
  Pos pos;
};

struct ValueNode : Node {
  std::string raw;
  std::vector<ChildValue*> children;
  int64_t kind = kVariable;  // any number when decoded from an object
  Pos pos;
  bool expected_type_has_default = false;
  // Set by validation.
  Definition* definition = nullptr;
  VariableDefinition* variable_definition = nullptr;
  Type* expected_type = nullptr;

  // gqlparser's Value.String(): "$x", "\"quoted\"", "[1,2]", "{a:1}".
  std::string String() const;
};

struct Argument : Node {
  std::string name;
  ValueNode* value = nullptr;
  Pos pos;
};

struct Directive : Node {
  std::string name;
  std::vector<Argument*> arguments;
  Pos pos;
  std::string location;  // set by validation; "" in parsed documents
  // Set by validation.
  Definition* parent_definition = nullptr;
  DirectiveDefinition* definition = nullptr;
};

enum class SelectionKind { kField, kFragmentSpread, kInlineFragment };

struct Selection : Node {
  explicit Selection(SelectionKind k) : kind(k) {}
  SelectionKind kind;
  Pos pos;
};

struct Field : Selection {
  Field() : Selection(SelectionKind::kField) {}
  std::string alias;
  std::string name;
  std::vector<Argument*> arguments;
  std::vector<Directive*> directives;
  std::vector<Selection*> selection_set;
  // Set by validation.
  FieldDefinition* definition = nullptr;
  Definition* object_definition = nullptr;
};

struct FragmentSpread : Selection {
  FragmentSpread() : Selection(SelectionKind::kFragmentSpread) {}
  std::string name;
  std::vector<Directive*> directives;
  // Set by validation.
  Definition* object_definition = nullptr;
  FragmentDefinition* definition = nullptr;
};

struct InlineFragment : Selection {
  InlineFragment() : Selection(SelectionKind::kInlineFragment) {}
  std::string type_condition;
  std::vector<Directive*> directives;
  std::vector<Selection*> selection_set;
  // Set by validation.
  Definition* object_definition = nullptr;
};

struct VariableDefinition : Node {
  std::string variable;
  Type* type = nullptr;
  ValueNode* default_value = nullptr;
  std::vector<Directive*> directives;
  Pos pos;
  bool used = false;
  // Set by validation.
  Definition* definition = nullptr;
};

struct FragmentDefinition : Node {
  std::string name;
  std::vector<VariableDefinition*> variable_definition;
  std::string type_condition;
  std::vector<Directive*> directives;
  std::vector<Selection*> selection_set;
  Pos pos;
  // Set by validation.
  Definition* definition = nullptr;
};

struct OperationDefinition : Node {
  std::string operation;  // "query", "mutation", "subscription"
  std::string name;
  std::vector<VariableDefinition*> variable_definitions;
  std::vector<Directive*> directives;
  std::vector<Selection*> selection_set;
  Pos pos;
};

struct QueryDocument : Node {
  std::vector<OperationDefinition*> operations;
  std::vector<FragmentDefinition*> fragments;
};

// ---- Schema documents (gqlparser ast/{definition,document}.go) ----

struct ArgumentDefinition : Node {
  std::string description;
  std::string name;
  ValueNode* default_value = nullptr;
  Type* type = nullptr;
  std::vector<Directive*> directives;
  Pos pos;
};

struct FieldDefinition : Node {
  std::string description;
  std::string name;
  std::vector<ArgumentDefinition*> arguments;
  ValueNode* default_value = nullptr;
  Type* type = nullptr;
  std::vector<Directive*> directives;
  Pos pos;
};

struct EnumValueDefinition : Node {
  std::string description;
  std::string name;
  std::vector<Directive*> directives;
  Pos pos;
};

// A type definition or extension; `kind` is "SCALAR", "OBJECT", "INTERFACE",
// "UNION", "ENUM" or "INPUT_OBJECT" (anything when decoded from an object).
struct Definition : Node {
  std::string kind;
  std::string description;
  std::string name;
  std::vector<Directive*> directives;
  std::vector<std::string> interfaces;
  std::vector<FieldDefinition*> fields;
  std::vector<std::string> types;
  std::vector<EnumValueDefinition*> enum_values;
  Pos pos;
  bool built_in = false;

  bool IsLeafType() const { return kind == "ENUM" || kind == "SCALAR"; }
  bool IsAbstractType() const { return kind == "INTERFACE" || kind == "UNION"; }
  bool IsCompositeType() const { return kind == "OBJECT" || kind == "INTERFACE" || kind == "UNION"; }
  bool IsInputType() const { return kind == "SCALAR" || kind == "ENUM" || kind == "INPUT_OBJECT"; }
};

struct DirectiveDefinition : Node {
  std::string description;
  std::string name;
  std::vector<ArgumentDefinition*> arguments;
  std::vector<std::string> locations;
  bool is_repeatable = false;
  Pos pos;
};

struct OperationTypeDefinition : Node {
  std::string operation;
  std::string type;
  Pos pos;
};

struct SchemaDefinition : Node {
  std::string description;
  std::vector<Directive*> directives;
  std::vector<OperationTypeDefinition*> operation_types;
  Pos pos;
};

struct SchemaDocument : Node {
  std::vector<SchemaDefinition*> schema;
  std::vector<SchemaDefinition*> schema_extension;
  std::vector<DirectiveDefinition*> directives;
  std::vector<Definition*> definitions;
  std::vector<Definition*> extensions;
};

// A validated schema (gqlparser ast.Schema).
struct Schema : Node {
  Definition* query = nullptr;
  Definition* mutation = nullptr;
  Definition* subscription = nullptr;
  std::map<std::string, Definition*> types;
  std::map<std::string, DirectiveDefinition*> directives;
  std::map<std::string, std::vector<Definition*>> possible_types;
  std::map<std::string, std::vector<Definition*>> implements;
  std::string description;

  // nullptr when the schema has no type of that name.
  Definition* TypeNamed(const std::string& name) const;
  const std::vector<Definition*>& PossibleTypes(const std::string& name) const;
};

// ---- Parsing (gqlparser parser/*.go, lexer/*.go) ----

// nullptr and *error set when the text is not a GraphQL executable document.
QueryDocument* ParseQuery(Arena& arena, std::string_view source, GqlError* error);
// `prelude` marks the definitions BuiltIn and their positions as the prelude's.
SchemaDocument* ParseSchema(Arena& arena, std::string_view source, bool prelude, GqlError* error);
// gqlparser's built-in definitions: the scalars, @include, @skip,
// @deprecated, @specifiedBy and the introspection types.
SchemaDocument* ParsePrelude(Arena& arena);

// ---- JSON shape (OPA's InterfaceToValue + pruneIrrelevantGraphQLASTNodes) ----

// The document as OPA returns it: gqlparser's exported fields by Go name,
// with nulls, empty lists and empty objects and all positions left out.
Value QueryToValue(const QueryDocument& doc);
Value SchemaToValue(const SchemaDocument& doc);
// A document given back as an object, decoded the way Go's encoding/json
// fills gqlparser's structs (keys matched case-insensitively, unknown keys
// ignored). nullptr and *error set on a mismatched type.
QueryDocument* QueryFromValue(Arena& arena, const Value& value, std::string* error);
SchemaDocument* SchemaFromValue(Arena& arena, const Value& value, std::string* error);

// ---- Validation (gqlparser validator/*.go) ----

// Builds the schema from `doc` (the prelude merged with the caller's
// document), checking it as ValidateSchemaDocument does. Mutates `doc`'s
// definitions (extensions are folded in). nullptr and *error on failure.
Schema* ValidateSchemaDocument(Arena& arena, SchemaDocument& doc, GqlError* error);
// Runs every validation rule over `doc`; the errors in gqlparser's order.
std::vector<GqlError> ValidateQuery(Arena& arena, const Schema& schema, QueryDocument& doc);

// Go's strconv.Quote, which the error messages use.
std::string GoQuote(std::string_view s);

}  // namespace custody::rego::graphql
