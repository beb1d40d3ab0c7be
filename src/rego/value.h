// Value: a Rego value as OPA has it. null, boolean, number, string, array,
// object (keys of any type), set, and "undefined" (the absence of a value,
// never stored inside a collection).
//
// A Value is 16 bytes: scalars inline, strings and collections in immutable,
// reference-counted nodes shared between copies. Copying is cheap; nothing is
// ever mutated after construction, so a Value (and everything reachable from
// it) may be read from many threads at once without synchronization.
//
// Numbers are exact where OPA keeps them exact: integers that fit in 64 bits
// are int64, larger integers keep their decimal digits ("big"), everything
// else is a double. An integral double that fits in 2^53 is stored as an
// integer, so 1.0 == 1 and prints as 1, as in OPA.
//
// Sets and objects keep their elements sorted by Compare() (OPA's total order:
// null < boolean < number < string < array < object < set), so iteration and
// JSON output are deterministic and lookups are binary searches.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/json.h"

namespace custody::rego {

// Declared in OPA's sort order (after kUndefined).
enum class Kind : uint8_t { kUndefined = 0, kNull, kBool, kNumber, kString, kArray, kObject, kSet };

class Value;
using ValueVector = std::vector<Value>;
using ObjectEntry = std::pair<Value, Value>;
using ObjectEntries = std::vector<ObjectEntry>;

namespace internal {
struct Node {
  mutable std::atomic<uint32_t> refs{1};
};
struct StringNode;
struct BigNode;
struct ArrayNode;
struct ObjectNode;
struct SetNode;
}  // namespace internal

class Value {
 public:
  // Undefined.
  Value() noexcept : kind_(Kind::kUndefined), num_(0), i_(0) {}
  Value(const Value& other) noexcept;
  Value(Value&& other) noexcept;
  Value& operator=(const Value& other) noexcept;
  Value& operator=(Value&& other) noexcept;
  ~Value();

  static Value Null();
  static Value Bool(bool b);
  static Value Int(int64_t i);
  // Integral values that fit in 2^53 become integers; NaN and infinities are
  // not Rego numbers and become undefined.
  static Value Float(double d);
  // Parses JSON number text (also accepts a leading '+' and no leading digit
  // like ".5" is refused). Integers beyond int64 keep their digits.
  // Returns undefined when `text` is not a number.
  static Value Number(std::string_view text);
  // A big integer from its decimal digits (optional leading '-'); values that
  // fit in int64 become Int.
  static Value BigInt(std::string_view digits);

  static Value String(std::string s);
  static Value String(std::string_view s) { return String(std::string(s)); }
  static Value String(const char* s) { return String(std::string(s)); }

  static Value Array(ValueVector items);
  // Sorts and removes duplicates.
  static Value Set(ValueVector items);
  // Sorts by key; when a key repeats, the last entry wins.
  static Value Object(ObjectEntries entries);
  // REQUIRES: `items` already sorted by Compare with no duplicates.
  static Value SortedSet(ValueVector items);
  // REQUIRES: `entries` already sorted by key with no duplicate keys.
  static Value SortedObject(ObjectEntries entries);
  static Value EmptyArray();
  static Value EmptyObject();
  static Value EmptySet();

  Kind kind() const { return kind_; }
  bool is_undefined() const { return kind_ == Kind::kUndefined; }
  bool is_defined() const { return kind_ != Kind::kUndefined; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_number() const { return kind_ == Kind::kNumber; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_array() const { return kind_ == Kind::kArray; }
  bool is_object() const { return kind_ == Kind::kObject; }
  bool is_set() const { return kind_ == Kind::kSet; }
  // Array, object or set.
  bool is_collection() const { return kind_ >= Kind::kArray; }
  // true and only true.
  bool is_true() const { return kind_ == Kind::kBool && b_; }
  bool is_false() const { return kind_ == Kind::kBool && !b_; }

  // REQUIRES: is_bool()
  bool as_bool() const { return b_; }

  // Numbers. REQUIRES: is_number()
  bool is_int() const { return num_ == kInt; }      // fits int64
  bool is_big() const { return num_ == kBig; }      // integer beyond int64
  bool is_float() const { return num_ == kFloat; }  // not integral (or huge)
  bool is_integer() const { return num_ != kFloat; }
  int64_t as_int() const { return i_; }  // REQUIRES: is_int()
  double as_double() const;              // nearest double (any number)
  // The int64 value when the number is an integer that fits, else nullopt.
  std::optional<int64_t> to_int64() const;
  const std::string& big_digits() const;  // REQUIRES: is_big()
  // Decimal text as OPA prints it: integers in full, doubles in the shortest
  // form that reads back the same (Go's strconv 'g' -1 style, no exponent for
  // ordinary magnitudes).
  std::string NumberText() const;

  // REQUIRES: is_string()
  const std::string& as_string() const;

  // REQUIRES: is_array() / is_set() / is_object()
  const ValueVector& array() const;
  const ValueVector& set() const;
  const ObjectEntries& object() const;

  // Number of elements of a collection; 0 for anything else.
  size_t size() const;

  // Object: the value at `key`. Array: the element at integer index `key`.
  // Set: the element equal to `key`. Otherwise, or when absent: nullptr.
  const Value* Find(const Value& key) const;
  // Object lookup by string key without building a Value.
  const Value* FindKey(std::string_view key) const;
  bool SetContains(const Value& v) const { return kind_ == Kind::kSet && Find(v) != nullptr; }

  // OPA's type names: "null", "boolean", "number", "string", "array",
  // "object", "set" ("undefined" for undefined).
  const char* TypeName() const;

  // JSON text. Sets become arrays (sorted); object keys that are not strings
  // become their JSON text. REQUIRES: is_defined()
  std::string ToJson() const;
  // Rego term text: sets as {1, 2}, set() when empty, strings quoted.
  std::string ToRego() const;
  void AppendJson(std::string& out) const;
  void AppendRego(std::string& out) const;

  // nlohmann boundary. Numbers: integers as int64/uint64, big integers and
  // floats as double (nlohmann has no decimal type).
  Json ToNlohmann() const;
  static Value FromNlohmann(const Json& json);

  size_t Hash() const;

  // Identity of the shared node (for caches); nullptr for scalars.
  const void* node_identity() const { return kind_ >= Kind::kString || num_ == kBig ? p_ : nullptr; }

 private:
  enum NumTag : uint8_t { kInt = 0, kFloat = 1, kBig = 2 };
  bool has_node() const { return kind_ >= Kind::kString || (kind_ == Kind::kNumber && num_ == kBig); }
  void Retain() const;
  void Release();

  Kind kind_;
  uint8_t num_;
  union {
    bool b_;
    int64_t i_;
    double d_;
    internal::Node* p_;
  };
};

// OPA's total order: negative, zero or positive.
int Compare(const Value& a, const Value& b);
inline bool operator==(const Value& a, const Value& b) { return Compare(a, b) == 0; }
inline bool operator!=(const Value& a, const Value& b) { return Compare(a, b) != 0; }
inline bool operator<(const Value& a, const Value& b) { return Compare(a, b) < 0; }

struct ValueLess {
  bool operator()(const Value& a, const Value& b) const { return Compare(a, b) < 0; }
};
struct ValueHash {
  size_t operator()(const Value& v) const { return v.Hash(); }
};
struct ValueEqual {
  bool operator()(const Value& a, const Value& b) const { return Compare(a, b) == 0; }
};

// Parses JSON text straight into a Value, keeping big integers exact. The
// error names `source` and the line and column of the first problem.
Result<Value> ParseJsonValue(std::string_view text, const std::string& source);

}  // namespace custody::rego
