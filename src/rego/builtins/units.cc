// Rego built-ins of OPA's "units" group: units.parse and units.parse_bytes.
//
// Both split "1.5Ki" into an amount and a unit the way OPA does, and compute
// with the arithmetic OPA uses, since results and rounding are visible:
//  - units.parse works in exact rationals (Go's big.Rat). Integral results
//    are exact integers of any size; others are rounded to ten decimal
//    places and read as a number, so units.parse("500m") is 0.5. The "m"
//    (milli) factor is the double nearest 0.001, not 1/1000, exactly as OPA
//    takes it.
//  - units.parse_bytes works in 64-bit-mantissa binary floating point (Go's
//    big.Float at its default precision), including big.Float's way of
//    scaling by powers of ten, and truncates to an integer: "1.1KiB" is 1126.
// OPA's error messages already carry the built-in's name and its evaluator
// adds it once more, so the texts read "units.parse: units.parse: ...".
#include <openssl/bn.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

constexpr std::string_view kParse = "units.parse";
constexpr std::string_view kParseBytes = "units.parse_bytes";

// OPA refuses exponents with more than this many digits ("1e1234567").
constexpr size_t kMaxExponentDigits = 6;
// Bounds of our own, far beyond any meaningful quantity, so a caller cannot
// make us build numbers with hundreds of thousands of digits (OPA would).
constexpr size_t kMaxAmountChars = 100000;
constexpr int kMaxResultDigits = 1000;
constexpr int kMaxResultBits = 3322;  // about 10^1000

// ---- OpenSSL BIGNUM with ownership ----

struct BnFree {
  void operator()(BIGNUM* b) const { BN_free(b); }
};
struct BnCtxFree {
  void operator()(BN_CTX* c) const { BN_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnFree>;
using BnCtx = std::unique_ptr<BN_CTX, BnCtxFree>;

Bn NewBn(uint64_t v = 0) {
  Bn b(BN_new());
  if (b && !BN_set_word(b.get(), v)) b.reset();
  return b;
}

Bn CopyBn(const BIGNUM* a) { return Bn(BN_dup(a)); }

std::string BnToDecimal(const BIGNUM* b) {
  char* s = BN_bn2dec(b);
  if (s == nullptr) return {};
  std::string out(s);
  OPENSSL_free(s);
  return out;
}

// ---- Splitting "10.5e3KiB" into amount and unit ----

struct Split {
  std::string_view num;
  std::string_view unit;
  bool exponent_too_large = false;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// OPA's extractNumAndUnit: the amount runs over digits, '.', '+', '-', and
// an 'e'/'E' that is followed by a digit or sign; the unit is the rest.
Split SplitAmount(std::string_view s) {
  Split out;
  size_t first_non_num = std::string_view::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (!IsDigit(c) && c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
      first_non_num = i;
      break;
    }
    if (c == 'e' || c == 'E') {
      if (i == s.size() - 1 || (!IsDigit(s[i + 1]) && s[i + 1] != '+' && s[i + 1] != '-')) {
        first_non_num = i;
        break;
      }
      if (s[i + 1] == '+' || s[i + 1] == '-') ++i;
      size_t exp_end = i + 1;
      while (exp_end < s.size() && IsDigit(s[exp_end])) ++exp_end;
      if (exp_end - (i + 1) > kMaxExponentDigits) {
        out.exponent_too_large = true;
        return out;
      }
    }
  }
  if (first_non_num == std::string_view::npos) {
    out.num = s;
  } else {
    out.num = s.substr(0, first_non_num);
    out.unit = s.substr(first_non_num);
  }
  return out;
}

// ---- Decimal text as Go's big.Rat / big.Float SetString read it ----

// sign, digits (without the point), the number of digits after the point
// and the explicit exponent. Both Go readers accept the same shapes here:
// [+-]? digits with at most one '.', at least one digit, then optionally
// [eE][+-]?digits; the amount cannot contain anything else.
struct Decimal {
  bool negative = false;
  std::string_view int_digits;
  std::string_view frac_digits;
  int64_t exponent = 0;
};

std::optional<Decimal> ParseDecimal(std::string_view s) {
  Decimal d;
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) d.negative = s[i++] == '-';
  size_t start = i;
  while (i < s.size() && IsDigit(s[i])) ++i;
  d.int_digits = s.substr(start, i - start);
  if (i < s.size() && s[i] == '.') {
    size_t f = ++i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    d.frac_digits = s.substr(f, i - f);
  }
  if (d.int_digits.empty() && d.frac_digits.empty()) return std::nullopt;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    size_t e = i;
    while (i < s.size() && IsDigit(s[i])) {
      // The splitter allows at most six exponent digits; stop growing
      // long before int64 could overflow anyway.
      if (d.exponent < (int64_t{1} << 40)) d.exponent = d.exponent * 10 + (s[i] - '0');
      ++i;
    }
    if (i == e) return std::nullopt;
    if (neg) d.exponent = -d.exponent;
  }
  if (i != s.size()) return std::nullopt;
  return d;
}

// All the digits as one integer (the mantissa before scaling).
Bn MantissaOf(const Decimal& d) {
  std::string digits(d.int_digits);
  digits += d.frac_digits;
  size_t nz = digits.find_first_not_of('0');
  if (nz == std::string::npos) return NewBn(0);
  digits.erase(0, nz);
  BIGNUM* raw = nullptr;
  if (BN_dec2bn(&raw, digits.c_str()) == 0) return nullptr;
  return Bn(raw);
}

// Number of significant decimal digits of the mantissa (0 for zero).
int64_t SignificantDigits(const Decimal& d) {
  std::string_view a = d.int_digits, b = d.frac_digits;
  size_t nz = a.find_first_not_of('0');
  if (nz != std::string_view::npos) return static_cast<int64_t>(a.size() - nz + b.size());
  nz = b.find_first_not_of('0');
  return nz == std::string_view::npos ? 0 : static_cast<int64_t>(b.size() - nz);
}

// ---- Lower-casing as Go's strings.ToLower, for the unit (error texts) ----

// ASCII, Latin-1, Greek and Cyrillic letters; invalid UTF-8 becomes U+FFFD
// as strings.Map makes it. Other scripts' capitals stay as they are.
std::string ToLowerGo(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto put = [&out](uint32_t r) {
    if (r < 0x80) {
      out += static_cast<char>(r);
    } else if (r < 0x800) {
      out += static_cast<char>(0xc0 | (r >> 6));
      out += static_cast<char>(0x80 | (r & 0x3f));
    } else if (r < 0x10000) {
      out += static_cast<char>(0xe0 | (r >> 12));
      out += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (r & 0x3f));
    } else {
      out += static_cast<char>(0xf0 | (r >> 18));
      out += static_cast<char>(0x80 | ((r >> 12) & 0x3f));
      out += static_cast<char>(0x80 | ((r >> 6) & 0x3f));
      out += static_cast<char>(0x80 | (r & 0x3f));
    }
  };
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      ++i;
      continue;
    }
    size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    uint32_t r = 0;
    bool ok = n != 0 && c <= 0xf4 && i + n <= s.size();
    if (ok) {
      r = c & (0xff >> (n + 1));
      for (size_t k = 1; k < n && ok; ++k) {
        unsigned char cc = static_cast<unsigned char>(s[i + k]);
        ok = (cc & 0xc0) == 0x80;
        r = (r << 6) | (cc & 0x3f);
      }
      ok = ok && !(n == 3 && r < 0x800) && !(n == 4 && (r < 0x10000 || r > 0x10ffff)) &&
           !(r >= 0xd800 && r <= 0xdfff);
    }
    if (!ok) {
      put(0xfffd);
      ++i;
      continue;
    }
    if ((r >= 0xc0 && r <= 0xde && r != 0xd7) || (r >= 0x391 && r <= 0x3ab && r != 0x3a2) ||
        (r >= 0x410 && r <= 0x42f)) {
      r += 32;
    } else if (r >= 0x400 && r <= 0x40f) {
      r += 80;
    }
    put(r);
    i += n;
  }
  return out;
}

// ---- units.parse: exact rationals ----

constexpr uint64_t kKilo = 1000, kMega = kKilo * 1000, kGiga = kMega * 1000, kTera = kGiga * 1000,
                   kPeta = kTera * 1000, kExa = kPeta * 1000;

// units.parse's units after its case folding of all but the first letter.
// clang-format off
constexpr std::pair<std::string_view, uint64_t> kSiUnits[] = {
    {"", 1},
    {"k", kKilo}, {"K", kKilo}, {"ki", 1ull << 10}, {"Ki", 1ull << 10},
    {"M", kMega},               {"mi", 1ull << 20}, {"Mi", 1ull << 20},
    {"g", kGiga}, {"G", kGiga}, {"gi", 1ull << 30}, {"Gi", 1ull << 30},
    {"t", kTera}, {"T", kTera}, {"ti", 1ull << 40}, {"Ti", 1ull << 40},
    {"p", kPeta}, {"P", kPeta}, {"pi", 1ull << 50}, {"Pi", 1ull << 50},
    {"e", kExa},  {"E", kExa},  {"ei", 1ull << 60}, {"Ei", 1ull << 60},
};

// units.parse_bytes's units, all lower case.
constexpr std::pair<std::string_view, uint64_t> kByteUnits[] = {
    {"", 1},
    {"kb", kKilo}, {"k", kKilo}, {"kib", 1ull << 10}, {"ki", 1ull << 10},
    {"mb", kMega}, {"m", kMega}, {"mib", 1ull << 20}, {"mi", 1ull << 20},
    {"gb", kGiga}, {"g", kGiga}, {"gib", 1ull << 30}, {"gi", 1ull << 30},
    {"tb", kTera}, {"t", kTera}, {"tib", 1ull << 40}, {"ti", 1ull << 40},
    {"pb", kPeta}, {"p", kPeta}, {"pib", 1ull << 50}, {"pi", 1ull << 50},
    {"eb", kExa},  {"e", kExa},  {"eib", 1ull << 60}, {"ei", 1ull << 60},
};
// clang-format on

Result<Value> UnitsParse(std::span<const Value> args, BuiltinContext&) {
  auto fail = [](std::string_view msg) { return BuiltinError(kParse, "units.parse: " + std::string(msg)); };
  CUSTODY_ASSIGN_OR_RETURN(std::string_view raw, StringArg(kParse, args, 1));
  // Quotes are dropped to match units.parse_bytes.
  std::string s;
  for (char c : raw)
    if (c != '"') s += c;
  if (s.find(' ') != std::string::npos) return fail("spaces not allowed in resource strings");
  Split split = SplitAmount(s);
  if (split.exponent_too_large) return fail("exponent too large");
  if (split.num.empty()) return fail("no amount provided");

  // Only the unit's tail is lower-cased, so "m" (milli) and "M" (mega) differ.
  std::string unit(split.unit);
  if (unit.size() > 1) unit = unit.substr(0, 1) + ToLowerGo(std::string_view(unit).substr(1));
  // "m" is milli here (mega is "M"); its factor is not an integer.
  bool milli = unit == "m";
  uint64_t factor = 0;
  for (const auto& [name, f] : kSiUnits)
    if (unit == name) factor = f;
  if (!milli && factor == 0) return fail("unit " + unit + " not recognized");

  if (split.num.size() > kMaxAmountChars) return fail("could not parse amount to a number");
  auto dec = ParseDecimal(split.num);
  if (!dec) return fail("could not parse amount to a number");
  int64_t digits = SignificantDigits(*dec);
  if (digits == 0) return Value::Int(0);
  // big.Rat refuses decimal exponents beyond a million (after the point).
  int64_t exp10 = dec->exponent - static_cast<int64_t>(dec->frac_digits.size());
  if (exp10 > 1000000 || exp10 < -1000000) return fail("could not parse amount to a number");
  if (digits + exp10 > kMaxResultDigits) return fail("exponent too large");
  // Below 1e-30 nothing survives the rounding to ten decimal places, even
  // times 2^60.
  if (digits + exp10 < -30) return Value::Int(0);

  BnCtx ctx(BN_CTX_new());
  Bn num = MantissaOf(*dec), den = NewBn(1), ten = NewBn(10), pow = NewBn(0), e = NewBn(0);
  if (!ctx || !num || !den || !ten || !pow || !e) return BuiltinError(kParse, "out of memory");
  if (!BN_set_word(e.get(), static_cast<uint64_t>(exp10 < 0 ? -exp10 : exp10)) ||
      !BN_exp(pow.get(), ten.get(), e.get(), ctx.get()))
    return BuiltinError(kParse, "out of memory");
  bool ok = exp10 >= 0 ? BN_mul(num.get(), num.get(), pow.get(), ctx.get())
                       : BN_copy(den.get(), pow.get()) != nullptr;
  if (milli) {
    // The double nearest 0.001 as m * 2^exp.
    int e2 = 0;
    double fr = std::frexp(0.001, &e2);
    auto m = static_cast<uint64_t>(std::ldexp(fr, 53));
    ok = ok && BN_mul_word(num.get(), m) && BN_lshift(den.get(), den.get(), 53 - e2);
  } else {
    ok = ok && BN_mul_word(num.get(), factor);
  }
  Bn quot = NewBn(0), rem = NewBn(0);
  ok = ok && quot && rem && BN_div(quot.get(), rem.get(), num.get(), den.get(), ctx.get());
  if (!ok) return BuiltinError(kParse, "out of memory");

  std::string sign = dec->negative ? "-" : "";
  if (BN_is_zero(rem.get())) return Value::BigInt(sign + BnToDecimal(quot.get()));
  // big.Rat's FloatString(10): ten decimals, halves rounded away from zero.
  Bn scale = NewBn(10000000000), frac = NewBn(0), frac_rem = NewBn(0);
  ok = scale && frac && frac_rem && BN_mul(rem.get(), rem.get(), scale.get(), ctx.get()) &&
       BN_div(frac.get(), frac_rem.get(), rem.get(), den.get(), ctx.get()) &&
       BN_lshift1(frac_rem.get(), frac_rem.get());
  if (!ok) return BuiltinError(kParse, "out of memory");
  if (BN_cmp(den.get(), frac_rem.get()) <= 0) {
    ok = BN_add_word(frac.get(), 1);
    if (ok && BN_cmp(frac.get(), scale.get()) >= 0) {
      ok = BN_add_word(quot.get(), 1) && BN_sub(frac.get(), frac.get(), scale.get());
    }
    if (!ok) return BuiltinError(kParse, "out of memory");
  }
  std::string frac_text = BnToDecimal(frac.get());
  std::string int_text = BnToDecimal(quot.get());
  Value v = Value::Number(sign + int_text + "." + std::string(10 - frac_text.size(), '0') + frac_text);
  // Beyond the range of a double OPA would still keep the decimal text; the
  // nearest we hold is the integer part (the fraction is far below any
  // precision there anyway).
  if (v.is_undefined()) return Value::BigInt(sign + int_text);
  return v;
}

// ---- units.parse_bytes: big.Float arithmetic at 64 bits ----

// A non-negative binary floating-point number mant * 2^exp with an exact
// mantissa; the operations round to a given precision as big.Float does
// (to nearest, ties to even).
struct BigFloat {
  Bn mant;
  int64_t exp = 0;
};

// Rounds `f` to `prec` significant bits; `sticky` says that non-zero bits
// were already dropped below the mantissa (an inexact quotient).
bool RoundTo(BigFloat& f, int prec, bool sticky = false) {
  int bits = BN_num_bits(f.mant.get());
  if (bits <= prec) return true;
  int shift = bits - prec;
  bool half = BN_is_bit_set(f.mant.get(), shift - 1);
  bool below = sticky;
  if (!below && shift > 1) {
    Bn low = CopyBn(f.mant.get());
    if (!low || !BN_mask_bits(low.get(), shift - 1)) return false;
    below = !BN_is_zero(low.get());
  }
  if (!BN_rshift(f.mant.get(), f.mant.get(), shift)) return false;
  f.exp += shift;
  if (half && (below || BN_is_odd(f.mant.get()))) {
    if (!BN_add_word(f.mant.get(), 1)) return false;
    if (BN_num_bits(f.mant.get()) > prec) {
      if (!BN_rshift1(f.mant.get(), f.mant.get())) return false;
      f.exp += 1;
    }
  }
  return true;
}

bool Mul(BigFloat& z, const BigFloat& x, const BigFloat& y, int prec, BN_CTX* ctx) {
  Bn m = NewBn(0);
  if (!m || !BN_mul(m.get(), x.mant.get(), y.mant.get(), ctx)) return false;
  z.mant = std::move(m);
  z.exp = x.exp + y.exp;
  return RoundTo(z, prec);
}

// Correctly rounded x / y (y non-zero): enough quotient bits for the
// rounding bit, and the remainder as the sticky bit.
bool Quo(BigFloat& z, const BigFloat& x, const BigFloat& y, int prec, BN_CTX* ctx) {
  int k = prec + 2 + BN_num_bits(y.mant.get()) - BN_num_bits(x.mant.get());
  if (k < 0) k = 0;
  Bn shifted = NewBn(0), q = NewBn(0), r = NewBn(0);
  if (!shifted || !q || !r || !BN_lshift(shifted.get(), x.mant.get(), k) ||
      !BN_div(q.get(), r.get(), shifted.get(), y.mant.get(), ctx))
    return false;
  z.mant = std::move(q);
  z.exp = x.exp - y.exp - k;
  return RoundTo(z, prec, !BN_is_zero(r.get()));
}

// big.Float's pow5 at precision `prec`: exact up to 5^27, then square-and-
// multiply with the running power kept at prec+64 bits. Its rounding is part
// of OPA's results for large decimal exponents, so it is reproduced as is.
bool Pow5(BigFloat& z, uint64_t n, int prec, BN_CTX* ctx) {
  constexpr uint64_t kTableMax = 27;
  uint64_t first = 1;
  for (uint64_t i = 0; i < (n < kTableMax ? n : kTableMax); ++i) first *= 5;
  z.mant = NewBn(first);
  z.exp = 0;
  if (!z.mant) return false;
  if (n <= kTableMax) return true;
  n -= kTableMax;
  BigFloat f{NewBn(5), 0};
  if (!f.mant) return false;
  while (n > 0) {
    if (n & 1) {
      BigFloat t;
      if (!Mul(t, z, f, prec, ctx)) return false;
      z = std::move(t);
    }
    BigFloat sq;
    if (!Mul(sq, f, f, prec + 64, ctx)) return false;
    f = std::move(sq);
    n >>= 1;
  }
  return true;
}

Result<Value> UnitsParseBytes(std::span<const Value> args, BuiltinContext&) {
  auto fail = [](std::string_view msg) {
    return BuiltinError(kParseBytes, "units.parse_bytes: " + std::string(msg));
  };
  auto oom = [] { return BuiltinError(kParseBytes, "out of memory"); };
  CUSTODY_ASSIGN_OR_RETURN(std::string_view raw, StringArg(kParseBytes, args, 1));
  std::string s;
  for (char c : ToLowerGo(raw))
    if (c != '"') s += c;
  if (s.find(' ') != std::string::npos) return fail("spaces not allowed in resource strings");
  Split split = SplitAmount(s);
  if (split.exponent_too_large) return fail("exponent too large");
  if (split.num.empty()) return fail("no byte amount provided");

  std::string_view unit = split.unit;
  uint64_t factor = 0;
  for (const auto& [name, f] : kByteUnits)
    if (unit == name) factor = f;
  if (factor == 0) return fail("byte unit " + std::string(unit) + " not recognized");

  if (split.num.size() > kMaxAmountChars) return fail("could not parse byte amount to a number");
  auto dec = ParseDecimal(split.num);
  if (!dec) return fail("could not parse byte amount to a number");
  if (SignificantDigits(*dec) == 0) return Value::Int(0);

  // SetString at 64 bits: the digits as an exact mantissa, times 2^e and
  // 5^e for the decimal exponent e, 5^|e| computed by pow5 at 128 bits.
  constexpr int kPrec = 64;
  BnCtx ctx(BN_CTX_new());
  if (!ctx) return oom();
  int64_t exp10 = dec->exponent - static_cast<int64_t>(dec->frac_digits.size());
  BigFloat z{MantissaOf(*dec), exp10};
  if (!z.mant) return oom();
  if (exp10 == 0) {
    if (!RoundTo(z, kPrec)) return oom();
  } else {
    BigFloat p, r;
    if (!Pow5(p, static_cast<uint64_t>(exp10 < 0 ? -exp10 : exp10), kPrec + 64, ctx.get())) return oom();
    if (!(exp10 < 0 ? Quo(r, z, p, kPrec, ctx.get()) : Mul(r, z, p, kPrec, ctx.get()))) return oom();
    z = std::move(r);
  }
  BigFloat unit_value{NewBn(factor), 0}, total;
  if (!unit_value.mant || !Mul(total, z, unit_value, kPrec, ctx.get())) return oom();

  // Int(): truncation toward zero.
  int bits = BN_num_bits(total.mant.get());
  if (total.exp + bits <= 0) return Value::Int(0);
  if (total.exp + bits > kMaxResultBits) return fail("exponent too large");
  bool ok = total.exp >= 0 ? BN_lshift(total.mant.get(), total.mant.get(), static_cast<int>(total.exp))
                           : BN_rshift(total.mant.get(), total.mant.get(), static_cast<int>(-total.exp));
  if (!ok) return oom();
  return Value::BigInt((dec->negative ? "-" : "") + BnToDecimal(total.mant.get()));
}

}  // namespace

void RegisterUnits(BuiltinTable& t) {
  t.Add({"units.parse", 1, UnitsParse});
  t.Add({"units.parse_bytes", 1, UnitsParseBytes});
}

}  // namespace custody::rego
