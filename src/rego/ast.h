// The Rego abstract syntax tree: modules, rules, bodies, expressions and
// terms, as the parser produces them and the compiler annotates them.
//
// A parsed and compiled tree is immutable and shared by every evaluation of
// the policy; nothing in it is changed while evaluating.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rego/value.h"

namespace custody::rego {

struct Location {
  std::shared_ptr<const std::string> file;  // may be null
  int line = 0;
  int col = 0;
  // "file:line" as OPA prints it in errors ("test-0.rego:3").
  std::string Short() const;
  // "file:line:col".
  std::string Full() const;
};

struct Body;
struct Rule;

enum class TermKind : uint8_t {
  kScalar,        // value
  kVar,           // name (slot after compilation)
  kRef,           // items[0] head term, items[1..] path operands
  kArray,         // items
  kObject,        // items: k0, v0, k1, v1, ...
  kSet,           // items
  kArrayCompr,    // items[0] head; body
  kSetCompr,      // items[0] head; body
  kObjectCompr,   // items[0] key, items[1] value; body
  kCall,          // name = operator ref text; items = args
  kTemplate,      // $"..." string interpolation: items alternate literal strings and expressions
};

struct Term {
  TermKind kind = TermKind::kScalar;
  Location loc;
  Value value;                 // kScalar
  std::string name;            // kVar: the name; kCall: function name (dotted)
  int slot = -1;               // kVar: frame slot once compiled (-1: not a local)
  std::vector<Term> items;
  std::shared_ptr<Body> body;  // comprehensions
  // kCall, compiled: what the name resolved to.
  const struct Builtin* builtin = nullptr;
  std::vector<const Rule*>* functions = nullptr;  // user-defined function definitions
  std::vector<Value> function_path;               // data path of a user function (for `with`)

  bool IsGround() const;  // no vars, refs, calls or comprehensions
  // Text of a ref made only of a var head and string operands: "data.a.b".
  std::string RefText() const;
  // The name of a var, or of the var a ref starts with ("input", "data", a
  // function's first name); "" for anything else.
  std::string HeadName() const;
};

struct With {
  Term target;  // a ref (input..., data..., or a function name)
  Term value;
  Location loc;
};

enum class ExprKind : uint8_t {
  kTerm,    // terms[0]
  kUnify,   // terms[0] = terms[1]
  kAssign,  // terms[0] := terms[1]
  kSome,    // some x, y: terms are the declared vars
  kSomeIn,  // some [k,] v in c: terms = {v, c} or {k, v, c}
  kEvery,   // every [k,] v in domain { body }: terms = {v, domain} or {k, v, domain}
  kBlock,   // { body } (experimental logic operators): holds when body has a solution
  kOr,      // a or b (experimental): holds once when any branch has a solution
};

struct Expr {
  ExprKind kind = ExprKind::kTerm;
  bool negated = false;
  Location loc;
  std::vector<Term> terms;
  std::vector<With> with;
  std::shared_ptr<Body> body;  // kEvery, kBlock
  std::vector<std::shared_ptr<Body>> branches;  // kOr
  // kTerm with a call whose last argument is the output (v0 `count(x, n)`).
  bool call_with_output = false;
  // Position in the body as written (before reordering), for stable errors.
  int index = 0;
};

struct Body {
  std::vector<Expr> exprs;
  Location loc;
};

enum class RuleKind : uint8_t { kComplete, kPartialSet, kPartialObject, kFunction };

struct Rule {
  Location loc;
  RuleKind kind = RuleKind::kComplete;
  // The head reference: name first, then further operands (ref heads such as
  // `a.b[x]`); the package path is not included.
  std::vector<Term> head;
  std::optional<Term> key;    // kPartialSet element
  std::optional<Term> value;  // absent: true (or the set element)
  std::vector<Term> args;     // kFunction
  bool is_default = false;
  bool assign = false;  // written with :=
  // A multi-value rule whose head has variables before `contains`
  // (`p[q].r contains s`): it builds an object whose leaves are sets.
  bool set_leaf = false;
  // METADATA annotations written above the rule (an object with "scope"), or undefined.
  Value annotations;
  Body body;
  std::unique_ptr<Rule> else_rule;  // `else` chain
  // Compiled:
  int num_slots = 0;
  std::vector<Value> path;  // full data path of the document this rule defines (constant prefix)
  size_t module_index = 0;
  bool is_else = false;
};

struct Import {
  Term path;          // a ref: data.x.y or input.x or future.keywords...
  std::string alias;  // empty: last element
  Location loc;
};

struct Module {
  std::shared_ptr<const std::string> file;
  Term package;  // ref data.a.b
  std::vector<Value> package_path;
  std::vector<Import> imports;
  std::vector<std::unique_ptr<Rule>> rules;
  // METADATA annotations written above the package, or undefined.
  Value annotations;
  bool v1 = true;
};

}  // namespace custody::rego
