// JSON Schema validation as OPA's json.verify_schema and json.match_schema do
// it: OPA's fork of gojsonschema (internal/gojsonschema), drafts 4, 6 and 7
// with the draft detected from "$schema" and a lenient "hybrid" draft when
// there is none. Schema errors and validation errors carry gojsonschema's
// texts, which policies match on.
//
// Differences from OPA, all deliberate: "$ref" resolves only within the schema
// document (JSON pointers and "$id"s); remote and file references, including
// the json-schema.org meta-schemas, are refused rather than fetched. Where Go
// iterates a map (properties, patternProperties, dependencies, the members of
// an object), errors come in sorted key order instead of Go's random one.
// Documents nest at most kMaxDepth levels, and validation is bounded in
// steps and in $ref recursion, so a hostile schema gets an error, not a hang.
//
// A compiled Schema is immutable: it may be shared and used from several
// threads at once.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"
#include "rego/value.h"

namespace custody::rego::jsonschema {

// Deepest nesting of arrays and objects accepted in a schema or a document.
inline constexpr size_t kMaxDepth = 512;

struct Member;

// A JSON document as gojsonschema holds it after decoding with UseNumber:
// numbers keep their decimal text, so 0.1 is exactly one tenth.
struct Node {
  enum class Type : uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };

  Type type = Type::kNull;
  bool boolean = false;
  std::string text;                                   // kString: the string; kNumber: its decimal text
  std::vector<Node> items;                            // kArray
  std::vector<Member> members;                        // kObject: sorted by key, keys unique

  bool is(Type t) const { return type == t; }
  const Node* Find(std::string_view key) const;
  Node* Find(std::string_view key);
};

// An object member (named like std::pair's fields; a std::pair of the
// incomplete Node is not allowed inside Node).
struct Member {
  Member() = default;
  Member(std::string k, Node v) : first(std::move(k)), second(std::move(v)) {}
  std::string first;
  Node second;
};

// JSON text as OPA accepts it for these built-ins (json.Valid, then decoded
// with numbers kept as text). Malformed text fails with "invalid JSON string".
Result<Node> ParseNode(std::string_view text);

// A Rego value the way OPA's ast.JSON converts it: sets become arrays, object
// keys that are not strings become their JSON text.
Result<Node> NodeFromValue(const Value& value);

// One validation failure, with gojsonschema's fields.
struct ValidationError {
  std::string type;         // "invalid_type", "required", "enum", ...
  std::string field;        // "name", "items.0", or "(root)"
  std::string description;  // "Invalid type. Expected: string, given: integer"

  // gojsonschema's ResultError.String(): "field: description".
  std::string Text() const { return field + ": " + description; }
};

struct SubSchema;

class Schema {
 public:
  ~Schema();
  Schema(const Schema&) = delete;
  Schema& operator=(const Schema&) = delete;

  // Compiles a schema document. The error message is gojsonschema's text
  // ("has a primitive type that is NOT VALID -- given: ...").
  static Result<std::shared_ptr<const Schema>> Compile(Node document);

  // The failures of `document`, in gojsonschema's order; empty when it is
  // valid. An Error only when a limit on the work is exceeded.
  Result<std::vector<ValidationError>> Validate(const Node& document) const;

 private:
  Schema();
  std::vector<std::unique_ptr<SubSchema>> arena_;
  const SubSchema* root_ = nullptr;
};

}  // namespace custody::rego::jsonschema
