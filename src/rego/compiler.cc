#include "rego/compiler.h"

#include <algorithm>
#include <functional>
#include <set>
#include <unordered_map>

#include "rego/parser.h"
#include "rego/typecheck.h"

namespace custody::rego {

namespace {

constexpr int kDataSlot = -2;
constexpr int kInputSlot = -3;

using NameSet = std::set<std::string>;

// Built-ins the evaluator implements itself (they need its state).
bool IsEvaluatorBuiltin(std::string_view name) {
  static const NameSet kNames = {"internal.member_2", "internal.member_3", "walk", "print", "trace",
                                 "rego.metadata.chain", "rego.metadata.rule", "opa.runtime", "equal",
                                 "neq", "lt", "gt", "lte", "gte", "eq", "assign", "internal.print",
                                 "rego.parse_module"};
  return kNames.count(std::string(name)) > 0;
}

int EvaluatorBuiltinArity(std::string_view name) {
  if (name == "internal.member_3") return 3;
  if (name == "walk" || name == "trace" || name == "rego.parse_module") return name == "walk" ? 1 : (name == "trace" ? 1 : 2);
  if (name == "print") return -1;
  if (name == "rego.metadata.chain" || name == "rego.metadata.rule" || name == "opa.runtime") return 0;
  return 2;
}

// Built-ins that Rego v1 no longer has.
bool RemovedInV1(std::string_view name) {
  static const NameSet kNames = {"any", "all", "re_match", "set_diff", "net.cidr_overlap", "cast_array",
                                 "cast_set", "cast_string", "cast_boolean", "cast_null", "cast_object"};
  return kNames.count(std::string(name)) > 0;
}

Error CompileError(const Location& loc, const std::string& code, const std::string& msg) {
  return Error::Input(loc.Short() + ": " + code + ": " + msg);
}

std::vector<std::string> SplitDots(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t d = s.find('.', start);
    out.push_back(s.substr(start, d == std::string::npos ? std::string::npos : d - start));
    if (d == std::string::npos) break;
    start = d + 1;
  }
  return out;
}

// ---- variable analysis ----

void CollectVarsDeep(const Term& t, NameSet& out);
void CollectBodyVarsDeep(const Body& b, NameSet& out) {
  for (const Expr& e : b.exprs) {
    for (const Term& t : e.terms) CollectVarsDeep(t, out);
    for (const With& w : e.with) CollectVarsDeep(w.value, out);
    if (e.body) CollectBodyVarsDeep(*e.body, out);
    for (const auto& br : e.branches) CollectBodyVarsDeep(*br, out);
  }
}
void CollectVarsDeep(const Term& t, NameSet& out) {
  if (t.kind == TermKind::kVar && t.slot >= 0) out.insert(t.name);
  for (const Term& i : t.items) CollectVarsDeep(i, out);
  if (t.body) CollectBodyVarsDeep(*t.body, out);
}

// Vars of a term outside nested comprehension bodies.
void CollectVarsShallow(const Term& t, NameSet& out) {
  if (t.kind == TermKind::kVar && t.slot >= 0) out.insert(t.name);
  if (t.kind == TermKind::kArrayCompr || t.kind == TermKind::kSetCompr || t.kind == TermKind::kObjectCompr) return;
  for (const Term& i : t.items) CollectVarsShallow(i, out);
}
void CollectExprVarsShallow(const Expr& e, NameSet& out) {
  for (const Term& t : e.terms) CollectVarsShallow(t, out);
  for (const With& w : e.with) CollectVarsShallow(w.value, out);
}

bool IsCompr(const Term& t) {
  return t.kind == TermKind::kArrayCompr || t.kind == TermKind::kSetCompr || t.kind == TermKind::kObjectCompr;
}

void NeedsNonPattern(const Term& t, NameSet& out, const NameSet& visible);
void PatternVars(const Term& t, NameSet& out);

// Vars that must be bound before `t` can be evaluated as a value.
void Needs(const Term& t, NameSet& out, const NameSet& visible) {
  switch (t.kind) {
    case TermKind::kScalar: return;
    case TermKind::kVar:
      if (t.slot >= 0) out.insert(t.name);
      return;
    case TermKind::kRef:
      Needs(t.items[0], out, visible);
      for (size_t i = 1; i < t.items.size(); ++i) NeedsNonPattern(t.items[i], out, visible);  // patterns bind by iteration
      return;
    case TermKind::kArrayCompr:
    case TermKind::kSetCompr:
    case TermKind::kObjectCompr: {
      NameSet inner;
      CollectVarsDeep(t, inner);
      for (const std::string& v : inner)
        if (visible.count(v)) out.insert(v);
      return;
    }
    default:
      for (const Term& i : t.items) Needs(i, out, visible);
  }
}

// Vars bound by iterating refs inside `t`.
void Outs(const Term& t, NameSet& out) {
  if (IsCompr(t)) return;
  if (t.kind == TermKind::kRef) {
    for (size_t i = 1; i < t.items.size(); ++i) PatternVars(t.items[i], out);
  }
  for (const Term& i : t.items) Outs(i, out);
}

// Vars at positions unification can bind.
void PatternVars(const Term& t, NameSet& out) {
  if (t.kind == TermKind::kVar && t.slot >= 0) {
    out.insert(t.name);
  } else if (t.kind == TermKind::kArray) {
    for (const Term& i : t.items) PatternVars(i, out);
  } else if (t.kind == TermKind::kObject) {
    for (size_t i = 1; i < t.items.size(); i += 2) PatternVars(t.items[i], out);
  }
}

void NeedsNonPattern(const Term& t, NameSet& out, const NameSet& visible) {
  if (t.kind == TermKind::kVar) return;
  if (t.kind == TermKind::kArray) {
    for (const Term& i : t.items) NeedsNonPattern(i, out, visible);
    return;
  }
  if (t.kind == TermKind::kObject) {
    for (size_t i = 0; i < t.items.size(); i += 2) {
      Needs(t.items[i], out, visible);
      NeedsNonPattern(t.items[i + 1], out, visible);
    }
    return;
  }
  Needs(t, out, visible);
}

bool Subset(const NameSet& a, const NameSet& b) {
  for (const std::string& x : a)
    if (!b.count(x)) return false;
  return true;
}

// The name as written: wildcards print as _, renamed locals without their suffix.
std::string ShownVar(const std::string& name) {
  if (name.empty() || name[0] == '$') return "_";
  return name.substr(0, name.find('$'));
}

// ---- the compiler ----

struct PackageInfo {
  std::vector<Value> path;
  NameSet rule_names;
};

class Compiler {
 public:
  Compiler(CompiledPolicy& policy) : p_(policy) {}

  Status Run() {
    // Document tree first: name resolution needs to know every rule.
    for (size_t mi = 0; mi < p_.modules.size(); ++mi) {
      Module& m = *p_.modules[mi];
      CUSTODY_RETURN_IF_ERROR(PackagePath(m));
      NodeAt(m.package_path);  // a package exists (as an empty object) even without rules
      for (auto& r : m.rules) CUSTODY_RETURN_IF_ERROR(AddRule(*r, m, mi));
    }
    for (auto& m : p_.modules) {
      for (auto& r : m->rules) {
        for (Rule* x = r.get(); x; x = x->else_rule.get()) CUSTODY_RETURN_IF_ERROR(CompileRule(*x, *m));
      }
    }
    CUSTODY_RETURN_IF_ERROR(CheckNodes(p_.root));
    return OkStatus();
  }

  Result<CompiledQuery> CompileQueryBody(std::shared_ptr<Body> body) {
    CompiledQuery q;
    ScopeBody(*body);
    Scope scope;
    module_ = nullptr;  // queries name everything from data or input
    NameSet declared;
    CollectDeclared(*body, declared);
    scope.declared = declared;
    CUSTODY_RETURN_IF_ERROR(ResolveBody(*body, scope));
    NameSet bound;
    NameSet visible;
    CUSTODY_RETURN_IF_ERROR(OrderBody(*body, bound, visible, scope));
    q.body = std::move(body);
    q.num_slots = scope.next;
    for (const auto& [name, slot] : scope.order)
      if (name[0] != '$') q.vars.emplace_back(name, slot);
    return q;
  }

 private:
  struct Scope {
    std::unordered_map<std::string, int> slots;
    std::vector<std::pair<std::string, int>> order;
    NameSet declared;  // declared with some / := / args: always local
    int next = 0;
    int Slot(const std::string& name) {
      auto it = slots.find(name);
      if (it != slots.end()) return it->second;
      slots[name] = next;
      order.emplace_back(name, next);
      return next++;
    }
  };

  Status PackagePath(Module& m) {
    const Term& pkg = m.package;
    std::vector<Value> path;
    if (pkg.kind == TermKind::kVar) {
      path.push_back(Value::String(pkg.name));
    } else {
      path.push_back(Value::String(pkg.items[0].name));
      for (size_t i = 1; i < pkg.items.size(); ++i) {
        if (pkg.items[i].kind != TermKind::kScalar)
          return CompileError(pkg.loc, "rego_parse_error", "package name must be a constant path");
        path.push_back(pkg.items[i].value);
      }
    }
    if (!path.empty() && path[0].is_string() && path[0].as_string() == "data") path.erase(path.begin());
    m.package_path = path;
    return OkStatus();
  }

  DocNode* NodeAt(const std::vector<Value>& path) {
    DocNode* n = &p_.root;
    n->rules_below = true;
    for (const Value& k : path) {
      auto& c = n->children[k];
      if (!c) {
        c = std::make_unique<DocNode>();
        c->path = n->path;
        c->path.push_back(k);
      }
      n = c.get();
      n->rules_below = true;
    }
    return n;
  }

  Status AddRule(Rule& r, Module& m, size_t mi) {
    if (r.kind == RuleKind::kPartialSet) {
      for (size_t i = 1; i < r.head.size(); ++i) {
        if (r.head[i].kind != TermKind::kScalar) {
          r.kind = RuleKind::kPartialObject;
          r.set_leaf = true;
        }
      }
    }
    std::vector<Value> path = m.package_path;
    size_t i = 0;
    for (; i < r.head.size(); ++i) {
      const Term& h = r.head[i];
      if (i == 0) {
        path.push_back(Value::String(h.name));
        continue;
      }
      if (h.kind != TermKind::kScalar) break;
      if (r.kind == RuleKind::kPartialObject && i + 1 == r.head.size() && !r.set_leaf) break;
      path.push_back(h.value);
    }
    for (Rule* x = &r; x; x = x->else_rule.get()) {
      x->path = path;
      x->module_index = mi;
    }
    DocNode* n = NodeAt(path);
    if (r.kind == RuleKind::kFunction) {
      n->functions.push_back(&r);
      return OkStatus();
    }
    if (r.is_default) {
      n->defaults.push_back(&r);
      if (n->defaults.size() > 1)
        return CompileError(r.loc, "rego_type_error", "multiple default rules " + PathText(path) + " found");
      return OkStatus();
    }
    if (!n->rules.empty() && n->kind != r.kind)
      return CompileError(r.loc, "rego_type_error", "conflicting rules " + PathText(path) + " found");
    n->kind = r.kind;
    n->rules.push_back(&r);
    return OkStatus();
  }

  static std::string PathText(const std::vector<Value>& path) {
    std::string s = "data";
    for (const Value& v : path) {
      if (v.is_string()) {
        s += "." + v.as_string();
      } else {
        s += "[" + v.ToJson() + "]";
      }
    }
    return s;
  }

  // `input.a.b == "x"` (or `=`, either way round), or `input.a.b in C` with a
  // constant collection C: the path and the values the input must have for
  // the expression to hold (C's elements, or its values for an object).
  static bool IndexableTest(const Expr& e, std::vector<Value>* path, std::vector<Value>* values) {
    if (e.negated || !e.with.empty()) return false;
    const Term* a = nullptr;
    const Term* b = nullptr;
    bool member = false;
    if (e.kind == ExprKind::kUnify) {
      a = &e.terms[0];
      b = &e.terms[1];
    } else if (e.kind == ExprKind::kTerm && !e.call_with_output && e.terms[0].kind == TermKind::kCall &&
               e.terms[0].items.size() == 2 &&
               (e.terms[0].name == "equal" || e.terms[0].name == "internal.member_2")) {
      a = &e.terms[0].items[0];
      b = &e.terms[0].items[1];
      member = e.terms[0].name == "internal.member_2";
    } else {
      return false;
    }
    if (!member && a->kind == TermKind::kScalar) std::swap(a, b);
    if (b->kind != TermKind::kScalar || a->kind != TermKind::kRef) return false;
    if (a->items[0].kind != TermKind::kVar || a->items[0].slot != kInputSlot) return false;
    path->clear();
    for (size_t i = 1; i < a->items.size(); ++i) {
      if (a->items[i].kind != TermKind::kScalar) return false;
      path->push_back(a->items[i].value);
    }
    values->clear();
    if (!member) {
      values->push_back(b->value);
    } else if (b->value.is_array()) {
      *values = b->value.array();
    } else if (b->value.is_set()) {
      *values = b->value.set();
    } else if (b->value.is_object()) {
      for (const auto& [k, v] : b->value.object()) values->push_back(v);
    } else {
      return false;  // `in` a scalar never holds; leave it to evaluation
    }
    return true;
  }

  static void BuildIndex(DocNode& n) {
    if (n.rules.size() < 4) return;
    std::map<std::vector<Value>, int, std::function<bool(const std::vector<Value>&, const std::vector<Value>&)>>
        counts([](const std::vector<Value>& x, const std::vector<Value>& y) {
          return std::lexicographical_compare(x.begin(), x.end(), y.begin(), y.end(), ValueLess());
        });
    for (const Rule* r : n.rules) {
      if (r->else_rule) continue;
      std::vector<Value> path, values;
      for (const Expr& e : r->body.exprs)
        if (IndexableTest(e, &path, &values)) ++counts[path];
    }
    const std::vector<Value>* best = nullptr;
    int best_count = 1;
    for (const auto& [path, c] : counts)
      if (c > best_count) {
        best = &path;
        best_count = c;
      }
    if (!best) return;
    n.index_path = *best;
    for (const Rule* r : n.rules) {
      bool placed = false;
      if (!r->else_rule) {
        std::vector<Value> path, values;
        for (const Expr& e : r->body.exprs) {
          if (IndexableTest(e, &path, &values) && path.size() == n.index_path.size() &&
              std::equal(path.begin(), path.end(), n.index_path.begin(), ValueEqual())) {
            // Under each value it accepts (once: a collection may repeat a value).
            std::sort(values.begin(), values.end(), ValueLess());
            values.erase(std::unique(values.begin(), values.end(), ValueEqual()), values.end());
            for (const Value& v : values) n.index[v].push_back(r);
            placed = true;
            break;
          }
        }
      }
      if (!placed) n.unindexed.push_back(r);
    }
    n.indexed = true;
  }

  Status CheckNodes(DocNode& n) {
    BuildIndex(n);
    if (!n.rules.empty() || !n.defaults.empty()) {
      // Early exit is sound when every value is the same constant.
      bool constant = n.kind == RuleKind::kComplete;
      std::optional<Value> first;
      for (const Rule* r : n.rules) {
        for (const Rule* x = r; x && constant; x = x->else_rule.get()) {
          Value v = x->value ? (x->value->kind == TermKind::kScalar ? x->value->value : Value()) : Value::Bool(true);
          if (v.is_undefined()) {
            constant = false;
          } else if (!first) {
            first = v;
          } else if (Compare(*first, v) != 0) {
            constant = false;
          }
        }
      }
      n.constant_value = constant;
      if (n.rules.size() == 1 && n.defaults.empty() && n.functions.empty() && n.children.empty() &&
          n.kind == RuleKind::kComplete) {
        const Rule* r = n.rules[0];
        const Body& b = r->body;
        bool trivial = !r->else_rule && b.exprs.size() == 1 && b.exprs[0].kind == ExprKind::kTerm &&
                       !b.exprs[0].negated && b.exprs[0].with.empty() &&
                       b.exprs[0].terms[0].kind == TermKind::kScalar && b.exprs[0].terms[0].value.is_true();
        if (trivial && r->value && r->value->kind == TermKind::kScalar) n.const_doc = r->value->value;
        if (trivial && !r->value) n.const_doc = Value::Bool(true);
      }
      if (!n.functions.empty() && !n.rules.empty())
        return CompileError(n.rules[0]->loc, "rego_type_error", "conflicting rules " + PathText(n.path) + " found");
    }
    for (auto& [k, c] : n.children) CUSTODY_RETURN_IF_ERROR(CheckNodes(*c));
    return OkStatus();
  }

  // Names declared as local by some / := / every / some-in anywhere in the body.
  static void CollectDeclared(const Body& b, NameSet& out) {
    for (const Expr& e : b.exprs) {
      if (e.kind == ExprKind::kSome) {
        for (const Term& t : e.terms) out.insert(t.name);
      } else if (e.kind == ExprKind::kAssign) {
        CollectRawVars(e.terms[0], out);
      } else if (e.kind == ExprKind::kSomeIn || e.kind == ExprKind::kEvery) {
        for (size_t i = 0; i + 1 < e.terms.size(); ++i) CollectRawVars(e.terms[i], out);
      }
      for (const Term& t : e.terms) CollectDeclaredInTerm(t, out);
      if (e.body) CollectDeclared(*e.body, out);
      for (const auto& br : e.branches) CollectDeclared(*br, out);
    }
  }
  static void CollectDeclaredInTerm(const Term& t, NameSet& out) {
    if (t.body) CollectDeclared(*t.body, out);
    for (const Term& i : t.items) CollectDeclaredInTerm(i, out);
  }
  static void CollectRawVars(const Term& t, NameSet& out) {
    if (t.kind == TermKind::kVar) out.insert(t.name);
    for (const Term& i : t.items) CollectRawVars(i, out);
  }

  const PackageInfo& Package(const Module& m) {
    auto it = packages_.find(&m);
    if (it != packages_.end()) return it->second;
    PackageInfo info;
    info.path = m.package_path;
    for (const auto& other : p_.modules) {
      if (other->package_path.size() != m.package_path.size()) continue;
      bool same = true;
      for (size_t i = 0; i < m.package_path.size() && same; ++i)
        same = Compare(other->package_path[i], m.package_path[i]) == 0;
      if (!same) continue;
      for (const auto& r : other->rules) info.rule_names.insert(r->head[0].name);
    }
    return packages_.emplace(&m, std::move(info)).first->second;
  }

  // ---- scopes ----
  // `x := ...` and `some x` declare x in the body they are written in: a
  // comprehension that declares x has its own x, and so does a comprehension
  // written before the enclosing body declares x (as OPA rewrites local
  // variables). Such variables are renamed apart before names are resolved.

  static void RenameInTerm(Term& t, const std::map<std::string, std::string>& m) {
    if (t.kind == TermKind::kVar) {
      auto it = m.find(t.name);
      if (it != m.end()) t.name = it->second;
    }
    for (Term& i : t.items) RenameInTerm(i, m);
    if (t.body) RenameInBody(*t.body, m);
  }
  static void RenameInBody(Body& b, const std::map<std::string, std::string>& m) {
    for (Expr& e : b.exprs) {
      for (Term& t : e.terms) RenameInTerm(t, m);
      for (With& w : e.with) RenameInTerm(w.value, m);
      if (e.body) RenameInBody(*e.body, m);
      for (auto& br : e.branches) RenameInBody(*br, m);
    }
  }
  // Names declared at the top of one expression.
  static void DeclaredBy(const Expr& e, NameSet& out) {
    if (e.kind == ExprKind::kSome) {
      for (const Term& t : e.terms) out.insert(t.name);
    } else if (e.kind == ExprKind::kAssign) {
      CollectRawVars(e.terms[0], out);
    } else if (e.kind == ExprKind::kSomeIn) {
      for (size_t i = 0; i + 1 < e.terms.size(); ++i) CollectRawVars(e.terms[i], out);
    }
  }
  static void RawVarsShallow(const Term& t, NameSet& out) {
    if (t.kind == TermKind::kVar) out.insert(t.name);
    if (IsCompr(t)) return;
    for (const Term& i : t.items) RawVarsShallow(i, out);
  }

  void ScopeComprehensions(Term& t, const NameSet& declared_later) {
    if (IsCompr(t)) {
      NameSet declared;
      for (const Expr& e : t.body->exprs) DeclaredBy(e, declared);
      NameSet inner;
      CollectRawVars(t, inner);
      CollectRawBodyVars(*t.body, inner);
      std::map<std::string, std::string> m;
      for (const std::string& v : inner) {
        if (v.empty() || v[0] == '$') continue;
        if (declared.count(v) || declared_later.count(v)) m[v] = v + "$" + std::to_string(++renamed_);
      }
      if (!m.empty()) {
        for (Term& i : t.items) RenameInTerm(i, m);
        RenameInBody(*t.body, m);
      }
      ScopeBody(*t.body);
      return;
    }
    for (Term& i : t.items) ScopeComprehensions(i, declared_later);
  }

  static void CollectRawBodyVars(const Body& b, NameSet& out) {
    for (const Expr& e : b.exprs) {
      for (const Term& t : e.terms) {
        CollectRawVars(t, out);
        CollectRawTermBodies(t, out);
      }
      for (const With& w : e.with) CollectRawVars(w.value, out);
      if (e.body) CollectRawBodyVars(*e.body, out);
      for (const auto& br : e.branches) CollectRawBodyVars(*br, out);
    }
  }
  static void CollectRawTermBodies(const Term& t, NameSet& out) {
    if (t.body) CollectRawBodyVars(*t.body, out);
    for (const Term& i : t.items) CollectRawTermBodies(i, out);
  }

  void ScopeBody(Body& b) {
    for (size_t i = 0; i < b.exprs.size(); ++i) {
      NameSet later;
      for (size_t j = i + 1; j < b.exprs.size(); ++j) DeclaredBy(b.exprs[j], later);
      NameSet used;
      for (size_t j = 0; j <= i; ++j)
        for (const Term& t : b.exprs[j].terms) RawVarsShallow(t, used);
      for (const std::string& v : used) later.erase(v);
      Expr& e = b.exprs[i];
      for (Term& t : e.terms) ScopeComprehensions(t, later);
      for (With& w : e.with) ScopeComprehensions(w.value, later);
      if (e.body) ScopeBody(*e.body);
      for (auto& br : e.branches) ScopeBody(*br);
    }
  }

  Status CompileRule(Rule& r, Module& m) {
    module_ = &m;
    ScopeBody(r.body);
    if (r.value) ScopeComprehensions(*r.value, {});
    if (r.key) ScopeComprehensions(*r.key, {});
    Scope scope;
    NameSet declared;
    for (const Term& a : r.args) CollectRawVars(a, declared);
    CollectDeclared(r.body, declared);
    scope.declared = declared;
    // Head operands after the name, key, value and args.
    for (size_t i = 1; i < r.head.size(); ++i) CUSTODY_RETURN_IF_ERROR(ResolveTerm(r.head[i], scope));
    for (Term& a : r.args) CUSTODY_RETURN_IF_ERROR(ResolveTerm(a, scope));
    CUSTODY_RETURN_IF_ERROR(ResolveBody(r.body, scope));
    if (r.key) CUSTODY_RETURN_IF_ERROR(ResolveTerm(*r.key, scope));
    if (r.value) CUSTODY_RETURN_IF_ERROR(ResolveTerm(*r.value, scope));
    // Safety: args are bound on entry; head terms must be bound by the body.
    NameSet bound;
    for (const Term& a : r.args) CollectVarsDeep(a, bound);
    NameSet visible = bound;
    NameSet head_vars;
    for (size_t i = 1; i < r.head.size(); ++i) CollectVarsDeep(r.head[i], head_vars);
    if (r.key) CollectVarsDeep(*r.key, head_vars);
    if (r.value) CollectVarsDeep(*r.value, head_vars);
    for (const std::string& v : head_vars) visible.insert(v);
    CUSTODY_RETURN_IF_ERROR(OrderBody(r.body, bound, visible, scope));
    auto check_head = [&](const Term& t) -> Status {
      NameSet need;
      Needs(t, need, bound);
      for (const std::string& v : need)
        if (!bound.count(v))
          return CompileError(t.loc, "rego_unsafe_var_error", "var " + ShownVar(v) + " is unsafe");
      CUSTODY_RETURN_IF_ERROR(OrderNested(t, bound, visible, scope));
      return OkStatus();
    };
    for (size_t i = 1; i < r.head.size(); ++i) CUSTODY_RETURN_IF_ERROR(check_head(r.head[i]));
    if (r.key) CUSTODY_RETURN_IF_ERROR(check_head(*r.key));
    if (r.value) CUSTODY_RETURN_IF_ERROR(check_head(*r.value));

    r.num_slots = scope.next;
    return OkStatus();
  }

  Status ResolveBody(Body& b, Scope& scope) {
    for (Expr& e : b.exprs) {
      for (Term& t : e.terms) CUSTODY_RETURN_IF_ERROR(ResolveTerm(t, scope));
      for (With& w : e.with) {
        CUSTODY_RETURN_IF_ERROR(ResolveWithTarget(w));
        CUSTODY_RETURN_IF_ERROR(ResolveWithValue(w, scope));
      }
      if (e.body) CUSTODY_RETURN_IF_ERROR(ResolveBody(*e.body, scope));
      for (auto& br : e.branches) CUSTODY_RETURN_IF_ERROR(ResolveBody(*br, scope));
      // v0-style call with output: count(x, n).
      if (e.kind == ExprKind::kTerm && e.terms[0].kind == TermKind::kCall) {
        Term& c = e.terms[0];
        int arity = CallArity(c);
        if (arity >= 0 && static_cast<int>(c.items.size()) == arity + 1) {
          e.call_with_output = true;
        } else if (arity >= 0 && static_cast<int>(c.items.size()) != arity) {
          return ArityError(c, arity);
        }
      }
      CUSTODY_RETURN_IF_ERROR(CheckCallArities(e));
    }
    return OkStatus();
  }

  Status CheckCallArities(const Expr& e) {
    std::function<Status(const Term&, bool)> walk = [&](const Term& t, bool top) -> Status {
      if (t.kind == TermKind::kCall && !top) {
        int arity = CallArity(t);
        if (arity >= 0 && static_cast<int>(t.items.size()) != arity) return ArityError(t, arity);
      }
      for (const Term& i : t.items) CUSTODY_RETURN_IF_ERROR(walk(i, false));
      return OkStatus();
    };
    for (size_t i = 0; i < e.terms.size(); ++i)
      CUSTODY_RETURN_IF_ERROR(walk(e.terms[i], e.kind == ExprKind::kTerm && i == 0));
    return OkStatus();
  }

  Error ArityError(const Term& c, int arity) {
    return CompileError(c.loc, "rego_type_error",
                        c.name + ": arity mismatch\n\thave: " + std::to_string(c.items.size()) +
                            " arguments\n\twant: " + std::to_string(arity) + " arguments");
  }

  int CallArity(const Term& c) {
    if (c.builtin) return c.builtin->arity;
    if (c.functions && !c.functions->empty()) return static_cast<int>((*c.functions)[0]->args.size());
    if (IsEvaluatorBuiltin(c.name)) return EvaluatorBuiltinArity(c.name);
    return -1;
  }

  Status ResolveWithTarget(With& w) {
    // Targets stay as written (input..., data..., or a function name), with
    // imports expanded.
    Term& t = w.target;
    std::string head = t.HeadName();
    if (head == "input" || head == "data") return OkStatus();
    if (module_) {
      for (const Import& imp : module_->imports) {
        std::string alias = ImportAlias(imp);
        if (alias == head) {
          Term expanded = imp.path;
          if (t.kind == TermKind::kRef)
            for (size_t i = 1; i < t.items.size(); ++i) AppendOperand(expanded, t.items[i]);
          t = std::move(expanded);
          return OkStatus();
        }
      }
      const PackageInfo& pkg = Package(*module_);
      if (pkg.rule_names.count(head)) {
        Term ref = RuleRef(pkg, head, t.loc);
        if (t.kind == TermKind::kRef)
          for (size_t i = 1; i < t.items.size(); ++i) ref.items.push_back(t.items[i]);
        t = std::move(ref);
        return OkStatus();
      }
    }
    std::string text = t.RefText();
    if (!p_.builtins->Find(text) && !IsEvaluatorBuiltin(text))
      return CompileError(w.loc, "rego_compile_error",
                          "with keyword target must reference existing input, data, or a function");
    return OkStatus();
  }

  // A function replaced by another function: the value names it (a
  // built-in or a user function) and becomes an argument-less call term.
  Status ResolveWithValue(With& w, Scope& scope) {
    std::string head = w.target.kind == TermKind::kVar ? w.target.name
                       : w.target.kind == TermKind::kRef ? w.target.items[0].name : "";
    bool function_target = head != "input";
    if (head == "data") {
      std::vector<Value> path;
      for (size_t i = 1; i < w.target.items.size(); ++i) path.push_back(w.target.items[i].value);
      const DocNode* n = p_.Find(path);
      function_target = n && !n->functions.empty();
    }
    std::string name = w.value.RefText();
    if (function_target && !name.empty() && !scope.slots.count(SplitDots(name)[0]) &&
        !scope.declared.count(SplitDots(name)[0])) {
      Term call;
      call.kind = TermKind::kCall;
      call.name = name;
      call.loc = w.value.loc;
      auto r = ResolveCall(call);
      if (r.ok()) {
        w.value = std::move(call);
        return OkStatus();
      }
    }
    return ResolveTerm(w.value, scope);
  }

  // data.<package>.<name>: the reference a rule's bare name stands for.
  static Term RuleRef(const PackageInfo& pkg, const std::string& name, const Location& loc) {
    Term ref;
    ref.kind = TermKind::kRef;
    ref.loc = loc;
    Term data;
    data.kind = TermKind::kVar;
    data.name = "data";
    data.slot = kDataSlot;
    data.loc = loc;
    ref.items.push_back(std::move(data));
    std::vector<Value> path = pkg.path;
    path.push_back(Value::String(name));
    for (const Value& v : path) {
      Term s;
      s.value = v;
      s.loc = loc;
      ref.items.push_back(std::move(s));
    }
    return ref;
  }

  static void AppendOperand(Term& ref, const Term& op) {
    if (ref.kind != TermKind::kRef) {
      Term r;
      r.kind = TermKind::kRef;
      r.loc = ref.loc;
      r.items.push_back(std::move(ref));
      ref = std::move(r);
    }
    ref.items.push_back(op);
  }

  static std::string ImportAlias(const Import& imp) {
    if (!imp.alias.empty()) return imp.alias;
    const Term& p = imp.path;
    if (p.kind == TermKind::kVar) return p.name;
    const Term& last = p.items.back();
    if (last.kind == TermKind::kScalar && last.value.is_string()) return last.value.as_string();
    return "";
  }

  // Replaces `t` (a var naming a rule, import or root) with a data/input ref.
  // Returns true when it did.
  Result<bool> ResolveGlobalVar(Term& t, Scope& scope) {
    const std::string& name = t.name;
    if (name == "input" || name == "data") {
      t.slot = name == "data" ? kDataSlot : kInputSlot;
      return true;
    }
    if (scope.declared.count(name) || scope.slots.count(name)) return false;
    if (!module_) return false;
    for (const Import& imp : module_->imports) {
      std::string head = imp.path.kind == TermKind::kVar ? imp.path.name : imp.path.items[0].name;
      if (head != "data" && head != "input") continue;
      if (ImportAlias(imp) == name) {
        Term expanded = imp.path;
        Location loc = t.loc;
        t = std::move(expanded);
        t.loc = loc;
        if (t.kind == TermKind::kVar) {
          t.slot = t.name == "data" ? kDataSlot : kInputSlot;
        } else {
          t.items[0].slot = t.items[0].name == "data" ? kDataSlot : kInputSlot;
        }
        return true;
      }
    }
    const PackageInfo& pkg = Package(*module_);
    if (pkg.rule_names.count(name)) {
      Term ref = RuleRef(pkg, name, t.loc);
      t = std::move(ref);
      return true;
    }
    return false;
  }

  Status ResolveTerm(Term& t, Scope& scope) {
    switch (t.kind) {
      case TermKind::kScalar: return OkStatus();
      case TermKind::kVar: {
        CUSTODY_ASSIGN_OR_RETURN(bool global, ResolveGlobalVar(t, scope));
        if (!global) t.slot = scope.Slot(t.name);
        return OkStatus();
      }
      case TermKind::kRef: {
        Term& head = t.items[0];
        if (head.kind == TermKind::kVar) {
          CUSTODY_ASSIGN_OR_RETURN(bool global, ResolveGlobalVar(head, scope));
          if (!global) {
            head.slot = scope.Slot(head.name);
          } else if (head.kind == TermKind::kRef) {
            // Splice: the head became a ref itself.
            std::vector<Term> items = std::move(head.items);
            for (size_t i = 1; i < t.items.size(); ++i) items.push_back(std::move(t.items[i]));
            t.items = std::move(items);
          }
        } else {
          CUSTODY_RETURN_IF_ERROR(ResolveTerm(head, scope));
        }
        for (size_t i = 1; i < t.items.size(); ++i) CUSTODY_RETURN_IF_ERROR(ResolveTerm(t.items[i], scope));
        return OkStatus();
      }
      case TermKind::kCall: {
        CUSTODY_RETURN_IF_ERROR(ResolveCall(t));
        for (Term& a : t.items) CUSTODY_RETURN_IF_ERROR(ResolveTerm(a, scope));
        if (t.name == "plus" && t.items.size() == 2) {
          for (size_t i = 0; i < 2; ++i) {
            const Term& a = t.items[i];
            if ((a.kind == TermKind::kScalar && a.value.is_string()) || a.kind == TermKind::kTemplate)
              return CompileError(a.loc, "rego_type_error",
                                  "plus: operand " + std::to_string(i + 1) +
                                      " must be number but got string: Rego has no string +; join strings "
                                      "with concat(\"\", [a, b]) or sprintf(\"%s%s\", [a, b])");
          }
        }
        return OkStatus();
      }
      case TermKind::kArrayCompr:
      case TermKind::kSetCompr:
      case TermKind::kObjectCompr:
        for (Term& i : t.items) CUSTODY_RETURN_IF_ERROR(ResolveTerm(i, scope));
        return ResolveBody(*t.body, scope);
      default:
        for (Term& i : t.items) CUSTODY_RETURN_IF_ERROR(ResolveTerm(i, scope));
        FoldGround(t);
        return OkStatus();
    }
  }

  // Ground composite literals become constants.
  static void FoldGround(Term& t) {
    if (t.kind != TermKind::kArray && t.kind != TermKind::kSet && t.kind != TermKind::kObject) return;
    for (const Term& i : t.items)
      if (i.kind != TermKind::kScalar) return;
    if (t.kind == TermKind::kArray) {
      ValueVector v;
      for (const Term& i : t.items) v.push_back(i.value);
      t.value = Value::Array(std::move(v));
    } else if (t.kind == TermKind::kSet) {
      ValueVector v;
      for (const Term& i : t.items) v.push_back(i.value);
      t.value = Value::Set(std::move(v));
    } else {
      ObjectEntries e;
      // A key written twice keeps its last value, as OPA's parser does.
      for (size_t i = 0; i < t.items.size(); i += 2) e.emplace_back(t.items[i].value, t.items[i + 1].value);
      t.value = Value::Object(std::move(e));
    }
    t.kind = TermKind::kScalar;
    t.items.clear();
  }

  Status ResolveCall(Term& t) {
    std::vector<std::string> parts = SplitDots(t.name);
    std::vector<Value> path;
    bool user = false;
    if (module_) {
      for (const Import& imp : module_->imports) {
        if (ImportAlias(imp) != parts[0]) continue;
        std::string head = imp.path.kind == TermKind::kVar ? imp.path.name : imp.path.items[0].name;
        if (head != "data") continue;
        for (size_t i = 1; i < imp.path.items.size(); ++i) path.push_back(imp.path.items[i].value);
        for (size_t i = 1; i < parts.size(); ++i) path.push_back(Value::String(parts[i]));
        user = true;
        break;
      }
      if (!user && Package(*module_).rule_names.count(parts[0])) {
        path = module_->package_path;
        for (const std::string& s : parts) path.push_back(Value::String(s));
        user = true;
      }
    }
    if (!user && parts[0] == "data") {
      for (size_t i = 1; i < parts.size(); ++i) path.push_back(Value::String(parts[i]));
      user = true;
    }
    if (user) {
      DocNode* n = const_cast<DocNode*>(p_.Find(path));
      if (n && !n->functions.empty()) {
        t.functions = &n->functions;
        t.function_path = path;
        return OkStatus();
      }
      if (parts[0] == "data" || (module_ && Package(*module_).rule_names.count(parts[0])))
        return CompileError(t.loc, "rego_type_error", "undefined function " + PathText(path));
    }
    if (module_ && module_->v1 && RemovedInV1(t.name))
      return CompileError(t.loc, "rego_type_error", "undefined function " + t.name);
    if (IsEvaluatorBuiltin(t.name)) return OkStatus();
    const Builtin* b = p_.builtins->Find(t.name);
    if (!b) return CompileError(t.loc, "rego_type_error", "undefined function " + t.name);
    t.builtin = b;
    return OkStatus();
  }

  // ---- safety and ordering ----

  struct ExprInfo {
    NameSet needs;    // must be bound first
    NameSet outputs;  // bound afterwards
    bool unify_pair_ok = true;
    NameSet pat_a, pat_b;  // unification: pattern vars of each side
  };

  ExprInfo Analyze(const Expr& e, const NameSet& visible, const NameSet& elsewhere) {
    ExprInfo info;
    auto all_vars = [&](NameSet& out) {
      for (const Term& t : e.terms) CollectVarsDeep(t, out);
    };
    if (e.negated) {
      NameSet vars;
      all_vars(vars);
      for (const std::string& v : vars)
        if (elsewhere.count(v) || visible.count(v)) info.needs.insert(v);
      for (const With& w : e.with) Needs(w.value, info.needs, visible);
      return info;
    }
    switch (e.kind) {
      case ExprKind::kTerm:
        if (e.call_with_output) {
          const Term& c = e.terms[0];
          for (size_t i = 0; i + 1 < c.items.size(); ++i) Needs(c.items[i], info.needs, visible);
          NeedsNonPattern(c.items.back(), info.needs, visible);
          PatternVars(c.items.back(), info.outputs);
          Outs(c, info.outputs);
        } else {
          Needs(e.terms[0], info.needs, visible);
          Outs(e.terms[0], info.outputs);
        }
        break;
      case ExprKind::kUnify:
      case ExprKind::kAssign: {
        const Term& a = e.terms[0];
        const Term& b = e.terms[1];
        NeedsNonPattern(a, info.needs, visible);
        NeedsNonPattern(b, info.needs, visible);
        PatternVars(a, info.pat_a);
        PatternVars(b, info.pat_b);
        info.unify_pair_ok = (a.kind == TermKind::kArray && b.kind == TermKind::kArray) ||
                             (a.kind == TermKind::kObject && b.kind == TermKind::kObject);
        for (const std::string& v : info.pat_a) info.outputs.insert(v);
        for (const std::string& v : info.pat_b) info.outputs.insert(v);
        Outs(a, info.outputs);
        Outs(b, info.outputs);
        break;
      }
      case ExprKind::kSome: break;
      case ExprKind::kSomeIn: {
        const Term& coll = e.terms.back();
        Needs(coll, info.needs, visible);
        Outs(coll, info.outputs);
        for (size_t i = 0; i + 1 < e.terms.size(); ++i) {
          NeedsNonPattern(e.terms[i], info.needs, visible);
          PatternVars(e.terms[i], info.outputs);
        }
        break;
      }
      case ExprKind::kBlock:
      case ExprKind::kOr: {
        NameSet inner;
        if (e.body) CollectBodyVarsDeep(*e.body, inner);
        for (const auto& br : e.branches) CollectBodyVarsDeep(*br, inner);
        for (const std::string& v : inner)
          if (visible.count(v)) info.needs.insert(v);
        break;
      }
      case ExprKind::kEvery: {
        const Term& dom = e.terms.back();
        Needs(dom, info.needs, visible);
        NameSet local;
        for (size_t i = 0; i + 1 < e.terms.size(); ++i) CollectVarsDeep(e.terms[i], local);
        NameSet inner;
        CollectBodyVarsDeep(*e.body, inner);
        for (const std::string& v : inner)
          if (visible.count(v) && !local.count(v)) info.needs.insert(v);
        break;
      }
    }
    for (const With& w : e.with) Needs(w.value, info.needs, visible);
    // A var bound by iterating a ref in the same expression is safe there
    // (`x == xs[x]`): the evaluator reads plain vars after the other operands.
    NameSet ref_outs;
    for (const Term& t : e.terms) Outs(t, ref_outs);
    for (const std::string& v : ref_outs) info.needs.erase(v);
    return info;
  }

  Status OrderBody(Body& b, NameSet& bound, const NameSet& outer_visible, Scope& scope) {
    // Visible names: the enclosing scopes plus every var of this body.
    NameSet visible = outer_visible;
    std::vector<NameSet> shallow(b.exprs.size());
    for (size_t i = 0; i < b.exprs.size(); ++i) {
      CollectExprVarsShallow(b.exprs[i], shallow[i]);
      for (const std::string& v : shallow[i]) visible.insert(v);
    }
    std::vector<ExprInfo> infos;
    infos.reserve(b.exprs.size());
    for (size_t i = 0; i < b.exprs.size(); ++i) {
      NameSet elsewhere = outer_visible;
      for (size_t j = 0; j < b.exprs.size(); ++j)
        if (j != i)
          for (const std::string& v : shallow[j]) elsewhere.insert(v);
      infos.push_back(Analyze(b.exprs[i], visible, elsewhere));
    }
    std::vector<bool> done(b.exprs.size(), false);
    std::vector<size_t> order;
    std::vector<NameSet> bound_before(b.exprs.size());
    for (size_t n = 0; n < b.exprs.size(); ++n) {
      size_t pick = b.exprs.size();
      for (size_t i = 0; i < b.exprs.size(); ++i) {
        if (done[i]) continue;
        const ExprInfo& info = infos[i];
        if (!Subset(info.needs, bound)) continue;
        const Expr& e = b.exprs[i];
        if ((e.kind == ExprKind::kUnify || e.kind == ExprKind::kAssign) && !e.negated) {
          bool ok = Subset(info.pat_a, bound) || Subset(info.pat_b, bound) || info.unify_pair_ok;
          if (!ok) continue;
        }
        pick = i;
        break;
      }
      if (pick == b.exprs.size()) {
        // Report the first unbound var of the first expression that cannot run.
        for (size_t i = 0; i < b.exprs.size(); ++i) {
          if (done[i]) continue;
          NameSet missing;
          for (const std::string& v : infos[i].needs)
            if (!bound.count(v)) missing.insert(v);
          if (missing.empty()) {
            for (const std::string& v : infos[i].pat_a)
              if (!bound.count(v)) missing.insert(v);
          }
          std::string var = missing.empty() ? "_" : *missing.begin();
          return CompileError(b.exprs[i].loc, "rego_unsafe_var_error", "var " + ShownVar(var) + " is unsafe");
        }
      }
      done[pick] = true;
      order.push_back(pick);
      bound_before[pick] = bound;
      for (const std::string& v : infos[pick].outputs) bound.insert(v);
    }
    // Nested bodies see what was bound before their expression.
    for (size_t i = 0; i < b.exprs.size(); ++i) {
      Expr& e = b.exprs[i];
      NameSet inner_bound = bound_before[i];
      if (e.kind == ExprKind::kBlock || e.kind == ExprKind::kOr) {
        if (e.body) {
          NameSet b2 = inner_bound;
          CUSTODY_RETURN_IF_ERROR(OrderBody(*e.body, b2, visible, scope));
        }
        for (auto& br : e.branches) {
          NameSet b2 = inner_bound;
          CUSTODY_RETURN_IF_ERROR(OrderBody(*br, b2, visible, scope));
        }
        for (const With& w : e.with) CUSTODY_RETURN_IF_ERROR(OrderNested(w.value, inner_bound, visible, scope));
        continue;
      }
      if (e.kind == ExprKind::kEvery) {
        for (size_t j = 0; j + 1 < e.terms.size(); ++j) CollectVarsDeep(e.terms[j], inner_bound);
        NameSet every_visible = visible;
        CUSTODY_RETURN_IF_ERROR(OrderBody(*e.body, inner_bound, every_visible, scope));
        for (const Term& t : e.terms) CUSTODY_RETURN_IF_ERROR(OrderNested(t, bound_before[i], visible, scope));
        continue;
      }
      for (const Term& t : e.terms) CUSTODY_RETURN_IF_ERROR(OrderNested(t, inner_bound, visible, scope));
      for (const With& w : e.with) CUSTODY_RETURN_IF_ERROR(OrderNested(w.value, inner_bound, visible, scope));
    }
    std::vector<Expr> sorted;
    sorted.reserve(b.exprs.size());
    for (size_t i : order) sorted.push_back(std::move(b.exprs[i]));
    b.exprs = std::move(sorted);
    return OkStatus();
  }

  // Orders the bodies of comprehensions inside `t`.
  Status OrderNested(const Term& t, const NameSet& bound, const NameSet& visible, Scope& scope) {
    if (IsCompr(t)) {
      NameSet inner = bound;
      CUSTODY_RETURN_IF_ERROR(OrderBody(*t.body, inner, visible, scope));
      for (const Term& h : t.items) {
        NameSet need;
        Needs(h, need, inner);
        for (const std::string& v : need)
          if (!inner.count(v))
            return CompileError(h.loc, "rego_unsafe_var_error", "var " + ShownVar(v) + " is unsafe");
        CUSTODY_RETURN_IF_ERROR(OrderNested(h, inner, visible, scope));
      }
      return OkStatus();
    }
    for (const Term& i : t.items) CUSTODY_RETURN_IF_ERROR(OrderNested(i, bound, visible, scope));
    return OkStatus();
  }

  CompiledPolicy& p_;
  Module* module_ = nullptr;
  std::unordered_map<const Module*, PackageInfo> packages_;
  int renamed_ = 0;
};

}  // namespace

const DocNode* CompiledPolicy::Find(const std::vector<Value>& path) const {
  const DocNode* n = &root;
  for (const Value& k : path) {
    n = n->Child(k);
    if (!n) return nullptr;
  }
  return n;
}

Result<CompiledQuery> CompiledPolicy::CompileQuery(std::string_view text, RegoVersion version) const {
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Body> body, ParseQuery(text, "query", version));
  Compiler c(const_cast<CompiledPolicy&>(*this));
  CUSTODY_ASSIGN_OR_RETURN(CompiledQuery query, c.CompileQueryBody(std::move(body)));
  CUSTODY_RETURN_IF_ERROR(TypeCheckQuery(*this, query));
  return query;
}

Result<std::shared_ptr<const CompiledPolicy>> CompileModules(std::vector<std::unique_ptr<Module>> modules,
                                                             Value data) {
  auto p = std::make_shared<CompiledPolicy>();
  p->modules = std::move(modules);
  p->data = data.is_defined() ? std::move(data) : Value::EmptyObject();
  p->builtins = &DefaultBuiltins();
  Compiler c(*p);
  CUSTODY_RETURN_IF_ERROR(c.Run());
  CUSTODY_RETURN_IF_ERROR(TypeCheckPolicy(*p));
  return std::shared_ptr<const CompiledPolicy>(std::move(p));
}

Result<std::shared_ptr<const CompiledPolicy>> Compile(const std::vector<SourceModule>& sources, Value data,
                                                      const CompileOptions& options) {
  std::vector<std::unique_ptr<Module>> modules;
  std::vector<std::string> notices;
  for (const SourceModule& s : sources) {
    auto m = ParseModule(s.text, s.file, options.version);
    if (!m.ok() && options.version == RegoVersion::kV1 && options.v0_fallback) {
      auto m0 = ParseModule(s.text, s.file, RegoVersion::kV0);
      if (m0.ok()) {
        notices.push_back(s.file + ": parsed as Rego v0 (it is not valid Rego v1: " + m.error().message() + ")");
        modules.push_back(std::move(*m0));
        continue;
      }
    }
    if (!m.ok()) return m.error();
    modules.push_back(std::move(*m));
  }
  auto compiled = CompileModules(std::move(modules), std::move(data));
  if (!compiled.ok()) return compiled.error();
  const_cast<CompiledPolicy&>(**compiled).notices = std::move(notices);
  return compiled;
}

}  // namespace custody::rego
