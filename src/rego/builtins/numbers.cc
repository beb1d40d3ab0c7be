// Built-ins of OPA's "numbers" group: the arithmetic operators (plus, minus,
// mul, div, rem; minus is also set difference), abs, ceil, floor, round,
// numbers.range, numbers.range_step and rand.intn.
#include <cmath>
#include <cstdint>
#include <string>

#include "rego/builtins.h"
#include "rego/builtins/numbers_arith.h"

namespace custody::rego {
namespace {

// numbers.range and numbers.range_step refuse to build longer arrays: OPA
// has no limit, but a caller-chosen range must not exhaust memory.
constexpr uint64_t kMaxRangeLength = 10'000'000;

using ArithFn = Result<Value> (*)(std::string_view, const Value&, const Value&);

template <ArithFn Fn>
Result<Value> Binary(std::string_view name, std::span<const Value> args) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, NumberArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, NumberArg(name, args, 2));
  return Fn(name, *a, *b);
}

Result<Value> Plus(std::span<const Value> args, BuiltinContext&) { return Binary<arith::Add>("plus", args); }
Result<Value> Mul(std::span<const Value> args, BuiltinContext&) {
  return Binary<arith::Multiply>("mul", args);
}
Result<Value> Div(std::span<const Value> args, BuiltinContext&) { return Binary<arith::Divide>("div", args); }

// Set difference, or numeric subtraction; the errors follow OPA's order of
// checks (a set minus a number complains that operand 2 is not a set).
Result<Value> Minus(std::span<const Value> args, BuiltinContext&) {
  const Value& a = args[0];
  const Value& b = args[1];
  if (a.is_number() && b.is_number()) return arith::Subtract("minus", a, b);
  if (a.is_set() && b.is_set()) {
    ValueVector out;
    for (const Value& x : a.set()) {
      if (!b.SetContains(x)) out.push_back(x);
    }
    return Value::SortedSet(std::move(out));
  }
  if (!a.is_number() && !a.is_set()) return OperandTypeErrorOneOf("minus", 1, a, {"number", "set"});
  if (b.is_number()) return OperandTypeError("minus", 2, b, "set");
  return OperandTypeError("minus", 2, b, "number");
}

Result<Value> Rem(std::span<const Value> args, BuiltinContext&) {
  if (!args[0].is_number()) return OperandTypeError("rem", 1, args[0], "number");
  if (!args[1].is_number()) return OperandTypeError("rem", 2, args[1], "number");
  return arith::Remainder("rem", args[0], args[1]);
}

Result<Value> Abs(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, NumberArg("abs", args, 1));
  if (a->is_int() || a->is_big()) {
    bool negative = a->is_int() ? a->as_int() < 0 : a->big_digits()[0] == '-';
    return negative ? arith::Negate("abs", *a) : Result<Value>(*a);
  }
  return Value::Float(std::fabs(a->as_double()));
}

// ceil, floor and round: integers are already whole; a double is rounded and
// the result is an integer, as in OPA.
double CeilOf(double x) { return std::ceil(x); }
double FloorOf(double x) { return std::floor(x); }
double RoundOf(double x) { return std::round(x); }  // halves away from zero, as OPA

template <double (*Round)(double)>
Result<Value> ToWhole(std::string_view name, std::span<const Value> args) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, NumberArg(name, args, 1));
  if (a->is_integer()) return *a;
  double r = Round(a->as_double());
  // Value::Float makes an integer of anything whole within 2^53; beyond that
  // the double was already whole and reads as OPA would print it.
  if (std::fabs(r) <= 9007199254740992.0) return Value::Float(r);
  return arith::FromLongDouble(name, arith::ToLongDouble(*a));
}

Result<Value> Ceil(std::span<const Value> args, BuiltinContext&) { return ToWhole<CeilOf>("ceil", args); }
Result<Value> Floor(std::span<const Value> args, BuiltinContext&) { return ToWhole<FloorOf>("floor", args); }
Result<Value> Round(std::span<const Value> args, BuiltinContext&) { return ToWhole<RoundOf>("round", args); }

// The integers from `from` to `to` inclusive, `step` apart, counting down when
// from > to. REQUIRES: step > 0.
Result<Value> MakeRange(std::string_view name, const Value& from, const Value& to, const Value& step) {
  auto f = from.to_int64(), t = to.to_int64(), s = step.to_int64();
  if (f && t && s) {
    // 128-bit so that ranges near the int64 limits neither overflow nor loop.
    __int128 span = *f <= *t ? static_cast<__int128>(*t) - *f : static_cast<__int128>(*f) - *t;
    __int128 count = span / *s + 1;
    if (count > static_cast<__int128>(kMaxRangeLength)) {
      return BuiltinError(name, "range has more than " + std::to_string(kMaxRangeLength) + " numbers");
    }
    ValueVector out;
    out.reserve(static_cast<size_t>(count));
    __int128 dir = *f <= *t ? *s : -static_cast<__int128>(*s);
    __int128 x = *f;
    for (__int128 i = 0; i < count; ++i, x += dir) out.push_back(Value::Int(static_cast<int64_t>(x)));
    return Value::Array(std::move(out));
  }
  // Big integers (or an integral double): count first, then step in BIGNUM.
  CUSTODY_ASSIGN_OR_RETURN(arith::Bn x, arith::ToBn(name, from));
  CUSTODY_ASSIGN_OR_RETURN(arith::Bn y, arith::ToBn(name, to));
  CUSTODY_ASSIGN_OR_RETURN(arith::Bn st, arith::ToBn(name, step));
  CUSTODY_ASSIGN_OR_RETURN(arith::Bn span, arith::NewBn());
  CUSTODY_ASSIGN_OR_RETURN(arith::Bn count, arith::NewBn());
  CUSTODY_ASSIGN_OR_RETURN(arith::BnCtx ctx, arith::NewBnCtx());
  bool up = BN_cmp(x.get(), y.get()) <= 0;
  if (!BN_sub(span.get(), up ? y.get() : x.get(), up ? x.get() : y.get()) ||
      !BN_div(count.get(), nullptr, span.get(), st.get(), ctx.get())) {
    return Error::Internal("big integer arithmetic failed");
  }
  if (BN_num_bits(count.get()) > 62 || BN_get_word(count.get()) + 1 > kMaxRangeLength) {
    return BuiltinError(name, "range has more than " + std::to_string(kMaxRangeLength) + " numbers");
  }
  uint64_t n = BN_get_word(count.get()) + 1;
  ValueVector out;
  out.reserve(n);
  for (uint64_t i = 0; i < n; ++i) {
    CUSTODY_ASSIGN_OR_RETURN(Value v, arith::FromBn(name, x.get()));
    out.push_back(std::move(v));
    if (!(up ? BN_add(x.get(), x.get(), st.get()) : BN_sub(x.get(), x.get(), st.get()))) {
      return Error::Internal("big integer arithmetic failed");
    }
  }
  return Value::Array(std::move(out));
}

Result<Value> NumbersRange(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* from, arith::IntegerOperand("numbers.range", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* to, arith::IntegerOperand("numbers.range", args, 2));
  return MakeRange("numbers.range", *from, *to, Value::Int(1));
}

Result<Value> NumbersRangeStep(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "numbers.range_step";
  CUSTODY_ASSIGN_OR_RETURN(const Value* from, arith::IntegerOperand(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* to, arith::IntegerOperand(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(const Value* st, arith::IntegerOperand(kName, args, 3));
  bool positive = st->is_int()   ? st->as_int() > 0
                  : st->is_big() ? st->big_digits()[0] != '-'
                                 : st->as_double() > 0;
  if (!positive) return BuiltinError(kName, "step must be a positive integer");
  return MakeRange(kName, *from, *to, *st);
}

// splitmix64: a small, well-mixed generator; the state is the seed combined
// with the call's key, so a result depends on nothing but (seed, key).
uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// rand.intn(str, n): a random integer in [0, |n|), the same for the same
// arguments throughout one evaluation (OPA caches it by "str-|n|").
Result<Value> RandIntn(std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view str, StringArg("rand.intn", args, 1));
  CUSTODY_ASSIGN_OR_RETURN(int64_t n, IntArg("rand.intn", args, 2));
  if (n == 0) return Value::Int(0);
  uint64_t bound = n < 0 ? ~static_cast<uint64_t>(n) + 1 : static_cast<uint64_t>(n);
  std::string key =
      "rand.intn" + Value::Array({Value::String(str), Value::String(std::to_string(bound))}).ToJson();
  auto it = ctx.memo.find(key);
  if (it != ctx.memo.end()) return it->second;
  uint64_t state = ctx.seed;
  for (unsigned char c : key) state = (state ^ c) * 0x100000001b3ULL;  // FNV-1a over the key
  // Rejection sampling: draws beyond the last whole multiple of `bound`
  // would favour small results.
  uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  uint64_t r;
  do {
    r = SplitMix(state);
  } while (r >= limit);
  Value result = Value::Int(static_cast<int64_t>(r % bound));
  ctx.memo.emplace(std::move(key), result);
  return result;
}

}  // namespace

void RegisterNumbers(BuiltinTable& t) {
  t.Add({"plus", 2, Plus});
  t.Add({"minus", 2, Minus});
  t.Add({"mul", 2, Mul});
  t.Add({"div", 2, Div});
  t.Add({"rem", 2, Rem});
  t.Add({"abs", 1, Abs});
  t.Add({"ceil", 1, Ceil});
  t.Add({"floor", 1, Floor});
  t.Add({"round", 1, Round});
  t.Add({"numbers.range", 2, NumbersRange});
  t.Add({"numbers.range_step", 3, NumbersRangeStep});
  t.Add({"rand.intn", 2, RandIntn, /*nondeterministic=*/true});
}

}  // namespace custody::rego
