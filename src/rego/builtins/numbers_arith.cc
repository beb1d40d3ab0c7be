// Number arithmetic shared by the numbers, aggregates and bits built-ins:
// exact integers (int64, then BIGNUM) and OPA's 64-bit-mantissa floats.
#include "rego/builtins/numbers_arith.h"

#include <openssl/crypto.h>

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "rego/builtins.h"

namespace custody::rego::arith {

// big.Float's default precision; long double is only a stand-in for it where
// the mantissas agree.
static_assert(LDBL_MANT_DIG == 64, "arithmetic expects x87 long double (64-bit mantissa)");

namespace {

// Decimal digits of a kMaxIntegerBits-wide integer, rounded up.
constexpr size_t kMaxIntegerDigits = kMaxIntegerBits * 30103 / 100000 + 2;

bool IsZero(const Value& v) { return v.is_int() && v.as_int() == 0; }

// The shortest decimal text of a double, which is what OPA would hold.
std::string ShortestText(double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

}  // namespace

bool IsIntegral(const Value& v) {
  if (!v.is_number()) return false;
  if (v.is_integer()) return true;
  double d = v.as_double();
  return std::isfinite(d) && d == std::floor(d);
}

Result<const Value*> IntegerOperand(std::string_view name, std::span<const Value> args, int operand) {
  const Value& v = args[static_cast<size_t>(operand - 1)];
  if (!v.is_number()) return OperandTypeError(name, operand, v, "integer");
  if (!IsIntegral(v))
    return OperandError(name, operand, "must be integer number but got floating-point number");
  return &v;
}

Error TooLarge(std::string_view name) {
  return BuiltinError(name, "integer too large (more than " + std::to_string(kMaxIntegerBits) + " bits)");
}

Result<Bn> NewBn() {
  Bn b(BN_new());
  if (!b) return Error::Internal("out of memory allocating a big integer");
  return b;
}

Result<BnCtx> NewBnCtx() {
  BnCtx c(BN_CTX_new());
  if (!c) return Error::Internal("out of memory allocating a big integer context");
  return c;
}

Result<Bn> ToBn(std::string_view name, const Value& v) {
  std::string digits;
  if (v.is_int()) {
    CUSTODY_ASSIGN_OR_RETURN(Bn b, NewBn());
    int64_t i = v.as_int();
    // The magnitude of INT64_MIN does not fit in int64; compute it unsigned.
    uint64_t mag = i < 0 ? ~static_cast<uint64_t>(i) + 1 : static_cast<uint64_t>(i);
    if (!BN_set_word(b.get(), mag)) return Error::Internal("BN_set_word failed");
    BN_set_negative(b.get(), i < 0);
    return b;
  }
  if (v.is_big()) {
    digits = v.big_digits();
  } else {
    // An integral double: %.0f prints it exactly.
    char buf[400];
    std::snprintf(buf, sizeof buf, "%.0f", v.as_double());
    digits = buf;
  }
  size_t magnitude = digits.size() - (!digits.empty() && digits[0] == '-' ? 1 : 0);
  if (magnitude > kMaxIntegerDigits) return TooLarge(name);
  BIGNUM* raw = nullptr;
  if (BN_dec2bn(&raw, digits.c_str()) == 0 || raw == nullptr) {
    return Error::Internal("BN_dec2bn failed on " + digits);
  }
  Bn b(raw);
  if (BN_num_bits(b.get()) > kMaxIntegerBits) return TooLarge(name);
  return b;
}

Result<Value> FromBn(std::string_view name, const BIGNUM* b) {
  int bits = BN_num_bits(b);
  if (bits > kMaxIntegerBits) return TooLarge(name);
  if (bits <= 63) {
    auto mag = static_cast<int64_t>(BN_get_word(b));
    return Value::Int(BN_is_negative(b) ? -mag : mag);
  }
  char* text = BN_bn2dec(b);
  if (text == nullptr) return Error::Internal("BN_bn2dec failed");
  Value v = Value::BigInt(text);
  OPENSSL_free(text);
  return v;
}

long double ToLongDouble(const Value& v) {
  if (v.is_int()) return static_cast<long double>(v.as_int());
  std::string text = v.is_big() ? v.big_digits() : ShortestText(v.as_double());
  long double x = 0;
  auto r = std::from_chars(text.data(), text.data() + text.size(), x);
  if (r.ec == std::errc::result_out_of_range) {
    // Only a big integer of thousands of digits gets here.
    return text[0] == '-' ? -HUGE_VALL : HUGE_VALL;
  }
  return x;
}

Result<Value> FromLongDouble(std::string_view name, long double x) {
  if (!std::isfinite(x)) return BuiltinError(name, "number out of range");
  char buf[128];
  if (x == std::trunc(x)) {
    if (std::fabs(x) < 9223372036854775808.0L) return Value::Int(static_cast<int64_t>(x));
    // Go prints an integral big.Float with its shortest digits and zeros
    // after them ("1e40" -> 1 and forty zeros), not its exact binary value.
    auto r = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::scientific);
    std::string_view s(buf, static_cast<size_t>(r.ptr - buf));
    size_t e = s.find('e');
    int exponent = 0;
    std::from_chars(s.data() + e + 1 + (s[e + 1] == '+' ? 1 : 0), s.data() + s.size(), exponent);
    std::string digits;
    for (char c : s.substr(0, e)) {
      if (c != '.') digits += c;  // keeps a leading '-'
    }
    size_t mantissa = digits.size() - (digits[0] == '-' ? 1 : 0);
    // |x| >= 2^63, so the exponent is at least 18 and covers the mantissa.
    digits.append(static_cast<size_t>(exponent) + 1 - mantissa, '0');
    return Value::BigInt(digits);
  }
  auto r = std::to_chars(buf, buf + sizeof buf, x);
  Value v = Value::Number(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
  if (v.is_defined()) return v;
  // Below the double range: the nearest double (zero or subnormal).
  v = Value::Float(static_cast<double>(x));
  if (v.is_defined()) return v;
  return BuiltinError(name, "number out of range");
}

namespace {

using BnOp = int (*)(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, BN_CTX* ctx);

int BnAdd(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, BN_CTX*) { return BN_add(r, a, b); }
int BnSub(BIGNUM* r, const BIGNUM* a, const BIGNUM* b, BN_CTX*) { return BN_sub(r, a, b); }

// a OP b on exact integers through BIGNUM.
Result<Value> BigOp(std::string_view name, const Value& a, const Value& b, BnOp op) {
  CUSTODY_ASSIGN_OR_RETURN(Bn x, ToBn(name, a));
  CUSTODY_ASSIGN_OR_RETURN(Bn y, ToBn(name, b));
  if (op == BN_mul && BN_num_bits(x.get()) + BN_num_bits(y.get()) > kMaxIntegerBits + 1)
    return TooLarge(name);
  CUSTODY_ASSIGN_OR_RETURN(Bn r, NewBn());
  CUSTODY_ASSIGN_OR_RETURN(BnCtx ctx, NewBnCtx());
  if (!op(r.get(), x.get(), y.get(), ctx.get())) return Error::Internal("big integer arithmetic failed");
  return FromBn(name, r.get());
}

}  // namespace

Result<Value> Add(std::string_view name, const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_add_overflow(a.as_int(), b.as_int(), &r)) return Value::Int(r);
  }
  if (a.is_integer() && b.is_integer()) return BigOp(name, a, b, BnAdd);
  return FromLongDouble(name, ToLongDouble(a) + ToLongDouble(b));
}

Result<Value> Subtract(std::string_view name, const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_sub_overflow(a.as_int(), b.as_int(), &r)) return Value::Int(r);
  }
  if (a.is_integer() && b.is_integer()) return BigOp(name, a, b, BnSub);
  return FromLongDouble(name, ToLongDouble(a) - ToLongDouble(b));
}

Result<Value> Multiply(std::string_view name, const Value& a, const Value& b) {
  if (a.is_int() && b.is_int()) {
    int64_t r;
    if (!__builtin_mul_overflow(a.as_int(), b.as_int(), &r)) return Value::Int(r);
  }
  if (a.is_integer() && b.is_integer()) return BigOp(name, a, b, BN_mul);
  return FromLongDouble(name, ToLongDouble(a) * ToLongDouble(b));
}

Result<Value> Negate(std::string_view name, const Value& a) {
  if (a.is_int() && a.as_int() != INT64_MIN) return Value::Int(-a.as_int());
  if (a.is_integer()) return Subtract(name, Value::Int(0), a);
  return Value::Float(-a.as_double());
}

Result<Value> Divide(std::string_view name, const Value& a, const Value& b) {
  if (IsZero(b)) return BuiltinError(name, "divide by zero");
  if (a.is_int() && b.is_int()) {
    int64_t x = a.as_int(), y = b.as_int();
    if (y == -1) return Negate(name, a);
    if (x % y == 0) return Value::Int(x / y);
  } else if (a.is_integer() && b.is_integer()) {
    // Exact when it divides evenly; otherwise the quotient is a float anyway.
    CUSTODY_ASSIGN_OR_RETURN(Bn x, ToBn(name, a));
    CUSTODY_ASSIGN_OR_RETURN(Bn y, ToBn(name, b));
    CUSTODY_ASSIGN_OR_RETURN(Bn q, NewBn());
    CUSTODY_ASSIGN_OR_RETURN(Bn r, NewBn());
    CUSTODY_ASSIGN_OR_RETURN(BnCtx ctx, NewBnCtx());
    if (!BN_div(q.get(), r.get(), x.get(), y.get(), ctx.get())) return Error::Internal("BN_div failed");
    if (BN_is_zero(r.get())) return FromBn(name, q.get());
  }
  return FromLongDouble(name, ToLongDouble(a) / ToLongDouble(b));
}

Result<Value> Remainder(std::string_view name, const Value& a, const Value& b) {
  if (!IsIntegral(a) || !IsIntegral(b)) return BuiltinError(name, "modulo on floating-point number");
  if (IsZero(b)) return BuiltinError(name, "modulo by zero");
  if (a.is_int() && b.is_int()) {
    // INT64_MIN % -1 overflows in C++; the remainder is 0 for any x % -1.
    if (b.as_int() == -1) return Value::Int(0);
    return Value::Int(a.as_int() % b.as_int());
  }
  CUSTODY_ASSIGN_OR_RETURN(Bn x, ToBn(name, a));
  CUSTODY_ASSIGN_OR_RETURN(Bn y, ToBn(name, b));
  CUSTODY_ASSIGN_OR_RETURN(Bn r, NewBn());
  CUSTODY_ASSIGN_OR_RETURN(BnCtx ctx, NewBnCtx());
  // BN_div's remainder takes the dividend's sign, as Go's big.Int.Rem does.
  if (!BN_div(nullptr, r.get(), x.get(), y.get(), ctx.get())) return Error::Internal("BN_div failed");
  return FromBn(name, r.get());
}

}  // namespace custody::rego::arith
