// Built-in functions: the table the compiler resolves calls against and the
// context they run in. Each OPA documentation group has its own file under
// src/rego/builtins/ with one Register* function.
//
// A built-in is a plain function from argument values to a result value. It
// returns an undefined Value for "no result" (OPA's BuiltinEmpty), or an Error
// whose message begins with the OPA error code ("eval_type_error: " or
// "eval_builtin_error: ") followed by "NAME: what went wrong", exactly as OPA
// words it (the conformance cases match on these texts). The evaluator adds the
// location; in non-strict mode it turns these errors into undefined, as OPA
// does.
//
// The table is built once and immutable afterwards; built-ins must be safe to
// call from many threads at once (each evaluation has its own
// BuiltinContext).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "rego/value.h"

namespace custody::rego {

// Per-evaluation state a built-in may use. Owned by one evaluation: not
// shared between threads.
struct BuiltinContext {
  // time.now_ns(): fixed for the whole evaluation, as in OPA.
  int64_t now_ns = 0;
  // print() output; nullptr discards.
  std::ostream* print = nullptr;
  // http.send and net.lookup_ip_addr are refused unless this is set.
  bool allow_network = false;
  // Seed for rand.intn and uuid.rfc4122 (results are cached per evaluation:
  // the same arguments give the same result within one evaluation).
  uint64_t seed = 0;
  // Memo for non-deterministic built-ins, keyed by "name" + argument JSON.
  std::unordered_map<std::string, Value> memo;
  // Scratch cache a built-in group may keep per evaluation (compiled
  // regular expressions, parsed keys), keyed by its own strings.
  std::unordered_map<std::string, std::shared_ptr<void>> cache;
};

using BuiltinFn = Result<Value> (*)(std::span<const Value> args, BuiltinContext& ctx);

struct Builtin {
  std::string_view name;
  // Number of arguments; -1 for variadic (print).
  int arity;
  BuiltinFn fn;
  // Result may differ between evaluations with the same arguments.
  bool nondeterministic = false;
};

class BuiltinTable {
 public:
  void Add(const Builtin& builtin);
  // nullptr when there is no built-in of that name.
  const Builtin* Find(std::string_view name) const;
  const std::map<std::string, Builtin, std::less<>>& all() const { return table_; }

 private:
  std::map<std::string, Builtin, std::less<>> table_;
};

// Every built-in custody has. Built on first use; immutable afterwards.
const BuiltinTable& DefaultBuiltins();

// One registration function per OPA documentation group.
void RegisterAggregates(BuiltinTable& t);
void RegisterArrays(BuiltinTable& t);
void RegisterSets(BuiltinTable& t);
void RegisterObjects(BuiltinTable& t);
void RegisterStrings(BuiltinTable& t);
void RegisterRegex(BuiltinTable& t);
void RegisterGlob(BuiltinTable& t);
void RegisterEncoding(BuiltinTable& t);
void RegisterTime(BuiltinTable& t);
void RegisterUnits(BuiltinTable& t);
void RegisterNet(BuiltinTable& t);
void RegisterSemver(BuiltinTable& t);
void RegisterUuid(BuiltinTable& t);
void RegisterGraph(BuiltinTable& t);
void RegisterCrypto(BuiltinTable& t);
void RegisterTokens(BuiltinTable& t);
void RegisterTypes(BuiltinTable& t);
void RegisterNumbers(BuiltinTable& t);
void RegisterBits(BuiltinTable& t);
void RegisterConversions(BuiltinTable& t);
void RegisterGraphql(BuiltinTable& t);
void RegisterJsonSchema(BuiltinTable& t);
void RegisterProvidersAws(BuiltinTable& t);
void RegisterHttp(BuiltinTable& t);

// ---- Errors, worded as OPA words them. ----

// "eval_type_error: NAME: operand N must be EXPECTED but got TYPE"
// (`operand` counts from 1).
Error OperandTypeError(std::string_view name, int operand, const Value& got, std::string_view expected);
// "eval_type_error: NAME: operand N must be one of {a, b, c} but got TYPE"
Error OperandTypeErrorOneOf(std::string_view name, int operand, const Value& got,
                            std::initializer_list<std::string_view> expected);
// "eval_type_error: NAME: operand N MESSAGE", for messages such as
// "must be array of strings but got array containing number".
Error OperandError(std::string_view name, int operand, std::string_view message);
// "eval_builtin_error: NAME: MESSAGE"
Error BuiltinError(std::string_view name, std::string_view message);

// Argument access: the value, or an OperandTypeError naming `name`.
// `operand` counts from 1.
Result<std::string_view> StringArg(std::string_view name, std::span<const Value> args, int operand);
Result<const Value*> NumberArg(std::string_view name, std::span<const Value> args, int operand);
// An integral number that fits in int64 ("operand N must be integer but got ...").
Result<int64_t> IntArg(std::string_view name, std::span<const Value> args, int operand);
Result<const Value*> ArrayArg(std::string_view name, std::span<const Value> args, int operand);
Result<const Value*> ObjectArg(std::string_view name, std::span<const Value> args, int operand);
Result<const Value*> SetArg(std::string_view name, std::span<const Value> args, int operand);
Result<bool> BoolArg(std::string_view name, std::span<const Value> args, int operand);

}  // namespace custody::rego
