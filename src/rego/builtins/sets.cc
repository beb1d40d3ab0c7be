// Built-ins of OPA's "sets" group: intersection and union of a set of sets,
// and the infix operators s1 & s2 ("and") and s1 | s2 ("or"). Set difference
// (s1 - s2) is "minus", in the numbers group; set_diff is its deprecated
// name, which OPA still runs for Rego v0 policies.
#include <algorithm>
#include <iterator>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

// Sets are sorted by Compare, so both operations are linear merges.
ValueVector Intersect(const ValueVector& a, const ValueVector& b) {
  ValueVector out;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), ValueLess());
  return out;
}

ValueVector Unite(const ValueVector& a, const ValueVector& b) {
  ValueVector out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out), ValueLess());
  return out;
}

Result<Value> And(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, SetArg("and", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, SetArg("and", args, 2));
  return Value::SortedSet(Intersect(a->set(), b->set()));
}

Result<Value> Or(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, SetArg("or", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, SetArg("or", args, 2));
  return Value::SortedSet(Unite(a->set(), b->set()));
}

Result<Value> SetDiff(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, SetArg("set_diff", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, SetArg("set_diff", args, 2));
  ValueVector out;
  std::set_difference(a->set().begin(), a->set().end(), b->set().begin(), b->set().end(),
                      std::back_inserter(out), ValueLess());
  return Value::SortedSet(std::move(out));
}

// intersection(set()) is the empty set, as in OPA. An element that is not a
// set is reported as operand 1, which is how OPA words it.
Result<Value> Intersection(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* sets, SetArg("intersection", args, 1));
  ValueVector result;
  bool first = true;
  for (const Value& s : sets->set()) {
    if (!s.is_set()) return OperandTypeError("intersection", 1, s, "set");
    result = first ? s.set() : Intersect(result, s.set());
    first = false;
  }
  return Value::SortedSet(std::move(result));
}

Result<Value> Union(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* sets, SetArg("union", args, 1));
  ValueVector all;
  for (const Value& s : sets->set()) {
    if (!s.is_set()) return OperandTypeError("union", 1, s, "set");
    all.insert(all.end(), s.set().begin(), s.set().end());
  }
  return Value::Set(std::move(all));
}

}  // namespace

void RegisterSets(BuiltinTable& t) {
  t.Add({"and", 2, And});
  t.Add({"or", 2, Or});
  t.Add({"intersection", 1, Intersection});
  t.Add({"union", 1, Union});
  t.Add({"set_diff", 2, SetDiff});
}

}  // namespace custody::rego
