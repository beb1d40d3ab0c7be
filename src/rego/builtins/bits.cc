// Built-ins of OPA's "bits" group: bits.and, bits.or, bits.xor, bits.negate,
// bits.lsh and bits.rsh on integers of any size, with Go's big.Int semantics
// (two's complement for negative numbers, arithmetic right shift).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/numbers_arith.h"

namespace custody::rego {
namespace {

using arith::Bn;

// `n` bytes of the two's complement of b, big-endian. REQUIRES: b fits.
Result<std::vector<unsigned char>> TwosComplement(const BIGNUM* b, int n) {
  std::vector<unsigned char> bytes(static_cast<size_t>(n));
  if (BN_bn2binpad(b, bytes.data(), n) != n) return Error::Internal("BN_bn2binpad failed");
  if (BN_is_negative(b)) {
    for (auto& c : bytes) c = static_cast<unsigned char>(~c);
    for (size_t i = bytes.size(); i-- > 0;) {
      if (++bytes[i] != 0) break;  // carry on while the byte wraps to zero
    }
  }
  return bytes;
}

Result<Bn> FromTwosComplement(std::vector<unsigned char> bytes) {
  bool negative = !bytes.empty() && (bytes[0] & 0x80) != 0;
  if (negative) {
    for (auto& c : bytes) c = static_cast<unsigned char>(~c);
    for (size_t i = bytes.size(); i-- > 0;) {
      if (++bytes[i] != 0) break;
    }
  }
  Bn b(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr));
  if (!b) return Error::Internal("BN_bin2bn failed");
  BN_set_negative(b.get(), negative);
  return b;
}

enum class Op { kAnd, kOr, kXor };

Result<Value> Bitwise(std::string_view name, std::span<const Value> args, Op op) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, arith::IntegerOperand(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* b, arith::IntegerOperand(name, args, 2));
  if (a->is_int() && b->is_int()) {
    int64_t x = a->as_int(), y = b->as_int();
    return Value::Int(op == Op::kAnd ? (x & y) : op == Op::kOr ? (x | y) : (x ^ y));
  }
  CUSTODY_ASSIGN_OR_RETURN(Bn x, arith::ToBn(name, *a));
  CUSTODY_ASSIGN_OR_RETURN(Bn y, arith::ToBn(name, *b));
  // One spare byte holds the sign bit of the wider operand.
  int n = std::max(BN_num_bytes(x.get()), BN_num_bytes(y.get())) + 1;
  CUSTODY_ASSIGN_OR_RETURN(auto bx, TwosComplement(x.get(), n));
  CUSTODY_ASSIGN_OR_RETURN(auto by, TwosComplement(y.get(), n));
  for (size_t i = 0; i < bx.size(); ++i) {
    bx[i] = static_cast<unsigned char>(op == Op::kAnd  ? (bx[i] & by[i])
                                       : op == Op::kOr ? (bx[i] | by[i])
                                                       : (bx[i] ^ by[i]));
  }
  CUSTODY_ASSIGN_OR_RETURN(Bn r, FromTwosComplement(std::move(bx)));
  return arith::FromBn(name, r.get());
}

Result<Value> BitsAnd(std::span<const Value> args, BuiltinContext&) {
  return Bitwise("bits.and", args, Op::kAnd);
}
Result<Value> BitsOr(std::span<const Value> args, BuiltinContext&) {
  return Bitwise("bits.or", args, Op::kOr);
}
Result<Value> BitsXor(std::span<const Value> args, BuiltinContext&) {
  return Bitwise("bits.xor", args, Op::kXor);
}

// ~a == -a - 1 in two's complement.
Result<Value> BitsNegate(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, arith::IntegerOperand("bits.negate", args, 1));
  if (a->is_int()) return Value::Int(~a->as_int());
  CUSTODY_ASSIGN_OR_RETURN(Value neg, arith::Negate("bits.negate", *a));
  return arith::Subtract("bits.negate", neg, Value::Int(1));
}

bool IsNegative(const Value& v) {
  return v.is_int() ? v.as_int() < 0 : v.is_big() ? v.big_digits()[0] == '-' : v.as_double() < 0;
}

bool IsZeroValue(const Value& v) { return v.is_int() && v.as_int() == 0; }

// The shift amount: OPA refuses negative ones.
Result<const Value*> ShiftOperand(std::string_view name, std::span<const Value> args) {
  CUSTODY_ASSIGN_OR_RETURN(const Value* s, arith::IntegerOperand(name, args, 2));
  if (IsNegative(*s))
    return OperandError(name, 2, "must be an unsigned integer number but got a negative integer");
  return s;
}

Result<Value> BitsLsh(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "bits.lsh";
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, arith::IntegerOperand(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* s, ShiftOperand(kName, args));
  if (IsZeroValue(*a)) return Value::Int(0);
  auto shift = s->to_int64();
  if (!shift || *shift > arith::kMaxIntegerBits) return arith::TooLarge(kName);
  if (a->is_int() && *shift < 63) {
    // Shifting left multiplies by 2^shift; keep int64 when that does not overflow.
    int64_t r;
    if (!__builtin_mul_overflow(a->as_int(), int64_t{1} << *shift, &r)) return Value::Int(r);
  }
  CUSTODY_ASSIGN_OR_RETURN(Bn x, arith::ToBn(kName, *a));
  if (BN_num_bits(x.get()) + *shift > arith::kMaxIntegerBits) return arith::TooLarge(kName);
  // BN_lshift keeps the sign, so a negative number is multiplied as in Go.
  if (!BN_lshift(x.get(), x.get(), static_cast<int>(*shift))) return Error::Internal("BN_lshift failed");
  return arith::FromBn(kName, x.get());
}

// Arithmetic shift: rounds towards negative infinity, as Go's big.Int.Rsh.
Result<Value> BitsRsh(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "bits.rsh";
  CUSTODY_ASSIGN_OR_RETURN(const Value* a, arith::IntegerOperand(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* s, ShiftOperand(kName, args));
  bool negative = IsNegative(*a);
  auto shift = s->to_int64();
  if (!shift || *shift > arith::kMaxIntegerBits) return Value::Int(negative ? -1 : 0);
  if (a->is_int()) return Value::Int(*shift >= 63 ? (negative ? -1 : 0) : a->as_int() >> *shift);
  CUSTODY_ASSIGN_OR_RETURN(Bn x, arith::ToBn(kName, *a));
  if (!negative) {
    if (!BN_rshift(x.get(), x.get(), static_cast<int>(*shift))) return Error::Internal("BN_rshift failed");
    return arith::FromBn(kName, x.get());
  }
  // For x < 0: x >> s == -(((-x) - 1) >> s) - 1.
  BN_set_negative(x.get(), 0);
  if (!BN_sub_word(x.get(), 1) || !BN_rshift(x.get(), x.get(), static_cast<int>(*shift)) ||
      !BN_add_word(x.get(), 1)) {
    return Error::Internal("big integer arithmetic failed");
  }
  BN_set_negative(x.get(), 1);
  return arith::FromBn(kName, x.get());
}

}  // namespace

void RegisterBits(BuiltinTable& t) {
  t.Add({"bits.and", 2, BitsAnd});
  t.Add({"bits.or", 2, BitsOr});
  t.Add({"bits.xor", 2, BitsXor});
  t.Add({"bits.negate", 1, BitsNegate});
  t.Add({"bits.lsh", 2, BitsLsh});
  t.Add({"bits.rsh", 2, BitsRsh});
}

}  // namespace custody::rego
