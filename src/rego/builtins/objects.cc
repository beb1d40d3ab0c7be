// Built-ins of OPA's "objects" group: object.get, object.remove,
// object.union, object.union_n, object.filter, object.keys and object.subset.
// The group's json.filter, json.remove and json.patch are in objects_json.cc.
#include <algorithm>

#include "rego/builtins.h"

namespace custody::rego {

// objects_json.cc
void RegisterObjectsJson(BuiltinTable& t);

namespace {

// object.get(obj, key, default); with an array key, the path of keys (and
// array indexes, and set members) to follow from obj.
Result<Value> ObjectGet(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* obj, ObjectArg("object.get", args, 1));
  const Value& key = args[1];
  if (!key.is_array()) {
    const Value* v = obj->Find(key);
    return v != nullptr ? *v : args[2];
  }
  const Value* cur = obj;
  for (const Value& segment : key.array()) {
    cur = cur->Find(segment);
    if (cur == nullptr) return args[2];
  }
  return *cur;
}

// The keys named by object.remove's and object.filter's second operand: an
// array's elements, a set, or an object's keys. Returned as a sorted set.
Result<Value> KeysParam(std::string_view name, const Value& v) {
  switch (v.kind()) {
    case Kind::kArray: return Value::Set(v.array());
    case Kind::kSet: return v;
    case Kind::kObject: {
      ValueVector keys;
      keys.reserve(v.size());
      for (const auto& [k, _] : v.object()) keys.push_back(k);
      return Value::SortedSet(std::move(keys));
    }
    default: return OperandTypeErrorOneOf(name, 2, v, {"object", "set", "array"});
  }
}

// The entries of obj whose key is (keep) or is not (!keep) in keys.
Result<Value> SelectKeys(std::string_view name, std::span<const Value> args, bool keep) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* obj, ObjectArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(Value keys, KeysParam(name, args[1]));
  ObjectEntries out;
  for (const auto& entry : obj->object()) {
    if (keys.SetContains(entry.first) == keep) out.push_back(entry);
  }
  return Value::SortedObject(std::move(out));
}

Result<Value> ObjectRemove(std::span<const Value> args, BuiltinContext&) {
  return SelectKeys("object.remove", args, false);
}
Result<Value> ObjectFilter(std::span<const Value> args, BuiltinContext&) {
  return SelectKeys("object.filter", args, true);
}

// b's entries over a's; where both values are objects they merge the same way.
Value Merge(const Value& a, const Value& b) {
  const ObjectEntries& x = a.object();
  const ObjectEntries& y = b.object();
  ObjectEntries out;
  out.reserve(x.size() + y.size());
  size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    int c = i == x.size() ? 1 : j == y.size() ? -1 : Compare(x[i].first, y[j].first);
    if (c < 0) {
      out.push_back(x[i++]);
    } else if (c > 0) {
      out.push_back(y[j++]);
    } else {
      const Value& av = x[i].second;
      const Value& bv = y[j].second;
      out.emplace_back(y[j].first, av.is_object() && bv.is_object() ? Merge(av, bv) : bv);
      ++i;
      ++j;
    }
  }
  return Value::SortedObject(std::move(out));
}

Result<Value> ObjectUnion(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, ObjectArg("object.union", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, ObjectArg("object.union", args, 2));
  if (a->size() == 0) return *b;
  if (b->size() == 0) return *a;
  return Merge(*a, *b);
}

// object.union_n(objects): object.union folded from the left. OPA walks the
// array from the end, so the last non-object is the one its error names.
Result<Value> ObjectUnionN(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* arr, ArrayArg("object.union_n", args, 1));
  const ValueVector& items = arr->array();
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (!it->is_object()) {
      return OperandError("object.union_n", 1,
                          std::string("must be array of objects but got array containing ") + it->TypeName());
    }
  }
  Value result = Value::EmptyObject();
  for (const Value& o : items) result = result.size() == 0 ? o : Merge(result, o);
  return result;
}

Result<Value> ObjectKeys(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* obj, ObjectArg("object.keys", args, 1));
  ValueVector keys;
  keys.reserve(obj->size());
  for (const auto& [k, _] : obj->object()) keys.push_back(k);
  return Value::SortedSet(std::move(keys));
}

bool SetSubset(const Value& super, const Value& sub) {
  return std::includes(super.set().begin(), super.set().end(), sub.set().begin(), sub.set().end(),
                       ValueLess());
}

// The whole of sub appears contiguously in super.
bool ArraySubset(const Value& super, const Value& sub) {
  const ValueVector& a = super.array();
  const ValueVector& b = sub.array();
  if (b.size() > a.size()) return false;
  if (b.empty()) return true;
  return std::search(a.begin(), a.end(), b.begin(), b.end(), ValueEqual()) != a.end();
}

// Every member of sub occurs in super. This is OPA's counting loop, kept
// for its quirks: an empty set is a subset of a non-empty array only, and a
// member repeated in super counts once per occurrence.
bool ArraySetSubset(const Value& super, const Value& sub) {
  size_t unmatched = sub.size();
  for (const Value& x : super.array()) {
    if (sub.SetContains(x)) --unmatched;
    if (unmatched == 0) return true;
  }
  return false;
}

// Objects: every key of sub is in super with an equal value, or one that is
// itself a subset (objects recursively; sets and arrays one level).
bool ObjectSubset(const Value& super, const Value& sub) {
  for (const auto& [key, sub_value] : sub.object()) {
    const Value* super_value = super.Find(key);
    if (super_value == nullptr) return false;
    if (*super_value == sub_value) continue;
    if (super_value->is_object() && sub_value.is_object()) {
      if (!ObjectSubset(*super_value, sub_value)) return false;
    } else if (super_value->is_set() && sub_value.is_set()) {
      if (!SetSubset(*super_value, sub_value)) return false;
    } else if (super_value->is_array() && sub_value.is_array()) {
      if (!ArraySubset(*super_value, sub_value)) return false;
    } else {
      return false;
    }
  }
  return true;
}

Result<Value> ObjectSubsetBuiltin(std::span<const Value> args, BuiltinContext&) {
  const Value& super = args[0];
  const Value& sub = args[1];
  if (super.is_object() && sub.is_object()) return Value::Bool(ObjectSubset(super, sub));
  if (super.is_set() && sub.is_set()) return Value::Bool(SetSubset(super, sub));
  if (super.is_array() && sub.is_array()) return Value::Bool(ArraySubset(super, sub));
  if (super.is_array() && sub.is_set()) return Value::Bool(ArraySetSubset(super, sub));
  // OPA reports this as an operand (type) error without an operand number.
  return Error::Input(
      "eval_type_error: object.subset: both arguments object.subset must be of the same type or array and "
      "set");
}

}  // namespace

void RegisterObjects(BuiltinTable& t) {
  t.Add({"object.get", 3, ObjectGet});
  t.Add({"object.remove", 2, ObjectRemove});
  t.Add({"object.union", 2, ObjectUnion});
  t.Add({"object.union_n", 1, ObjectUnionN});
  t.Add({"object.filter", 2, ObjectFilter});
  t.Add({"object.keys", 1, ObjectKeys});
  t.Add({"object.subset", 2, ObjectSubsetBuiltin});
  RegisterObjectsJson(t);
}

}  // namespace custody::rego
