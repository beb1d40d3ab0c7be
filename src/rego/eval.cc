#include "rego/eval.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

namespace custody::rego {

namespace {

constexpr int kDataSlot = -2;
constexpr int kInputSlot = -3;

// A non-owning reference to a callable: continuations are passed down the
// evaluation and never outlive the call that created them, so no allocation.
template <typename Sig>
class FnRef;
template <typename R, typename... A>
class FnRef<R(A...)> {
 public:
  template <typename F, typename = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FnRef>>>
  FnRef(F&& f) noexcept  // NOLINT(google-explicit-constructor)
      : obj_(const_cast<void*>(static_cast<const void*>(&f))), cb_(&Invoke<std::remove_reference_t<F>>) {}
  R operator()(A... a) const { return cb_(obj_, a...); }

 private:
  template <typename F>
  static R Invoke(void* o, A... a) {
    return (*static_cast<F*>(o))(a...);
  }
  void* obj_;
  R (*cb_)(void*, A...);
};

// Continuations return true to ask for more solutions, false to stop (early
// exit, or an error recorded in the evaluator).
using Cont = FnRef<bool()>;
using VCont = FnRef<bool(const Value&)>;

std::string PathText(const std::vector<Value>& path) {
  std::string s = "data";
  for (const Value& v : path) s += v.is_string() ? "." + v.as_string() : "[" + v.ToJson() + "]";
  return s;
}

// Sets `v` at `path` inside `doc`, creating objects along the way.
Value Upsert(const Value& doc, const std::vector<Value>& path, size_t i, const Value& v) {
  if (i == path.size()) return v;
  ObjectEntries entries;
  if (doc.is_object()) entries = doc.object();
  const Value* cur = doc.is_object() ? doc.Find(path[i]) : nullptr;
  Value child = Upsert(cur ? *cur : Value(), path, i + 1, v);
  bool replaced = false;
  for (auto& e : entries) {
    if (Compare(e.first, path[i]) == 0) {
      e.second = child;
      replaced = true;
    }
  }
  if (!replaced) entries.emplace_back(path[i], child);
  return Value::Object(std::move(entries));
}

// Merges rule-produced and base documents: objects merge key by key, sets
// by union; two different non-object values at one place conflict. At
// `leaf_depth` levels down (when >= 0) values are some rule's whole value:
// they must be equal, as one rule may not write inside another's value.
Value Merge(const Value& a, const Value& b, bool* conflict, int leaf_depth = -1) {
  if (a.is_undefined()) return b;
  if (b.is_undefined()) return a;
  if (leaf_depth == 0) {
    if (Compare(a, b) != 0) *conflict = true;
    return a;
  }
  if (a.is_set() && b.is_set()) {
    ValueVector items = a.set();
    items.insert(items.end(), b.set().begin(), b.set().end());
    return Value::Set(std::move(items));
  }
  if (!a.is_object() || !b.is_object()) {
    if (Compare(a, b) != 0) *conflict = true;
    return a;
  }
  ObjectEntries out = a.object();
  for (const auto& [k, v] : b.object()) {
    bool found = false;
    for (auto& e : out) {
      if (Compare(e.first, k) == 0) {
        e.second = Merge(e.second, v, conflict, leaf_depth > 0 ? leaf_depth - 1 : -1);
        found = true;
        break;
      }
    }
    if (!found) out.emplace_back(k, v);
  }
  return Value::Object(std::move(out));
}

// Builds nested objects for multi-value rules with ref heads.
struct ObjTree {
  std::map<Value, ObjTree, ValueLess> children;
  Value leaf;
  bool is_set = false;
  ValueVector set_items;
  Value ToValue() const {
    if (is_set) return Value::Set(set_items);
    if (leaf.is_defined()) return leaf;
    ObjectEntries e;
    e.reserve(children.size());
    for (const auto& [k, c] : children) e.emplace_back(k, c.ToValue());
    return Value::SortedObject(std::move(e));
  }
};

std::string FormatForPrint(const Value& v) {
  if (v.is_string()) return v.as_string();
  return v.ToRego();
}

// Frames of variable slots, carved from chunks that never move, so pointers
// to slots (the undo trail holds them) stay valid while deeper frames come
// and go. Frames are strictly nested.
class FrameStack {
 public:
  Value* Push(size_t n) {
    if (n == 0) n = 1;
    while (true) {
      if (cur_ == chunks_.size()) chunks_.push_back(Chunk(std::max(n, chunks_.empty() ? kFirstChunk : kChunk)));
      Chunk& c = chunks_[cur_];
      if (c.used + n <= c.size) {
        Value* p = c.data.get() + c.used;
        c.used += n;
        return p;
      }
      if (c.used == 0) {
        c = Chunk(std::max(n, kChunk));
        continue;
      }
      ++cur_;
    }
  }
  void Pop(Value* p, size_t n) {
    if (n == 0) n = 1;
    for (size_t i = 0; i < n; ++i) p[i] = Value();
    Chunk& c = chunks_[cur_];
    c.used -= n;
    if (c.used == 0 && cur_ > 0) --cur_;
  }

 private:
  static constexpr size_t kFirstChunk = 64;
  static constexpr size_t kChunk = 1024;
  struct Chunk {
    explicit Chunk(size_t n) : data(new Value[n]), size(n) {}
    std::unique_ptr<Value[]> data;
    size_t size;
    size_t used = 0;
  };
  std::vector<Chunk> chunks_;
  size_t cur_ = 0;
};

struct FrameGuard {
  FrameGuard(FrameStack& s, int n) : stack(s), size(static_cast<size_t>(n)), p(s.Push(size)) {}
  ~FrameGuard() { stack.Pop(p, size); }
  FrameStack& stack;
  size_t size;
  Value* p;
};

// Call arguments: a few inline, more on the heap.
class ArgBuf {
 public:
  explicit ArgBuf(size_t n) : n_(n) {
    if (n > kInline) heap_.resize(n);
  }
  Value* data() { return n_ > kInline ? heap_.data() : inline_; }
  std::span<Value> span() { return {data(), n_}; }

 private:
  static constexpr size_t kInline = 4;
  Value inline_[kInline];
  std::vector<Value> heap_;
  size_t n_;
};

// A small set of pointers kept in a vector: evaluations touch few of them,
// and a linear scan beats hashing (and allocates once, if at all).
class PtrSet {
 public:
  bool Insert(const void* p) {
    for (const void* x : items_)
      if (x == p) return false;
    items_.push_back(p);
    return true;
  }
  bool Contains(const void* p) const {
    for (const void* x : items_)
      if (x == p) return true;
    return false;
  }
  void Erase(const void* p) {
    for (size_t i = items_.size(); i-- > 0;) {
      if (items_[i] == p) {
        items_.erase(items_.begin() + static_cast<std::ptrdiff_t>(i));
        return;
      }
    }
  }

 private:
  std::vector<const void*> items_;
};

// Rule documents computed in this evaluation: a vector while small, a hash
// map beyond.
class DocCache {
 public:
  const Value* Find(const DocNode* n) const {
    if (map_.empty()) {
      for (const auto& [k, v] : small_)
        if (k == n) return &v;
      return nullptr;
    }
    auto it = map_.find(n);
    return it == map_.end() ? nullptr : &it->second;
  }
  void Put(const DocNode* n, const Value& v) {
    if (map_.empty() && small_.size() < 16) {
      small_.emplace_back(n, v);
      return;
    }
    if (map_.empty())
      for (auto& [k, x] : small_) map_.emplace(k, std::move(x));
    small_.clear();
    map_[n] = v;
  }
  void Clear() {
    small_.clear();
    map_.clear();
  }

 private:
  std::vector<std::pair<const DocNode*, Value>> small_;
  std::unordered_map<const DocNode*, Value> map_;
};

class Evaluator {
 public:
  Evaluator(const CompiledPolicy& p, const EvalOptions& o) : p_(p), opts_(o) {
    state_.input = o.input;
    state_.data = p.data;
    bctx_.print = o.print;
    bctx_.allow_network = o.allow_network;
    // rand.intn and uuid.rfc4122 differ between evaluations unless a seed is given.
    static std::atomic<uint64_t> evaluations{0};
    bctx_.seed = o.seed != 0 ? o.seed
                             : static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                                   (evaluations.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ULL);
    bctx_.now_ns = o.now_ns != 0 ? o.now_ns
                                 : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count();
  }

  Result<std::vector<QueryRow>> Run(const CompiledQuery& q) {
    FrameGuard fg(frames_, q.num_slots);
    Value* frame = fg.p;
    frame_ = frame;
    query_body_ = q.body.get();
    trail_.reserve(64);
    query_values_.assign(q.body->exprs.size(), Value());
    std::vector<QueryRow> rows;
    EvalBody(*q.body, 0, [&]() {
      QueryRow row;
      for (const auto& [name, slot] : q.vars) {
        const Value& v = frame[static_cast<size_t>(slot)];
        if (v.is_defined()) row.bindings.emplace_back(name, v);
      }
      row.expressions = query_values_;
      rows.push_back(std::move(row));
      return true;
    });
    Undo(0);
    if (err_) return *err_;
    return rows;
  }

 private:
  // Everything `with` may replace, swapped as a whole.
  struct State {
    Value input;
    Value data;
    std::set<const DocNode*> masked;
    std::map<std::string, const Term*> mocks;  // function name or path -> replacement
    DocCache docs;
    Value* mock_frame = nullptr;
  };

  bool Fail(Error e) {
    if (!err_) err_ = std::move(e);
    return false;
  }
  bool FailAt(const Location& loc, const std::string& msg) { return Fail(Error::Input(loc.Short() + ": " + msg)); }

  void Bind(Value* slot, const Value& v) {
    *slot = v;
    trail_.push_back(slot);
  }
  size_t Mark() const { return trail_.size(); }
  void Undo(size_t m) {
    while (trail_.size() > m) {
      *trail_.back() = Value();
      trail_.pop_back();
    }
  }
  Value* Slot(const Term& var) { return &frame_[var.slot]; }

  // ---- bodies and expressions ----

  bool EvalBody(const Body& b, size_t i, Cont k) {
    if (i == b.exprs.size()) return k();
    return EvalExpr(b, b.exprs[i], [&]() { return EvalBody(b, i + 1, k); });
  }

  bool EvalExpr(const Body& b, const Expr& e, Cont k) {
    if (e.with.empty()) return EvalExprNeg(b, e, k);
    State outer = state_;
    State inner = state_;
    inner.docs.Clear();
    // Evaluate the replacement values in the current frame.
    for (const With& w : e.with) {
      if (!ApplyWith(w, inner)) return false;
    }
    State saved_outer = std::move(outer);
    state_ = std::move(inner);
    bool r = EvalExprNeg(b, e, [&]() {
      State in = std::move(state_);
      state_ = saved_outer;
      bool r2 = k();
      saved_outer = std::move(state_);
      state_ = std::move(in);
      return r2;
    });
    state_ = std::move(saved_outer);
    return r;
  }

  bool ApplyWith(const With& w, State& s) {
    const Term& t = w.target;
    std::string head = t.HeadName();
    std::vector<Value> path;
    if (t.kind == TermKind::kRef) {
      for (size_t i = 1; i < t.items.size(); ++i) {
        if (t.items[i].kind != TermKind::kScalar) return FailAt(w.loc, "rego_compile_error: with target must be a constant path");
        path.push_back(t.items[i].value);
      }
    }
    if (head == "input" || head == "data") {
      if (head == "data") {
        const DocNode* n = p_.Find(path);
        if (n && !n->functions.empty()) {
          s.mocks[PathText(path)] = &w.value;
          s.mock_frame = frame_;
          return true;
        }
      }
      Value v;
      bool got = false;
      bool ok = EvalTerm(w.value, [&](const Value& x) {
        v = x;
        got = true;
        return false;
      });
      if (!ok && err_) return false;
      if (!got) return FailAt(w.loc, "with value is undefined");
      if (head == "input") {
        s.input = path.empty() ? v : Upsert(s.input, path, 0, v);
      } else {
        s.data = path.empty() ? v : Upsert(s.data, path, 0, v);
        const DocNode* n = p_.Find(path);
        if (n) s.masked.insert(n);
        if (path.empty()) s.masked.insert(&p_.root);
      }
      return true;
    }
    // A built-in function replaced.
    s.mocks[t.RefText()] = &w.value;
    s.mock_frame = frame_;
    return true;
  }

  bool EvalExprNeg(const Body& b, const Expr& e, Cont k) {
    if (!e.negated) return EvalExprInner(b, e, k);
    bool found = false;
    size_t m = Mark();
    EvalExprInner(b, e, [&]() {
      found = true;
      return false;
    });
    Undo(m);
    if (err_) return false;
    if (found) return true;
    if (&b == query_body_) query_values_[static_cast<size_t>(e.index)] = Value::Bool(true);
    return k();
  }

  bool EvalExprInner(const Body& b, const Expr& e, Cont k) {
    switch (e.kind) {
      case ExprKind::kTerm: {
        const Term& t = e.terms[0];
        if (e.call_with_output) {
          size_t n = t.items.size() - 1;
          ArgBuf vals(n);
          return EvalArgs(t.items, n, 0, vals.data(), [&]() {
            return CallWith(t, vals.span(), [&](const Value& out) { return UnifyValue(t.items.back(), out, k); });
          });
        }
        if (t.kind == TermKind::kCall && t.name == "equal" && !t.builtin && !t.functions && state_.mocks.empty()) {
          // x == y as a statement: compared in place, without building
          // composite operands (both sides are bound: the compiler checked).
          return Unify(t.items[0], t.items[1], [&]() {
            if (&b == query_body_) query_values_[static_cast<size_t>(e.index)] = Value::Bool(true);
            return k();
          });
        }
        // In a query a value (data.p.allow) is reported even when false, as
        // opa eval does; elsewhere false fails the expression.
        bool report = &b == query_body_ && t.kind != TermKind::kCall && !e.negated;
        return EvalTerm(t, [&](const Value& v) {
          if (v.is_false() && !report) return true;
          if (&b == query_body_) query_values_[static_cast<size_t>(e.index)] = v;
          return k();
        });
      }
      case ExprKind::kUnify:
      case ExprKind::kAssign:
        return Unify(e.terms[0], e.terms[1], [&]() {
          if (&b == query_body_) query_values_[static_cast<size_t>(e.index)] = Value::Bool(true);
          return k();
        });
      case ExprKind::kSome: return k();
      case ExprKind::kBlock:
      case ExprKind::kOr: {
        bool found = false;
        size_t m = Mark();
        auto first = [&]() {
          found = true;
          return false;
        };
        if (e.kind == ExprKind::kBlock) {
          EvalBody(*e.body, 0, first);
        } else {
          for (const auto& br : e.branches) {
            EvalBody(*br, 0, first);
            if (found || err_) break;
          }
        }
        Undo(m);
        if (err_) return false;
        return found ? k() : true;
      }
      case ExprKind::kSomeIn: {
        const Term& coll = e.terms.back();
        const Term* key = e.terms.size() == 3 ? &e.terms[0] : nullptr;
        const Term& val = e.terms.size() == 3 ? e.terms[1] : e.terms[0];
        return EvalTerm(coll, [&](const Value& c) {
          return ForEachMember(c, [&](const Value& kv, const Value& vv) {
            if (key) return UnifyValue(*key, kv, [&]() { return UnifyValue(val, vv, k); });
            return UnifyValue(val, vv, k);
          });
        });
      }
      case ExprKind::kEvery: {
        const Term& dom = e.terms.back();
        const Term* key = e.terms.size() == 3 ? &e.terms[0] : nullptr;
        const Term& val = e.terms.size() == 3 ? e.terms[1] : e.terms[0];
        return EvalTerm(dom, [&](const Value& d) {
          if (!d.is_collection()) return true;  // not iterable: undefined
          bool all = true;
          ForEachMember(d, [&](const Value& kv, const Value& vv) {
            bool found = false;
            size_t m = Mark();
            auto body = [&]() {
              return EvalBody(*e.body, 0, [&]() {
                found = true;
                return false;
              });
            };
            if (key) {
              UnifyValue(*key, kv, [&]() { return UnifyValue(val, vv, body); });
            } else {
              UnifyValue(val, vv, body);
            }
            Undo(m);
            if (err_) return false;
            if (!found) {
              all = false;
              return false;
            }
            return true;
          });
          if (err_) return false;
          if (!all) return true;
          return k();
        });
      }
    }
    return true;
  }

  // Calls f(key, value) for each member of a collection (array: index and
  // element; object: key and value; set: element twice).
  bool ForEachMember(const Value& c, FnRef<bool(const Value&, const Value&)> f) {
    switch (c.kind()) {
      case Kind::kArray: {
        const ValueVector& a = c.array();
        for (size_t i = 0; i < a.size(); ++i)
          if (!f(Value::Int(static_cast<int64_t>(i)), a[i])) return false;
        return true;
      }
      case Kind::kObject:
        for (const auto& [k, v] : c.object())
          if (!f(k, v)) return false;
        return true;
      case Kind::kSet:
        for (const Value& v : c.set())
          if (!f(v, v)) return false;
        return true;
      default: return true;
    }
  }

  // ---- unification ----

  bool HasUnboundPattern(const Term& t) {
    switch (t.kind) {
      case TermKind::kVar: return t.slot >= 0 && Slot(t)->is_undefined();
      case TermKind::kArray:
        for (const Term& i : t.items)
          if (HasUnboundPattern(i)) return true;
        return false;
      case TermKind::kObject:
        for (size_t i = 1; i < t.items.size(); i += 2)
          if (HasUnboundPattern(t.items[i])) return true;
        return false;
      default: return false;
    }
  }

  bool Unify(const Term& a, const Term& b, Cont k) {
    bool ua = HasUnboundPattern(a);
    bool ub = HasUnboundPattern(b);
    if (ua && ub) {
      if (a.kind == TermKind::kArray && b.kind == TermKind::kArray) {
        if (a.items.size() != b.items.size()) return true;
        return UnifyPairs(a.items, b.items, 0, k);
      }
      if (a.kind == TermKind::kObject && b.kind == TermKind::kObject) {
        if (a.items.size() != b.items.size()) return true;
        // Pair the values of equal (ground) keys.
        std::vector<const Term*> la, lb;
        for (size_t i = 0; i < a.items.size(); i += 2) {
          const Term* match = nullptr;
          for (size_t j = 0; j < b.items.size(); j += 2) {
            if (a.items[i].kind == TermKind::kScalar && b.items[j].kind == TermKind::kScalar &&
                Compare(a.items[i].value, b.items[j].value) == 0)
              match = &b.items[j + 1];
          }
          if (!match) return true;
          la.push_back(&a.items[i + 1]);
          lb.push_back(match);
        }
        return UnifyPtrPairs(la, lb, 0, k);
      }
      if (a.kind == TermKind::kVar || b.kind == TermKind::kVar) {
        const Term& v = a.kind == TermKind::kVar ? a : b;
        return FailAt(v.loc, "rego_unsafe_var_error: var " + v.name + " is unsafe");
      }
      return true;
    }
    if (ua) return EvalTerm(b, [&](const Value& v) { return UnifyValue(a, v, k); });
    return EvalTerm(a, [&](const Value& v) { return UnifyValue(b, v, k); });
  }

  bool UnifyPairs(const std::vector<Term>& a, const std::vector<Term>& b, size_t i, Cont k) {
    if (i == a.size()) return k();
    return Unify(a[i], b[i], [&]() { return UnifyPairs(a, b, i + 1, k); });
  }
  bool UnifyPtrPairs(const std::vector<const Term*>& a, const std::vector<const Term*>& b, size_t i, Cont k) {
    if (i == a.size()) return k();
    return Unify(*a[i], *b[i], [&]() { return UnifyPtrPairs(a, b, i + 1, k); });
  }

  bool UnifyValue(const Term& p, const Value& v, Cont k) {
    switch (p.kind) {
      case TermKind::kScalar: return Compare(p.value, v) == 0 ? k() : true;
      case TermKind::kVar: {
        if (p.slot < 0) {
          return EvalTerm(p, [&](const Value& x) { return Compare(x, v) == 0 ? k() : true; });
        }
        Value* s = Slot(p);
        if (s->is_undefined()) {
          size_t m = Mark();
          Bind(s, v);
          bool r = k();
          Undo(m);
          return r;
        }
        return Compare(*s, v) == 0 ? k() : true;
      }
      case TermKind::kArray:
        if (!v.is_array() || v.size() != p.items.size()) return true;
        return UnifyElems(p.items, v.array(), 0, k);
      case TermKind::kObject: {
        if (!v.is_object() || v.size() * 2 != p.items.size()) return true;
        return UnifyObject(p, v, 0, k);
      }
      default: return EvalTerm(p, [&](const Value& x) { return Compare(x, v) == 0 ? k() : true; });
    }
  }

  bool UnifyElems(const std::vector<Term>& ps, const ValueVector& vs, size_t i, Cont k) {
    if (i == ps.size()) return k();
    return UnifyValue(ps[i], vs[i], [&]() { return UnifyElems(ps, vs, i + 1, k); });
  }

  bool UnifyObject(const Term& p, const Value& v, size_t i, Cont k) {
    if (i >= p.items.size()) return k();
    return EvalTerm(p.items[i], [&](const Value& key) {
      const Value* x = v.Find(key);
      if (!x) return true;
      return UnifyValue(p.items[i + 1], *x, [&]() { return UnifyObject(p, v, i + 2, k); });
    });
  }

  // ---- terms ----

  bool EvalTerm(const Term& t, VCont k) {
    switch (t.kind) {
      case TermKind::kScalar: return k(t.value);
      case TermKind::kVar: {
        if (t.slot == kInputSlot) return state_.input.is_defined() ? k(state_.input) : true;
        if (t.slot == kDataSlot) {
          Value doc;
          if (!NodeDoc(&p_.root, state_.data, &doc)) return false;
          return k(doc);
        }
        if (t.slot < 0) return FailAt(t.loc, "rego_unsafe_var_error: var " + t.name + " is unsafe");
        Value v = *Slot(t);
        if (v.is_undefined()) return FailAt(t.loc, "rego_unsafe_var_error: var " + t.name + " is unsafe");
        return k(v);
      }
      case TermKind::kRef: return EvalRef(t, k);
      case TermKind::kArray:
      case TermKind::kSet:
      case TermKind::kObject: {
        ArgBuf buf(t.items.size());
        return EvalArgs(t.items, t.items.size(), 0, buf.data(), [&]() {
          std::span<Value> vals = buf.span();
          if (t.kind == TermKind::kArray) return k(Value::Array(ValueVector(vals.begin(), vals.end())));
          if (t.kind == TermKind::kSet) return k(Value::Set(ValueVector(vals.begin(), vals.end())));
          ObjectEntries e;
          e.reserve(vals.size() / 2);
          for (size_t i = 0; i < vals.size(); i += 2) e.emplace_back(vals[i], vals[i + 1]);
          return k(Value::Object(std::move(e)));  // a repeated key keeps its last value
        });
      }
      case TermKind::kArrayCompr:
      case TermKind::kSetCompr: {
        ValueVector out;
        size_t m = Mark();
        EvalBody(*t.body, 0, [&]() {
          return EvalTerm(t.items[0], [&](const Value& v) {
            out.push_back(v);
            return true;
          });
        });
        Undo(m);
        if (err_) return false;
        return k(t.kind == TermKind::kArrayCompr ? Value::Array(std::move(out)) : Value::Set(std::move(out)));
      }
      case TermKind::kObjectCompr: {
        std::map<Value, Value, ValueLess> out;
        size_t m = Mark();
        EvalBody(*t.body, 0, [&]() {
          return EvalTerm(t.items[0], [&](const Value& key) {
            return EvalTerm(t.items[1], [&](const Value& v) {
              auto [it, inserted] = out.emplace(key, v);
              if (!inserted && Compare(it->second, v) != 0)
                return FailAt(t.loc, "eval_conflict_error: object keys must be unique");
              return true;
            });
          });
        });
        Undo(m);
        if (err_) return false;
        ObjectEntries e(out.begin(), out.end());
        return k(Value::SortedObject(std::move(e)));
      }
      case TermKind::kCall: {
        if (t.name == "print" && !t.builtin && !t.functions) {
          // print() shows undefined arguments instead of being undefined.
          ArgBuf vals(t.items.size());
          for (size_t i = 0; i < t.items.size(); ++i) {
            size_t m = Mark();
            EvalTerm(t.items[i], [&](const Value& v) {
              vals.data()[i] = v;
              return false;
            });
            Undo(m);
            if (err_) return false;
          }
          return CallWith(t, vals.span(), k);
        }
        ArgBuf vals(t.items.size());
        return EvalArgs(t.items, t.items.size(), 0, vals.data(), [&]() { return CallWith(t, vals.span(), k); });
      }
      case TermKind::kTemplate: {
        std::string out;
        for (const Term& part : t.items) {
          if (part.kind == TermKind::kScalar && part.value.is_string()) {
            out += part.value.as_string();
            continue;
          }
          std::vector<Value> vals;
          size_t m = Mark();
          EvalTerm(part, [&](const Value& v) {
            vals.push_back(v);
            return true;
          });
          Undo(m);
          if (err_) return false;
          if (vals.empty()) {
            out += "<undefined>";
          } else if (vals.size() == 1) {
            out += FormatForPrint(vals[0]);
          } else {
            return FailAt(part.loc, "eval_conflict_error: template expression produced multiple values");
          }
        }
        return k(Value::String(std::move(out)));
      }
    }
    return true;
  }

  // Evaluates args[0..n) into vals, every combination. Plain variables are
  // read after the other operands, which may bind them by iteration.
  bool EvalArgs(const std::vector<Term>& args, size_t n, size_t i, Value* vals, Cont k) {
    return EvalArgsPass(args, n, i, vals, false, k);
  }
  bool EvalArgsPass(const std::vector<Term>& args, size_t n, size_t i, Value* vals, bool vars, Cont k) {
    while (i < n && (args[i].kind == TermKind::kVar) != vars) ++i;
    if (i == n) {
      if (!vars) return EvalArgsPass(args, n, 0, vals, true, k);
      return k();
    }
    return EvalTerm(args[i], [&](const Value& v) {
      vals[i] = v;
      return EvalArgsPass(args, n, i + 1, vals, vars, k);
    });
  }

  bool EvalRef(const Term& t, VCont k) {
    const Term& head = t.items[0];
    if (head.kind == TermKind::kVar) {
      if (head.slot == kDataSlot) return EvalData(&p_.root, state_.data, t, 1, k);
      if (head.slot == kInputSlot) {
        if (state_.input.is_undefined()) return true;
        Value in = state_.input;
        return EvalPath(in, t, 1, k);
      }
      if (head.slot < 0) return FailAt(head.loc, "rego_unsafe_var_error: var " + head.name + " is unsafe");
      Value v = *Slot(head);
      if (v.is_undefined()) return FailAt(head.loc, "rego_unsafe_var_error: var " + head.name + " is unsafe");
      return EvalPath(v, t, 1, k);
    }
    return EvalTerm(head, [&](const Value& v) { return EvalPath(v, t, 1, k); });
  }

  bool EvalPath(const Value& v, const Term& ref, size_t i, VCont k) {
    if (v.is_undefined()) return true;
    if (i == ref.items.size()) return k(v);
    const Term& op = ref.items[i];
    if (op.kind == TermKind::kScalar) {
      const Value* c = v.Find(op.value);
      return c ? EvalPath(*c, ref, i + 1, k) : true;
    }
    if (op.kind == TermKind::kVar && op.slot >= 0 && Slot(op)->is_undefined()) {
      Value* s = Slot(op);
      switch (v.kind()) {
        case Kind::kArray: {
          const ValueVector& a = v.array();
          for (size_t j = 0; j < a.size(); ++j) {
            size_t m = Mark();
            Bind(s, Value::Int(static_cast<int64_t>(j)));
            bool r = EvalPath(a[j], ref, i + 1, k);
            Undo(m);
            if (!r) return false;
          }
          return true;
        }
        case Kind::kObject:
          for (const auto& [key, val] : v.object()) {
            size_t m = Mark();
            Bind(s, key);
            bool r = EvalPath(val, ref, i + 1, k);
            Undo(m);
            if (!r) return false;
          }
          return true;
        case Kind::kSet:
          for (const Value& e : v.set()) {
            size_t m = Mark();
            Bind(s, e);
            bool r = EvalPath(e, ref, i + 1, k);
            Undo(m);
            if (!r) return false;
          }
          return true;
        default: return true;
      }
    }
    if (HasUnboundPattern(op)) {
      // A pattern operand such as x[[a, b]]: match each key.
      return ForEachMember(v, [&](const Value& key, const Value& val) {
        return UnifyValue(op, v.is_set() ? val : key, [&]() { return EvalPath(val, ref, i + 1, k); });
      });
    }
    return EvalTerm(op, [&](const Value& key) {
      const Value* c = v.Find(key);
      return c ? EvalPath(*c, ref, i + 1, k) : true;
    });
  }

  // ---- the data document ----

  bool EvalData(const DocNode* n, const Value& base, const Term& ref, size_t i, VCont k) {
    if (state_.masked.count(n) || !n->rules_below) return EvalPath(base, ref, i, k);
    if (!n->rules.empty() || !n->defaults.empty() || !n->functions.empty() || i == ref.items.size()) {
      Value doc;
      if (!NodeDoc(n, base, &doc)) return false;
      return EvalPath(doc, ref, i, k);
    }
    const Term& op = ref.items[i];
    auto descend = [&](const Value& key) {
      const DocNode* c = n->Child(key);
      const Value* b = base.Find(key);
      Value cb = b ? *b : Value();
      if (c) return EvalData(c, cb, ref, i + 1, k);
      return EvalPath(cb, ref, i + 1, k);
    };
    if (op.kind == TermKind::kScalar) return descend(op.value);
    if (HasUnboundPattern(op)) {
      Value doc;
      if (!NodeDoc(n, base, &doc)) return false;
      return EvalPath(doc, ref, i, k);
    }
    return EvalTerm(op, descend);
  }

  bool NodeDoc(const DocNode* n, const Value& base, Value* out) {
    if (state_.masked.count(n) || !n->rules_below) {
      *out = base;
      return true;
    }
    if (n->const_doc.is_defined() && base.is_undefined()) {
      *out = n->const_doc;
      return true;
    }
    if (const Value* cached = state_.docs.Find(n)) {
      *out = *cached;
      return true;
    }
    if (in_progress_.Contains(n))
      return Fail(Error::Input("rego_recursion_error: rule " + PathText(n->path) + " is recursive"));
    in_progress_.Insert(n);
    Value v;
    bool ok = true;
    bool has_rules = !n->rules.empty() || !n->defaults.empty();
    if (has_rules) ok = EvalRules(n, &v);
    // A function without parameters (`f() := 1`) is part of the document, as in OPA.
    if (!has_rules && !n->functions.empty() &&
        std::all_of(n->functions.begin(), n->functions.end(), [](const Rule* r) { return r->args.empty(); })) {
      Term call;
      call.kind = TermKind::kCall;
      call.loc = n->functions[0]->loc;
      call.name = PathText(n->path);
      CallFunction(n->functions, std::span<Value>(), call, [&](const Value& x) {
        v = x;
        return false;
      });
      if (err_) ok = false;
      has_rules = v.is_defined();
    }
    if (ok && (!n->children.empty() || !has_rules) && (!has_rules || v.is_undefined() || v.is_object())) {
      bool function_only = !has_rules && !n->functions.empty();
      ObjectEntries entries;
      if (v.is_object()) entries = v.object();
      else if (!has_rules && base.is_object()) entries = base.object();
      bool any_child = false;
      for (const auto& [key, child] : n->children) {
        if (!child->rules_below) continue;
        const Value* cb = base.Find(key);
        Value cv;
        if (!NodeDoc(child.get(), cb ? *cb : Value(), &cv)) {
          ok = false;
          break;
        }
        if (cv.is_undefined()) continue;
        any_child = true;
        bool replaced = false;
        for (auto& e : entries) {
          if (Compare(e.first, key) == 0) {
            bool conflict = false;
            e.second = has_rules ? Merge(e.second, cv, &conflict, LeafDepth(n) - 1) : cv;
            if (conflict) {
              in_progress_.Erase(n);
              return Fail(Error::Input("eval_conflict_error: object keys must be unique"));
            }
            replaced = true;
          }
        }
        if (!replaced) entries.emplace_back(key, cv);
      }
      if (ok) {
        if (has_rules && v.is_undefined() && !any_child) {
          // stays undefined
        } else if (function_only && !any_child && !base.is_defined()) {
          v = Value();
        } else if (!has_rules && base.is_defined() && !base.is_object() && !any_child) {
          v = base;
        } else {
          v = Value::Object(std::move(entries));
        }
      }
    }
    // Where base data and rules define the same document, base data wins
    // (objects merge), as in OPA.
    if (ok && has_rules && base.is_defined() && v.is_defined()) {
      bool conflict = false;
      v = (v.is_object() && base.is_object()) ? Merge(base, v, &conflict) : base;
    }
    in_progress_.Erase(n);
    if (!ok) return false;
    state_.docs.Put(n, v);
    *out = v;
    return true;
  }

  // How many keys below `n` a multi-value rule's own values start (-1: not
  // such a node): `p[q].r := v` puts v two levels below p.
  int LeafDepth(const DocNode* n) const {
    if (n->kind != RuleKind::kPartialObject) return -1;
    int depth = -1;
    for (const Rule* r : n->rules) {
      if (r->set_leaf) return -1;
      size_t start = r->path.size() - p_.modules[r->module_index]->package_path.size();
      int d = static_cast<int>(r->head.size() - start);
      if (depth < 0 || d < depth) depth = d;
    }
    return depth;
  }

  // The value the rules at `n` define (undefined when none applies).
  bool EvalRules(const DocNode* n, Value* out) {
    if (++depth_ > opts_.max_depth) {
      --depth_;
      return Fail(Error::Input("rego_recursion_error: evaluation nested deeper than " +
                               std::to_string(opts_.max_depth) + " rule calls"));
    }
    bool ok = EvalRulesInner(n, out);
    --depth_;
    return ok;
  }

  bool EvalRulesInner(const DocNode* n, Value* out) {
    switch (n->kind) {
      case RuleKind::kComplete:
      case RuleKind::kFunction: {
        std::optional<Value> result;
        for (const Rule* r : Candidates(n)) {
          bool stop = false;
          EvalRuleChain(r, [&](const Rule* x, const Value& v) {
            if (!result) {
              result = v;
            } else if (Compare(*result, v) != 0) {
              return FailAt(x->loc, "eval_conflict_error: complete rules must not produce multiple outputs");
            }
            if (n->constant_value) {
              stop = true;
              return false;
            }
            // One body with a constant value needs one solution.
            return !(x->value ? x->value->kind == TermKind::kScalar : true);
          });
          if (err_) return false;
          if (stop) break;
        }
        if (!result && !n->defaults.empty()) {
          const Rule* d = n->defaults[0];
          FrameGuard fg(frames_, d->num_slots);
          Value* saved = frame_;
          frame_ = fg.p;
          size_t m = Mark();
          EvalTerm(*d->value, [&](const Value& v) {
            result = v;
            return false;
          });
          Undo(m);
          frame_ = saved;
          if (err_) return false;
        }
        if (result) *out = *result;
        return true;
      }
      case RuleKind::kPartialSet: {
        ValueVector items;
        for (const Rule* r : Candidates(n)) {
          RunRuleBody(r, [&]() {
            return EvalTerm(*r->key, [&](const Value& v) {
              items.push_back(v);
              return true;
            });
          });
          if (err_) return false;
        }
        *out = Value::Set(std::move(items));
        return true;
      }
      case RuleKind::kPartialObject: {
        ObjTree tree;
        for (const Rule* r : Candidates(n)) {
          size_t start = r->path.size() - p_.modules[r->module_index]->package_path.size();
          EvalRuleChainBodies(r, [&](const Rule* x) {
            std::vector<Value> keys;
            return EvalKeys(x->head, start, keys, [&]() {
              auto insert = [&](const Value& v) {
                ObjTree* node = &tree;
                for (size_t i = 0; i < keys.size(); ++i) {
                  if (node->leaf.is_defined()) return FailAt(x->loc, "eval_conflict_error: object keys must be unique");
                  node = &node->children[keys[i]];
                }
                if (x->set_leaf) {
                  if (node->leaf.is_defined() || (!node->children.empty()))
                    return FailAt(x->loc, "eval_conflict_error: object keys must be unique");
                  node->is_set = true;
                  node->set_items.push_back(v);
                  return true;
                }
                if (node->leaf.is_defined() || node->is_set) {
                  if (node->is_set || Compare(node->leaf, v) != 0)
                    return FailAt(x->loc, "eval_conflict_error: object keys must be unique");
                  return true;
                }
                if (!node->children.empty()) return FailAt(x->loc, "eval_conflict_error: object keys must be unique");
                node->leaf = v;
                return true;
              };
              if (x->set_leaf) return EvalTerm(*x->key, insert);
              if (!x->value) return insert(Value::Bool(true));
              return EvalTerm(*x->value, insert);
            });
          });
          if (err_) return false;
        }
        *out = tree.ToValue();
        return true;
      }
    }
    return true;
  }

  // The rules at `n` that can apply to this input (all of them unless the
  // node is indexed), in an order that keeps results deterministic.
  struct RuleRange {
    const std::vector<const Rule*>* a = nullptr;
    const std::vector<const Rule*>* b = nullptr;
    struct It {
      const RuleRange* r;
      size_t i;
      const Rule* operator*() const {
        size_t na = r->a ? r->a->size() : 0;
        return i < na ? (*r->a)[i] : (*r->b)[i - na];
      }
      It& operator++() {
        ++i;
        return *this;
      }
      bool operator!=(const It& o) const { return i != o.i; }
    };
    It begin() const { return {this, 0}; }
    It end() const { return {this, (a ? a->size() : 0) + (b ? b->size() : 0)}; }
  };
  RuleRange Candidates(const DocNode* n) {
    if (!n->indexed) return {&n->rules, nullptr};
    RuleRange r{&n->unindexed, nullptr};
    const Value* v = state_.input.is_defined() ? &state_.input : nullptr;
    for (const Value& k : n->index_path) {
      if (!v) break;
      v = v->Find(k);
    }
    if (v) {
      auto it = n->index.find(*v);
      if (it != n->index.end()) r.b = &it->second;
    }
    return r;
  }

  bool EvalKeys(const std::vector<Term>& head, size_t i, std::vector<Value>& keys, Cont k) {
    if (i == head.size()) return k();
    return EvalTerm(head[i], [&](const Value& v) {
      keys.push_back(v);
      bool r = EvalKeys(head, i + 1, keys, k);
      keys.pop_back();
      return r;
    });
  }

  // Runs a rule's body in a fresh frame; k runs once per solution.
  bool RunRuleBody(const Rule* r, Cont k) {
    const Rule* saved_rule = current_rule_;
    current_rule_ = r;
    bool res = RunRuleBodyIn(r, k);
    current_rule_ = saved_rule;
    return res;
  }
  bool RunRuleBodyIn(const Rule* r, Cont k) {
    FrameGuard fg(frames_, r->num_slots);
    Value* saved = frame_;
    frame_ = fg.p;
    size_t m = Mark();
    bool res = EvalBody(r->body, 0, k);
    Undo(m);
    frame_ = saved;
    return res;
  }

  // Each body of the else chain until one has a solution; k gets the rule
  // that produced and is called once per solution (in that rule's frame).
  bool EvalRuleChainBodies(const Rule* r, FnRef<bool(const Rule*)> k) {
    for (const Rule* x = r; x; x = x->else_rule.get()) {
      bool produced = false;
      bool cont = RunRuleBody(x, [&]() {
        produced = true;
        return k(x);
      });
      if (err_) return false;
      if (produced || !cont) return cont;
    }
    return true;
  }

  bool EvalRuleChain(const Rule* r, FnRef<bool(const Rule*, const Value&)> k) {
    return EvalRuleChainBodies(r, [&](const Rule* x) {
      if (!x->value) return k(x, Value::Bool(true));
      return EvalTerm(*x->value, [&](const Value& v) { return k(x, v); });
    });
  }

  // ---- calls ----

  bool BuiltinFail(const Term& t, const Error& e) {
    if (!opts_.strict_builtin_errors) return true;
    return FailAt(t.loc, e.message());
  }

  bool CallWith(const Term& t, std::span<Value> args, VCont k) {
    if (!state_.mocks.empty()) {
      std::string key = t.functions ? PathText(t.function_path) : t.name;
      auto it = state_.mocks.find(key);
      if (it != state_.mocks.end()) return CallMock(t, *it->second, args, k);
    }
    if (t.builtin) {
      auto r = t.builtin->fn(std::span<const Value>(args.data(), args.size()), bctx_);
      if (!r.ok()) return BuiltinFail(t, r.error());
      if (r->is_undefined()) return true;
      return k(*r);
    }
    if (t.functions) return CallFunction(*t.functions, args, t, k);
    return CallSpecial(t, args, k);
  }

  // `with f as g`: g is a function (built-in or user) or a value.
  bool CallMock(const Term& t, const Term& replacement, std::span<Value> args, VCont k) {
    std::optional<Value> result;
    auto take = [&](const Value& v) {
      result = v;
      return false;
    };
    if (replacement.kind == TermKind::kCall && replacement.items.empty() &&
        (replacement.builtin || replacement.functions || !replacement.name.empty())) {
      // The replacement runs without mocks, as in OPA: a mock never calls
      // another mock (or itself). Documents computed meanwhile are kept apart.
      Term call = replacement;
      call.loc = t.loc;
      auto saved_mocks = std::move(state_.mocks);
      state_.mocks.clear();
      DocCache saved_docs = std::move(state_.docs);
      state_.docs.Clear();
      bool ok = true;
      if (call.functions) {
        CallFunction(*call.functions, args, call, take);
      } else if (call.builtin) {
        auto res = call.builtin->fn(std::span<const Value>(args.data(), args.size()), bctx_);
        if (!res.ok()) {
          ok = BuiltinFail(t, res.error());
        } else if (res->is_defined()) {
          result = *res;
        }
      } else {
        CallSpecial(call, args, take);
      }
      state_.mocks = std::move(saved_mocks);
      state_.docs = std::move(saved_docs);
      if (!ok) return false;
    } else {
      Value* f = frame_;
      if (state_.mock_frame) frame_ = state_.mock_frame;
      EvalTerm(replacement, take);
      frame_ = f;
    }
    if (err_) return false;
    if (!result) return true;
    return k(*result);
  }

  bool CallFunction(const std::vector<const Rule*>& defs, std::span<Value> args, const Term& t, VCont k) {
    // Rego has no recursion: a function entered again from its own body is an error.
    if (!fn_in_progress_.Insert(&defs)) {
      std::string name = defs.empty() ? t.name : PathText(defs[0]->path);
      return FailAt(t.loc, "rego_recursion_error: function " + name + " is recursive");
    }
    if (++depth_ > opts_.max_depth) {
      --depth_;
      fn_in_progress_.Erase(&defs);
      return FailAt(t.loc, "rego_recursion_error: function calls nested deeper than " +
                               std::to_string(opts_.max_depth) + " (recursive function?)");
    }
    std::optional<Value> result;
    const Rule* def_rule = nullptr;
    for (const Rule* r : defs) {
      if (r->is_default) {
        def_rule = r;
        continue;
      }
      for (const Rule* x = r; x; x = x->else_rule.get()) {
        if (x->args.size() != args.size()) break;
        bool produced = false;
        FrameGuard fg(frames_, x->num_slots);
        Value* saved = frame_;
        frame_ = fg.p;
        size_t m = Mark();
        const Rule* saved_rule = current_rule_;
        current_rule_ = x;
        UnifyArgs(x->args, args, 0, [&]() {
          return EvalBody(x->body, 0, [&]() {
            produced = true;
            auto take = [&](const Value& v) {
              if (!result) {
                result = v;
              } else if (Compare(*result, v) != 0) {
                return FailAt(x->loc, "eval_conflict_error: functions must not produce multiple outputs for same inputs");
              }
              return true;
            };
            if (!x->value) return take(Value::Bool(true));
            return EvalTerm(*x->value, take);
          });
        });
        Undo(m);
        frame_ = saved;
        current_rule_ = saved_rule;
        if (err_) {
          --depth_;
          fn_in_progress_.Erase(&defs);
          return false;
        }
        if (produced) break;
      }
    }
    if (!result && def_rule && def_rule->value) {
      FrameGuard fg(frames_, def_rule->num_slots);
      Value* saved = frame_;
      frame_ = fg.p;
      size_t m = Mark();
      UnifyArgs(def_rule->args, args, 0, [&]() {
        return EvalTerm(*def_rule->value, [&](const Value& v) {
          result = v;
          return false;
        });
      });
      Undo(m);
      frame_ = saved;
    }
    --depth_;
    fn_in_progress_.Erase(&defs);
    if (err_) return false;
    if (!result) return true;
    return k(*result);
  }

  bool UnifyArgs(const std::vector<Term>& params, std::span<Value> args, size_t i, Cont k) {
    if (i == params.size()) return k();
    return UnifyValue(params[i], args[i], [&]() { return UnifyArgs(params, args, i + 1, k); });
  }

  bool CallSpecial(const Term& t, std::span<Value> a, VCont k) {
    const std::string& n = t.name;
    if (n == "equal" || n == "eq") return k(Value::Bool(Compare(a[0], a[1]) == 0));
    if (n == "neq") return k(Value::Bool(Compare(a[0], a[1]) != 0));
    if (n == "lt") return k(Value::Bool(Compare(a[0], a[1]) < 0));
    if (n == "gt") return k(Value::Bool(Compare(a[0], a[1]) > 0));
    if (n == "lte") return k(Value::Bool(Compare(a[0], a[1]) <= 0));
    if (n == "gte") return k(Value::Bool(Compare(a[0], a[1]) >= 0));
    if (n == "internal.member_2") {
      const Value& x = a[0];
      const Value& c = a[1];
      bool found = false;
      switch (c.kind()) {
        case Kind::kArray:
          for (const Value& v : c.array())
            if (Compare(v, x) == 0) found = true;
          break;
        case Kind::kSet: found = c.Find(x) != nullptr; break;
        case Kind::kObject:
          for (const auto& e : c.object())
            if (Compare(e.second, x) == 0) found = true;
          break;
        default: break;
      }
      return k(Value::Bool(found));
    }
    if (n == "internal.member_3") {
      const Value& c = a[2];
      bool found = false;
      if (c.is_array() || c.is_object()) {
        const Value* v = c.Find(a[0]);
        found = v && Compare(*v, a[1]) == 0;
      } else if (c.is_set()) {
        found = Compare(a[0], a[1]) == 0 && c.Find(a[1]) != nullptr;  // a set member is its own key
      }
      return k(Value::Bool(found));
    }
    if (n == "walk") return Walk(a[0], k);
    if (n == "print" || n == "internal.print") {
      // Arguments arrive evaluated; undefined ones were printed by the caller path.
      if (bctx_.print) {
        std::string line;
        for (size_t i = 0; i < a.size(); ++i) {
          if (i) line += " ";
          line += a[i].is_undefined() ? "<undefined>" : FormatForPrint(a[i]);
        }
        *bctx_.print << line << "\n";
      }
      return k(Value::Bool(true));
    }
    if (n == "trace") return k(Value::Bool(true));
    if (n == "opa.runtime") return k(Value::EmptyObject());
    if (n == "rego.metadata.chain") return k(MetadataChain());
    if (n == "rego.metadata.rule") {
      const Rule* r = current_rule_;
      if (r && r->annotations.is_object()) {
        const Value* scope = r->annotations.FindKey("scope");
        if (scope && scope->is_string() && scope->as_string() == "rule") return k(r->annotations);
      }
      return k(Value::EmptyObject());
    }
    return FailAt(t.loc, "rego_type_error: undefined function " + n);
  }

  static bool ScopeIs(const Value& ann, const char* scope) {
    const Value* s = ann.FindKey("scope");
    return s && s->is_string() && s->as_string() == scope;
  }

  // rego.metadata.chain(): the annotations that apply to the current rule,
  // from the rule itself up through its document and packages.
  Value MetadataChain() {
    ValueVector chain;
    const Rule* r = current_rule_;
    if (!r) return Value::EmptyArray();
    auto entry = [](const std::vector<Value>& path, const Value& ann) {
      ObjectEntries e;
      if (ann.is_defined()) e.emplace_back(Value::String("annotations"), ann);
      e.emplace_back(Value::String("path"), Value::Array(path));
      return Value::Object(std::move(e));
    };
    chain.push_back(entry(r->path, r->annotations.is_defined() && ScopeIs(r->annotations, "rule") ? r->annotations
                                                                                                   : Value()));
    if (const DocNode* n = p_.Find(r->path)) {
      for (const Rule* other : n->rules)
        if (other->annotations.is_defined() && ScopeIs(other->annotations, "document"))
          chain.push_back(entry(r->path, other->annotations));
    }
    std::vector<Value> pkg = p_.modules[r->module_index]->package_path;
    bool first = true;
    while (true) {
      for (const auto& m : p_.modules) {
        if (!m->annotations.is_defined() || m->package_path.size() != pkg.size()) continue;
        bool same = true;
        for (size_t i = 0; i < pkg.size() && same; ++i) same = Compare(m->package_path[i], pkg[i]) == 0;
        if (!same) continue;
        if (first || ScopeIs(m->annotations, "subpackages")) chain.push_back(entry(pkg, m->annotations));
      }
      if (pkg.empty()) break;
      pkg.pop_back();
      first = false;
    }
    return Value::Array(std::move(chain));
  }

  // walk(x): every [path, value] pair of x, the root first.
  bool Walk(const Value& root, VCont k) {
    ValueVector path;
    return WalkAt(root, path, k);
  }
  bool WalkAt(const Value& v, ValueVector& path, VCont k) {
    if (!k(Value::Array({Value::Array(path), v}))) return false;
    return ForEachMember(v, [&](const Value& key, const Value& val) {
      path.push_back(key);
      bool r = WalkAt(val, path, k);
      path.pop_back();
      return r;
    });
  }

  const CompiledPolicy& p_;
  const EvalOptions& opts_;
  State state_;
  BuiltinContext bctx_;
  Value* frame_ = nullptr;
  FrameStack frames_;
  std::vector<Value*> trail_;
  std::optional<Error> err_;
  PtrSet in_progress_;
  PtrSet fn_in_progress_;
  const Rule* current_rule_ = nullptr;
  int depth_ = 0;
  const Body* query_body_ = nullptr;
  std::vector<Value> query_values_;
};

}  // namespace

Result<std::vector<QueryRow>> Evaluate(const CompiledPolicy& policy, const CompiledQuery& query,
                                       const EvalOptions& options) {
  Evaluator e(policy, options);
  return e.Run(query);
}

}  // namespace custody::rego
