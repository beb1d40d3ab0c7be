// Built-ins of OPA's "arrays" group: array.concat, array.slice,
// array.reverse and array.flatten.
#include <algorithm>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

Result<Value> Concat(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, ArrayArg("array.concat", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, ArrayArg("array.concat", args, 2));
  if (a->size() == 0) return *b;
  if (b->size() == 0) return *a;
  ValueVector out;
  out.reserve(a->size() + b->size());
  out.insert(out.end(), a->array().begin(), a->array().end());
  out.insert(out.end(), b->array().begin(), b->array().end());
  return Value::Array(std::move(out));
}

// array.slice(arr, start, stop): indexes are clamped to the array, and a
// start past the stop gives an empty array, never an error.
Result<Value> Slice(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* arr, ArrayArg("array.slice", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(int64_t start, IntArg("array.slice", args, 2));
  CUSTODY_ASSIGN_OR_RETURN(int64_t stop, IntArg("array.slice", args, 3));
  auto len = static_cast<int64_t>(arr->size());
  stop = std::clamp<int64_t>(stop, 0, len);
  start = std::clamp<int64_t>(start, 0, stop);
  if (start == 0 && stop == len) return *arr;
  const ValueVector& items = arr->array();
  return Value::Array(ValueVector(items.begin() + start, items.begin() + stop));
}

Result<Value> Reverse(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* arr, ArrayArg("array.reverse", args, 1));
  return Value::Array(ValueVector(arr->array().rbegin(), arr->array().rend()));
}

// One level only: [[1], [[2]], 3] becomes [1, [2], 3].
Result<Value> Flatten(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* arr, ArrayArg("array.flatten", args, 1));
  ValueVector out;
  out.reserve(arr->size());
  for (const Value& x : arr->array()) {
    if (x.is_array()) {
      out.insert(out.end(), x.array().begin(), x.array().end());
    } else {
      out.push_back(x);
    }
  }
  return Value::Array(std::move(out));
}

}  // namespace

void RegisterArrays(BuiltinTable& t) {
  t.Add({"array.concat", 2, Concat});
  t.Add({"array.slice", 3, Slice});
  t.Add({"array.reverse", 1, Reverse});
  t.Add({"array.flatten", 1, Flatten});
}

}  // namespace custody::rego
