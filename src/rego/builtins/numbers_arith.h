// Number arithmetic shared by the numbers, aggregates and bits built-ins.
//
// OPA numbers are decimal text evaluated with Go's math/big: integers of any
// size, and floating-point arithmetic in big.Float with a 64-bit mantissa
// whose result is printed in the shortest form that reads back the same.
// Here integers stay exact (int64, and OpenSSL BIGNUM beyond it); any
// operation with a non-integer operand runs in x87 long double, which has the
// same 64-bit mantissa and round-to-nearest-even, and its result is read back
// from the shortest decimal, so 0.1 + 0.2 is 0.3 as in OPA.
#pragma once

#include <openssl/bn.h>

#include <memory>
#include <span>
#include <string_view>

#include "core/error.h"
#include "rego/value.h"

namespace custody::rego::arith {

// Exact integers are kept up to this many bits (about 4900 decimal digits,
// the range of long double); a wider operand or result is an error rather
// than an allocation, or a quadratic conversion, the caller controls.
inline constexpr int kMaxIntegerBits = 16384;

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;

struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;

// An integral number argument (OPA's BigIntOperand): "operand N must be
// integer but got T" for a non-number, "operand N must be integer number but
// got floating-point number" for a fraction. `operand` counts from 1.
Result<const Value*> IntegerOperand(std::string_view name, std::span<const Value> args, int operand);

// True for a number with an integral value: int64, big, or a double that
// happens to be integral (1e20).
bool IsIntegral(const Value& v);

// The integer as a BIGNUM. REQUIRES: IsIntegral(v). Fails (naming `name`)
// when it is wider than kMaxIntegerBits.
Result<Bn> ToBn(std::string_view name, const Value& v);
// The integer as a Value (int64 when it fits); fails when it is wider than
// kMaxIntegerBits.
Result<Value> FromBn(std::string_view name, const BIGNUM* b);
// "eval_builtin_error: NAME: integer too large (more than 16384 bits)"
Error TooLarge(std::string_view name);
Result<Bn> NewBn();
Result<BnCtx> NewBnCtx();

// REQUIRES: v.is_number(). Integers exactly when they fit in 64 bits,
// otherwise rounded; a double is read from its shortest decimal text, as OPA
// reads a number's text.
long double ToLongDouble(const Value& v);
// The result of a floating-point operation as OPA prints it: integral values
// become integers (digits beyond the 64-bit mantissa are zeros), others the
// nearest double of the shortest decimal. Fails only for infinities and NaN.
Result<Value> FromLongDouble(std::string_view name, long double x);

// The arithmetic operators. REQUIRES: both operands are numbers. `name` is
// the built-in the errors name ("plus", "sum", ...).
Result<Value> Add(std::string_view name, const Value& a, const Value& b);
Result<Value> Subtract(std::string_view name, const Value& a, const Value& b);
Result<Value> Multiply(std::string_view name, const Value& a, const Value& b);
// "divide by zero" when b is zero.
Result<Value> Divide(std::string_view name, const Value& a, const Value& b);
// Truncated remainder (sign of a); "modulo on floating-point number" unless
// both are integral, "modulo by zero" when b is zero.
Result<Value> Remainder(std::string_view name, const Value& a, const Value& b);
// -a, exact for integers.
Result<Value> Negate(std::string_view name, const Value& a);

}  // namespace custody::rego::arith
