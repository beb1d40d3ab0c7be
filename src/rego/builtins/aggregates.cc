// Built-ins of OPA's "aggregates" group: count, sum, product, max, min and
// sort, and all and any, which OPA deprecated but still runs for Rego v0
// policies.
#include <algorithm>

#include "rego/builtins.h"
#include "rego/builtins/go_utf8.h"
#include "rego/builtins/numbers_arith.h"

namespace custody::rego {
namespace {

// The elements of an array or set, or OPA's "one of {set, array}" error.
Result<const ValueVector*> Elements(std::string_view name, const Value& v) {
  if (v.is_array()) return &v.array();
  if (v.is_set()) return &v.set();
  return OperandTypeErrorOneOf(name, 1, v, {"set", "array"});
}

Result<Value> Count(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  switch (v.kind()) {
    case Kind::kArray:
    case Kind::kObject:
    case Kind::kSet: return Value::Int(static_cast<int64_t>(v.size()));
    // Code points as Go counts them: each invalid byte is one.
    case Kind::kString: return Value::Int(static_cast<int64_t>(go_utf8::RuneCount(v.as_string())));
    default: return OperandTypeErrorOneOf("count", 1, v, {"array", "object", "set", "string"});
  }
}

// sum and product: exact over integers; with any non-integer OPA folds every
// element into a 64-bit-mantissa float, and so does this.
Result<Value> Fold(std::string_view name, std::span<const Value> args, bool multiply) {
  CUSTODY_ASSIGN_OR_RETURN(const ValueVector* items, Elements(name, args[0]));
  bool all_integers = true;
  for (const Value& x : *items) {
    if (!x.is_number()) {
      std::string type = args[0].TypeName();
      return OperandError(name, 1,
                          "must be " + type + " of numbers but got " + type + " containing " + x.TypeName());
    }
    if (!x.is_integer()) all_integers = false;
  }
  if (!all_integers) {
    long double acc = multiply ? 1 : 0;
    for (const Value& x : *items)
      acc = multiply ? acc * arith::ToLongDouble(x) : acc + arith::ToLongDouble(x);
    return arith::FromLongDouble(name, acc);
  }
  Value acc = Value::Int(multiply ? 1 : 0);
  for (const Value& x : *items) {
    CUSTODY_ASSIGN_OR_RETURN(acc, multiply ? arith::Multiply(name, acc, x) : arith::Add(name, acc, x));
  }
  return acc;
}

Result<Value> Sum(std::span<const Value> args, BuiltinContext&) { return Fold("sum", args, false); }
Result<Value> Product(std::span<const Value> args, BuiltinContext&) { return Fold("product", args, true); }

// max and min of an empty collection are undefined. Sets are sorted, so their
// extremes are their ends.
Result<Value> Max(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const ValueVector* items, Elements("max", args[0]));
  if (items->empty()) return Value();
  return *std::max_element(items->begin(), items->end(), ValueLess());
}

Result<Value> Min(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const ValueVector* items, Elements("min", args[0]));
  if (items->empty()) return Value();
  return *std::min_element(items->begin(), items->end(), ValueLess());
}

// An array of the elements in OPA's order.
Result<Value> Sort(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const ValueVector* items, Elements("sort", args[0]));
  ValueVector sorted = *items;
  if (args[0].is_array()) std::stable_sort(sorted.begin(), sorted.end(), ValueLess());
  return Value::Array(std::move(sorted));
}

// all(coll): every element is true (so all of an empty collection is true);
// any(coll): some element is true. Elements other than true just don't count.
Result<Value> All(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  if (!v.is_array() && !v.is_set()) return OperandTypeErrorOneOf("all", 1, v, {"array", "set"});
  const ValueVector& items = v.is_array() ? v.array() : v.set();
  return Value::Bool(std::all_of(items.begin(), items.end(), [](const Value& x) { return x.is_true(); }));
}

Result<Value> Any(std::span<const Value> args, BuiltinContext&) {
  const Value& v = args[0];
  if (!v.is_array() && !v.is_set()) return OperandTypeErrorOneOf("any", 1, v, {"array", "set"});
  const ValueVector& items = v.is_array() ? v.array() : v.set();
  return Value::Bool(std::any_of(items.begin(), items.end(), [](const Value& x) { return x.is_true(); }));
}

}  // namespace

void RegisterAggregates(BuiltinTable& t) {
  t.Add({"count", 1, Count});
  t.Add({"sum", 1, Sum});
  t.Add({"product", 1, Product});
  t.Add({"max", 1, Max});
  t.Add({"min", 1, Min});
  t.Add({"sort", 1, Sort});
  t.Add({"all", 1, All});
  t.Add({"any", 1, Any});
}

}  // namespace custody::rego
