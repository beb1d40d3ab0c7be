#include "rego/typecheck.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "rego/types.h"

namespace custody::rego {

namespace {

// Types of a body's variables, by frame slot; nullptr = not known yet.
using Env = std::vector<TypePtr>;

Error TypeError(const Location& loc, const std::string& msg) {
  return Error::Input(loc.Short() + ": rego_type_error: " + msg);
}

bool IsComprehension(const Term& t) {
  return t.kind == TermKind::kArrayCompr || t.kind == TermKind::kSetCompr || t.kind == TermKind::kObjectCompr;
}

class Checker {
 public:
  explicit Checker(const CompiledPolicy* policy) : policy_(policy) {}

  Status Rule(const struct Rule& r, size_t slots) {
    slots = std::max(slots, static_cast<size_t>(r.num_slots));
    Env env(slots);
    CUSTODY_RETURN_IF_ERROR(Body(r.body, env));
    for (size_t i = 1; i < r.head.size(); ++i) CUSTODY_RETURN_IF_ERROR(Calls(r.head[i], env));
    if (r.key) CUSTODY_RETURN_IF_ERROR(Calls(*r.key, env));
    if (r.value) CUSTODY_RETURN_IF_ERROR(Calls(*r.value, env));
    if (r.else_rule) CUSTODY_RETURN_IF_ERROR(Rule(*r.else_rule, slots));
    return OkStatus();
  }

  Status Body(const struct Body& b, Env& env) {
    for (const Expr& e : b.exprs) CUSTODY_RETURN_IF_ERROR(Expression(e, env));
    return OkStatus();
  }

 private:
  TypePtr& Slot(Env& env, int slot) {
    if (static_cast<size_t>(slot) >= env.size()) env.resize(static_cast<size_t>(slot) + 1);
    return env[static_cast<size_t>(slot)];
  }

  // `with` on data or a function: the replaced document or function may be
  // of another type than the one declared or inferred.
  static bool MocksDataOrAFunction(const Expr& e) {
    for (const With& w : e.with) {
      if (w.target.HeadName() != "input") return true;
    }
    return false;
  }

  Status Expression(const Expr& e, Env& outer) {
    if (MocksDataOrAFunction(e)) return OkStatus();
    // A negated expression binds nothing outside itself.
    Env copy;
    Env& env = e.negated ? (copy = outer) : outer;
    for (const With& w : e.with) CUSTODY_RETURN_IF_ERROR(Calls(w.value, env));
    switch (e.kind) {
      case ExprKind::kTerm: {
        const Term& t = e.terms[0];
        if (t.kind == TermKind::kCall) return Call(t, env, e.call_with_output ? Output::kLastArg : Output::kNone);
        return Calls(t, env);
      }
      case ExprKind::kUnify:
      case ExprKind::kAssign: {
        const Term& a = e.terms[0];
        const Term& b = e.terms[1];
        CUSTODY_RETURN_IF_ERROR(Calls(a, env));
        CUSTODY_RETURN_IF_ERROR(Calls(b, env));
        TypePtr ta = TypeOf(a, env), tb = TypeOf(b, env);
        if (!HasUnknown(ta) && !HasUnknown(tb) && !Unifies(ta, tb)) {
          return TypeError(e.loc, "match error\n\tleft  : " + TypeString(ta) + "\n\tright : " + TypeString(tb));
        }
        Bind(a, tb, env);
        Bind(b, ta, env);
        return OkStatus();
      }
      case ExprKind::kSome: return OkStatus();
      case ExprKind::kSomeIn: {
        const Term& c = e.terms.back();
        CUSTODY_RETURN_IF_ERROR(Calls(c, env));
        TypePtr tc = TypeOf(c, env);
        if (e.terms.size() == 3) Bind(e.terms[0], KeysOf(tc), env);
        Bind(e.terms[e.terms.size() - 2], ValuesOf(tc), env);
        return OkStatus();
      }
      case ExprKind::kEvery: {
        const Term& domain = e.terms.back();
        CUSTODY_RETURN_IF_ERROR(Calls(domain, env));
        TypePtr td = TypeOf(domain, env);
        Env inner = env;
        if (e.terms.size() == 3) Bind(e.terms[0], KeysOf(td), inner);
        Bind(e.terms[e.terms.size() - 2], ValuesOf(td), inner);
        return Body(*e.body, inner);
      }
      case ExprKind::kBlock: {
        Env inner = env;
        return Body(*e.body, inner);
      }
      case ExprKind::kOr:
        for (const auto& br : e.branches) {
          Env inner = env;
          CUSTODY_RETURN_IF_ERROR(Body(*br, inner));
        }
        return OkStatus();
    }
    return OkStatus();
  }

  // Checks the calls and comprehensions inside `t`.
  Status Calls(const Term& t, Env& env) {
    if (t.kind == TermKind::kCall) return Call(t, env, Output::kImplicit);
    if (IsComprehension(t)) {
      Env inner = env;
      CUSTODY_RETURN_IF_ERROR(Body(*t.body, inner));
      for (const Term& h : t.items) CUSTODY_RETURN_IF_ERROR(Calls(h, inner));
      return OkStatus();
    }
    for (const Term& i : t.items) CUSTODY_RETURN_IF_ERROR(Calls(i, env));
    return OkStatus();
  }

  // Where a call's result goes: nowhere (a call used as a condition), into
  // its last argument (v0 `count(x, n)`), or into a term around it (OPA
  // gives it a variable of its own, of unknown type when checked).
  enum class Output { kNone, kLastArg, kImplicit };

  static const Type* Declaration(const Term& call) {
    if (call.functions != nullptr && !call.functions->empty()) return nullptr;  // a user function
    return BuiltinDeclaration(call.name);
  }

  Status Call(const Term& call, Env& env, Output output) {
    const size_t n = output == Output::kLastArg ? call.items.size() - 1 : call.items.size();
    for (size_t i = 0; i < n; ++i) CUSTODY_RETURN_IF_ERROR(Calls(call.items[i], env));
    const Type* decl = Declaration(call);
    if (decl == nullptr || n != decl->items.size()) return OkStatus();
    bool ok = true;
    for (size_t i = 0; i < n && ok; ++i) ok = Unify1(call.items[i], decl->items[i], env);
    if (!ok) {
      std::string have = "(";
      for (size_t i = 0; i < call.items.size(); ++i) {
        have += (i ? ", " : "") + TypeString(TypeOf(call.items[i], env));
      }
      if (output == Output::kImplicit && decl->of) have += std::string(n ? ", " : "") + "???";
      have += ")";
      return TypeError(call.loc, call.name + ": invalid argument(s)\n\thave: " + have + "\n\twant: " + ArgsString(*decl));
    }
    if (output == Output::kLastArg && decl->of) {
      const Term& out = call.items.back();
      CUSTODY_RETURN_IF_ERROR(Calls(out, env));
      TypePtr t = TypeOf(out, env);
      if (!HasUnknown(t) && !Unifies(t, decl->of)) {
        return TypeError(call.loc, call.name + ": invalid argument(s)\n\thave: (" + TypeString(t) +
                                       ")\n\twant: " + ArgsString(*decl));
      }
      Bind(out, decl->of, env);
    }
    return OkStatus();
  }

  // OPA's unify1: can `term` have type `want`? Variables of unknown type
  // take it; unknown types pass.
  bool Unify1(const Term& term, const TypePtr& want, Env& env) {
    if (!want) return true;
    const bool collection =
        term.kind == TermKind::kArray || term.kind == TermKind::kSet || term.kind == TermKind::kObject;
    if (collection && want->kind == TypeKind::kAny) {
      if (want->items.empty()) return true;  // any value
      bool any = false;  // every member is tried: each may type the variables inside
      for (const TypePtr& m : want->items) any = Unify1(term, m, env) || any;
      return any;
    }
    switch (term.kind) {
      case TermKind::kVar: {
        if (term.slot < 0) return true;
        TypePtr& have = Slot(env, term.slot);
        if (!have) {
          have = want;
          return true;
        }
        return HasUnknown(have) || Unifies(have, want);
      }
      case TermKind::kArray:
        if (want->kind != TypeKind::kArray) return false;
        if (term.items.size() != want->items.size() && !want->of) return false;
        for (size_t i = 0; i < term.items.size(); ++i) {
          if (!Unify1(term.items[i], SelectOf(want, Value::Int(static_cast<int64_t>(i))), env)) return false;
        }
        return true;
      case TermKind::kSet:
        if (want->kind != TypeKind::kSet) return false;
        for (const Term& i : term.items) {
          if (!Unify1(i, ValuesOf(want), env)) return false;
        }
        return true;
      case TermKind::kObject: {
        if (want->kind != TypeKind::kObject) return false;
        if (term.items.size() / 2 != want->props.size() && !want->of) return false;
        for (size_t i = 0; i + 1 < term.items.size(); i += 2) {
          const Term& k = term.items[i];
          if (k.kind != TermKind::kScalar) continue;
          TypePtr child = SelectOf(want, k.value);
          if (!child || !Unify1(term.items[i + 1], child, env)) return false;
        }
        return true;
      }
      case TermKind::kScalar: return Unify1Value(term.value, want);
      default: {
        TypePtr have = TypeOf(term, env);
        return HasUnknown(have) || Unifies(have, want);
      }
    }
  }

  // Unify1 of a constant: collections are matched element by element as
  // literals are (an object constant needs only its own keys to fit).
  static bool Unify1Value(const Value& v, const TypePtr& want) {
    if (!want) return true;
    if (!v.is_collection()) return Unifies(TypeOfValue(v), want);
    if (want->kind == TypeKind::kAny) {
      if (want->items.empty()) return true;
      for (const TypePtr& m : want->items) {
        if (Unify1Value(v, m)) return true;
      }
      return false;
    }
    if (v.is_array()) {
      if (want->kind != TypeKind::kArray) return false;
      if (v.array().size() != want->items.size() && !want->of) return false;
      for (size_t i = 0; i < v.array().size(); ++i) {
        if (!Unify1Value(v.array()[i], SelectOf(want, Value::Int(static_cast<int64_t>(i))))) return false;
      }
      return true;
    }
    if (v.is_set()) {
      if (want->kind != TypeKind::kSet) return false;
      for (const Value& e : v.set()) {
        if (!Unify1Value(e, ValuesOf(want))) return false;
      }
      return true;
    }
    if (want->kind != TypeKind::kObject) return false;
    if (v.object().size() != want->props.size() && !want->of) return false;
    for (const auto& [k, e] : v.object()) {
      TypePtr child = SelectOf(want, k);
      if (!child || !Unify1Value(e, child)) return false;
    }
    return true;
  }

  const CompiledPolicy* policy_;
  // Document and function types computed so far (nullptr while computing).
  std::map<const DocNode*, TypePtr> docs_;
  std::map<const void*, TypePtr> functions_;

  // Gives variables in `term` the parts of `type` they stand for.
  void Bind(const Term& term, const TypePtr& type, Env& env) {
    if (!type) return;
    switch (term.kind) {
      case TermKind::kVar:
        if (term.slot >= 0 && !Slot(env, term.slot)) Slot(env, term.slot) = type;
        return;
      case TermKind::kArray:
        for (size_t i = 0; i < term.items.size(); ++i) {
          Bind(term.items[i], SelectOf(type, Value::Int(static_cast<int64_t>(i))), env);
        }
        return;
      case TermKind::kObject:
        for (size_t i = 0; i + 1 < term.items.size(); i += 2) {
          if (term.items[i].kind == TermKind::kScalar) Bind(term.items[i + 1], SelectOf(type, term.items[i].value), env);
        }
        return;
      default: return;
    }
  }

  // The type of the document a `data` ref names, as far as its constant
  // operands lead to rules: *next is the first operand not consumed. Base
  // data and partly dynamic paths are of any type.
  TypePtr DataType(const Term& ref, size_t* next) {
    const DocNode* node = policy_ ? &policy_->root : nullptr;
    for (size_t i = 1; node && i < ref.items.size(); ++i) {
      const Term& op = ref.items[i];
      if (op.kind != TermKind::kScalar) break;
      node = node->Child(op.value);
      if (node == nullptr) break;
      if (!node->rules.empty() || !node->defaults.empty()) {
        *next = i + 1;
        return DocType(*node);
      }
    }
    *next = ref.items.size();
    return AnyType();
  }

  // The type of a document defined by rules: the union of their values
  // (complete rules), a set of their keys, or an object of their keys and
  // values. Unknown while being computed (recursion) or when any part is.
  TypePtr DocType(const DocNode& node) {
    auto [it, fresh] = docs_.try_emplace(&node, nullptr);
    if (!fresh) return it->second;
    std::vector<const struct Rule*> rules = node.rules;
    rules.insert(rules.end(), node.defaults.begin(), node.defaults.end());
    TypePtr key, value;
    for (const struct Rule* first : rules) {
      for (const struct Rule* r = first; r; r = r->else_rule.get()) {
        if (r->set_leaf) return nullptr;
        Env env(static_cast<size_t>(std::max(first->num_slots, r->num_slots)));
        if (!Body(r->body, env).ok()) return nullptr;
        TypePtr v = r->value ? TypeOf(*r->value, env) : BooleanType();
        TypePtr k;
        if (node.kind == RuleKind::kPartialSet) {
          if (!r->key) return nullptr;
          k = TypeOf(*r->key, env);
        } else if (node.kind == RuleKind::kPartialObject) {
          if (r->head.size() < 2) return nullptr;
          k = TypeOf(r->head.back(), env);
        }
        if (!v || (node.kind != RuleKind::kComplete && !k)) return nullptr;
        value = Or(value, v);
        key = Or(key, k);
      }
    }
    TypePtr type;
    if (node.kind == RuleKind::kComplete) type = value;
    if (node.kind == RuleKind::kPartialSet) type = key ? SetType(key) : nullptr;
    if (node.kind == RuleKind::kPartialObject) type = key && value ? ObjectType({}, key, value) : nullptr;
    docs_[&node] = type;
    return type;
  }

  // The union of a user function's results, or unknown.
  TypePtr FunctionResult(const std::vector<const struct Rule*>& definitions) {
    auto [it, fresh] = functions_.try_emplace(&definitions, nullptr);
    if (!fresh) return it->second;
    TypePtr result;
    for (const struct Rule* first : definitions) {
      for (const struct Rule* r = first; r; r = r->else_rule.get()) {
        Env env(static_cast<size_t>(std::max(first->num_slots, r->num_slots)));
        if (!Body(r->body, env).ok()) return nullptr;
        TypePtr v = r->value ? TypeOf(*r->value, env) : BooleanType();
        if (!v) return nullptr;
        result = Or(result, v);
      }
    }
    functions_[&definitions] = result;
    return result;
  }

  TypePtr TypeOf(const Term& t, Env& env) {
    switch (t.kind) {
      case TermKind::kScalar: return TypeOfValue(t.value);
      case TermKind::kVar:
        if (t.slot >= 0) return Slot(env, t.slot);
        return t.name == "input" || t.name == "data" ? AnyType() : nullptr;
      case TermKind::kRef: {
        const Term& head = t.items[0];
        size_t i = 1;
        TypePtr cur;
        if (head.kind == TermKind::kVar && head.slot < 0 && head.name == "data") {
          cur = DataType(t, &i);
        } else {
          cur = TypeOf(head, env);
        }
        for (; i < t.items.size() && cur; ++i) {
          const Term& op = t.items[i];
          cur = op.kind == TermKind::kScalar ? SelectOf(cur, op.value) : ValuesOf(cur);
        }
        return cur;
      }
      case TermKind::kArray: {
        std::vector<TypePtr> items;
        for (const Term& i : t.items) items.push_back(TypeOf(i, env));
        return ArrayType(std::move(items), nullptr);
      }
      case TermKind::kSet: {
        TypePtr of;
        for (const Term& i : t.items) {
          TypePtr e = TypeOf(i, env);
          if (!e) return SetType(nullptr);
          of = Or(of, e);
        }
        return SetType(of ? of : AnyType());
      }
      case TermKind::kObject: {
        bool constant_keys = true;
        for (size_t i = 0; i < t.items.size(); i += 2) constant_keys = constant_keys && t.items[i].kind == TermKind::kScalar;
        if (constant_keys) {
          std::vector<std::pair<Value, TypePtr>> props;
          for (size_t i = 0; i + 1 < t.items.size(); i += 2) props.emplace_back(t.items[i].value, TypeOf(t.items[i + 1], env));
          return ObjectType(std::move(props), nullptr, nullptr);
        }
        TypePtr k, v;
        for (size_t i = 0; i + 1 < t.items.size(); i += 2) {
          TypePtr tk = TypeOf(t.items[i], env), tv = TypeOf(t.items[i + 1], env);
          if (!tk || !tv) return ObjectType({}, AnyType(), nullptr);  // partly unknown
          k = Or(k, tk);
          v = Or(v, tv);
        }
        return ObjectType({}, k, v);
      }
      case TermKind::kArrayCompr:
      case TermKind::kSetCompr:
      case TermKind::kObjectCompr: {
        Env inner = env;
        if (!Body(*t.body, inner).ok()) return nullptr;
        if (t.kind == TermKind::kArrayCompr) return ArrayType({}, TypeOf(t.items[0], inner));
        if (t.kind == TermKind::kSetCompr) return SetType(TypeOf(t.items[0], inner));
        return ObjectType({}, TypeOf(t.items[0], inner), TypeOf(t.items[1], inner));
      }
      case TermKind::kCall: {
        if (t.functions != nullptr && !t.functions->empty()) return FunctionResult(*t.functions);
        const Type* decl = Declaration(t);
        return decl ? decl->of : AnyType();
      }
      case TermKind::kTemplate: return StringType();
    }
    return nullptr;
  }
};

}  // namespace

Status TypeCheckPolicy(const CompiledPolicy& policy) {
  // Like OPA: every rule is checked and up to 10 errors are reported.
  constexpr size_t kMaxErrors = 10;
  Checker c(&policy);
  std::vector<std::string> errors;
  for (const auto& m : policy.modules) {
    for (const auto& r : m->rules) {
      Status s = c.Rule(*r, 0);
      if (!s.ok() && errors.size() < kMaxErrors) errors.push_back(s.error().message());
    }
  }
  if (errors.empty()) return OkStatus();
  std::string all;
  for (const std::string& e : errors) all += (all.empty() ? "" : "\n") + e;
  return Error::Input(all);
}

Status TypeCheckQuery(const CompiledPolicy& policy, const CompiledQuery& query) {
  Checker c(&policy);
  Env env(static_cast<size_t>(std::max(query.num_slots, 0)));
  return c.Body(*query.body, env);
}

}  // namespace custody::rego
