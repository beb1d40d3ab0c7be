#include "rego/types.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>

namespace custody::rego {

namespace {

TypePtr Make(TypeKind kind) {
  auto t = std::make_shared<Type>();
  t->kind = kind;
  return t;
}

int Order(const TypePtr& t) { return t ? static_cast<int>(t->kind) : -1; }

int CompareLists(const std::vector<TypePtr>& a, const std::vector<TypePtr>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (int c = CompareTypes(a[i], b[i]); c != 0) return c;
  }
  return a.size() < b.size() ? -1 : (a.size() > b.size() ? 1 : 0);
}

bool IsTop(const TypePtr& t) { return t && t->kind == TypeKind::kAny && t->items.empty(); }

// A union of `members` (flattened, sorted, without duplicates).
TypePtr Union(std::vector<TypePtr> members) {
  std::vector<TypePtr> flat;
  for (const TypePtr& m : members) {
    if (!m) continue;
    if (IsTop(m)) return m;
    if (m->kind == TypeKind::kAny) {
      flat.insert(flat.end(), m->items.begin(), m->items.end());
    } else {
      flat.push_back(m);
    }
  }
  std::sort(flat.begin(), flat.end(), [](const TypePtr& a, const TypePtr& b) { return CompareTypes(a, b) < 0; });
  flat.erase(std::unique(flat.begin(), flat.end(),
                         [](const TypePtr& a, const TypePtr& b) { return CompareTypes(a, b) == 0; }),
             flat.end());
  if (flat.size() == 1) return flat[0];
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::kAny;
  t->items = std::move(flat);
  return t;
}

}  // namespace

namespace {

// The shared instance of a type without parts.
const TypePtr& Basic(TypeKind kind) {
  static const TypePtr types[] = {Make(TypeKind::kNull),   Make(TypeKind::kBoolean), Make(TypeKind::kNumber),
                                  Make(TypeKind::kString), nullptr,                  nullptr,
                                  nullptr,                 Make(TypeKind::kAny)};
  return types[static_cast<size_t>(kind)];
}

}  // namespace

TypePtr AnyType() { return Basic(TypeKind::kAny); }
TypePtr NullType() { return Basic(TypeKind::kNull); }
TypePtr BooleanType() { return Basic(TypeKind::kBoolean); }
TypePtr NumberType() { return Basic(TypeKind::kNumber); }
TypePtr StringType() { return Basic(TypeKind::kString); }

TypePtr ArrayType(std::vector<TypePtr> static_items, TypePtr dynamic) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::kArray;
  t->items = std::move(static_items);
  t->of = std::move(dynamic);
  return t;
}

TypePtr SetType(TypePtr of) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::kSet;
  t->of = std::move(of);
  return t;
}

TypePtr ObjectType(std::vector<std::pair<Value, TypePtr>> props, TypePtr key, TypePtr value) {
  auto t = std::make_shared<Type>();
  t->kind = TypeKind::kObject;
  std::sort(props.begin(), props.end(), [](const auto& a, const auto& b) { return Compare(a.first, b.first) < 0; });
  t->props = std::move(props);
  if (key && value) {
    t->key = std::move(key);
    t->of = std::move(value);
  }
  return t;
}

TypePtr TypeOfValue(const Value& v) {
  switch (v.kind()) {
    case Kind::kUndefined: return nullptr;
    case Kind::kNull: return NullType();
    case Kind::kBool: return BooleanType();
    case Kind::kNumber: return NumberType();
    case Kind::kString: return StringType();
    case Kind::kArray: {
      std::vector<TypePtr> items;
      for (const Value& e : v.array()) items.push_back(TypeOfValue(e));
      return ArrayType(std::move(items), nullptr);
    }
    case Kind::kObject: {
      std::vector<std::pair<Value, TypePtr>> props;
      for (const auto& [k, e] : v.object()) props.emplace_back(k, TypeOfValue(e));
      return ObjectType(std::move(props), nullptr, nullptr);
    }
    case Kind::kSet: {
      TypePtr of;
      for (const Value& e : v.set()) of = Or(of, TypeOfValue(e));
      return SetType(of ? of : AnyType());
    }
  }
  return nullptr;
}

int CompareTypes(const TypePtr& a, const TypePtr& b) {
  const int x = Order(a), y = Order(b);
  if (x != y) return x < y ? -1 : 1;
  if (!a) return 0;
  switch (a->kind) {
    case TypeKind::kNull:
    case TypeKind::kBoolean:
    case TypeKind::kNumber:
    case TypeKind::kString:
      return 0;
    case TypeKind::kArray:
      if ((a->of != nullptr) != (b->of != nullptr)) return a->of ? 1 : -1;
      if (a->of) {
        if (int c = CompareTypes(a->of, b->of); c != 0) return c;
      }
      return CompareLists(a->items, b->items);
    case TypeKind::kObject: {
      if ((a->of != nullptr) != (b->of != nullptr)) return a->of ? 1 : -1;
      if (a->of) {
        if (int c = CompareTypes(a->key, b->key); c != 0) return c;
        if (int c = CompareTypes(a->of, b->of); c != 0) return c;
      }
      for (size_t i = 0; i < std::min(a->props.size(), b->props.size()); ++i) {
        if (int c = Compare(a->props[i].first, b->props[i].first); c != 0) return c < 0 ? -1 : 1;
        if (int c = CompareTypes(a->props[i].second, b->props[i].second); c != 0) return c;
      }
      return a->props.size() < b->props.size() ? -1 : (a->props.size() > b->props.size() ? 1 : 0);
    }
    case TypeKind::kSet:
      return CompareTypes(a->of, b->of);
    case TypeKind::kAny:
      return CompareLists(a->items, b->items);
    case TypeKind::kFunction:
      if (a->items.size() != b->items.size()) return a->items.size() < b->items.size() ? -1 : 1;
      if (int c = CompareLists(a->items, b->items); c != 0) return c;
      return CompareTypes(a->of, b->of);
  }
  return 0;
}

TypePtr Or(const TypePtr& a, const TypePtr& b) {
  if (!a) return b;
  if (!b) return a;
  if (a->kind == TypeKind::kFunction || b->kind == TypeKind::kFunction) return nullptr;
  if (CompareTypes(a, b) == 0) return a;
  return Union({a, b});
}

namespace {

// `f` of a union: the union of `f` of its members; of any value, any value.
template <typename F>
TypePtr OverMembers(const TypePtr& any, F f) {
  if (any->items.empty()) return any;
  TypePtr r;
  for (const TypePtr& m : any->items) r = Or(f(m), r);
  return r;
}

}  // namespace

TypePtr KeysOf(const TypePtr& t) {
  if (!t) return nullptr;
  switch (t->kind) {
    case TypeKind::kArray: return NumberType();
    case TypeKind::kObject: {
      TypePtr k;
      for (const auto& p : t->props) k = Or(k, TypeOfValue(p.first));
      return t->key ? Or(k, t->key) : k;
    }
    case TypeKind::kSet: return t->of;
    case TypeKind::kAny: return OverMembers(t, [&](const TypePtr& m) { return KeysOf(m); });
    default: return nullptr;
  }
}

TypePtr ValuesOf(const TypePtr& t) {
  if (!t) return nullptr;
  switch (t->kind) {
    case TypeKind::kArray: {
      TypePtr v;
      for (const TypePtr& e : t->items) v = Or(v, e);
      return Or(v, t->of);
    }
    case TypeKind::kObject: {
      TypePtr v;
      for (const auto& p : t->props) v = Or(v, p.second);
      return t->of ? Or(v, t->of) : v;
    }
    case TypeKind::kSet: return t->of;
    case TypeKind::kAny: return OverMembers(t, [&](const TypePtr& m) { return ValuesOf(m); });
    default: return nullptr;
  }
}

TypePtr SelectOf(const TypePtr& t, const Value& key) {
  if (!t) return nullptr;
  switch (t->kind) {
    case TypeKind::kArray: {
      auto i = key.is_number() ? key.to_int64() : std::nullopt;
      if (!i || *i < 0) return nullptr;
      if (static_cast<size_t>(*i) < t->items.size()) return t->items[static_cast<size_t>(*i)];
      return t->of;
    }
    case TypeKind::kObject: {
      for (const auto& p : t->props) {
        if (p.first == key) return p.second;
      }
      if (t->key && Unifies(t->key, TypeOfValue(key))) return t->of;
      return nullptr;
    }
    case TypeKind::kSet: return Unifies(t->of, TypeOfValue(key)) ? TypeOfValue(key) : nullptr;
    case TypeKind::kAny: return OverMembers(t, [&](const TypePtr& m) { return SelectOf(m, key); });
    default: return nullptr;
  }
}

bool HasUnknown(const TypePtr& t) {
  if (!t) return true;
  switch (t->kind) {
    case TypeKind::kArray:
      for (const TypePtr& e : t->items) {
        if (HasUnknown(e)) return true;
      }
      return t->of && HasUnknown(t->of);
    case TypeKind::kObject:
      for (const auto& p : t->props) {
        if (HasUnknown(p.second)) return true;
      }
      return t->of && (HasUnknown(t->key) || HasUnknown(t->of));
    case TypeKind::kSet: return HasUnknown(t->of);
    default: return false;
  }
}

bool Unifies(const TypePtr& a, const TypePtr& b) {
  if (!a || !b) return false;
  auto unifies_any = [](const Type& u, const TypePtr& other) {
    if (other->kind == TypeKind::kFunction) return false;
    for (const TypePtr& m : u.items) {
      if (Unifies(m, other)) return true;
    }
    return u.items.empty();
  };
  if (a->kind == TypeKind::kAny && unifies_any(*a, b)) return true;
  if (b->kind == TypeKind::kAny && unifies_any(*b, a)) return true;
  if (a->kind == TypeKind::kAny || b->kind == TypeKind::kAny) return false;
  if (a->kind != b->kind) return false;
  switch (a->kind) {
    case TypeKind::kArray: {
      for (size_t i = 0; i < a->items.size(); ++i) {
        if (!Unifies(a->items[i], SelectOf(b, Value::Int(static_cast<int64_t>(i))))) return false;
      }
      for (size_t i = 0; i < b->items.size(); ++i) {
        if (!Unifies(b->items[i], SelectOf(a, Value::Int(static_cast<int64_t>(i))))) return false;
      }
      return !a->of || !b->of || Unifies(a->of, b->of);
    }
    case TypeKind::kObject: {
      for (const auto& [k, v] : a->props) {
        if (!Unifies(v, SelectOf(b, k))) return false;
      }
      for (const auto& [k, v] : b->props) {
        if (!Unifies(v, SelectOf(a, k))) return false;
      }
      return !a->of || !b->of || Unifies(a->of, b->of);
    }
    case TypeKind::kSet: return Unifies(a->of, b->of);
    case TypeKind::kFunction: {
      if (a->items.size() != b->items.size()) return false;
      for (size_t i = 0; i < a->items.size(); ++i) {
        if (!Unifies(a->items[i], b->items[i])) return false;
      }
      return true;
    }
    default: return true;
  }
}

std::string TypeString(const TypePtr& t) {
  if (!t) return "???";
  auto join = [](const std::vector<TypePtr>& items) {
    std::string s;
    for (size_t i = 0; i < items.size(); ++i) s += (i ? ", " : "") + TypeString(items[i]);
    return s;
  };
  switch (t->kind) {
    case TypeKind::kNull: return "null";
    case TypeKind::kBoolean: return "boolean";
    case TypeKind::kNumber: return "number";
    case TypeKind::kString: return "string";
    case TypeKind::kArray: {
      std::string s = "array";
      if (!t->items.empty()) s += "<" + join(t->items) + ">";
      if (t->of) s += "[" + TypeString(t->of) + "]";
      return s;
    }
    case TypeKind::kObject: {
      std::string s = "object";
      if (!t->props.empty()) {
        s += "<";
        for (size_t i = 0; i < t->props.size(); ++i) {
          const Value& k = t->props[i].first;
          s += (i ? ", " : "") + (k.is_string() ? k.as_string() : k.ToJson()) + ": " + TypeString(t->props[i].second);
        }
        s += ">";
      }
      if (t->of) s += "[" + TypeString(t->key) + ": " + TypeString(t->of) + "]";
      return s;
    }
    case TypeKind::kSet: return "set[" + TypeString(t->of) + "]";
    case TypeKind::kAny: return t->items.empty() ? "any" : "any<" + join(t->items) + ">";
    case TypeKind::kFunction: return ArgsString(*t);
  }
  return "???";
}

std::string ArgsString(const Type& f) {
  std::string s = "(";
  auto add = [&](const std::string& name, const TypePtr& t) {
    if (s.size() > 1) s += ", ";
    s += (name.empty() ? "" : name + ": ") + TypeString(t);
  };
  for (size_t i = 0; i < f.items.size(); ++i) add(i < f.names.size() ? f.names[i] : "", f.items[i]);
  if (f.variadic) add("", nullptr), s.replace(s.size() - 3, 3, TypeString(f.variadic) + "...");
  if (f.of) add(f.names.size() > f.items.size() ? f.names[f.items.size()] : "", f.of);
  return s + ")";
}

namespace {

class TypeParser {
 public:
  explicit TypeParser(std::string_view text) : s_(text) {}

  Result<TypePtr> Whole(bool declaration) {
    auto t = declaration ? Declaration() : ParseOne();
    if (!t.ok()) return t;
    Skip();
    if (i_ != s_.size()) return Fail("unexpected text");
    return t;
  }

 private:
  Error Fail(const std::string& why) const {
    return Error::Internal("type declaration '" + std::string(s_) + "': " + why + " at offset " + std::to_string(i_));
  }
  void Skip() {
    while (i_ < s_.size() && s_[i_] == ' ') ++i_;
  }
  bool Eat(std::string_view w) {
    Skip();
    if (s_.substr(i_, w.size()) == w) {
      i_ += w.size();
      return true;
    }
    return false;
  }
  Status Expect(std::string_view w) { return Eat(w) ? OkStatus() : Status(Fail("expected '" + std::string(w) + "'")); }

  // [name ": "] type; returns the name ("" when none). A name is any run of
  // letters, digits, '_' and spaces before a colon (OPA has "formatted
  // timestamp").
  Result<std::pair<std::string, TypePtr>> Named() {
    Skip();
    size_t j = i_;
    while (j < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[j])) || s_[j] == '_' || s_[j] == ' ')) ++j;
    std::string name;
    if (j < s_.size() && s_[j] == ':' && j > i_) {
      name = std::string(s_.substr(i_, j - i_));
      i_ = j + 1;
    }
    CUSTODY_ASSIGN_OR_RETURN(TypePtr t, ParseOne());
    return std::make_pair(name, t);
  }

  Result<TypePtr> Declaration() {
    CUSTODY_RETURN_IF_ERROR(Expect("("));
    auto f = std::make_shared<Type>();
    f->kind = TypeKind::kFunction;
    if (!Eat(")")) {
      while (true) {
        if (Eat("...")) {  // variadic: the type of every further argument
          CUSTODY_ASSIGN_OR_RETURN(f->variadic, ParseOne());
          CUSTODY_RETURN_IF_ERROR(Expect(")"));
          break;
        }
        CUSTODY_ASSIGN_OR_RETURN(auto arg, Named());
        f->names.push_back(arg.first);
        f->items.push_back(arg.second);
        if (Eat(")")) break;
        CUSTODY_RETURN_IF_ERROR(Expect(","));
      }
    }
    CUSTODY_RETURN_IF_ERROR(Expect("=>"));
    Skip();
    if (i_ == s_.size()) {  // no result
      f->names.push_back("");
    } else if (Eat("(")) {
      CUSTODY_ASSIGN_OR_RETURN(auto result, Named());
      CUSTODY_RETURN_IF_ERROR(Expect(")"));
      f->names.push_back(result.first);
      f->of = result.second;
    } else {
      CUSTODY_ASSIGN_OR_RETURN(f->of, ParseOne());
      f->names.push_back("");
    }
    return TypePtr(f);
  }

  Result<std::vector<TypePtr>> List(char close) {
    std::vector<TypePtr> out;
    while (true) {
      CUSTODY_ASSIGN_OR_RETURN(TypePtr t, ParseOne());
      out.push_back(t);
      if (Eat(std::string_view(&close, 1))) return out;
      CUSTODY_RETURN_IF_ERROR(Expect(","));
    }
  }

  Result<std::pair<TypePtr, TypePtr>> Dynamic() {  // after '[' of an object
    CUSTODY_ASSIGN_OR_RETURN(TypePtr k, ParseOne());
    CUSTODY_RETURN_IF_ERROR(Expect(":"));
    CUSTODY_ASSIGN_OR_RETURN(TypePtr v, ParseOne());
    CUSTODY_RETURN_IF_ERROR(Expect("]"));
    return std::make_pair(k, v);
  }

  Result<TypePtr> ParseOne() {
    Skip();
    if (Eat("null")) return NullType();
    if (Eat("boolean")) return BooleanType();
    if (Eat("number")) return NumberType();
    if (Eat("string")) return StringType();
    if (Eat("any<")) {
      CUSTODY_ASSIGN_OR_RETURN(auto members, List('>'));
      return Union(std::move(members));
    }
    if (Eat("any")) return AnyType();
    if (Eat("set[")) {
      CUSTODY_ASSIGN_OR_RETURN(TypePtr of, ParseOne());
      CUSTODY_RETURN_IF_ERROR(Expect("]"));
      return SetType(of);
    }
    if (Eat("array")) {
      std::vector<TypePtr> items;
      TypePtr dynamic;
      if (Eat("<")) {
        CUSTODY_ASSIGN_OR_RETURN(items, List('>'));
      }
      if (s_.substr(i_, 1) == "[") {
        ++i_;
        CUSTODY_ASSIGN_OR_RETURN(dynamic, ParseOne());
        CUSTODY_RETURN_IF_ERROR(Expect("]"));
      }
      if (items.empty() && !dynamic) return Fail("an array type needs <...> or [...]");
      return ArrayType(std::move(items), dynamic);
    }
    if (Eat("object")) {
      std::vector<std::pair<Value, TypePtr>> props;
      TypePtr k, v;
      if (Eat("<")) {
        while (true) {
          Skip();
          if (i_ >= s_.size() || s_[i_] != '"') return Fail("expected a quoted key");
          size_t end = s_.find('"', i_ + 1);
          if (end == std::string_view::npos) return Fail("unterminated key");
          Value key = Value::String(s_.substr(i_ + 1, end - i_ - 1));
          i_ = end + 1;
          CUSTODY_RETURN_IF_ERROR(Expect(":"));
          CUSTODY_ASSIGN_OR_RETURN(TypePtr t, ParseOne());
          props.emplace_back(key, t);
          if (Eat(">")) break;
          CUSTODY_RETURN_IF_ERROR(Expect(","));
        }
      }
      if (s_.substr(i_, 1) == "[") {
        ++i_;
        CUSTODY_ASSIGN_OR_RETURN(auto kv, Dynamic());
        k = kv.first;
        v = kv.second;
      }
      if (props.empty() && !k) return Fail("an object type needs <...> or [...]");
      return ObjectType(std::move(props), k, v);
    }
    return Fail("unknown type");
  }

  std::string_view s_;
  size_t i_ = 0;
};

}  // namespace

Result<TypePtr> ParseType(std::string_view text) { return TypeParser(text).Whole(false); }
Result<TypePtr> ParseDeclaration(std::string_view text) { return TypeParser(text).Whole(true); }

const Type* BuiltinDeclaration(std::string_view name) {
  static const std::map<std::string, TypePtr, std::less<>> table = [] {
    std::map<std::string, TypePtr, std::less<>> t;
    for (const auto& [n, decl] : BuiltinDeclarations()) {
      auto f = ParseDeclaration(decl);
      if (f.ok()) t.emplace(std::string(n), *f);  // a malformed entry is caught by the declarations test
    }
    return t;
  }();
  auto it = table.find(name);
  return it == table.end() ? nullptr : it->second.get();
}

}  // namespace custody::rego
