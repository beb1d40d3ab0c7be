// Go's fmt.Sprintf, strconv.Quote and strconv.FormatFloat, re-implemented for
// OPA's sprintf: its output is Go's, down to the "%!d(string=x)" forms for a
// verb that does not suit its operand, so a port of Go's printer (print.go and
// format.go) is the only way to be conformant. Also the UTF-8 helpers and
// the arbitrary-size unsigned integers the string built-ins share.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "rego/builtins/strings_internal.h"

namespace custody::rego::strings_internal {

// ---- UTF-8 ----

DecodedRune DecodeRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c0 = b(0);
  if (c0 < 0x80) return {c0, 1};
  auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < s.size() && b(i) >= lo && b(i) <= hi;
  };
  if (c0 >= 0xC2 && c0 <= 0xDF) {
    if (!cont(1)) return {kRuneError, 1};
    return {static_cast<char32_t>((c0 & 0x1F) << 6 | (b(1) & 0x3F)), 2};
  }
  if (c0 >= 0xE0 && c0 <= 0xEF) {
    unsigned char lo = c0 == 0xE0 ? 0xA0 : 0x80;
    unsigned char hi = c0 == 0xED ? 0x9F : 0xBF;
    if (!cont(1, lo, hi) || !cont(2)) return {kRuneError, 1};
    return {static_cast<char32_t>((c0 & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F)), 3};
  }
  if (c0 >= 0xF0 && c0 <= 0xF4) {
    unsigned char lo = c0 == 0xF0 ? 0x90 : 0x80;
    unsigned char hi = c0 == 0xF4 ? 0x8F : 0xBF;
    if (!cont(1, lo, hi) || !cont(2) || !cont(3)) return {kRuneError, 1};
    return {
        static_cast<char32_t>((c0 & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F)),
        4};
  }
  return {kRuneError, 1};
}

void AppendRune(std::string& out, char32_t r) {
  if (r > kMaxRune || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x80) {
    out.push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (r >> 6)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (r >> 12)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (r >> 18)));
    out.push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    i += c < 0x80 ? 1 : DecodeRune(s.substr(i)).size;
    ++n;
  }
  return n;
}

std::vector<char32_t> Runes(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    DecodedRune d = DecodeRune(s.substr(i));
    out.push_back(d.rune);
    i += d.size;
  }
  return out;
}

bool IsPrint(char32_t r) {
  if (r < 0x20) return false;
  if (r < 0x7F) return true;
  if (r < 0xA1) return false;   // DEL, C1 controls, no-break space
  if (r == 0xAD) return false;  // soft hyphen
  if (r < 0x100) return true;
  if (r > kMaxRune) return false;
  if ((r & 0xFFFE) == 0xFFFE) return false;  // noncharacters U+nFFFE, U+nFFFF
  // Separators, format characters, surrogates, private use and noncharacter
  // blocks: what Go's tables leave out besides unassigned code points.
  static constexpr char32_t kNotPrint[][2] = {
      {0x0600, 0x0605},   {0x061C, 0x061C},   {0x06DD, 0x06DD},    {0x070F, 0x070F},   {0x0890, 0x0891},
      {0x08E2, 0x08E2},   {0x1680, 0x1680},   {0x180E, 0x180E},    {0x2000, 0x200F},   {0x2028, 0x202F},
      {0x205F, 0x206F},   {0x3000, 0x3000},   {0xD800, 0xF8FF},    {0xFDD0, 0xFDEF},   {0xFEFF, 0xFEFF},
      {0xFFF0, 0xFFFB},   {0x110BD, 0x110BD}, {0x110CD, 0x110CD},  {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3},
      {0x1D173, 0x1D17A}, {0x323B0, 0xE00FF}, {0xE01F0, 0x10FFFF},
  };
  for (const auto& range : kNotPrint) {
    if (r < range[0]) return true;
    if (r <= range[1]) return false;
  }
  return true;
}

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

void AppendEscapedRune(std::string& out, char32_t r, char quote, bool ascii_only) {
  if (r == static_cast<char32_t>(quote) || r == '\\') {
    out.push_back('\\');
    out.push_back(static_cast<char>(r));
    return;
  }
  if (ascii_only ? (r < 0x80 && IsPrint(r)) : IsPrint(r)) {
    AppendRune(out, r);
    return;
  }
  switch (r) {
    case '\a': out += "\\a"; return;
    case '\b': out += "\\b"; return;
    case '\f': out += "\\f"; return;
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    case '\v': out += "\\v"; return;
    default: break;
  }
  if (r < ' ' || r == 0x7F) {
    out += "\\x";
    out.push_back(kLowerHex[(r >> 4) & 0xF]);
    out.push_back(kLowerHex[r & 0xF]);
    return;
  }
  if (r > kMaxRune || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  if (r < 0x10000) {
    out += "\\u";
    for (int s = 12; s >= 0; s -= 4) out.push_back(kLowerHex[(r >> s) & 0xF]);
  } else {
    out += "\\U";
    for (int s = 28; s >= 0; s -= 4) out.push_back(kLowerHex[(r >> s) & 0xF]);
  }
}

}  // namespace

std::string GoQuote(std::string_view s, bool ascii_only) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    DecodedRune d = DecodeRune(s.substr(i));
    if (d.size == 1 && d.rune == kRuneError) {
      // A byte that is not UTF-8 is shown as itself.
      unsigned char c = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out.push_back(kLowerHex[c >> 4]);
      out.push_back(kLowerHex[c & 0xF]);
    } else {
      AppendEscapedRune(out, d.rune, '"', ascii_only);
    }
    i += d.size;
  }
  out.push_back('"');
  return out;
}

std::string GoQuoteRune(char32_t r, bool ascii_only) {
  if (r > kMaxRune || (r >= 0xD800 && r <= 0xDFFF)) r = kRuneError;
  std::string out = "'";
  AppendEscapedRune(out, r, '\'', ascii_only);
  out.push_back('\'');
  return out;
}

// ---- Arbitrary-size unsigned integers ----

void BigUint::Trim() {
  while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
}

BigUint BigUint::FromU64(uint64_t v) {
  BigUint b;
  while (v != 0) {
    b.limbs_.push_back(static_cast<uint32_t>(v));
    v >>= 32;
  }
  return b;
}

BigUint BigUint::FromDecimal(std::string_view digits) {
  BigUint b;
  auto mul_add = [&](uint32_t mul, uint32_t add) {
    uint64_t carry = add;
    for (uint32_t& limb : b.limbs_) {
      uint64_t x = static_cast<uint64_t>(limb) * mul + carry;
      limb = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    if (carry != 0) b.limbs_.push_back(static_cast<uint32_t>(carry));
  };
  size_t i = 0;
  while (i < digits.size()) {
    size_t n = std::min<size_t>(9, digits.size() - i);
    uint32_t chunk = 0, mul = 1;
    for (size_t k = 0; k < n; ++k) {
      chunk = chunk * 10 + static_cast<uint32_t>(digits[i + k] - '0');
      mul *= 10;
    }
    mul_add(mul, chunk);
    i += n;
  }
  b.Trim();
  return b;
}

BigUint BigUint::FromDouble(double magnitude) {
  double x = std::floor(std::fabs(magnitude));
  if (!std::isfinite(x)) return BigUint();
  if (x < 18446744073709551616.0) return FromU64(static_cast<uint64_t>(x));
  int exp = 0;
  double frac = std::frexp(x, &exp);  // x = frac * 2^exp, frac in [0.5, 1)
  uint64_t mant = static_cast<uint64_t>(std::ldexp(frac, 53));
  int shift = exp - 53;
  BigUint b = FromU64(mant);
  // Shift left by `shift` bits.
  size_t words = static_cast<size_t>(shift) / 32;
  unsigned bits = static_cast<unsigned>(shift) % 32;
  std::vector<uint32_t> out(words, 0);
  uint32_t carry = 0;
  for (uint32_t limb : b.limbs_) {
    out.push_back(bits == 0 ? limb : (limb << bits) | carry);
    carry = bits == 0 ? 0 : limb >> (32 - bits);
  }
  if (carry != 0) out.push_back(carry);
  b.limbs_ = std::move(out);
  b.Trim();
  return b;
}

size_t BigUint::BitLength() const {
  if (limbs_.empty()) return 0;
  uint32_t top = limbs_.back();
  size_t n = 0;
  while (top != 0) {
    ++n;
    top >>= 1;
  }
  return (limbs_.size() - 1) * 32 + n;
}

void BigUint::RoundToBits(size_t bits) {
  size_t len = BitLength();
  if (len <= bits || bits == 0) return;
  size_t drop = len - bits;
  auto bit = [&](size_t i) { return (limbs_[i / 32] >> (i % 32)) & 1; };
  bool half = bit(drop - 1) != 0;
  bool sticky = false;
  for (size_t i = 0; i + 1 < drop && !sticky; ++i) sticky = bit(i) != 0;
  bool odd = bit(drop) != 0;
  // Clear the dropped bits.
  for (size_t i = 0; i < drop; ++i) limbs_[i / 32] &= ~(uint32_t{1} << (i % 32));
  if (half && (sticky || odd)) {
    // Add 1 << drop.
    size_t w = drop / 32;
    uint64_t carry = uint64_t{1} << (drop % 32);
    for (; w < limbs_.size() && carry != 0; ++w) {
      uint64_t x = static_cast<uint64_t>(limbs_[w]) + carry;
      limbs_[w] = static_cast<uint32_t>(x);
      carry = x >> 32;
    }
    if (carry != 0) limbs_.push_back(static_cast<uint32_t>(carry));
  }
  Trim();
}

std::string BigUint::ToString(int base, bool upper) const {
  if (limbs_.empty()) return "0";
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  if (base == 10) {
    std::vector<uint32_t> n = limbs_;
    while (!n.empty()) {
      uint64_t rem = 0;
      for (size_t i = n.size(); i-- > 0;) {
        uint64_t cur = (rem << 32) | n[i];
        n[i] = static_cast<uint32_t>(cur / 1000000000u);
        rem = cur % 1000000000u;
      }
      while (!n.empty() && n.back() == 0) n.pop_back();
      for (int k = 0; k < 9; ++k) {
        out.push_back(static_cast<char>('0' + rem % 10));
        rem /= 10;
        if (n.empty() && rem == 0) break;
      }
    }
  } else {
    unsigned per = base == 2 ? 1 : (base == 8 ? 3 : 4);
    size_t len = BitLength();
    for (size_t pos = 0; pos < len; pos += per) {
      unsigned v = 0;
      for (unsigned k = 0; k < per && pos + k < len; ++k) {
        size_t i = pos + k;
        v |= ((limbs_[i / 32] >> (i % 32)) & 1u) << k;
      }
      out.push_back(digits[v]);
    }
  }
  while (out.size() > 1 && out.back() == '0') out.pop_back();
  std::reverse(out.begin(), out.end());
  return out;
}

// ---- strconv.FormatFloat ----

namespace {

// Decimal digits of a non-negative double, trailing zeros removed; the value
// is 0.d1d2d3... * 10^dp. Zero has no digits.
struct Digits {
  std::string d;
  int dp = 0;
};

Digits ParseScientific(std::string_view text) {
  Digits out;
  size_t e = text.find_first_of("eE");
  for (size_t i = 0; i < e; ++i)
    if (text[i] >= '0' && text[i] <= '9') out.d.push_back(text[i]);
  int exp = 0;
  std::string_view es = text.substr(e + 1);
  if (!es.empty() && es[0] == '+') es.remove_prefix(1);
  std::from_chars(es.data(), es.data() + es.size(), exp);
  while (!out.d.empty() && out.d.back() == '0') out.d.pop_back();
  size_t lead = 0;
  while (lead < out.d.size() && out.d[lead] == '0') ++lead;
  out.d.erase(0, lead);
  if (out.d.empty()) return Digits{};
  out.dp = exp + 1;
  return out;
}

Digits ShortestDigits(double a) {
  if (a == 0) return Digits{};
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, a, std::chars_format::scientific);
  return ParseScientific(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
}

// `n` significant digits, correctly rounded (half to even on exact ties, as
// Go's decimal rounding).
Digits FixedDigits(double a, int n) {
  if (a == 0) return Digits{};
  int len = std::snprintf(nullptr, 0, "%.*e", n - 1, a);
  std::string buf(static_cast<size_t>(len) + 1, '\0');
  std::snprintf(buf.data(), buf.size(), "%.*e", n - 1, a);
  buf.resize(static_cast<size_t>(len));
  return ParseScientific(buf);
}

std::string FmtE(bool neg, const Digits& digs, int prec, char fmt) {
  std::string out;
  if (neg) out.push_back('-');
  out.push_back(digs.d.empty() ? '0' : digs.d[0]);
  int nd = static_cast<int>(digs.d.size());
  if (prec > 0) {
    out.push_back('.');
    int i = 1;
    int m = std::min(nd, prec + 1);
    if (i < m) {
      out.append(digs.d, static_cast<size_t>(i), static_cast<size_t>(m - i));
      i = m;
    }
    for (; i <= prec; ++i) out.push_back('0');
  }
  out.push_back(fmt);
  int exp = digs.d.empty() ? 0 : digs.dp - 1;
  if (exp < 0) {
    out.push_back('-');
    exp = -exp;
  } else {
    out.push_back('+');
  }
  if (exp < 10) {
    out.push_back('0');
    out.push_back(static_cast<char>('0' + exp));
  } else if (exp < 100) {
    out.push_back(static_cast<char>('0' + exp / 10));
    out.push_back(static_cast<char>('0' + exp % 10));
  } else {
    out.push_back(static_cast<char>('0' + exp / 100));
    out.push_back(static_cast<char>('0' + (exp / 10) % 10));
    out.push_back(static_cast<char>('0' + exp % 10));
  }
  return out;
}

std::string FmtF(bool neg, const Digits& digs, int prec) {
  std::string out;
  if (neg) out.push_back('-');
  int nd = static_cast<int>(digs.d.size());
  if (digs.dp > 0) {
    int m = std::min(nd, digs.dp);
    out.append(digs.d, 0, static_cast<size_t>(m));
    for (; m < digs.dp; ++m) out.push_back('0');
  } else {
    out.push_back('0');
  }
  if (prec > 0) {
    out.push_back('.');
    for (int i = 1; i <= prec; ++i) {
      int j = digs.dp + i - 1;
      out.push_back(j >= 0 && j < nd ? digs.d[static_cast<size_t>(j)] : '0');
    }
  }
  return out;
}

void DecomposeDouble(double v, uint64_t* mant, int* exp) {
  uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  int e = static_cast<int>((bits >> 52) & 0x7FF);
  uint64_t m = bits & ((uint64_t{1} << 52) - 1);
  if (e == 0) {
    ++e;  // denormal
  } else {
    m |= uint64_t{1} << 52;
  }
  *mant = m;
  *exp = e - 1023;
}

// %b: mantissa "p" binary exponent, e.g. 4503599627370496p-52.
std::string FmtB(bool neg, uint64_t mant, int exp) {
  std::string out = neg ? "-" : "";
  out += std::to_string(mant);
  out.push_back('p');
  exp -= 52;
  if (exp >= 0) out.push_back('+');
  out += std::to_string(exp);
  return out;
}

// %x: -0x1.yyyyp+dd.
std::string FmtX(int prec, char fmt, bool neg, uint64_t mant, int exp) {
  if (mant == 0) exp = 0;
  mant <<= 60 - 52;
  while (mant != 0 && (mant & (uint64_t{1} << 60)) == 0) {
    mant <<= 1;
    --exp;
  }
  if (prec >= 0 && prec < 15) {
    unsigned shift = static_cast<unsigned>(prec * 4);
    uint64_t extra = (mant << shift) & ((uint64_t{1} << 60) - 1);
    mant >>= 60 - shift;
    if ((extra | (mant & 1)) > (uint64_t{1} << 59)) ++mant;
    mant <<= 60 - shift;
    if ((mant & (uint64_t{1} << 61)) != 0) {
      mant >>= 1;
      ++exp;
    }
  }
  const char* hex = fmt == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out = neg ? "-" : "";
  out.push_back('0');
  out.push_back(fmt);
  out.push_back(static_cast<char>('0' + ((mant >> 60) & 1)));
  mant <<= 4;
  if (prec < 0 && mant != 0) {
    out.push_back('.');
    while (mant != 0) {
      out.push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  } else if (prec > 0) {
    out.push_back('.');
    for (int i = 0; i < prec; ++i) {
      out.push_back(hex[(mant >> 60) & 15]);
      mant <<= 4;
    }
  }
  out.push_back(fmt == 'X' ? 'P' : 'p');
  if (exp < 0) {
    out.push_back('-');
    exp = -exp;
  } else {
    out.push_back('+');
  }
  if (exp < 10) out.push_back('0');
  out += std::to_string(exp);
  return out;
}

}  // namespace

std::string FormatFloat(double v, char fmt, int prec) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  bool neg = std::signbit(v);
  uint64_t mant = 0;
  int exp = 0;
  DecomposeDouble(v, &mant, &exp);
  if (fmt == 'b') return FmtB(neg, mant, exp);
  if (fmt == 'x' || fmt == 'X') return FmtX(prec, fmt, neg, mant, exp);
  double a = std::fabs(v);
  bool shortest = prec < 0;
  Digits digs;
  if (shortest) {
    digs = ShortestDigits(a);
    int nd = static_cast<int>(digs.d.size());
    switch (fmt) {
      case 'e':
      case 'E': prec = std::max(nd - 1, 0); break;
      case 'f': prec = std::max(nd - digs.dp, 0); break;
      default: prec = nd; break;  // g, G
    }
  } else if (fmt == 'f') {
    int len = std::snprintf(nullptr, 0, "%.*f", prec, v);
    std::string buf(static_cast<size_t>(len) + 1, '\0');
    std::snprintf(buf.data(), buf.size(), "%.*f", prec, v);
    buf.resize(static_cast<size_t>(len));
    return buf;
  } else if (fmt == 'e' || fmt == 'E') {
    digs = FixedDigits(a, prec + 1);
  } else {
    if (prec == 0) prec = 1;
    digs = FixedDigits(a, prec);
  }
  int nd = static_cast<int>(digs.d.size());
  switch (fmt) {
    case 'e':
    case 'E': return FmtE(neg, digs, prec, fmt);
    case 'f': return FmtF(neg, digs, prec);
    default: {  // g, G
      int eprec = prec;
      if (eprec > nd && nd >= digs.dp) eprec = nd;
      // %e is used if the exponent from the conversion is less than -4 or
      // greater than or equal to the precision; shortest uses 6 for this.
      if (shortest) eprec = 6;
      int x = digs.dp - 1;
      if (x < -4 || x >= eprec) {
        if (prec > nd) prec = nd;
        return FmtE(neg, digs, prec - 1, fmt == 'G' ? 'E' : 'e');
      }
      if (prec > digs.dp) prec = nd;
      return FmtF(neg, digs, std::max(prec - digs.dp, 0));
    }
  }
}

// ---- fmt ----

FmtArg FmtArg::Int(int64_t v) {
  FmtArg a;
  a.kind = Kind::kInt;
  a.i = v;
  return a;
}
FmtArg FmtArg::Big(std::string digits) {
  FmtArg a;
  a.kind = Kind::kBig;
  a.s = std::move(digits);
  return a;
}
FmtArg FmtArg::Float(double v) {
  FmtArg a;
  a.kind = Kind::kFloat;
  a.d = v;
  return a;
}
FmtArg FmtArg::Str(std::string v, std::string type) {
  FmtArg a;
  a.kind = Kind::kString;
  a.s = std::move(v);
  a.type_name = std::move(type);
  return a;
}
FmtArg FmtArg::Bool(bool v) {
  FmtArg a;
  a.kind = Kind::kBool;
  a.i = v ? 1 : 0;
  return a;
}
FmtArg FmtArg::Nil() { return FmtArg(); }
FmtArg FmtArg::Other(std::string text, std::string type) {
  FmtArg a;
  a.kind = Kind::kOther;
  a.s = std::move(text);
  a.type_name = std::move(type);
  return a;
}

FmtArg SprintfArg(const Value& v) {
  if (v.is_number()) {
    if (v.is_int()) return FmtArg::Int(v.as_int());
    if (v.is_big()) return FmtArg::Big(v.big_digits());
    return FmtArg::Float(v.as_double());
  }
  if (v.is_string()) return FmtArg::Str(v.as_string());
  return FmtArg::Str(v.ToRego());
}

namespace {

std::string TypeName(const FmtArg& a) {
  if (!a.type_name.empty()) return a.type_name;
  switch (a.kind) {
    case FmtArg::Kind::kInt: return "int";
    case FmtArg::Kind::kBig: return "*big.Int";
    case FmtArg::Kind::kFloat: return "float64";
    case FmtArg::Kind::kString: return "string";
    case FmtArg::Kind::kBool: return "bool";
    case FmtArg::Kind::kNil: return "<nil>";
    case FmtArg::Kind::kOther: return "interface {}";
  }
  return "";
}

// Go's width and precision limit: larger numbers are not numbers.
bool TooLarge(int64_t x) { return x > 1000000 || x < -1000000; }

// A port of Go's pp and fmt types (fmt/print.go, fmt/format.go).
class Printer {
 public:
  explicit Printer(size_t limit) : limit_(limit) {}

  void DoPrintf(std::string_view format, std::span<const FmtArg> a);
  void DoPrint(std::span<const FmtArg> a, bool newline);
  std::string buf;
  bool overflow = false;

 private:
  struct Flags {
    bool wid_present = false, prec_present = false, minus = false, plus = false, sharp = false, space = false,
         zero = false, plus_v = false, sharp_v = false;
    int wid = 0, prec = 0;
  };

  // fmt/format.go
  void WritePadding(int n);
  void Pad(std::string_view s);
  void FmtBoolean(bool v) { Pad(v ? "true" : "false"); }
  void FmtUnicode(uint64_t u);
  void FmtInteger(uint64_t u, int base, bool is_signed, char32_t verb, bool upper);
  std::string_view TruncateString(std::string_view s) const;
  void FmtS(std::string_view s) { Pad(TruncateString(s)); }
  void FmtSbx(std::string_view s, bool upper);
  void FmtQ(std::string_view s);
  void FmtC(uint64_t c);
  void FmtQc(uint64_t c);
  void FmtFloat(double v, char32_t verb, int prec);

  // fmt/print.go
  void BadVerb(char32_t verb, const FmtArg& arg);
  void FmtIntegerVerb(uint64_t v, bool is_signed, char32_t verb, const FmtArg& arg);
  void FmtFloatVerb(double v, char32_t verb, const FmtArg& arg);
  void FmtStringVerb(std::string_view v, char32_t verb, const FmtArg& arg);
  void FmtBigInt(const std::string& digits, char32_t verb);
  void PrintArg(const FmtArg& arg, char32_t verb);
  void ArgNumber(int* arg_num, std::string_view format, size_t* i, int num_args, bool* found);
  void ClearFlags() { f_ = Flags(); }

  Flags f_;
  size_t limit_;
  bool reordered_ = false;
  bool good_arg_num_ = true;
  bool erroring_ = false;
};

void Printer::WritePadding(int n) {
  if (n <= 0) return;
  buf.append(static_cast<size_t>(n), f_.zero && !f_.minus ? '0' : ' ');
}

void Printer::Pad(std::string_view s) {
  if (!f_.wid_present || f_.wid == 0) {
    buf.append(s);
    return;
  }
  int width = f_.wid - static_cast<int>(RuneCount(s));
  if (!f_.minus) {
    WritePadding(width);
    buf.append(s);
  } else {
    buf.append(s);
    WritePadding(width);
  }
}

void Printer::FmtUnicode(uint64_t u) {
  int prec = 4;
  if (f_.prec_present && f_.prec > 4) prec = f_.prec;
  std::string hex;
  uint64_t x = u;
  do {
    hex.push_back("0123456789ABCDEF"[x & 0xF]);
    x >>= 4;
  } while (x != 0);
  while (static_cast<int>(hex.size()) < prec) hex.push_back('0');
  std::reverse(hex.begin(), hex.end());
  std::string out = "U+" + hex;
  if (f_.sharp && u <= kMaxRune && IsPrint(static_cast<char32_t>(u))) {
    out += " '";
    AppendRune(out, static_cast<char32_t>(u));
    out += "'";
  }
  bool old_zero = f_.zero;
  f_.zero = false;
  Pad(out);
  f_.zero = old_zero;
}

void Printer::FmtInteger(uint64_t u, int base, bool is_signed, char32_t verb, bool upper) {
  bool negative = is_signed && static_cast<int64_t>(u) < 0;
  if (negative) u = ~u + 1;
  const char* digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
  int prec = 0;
  if (f_.prec_present) {
    prec = f_.prec;
    // Precision 0 and value 0 print nothing but padding.
    if (prec == 0 && u == 0) {
      bool old_zero = f_.zero;
      f_.zero = false;
      WritePadding(f_.wid);
      f_.zero = old_zero;
      return;
    }
  } else if (f_.zero && !f_.minus && f_.wid_present) {
    prec = f_.wid;
    if (negative || f_.plus || f_.space) --prec;  // room for the sign
  }
  std::string rev;  // digits, least significant first
  switch (base) {
    case 10:
      while (u >= 10) {
        rev.push_back(static_cast<char>('0' + u % 10));
        u /= 10;
      }
      break;
    case 16:
      while (u >= 16) {
        rev.push_back(digits[u & 0xF]);
        u >>= 4;
      }
      break;
    case 8:
      while (u >= 8) {
        rev.push_back(static_cast<char>('0' + (u & 7)));
        u >>= 3;
      }
      break;
    case 2:
      while (u >= 2) {
        rev.push_back(static_cast<char>('0' + (u & 1)));
        u >>= 1;
      }
      break;
    default: break;
  }
  rev.push_back(digits[u]);
  while (static_cast<int>(rev.size()) < prec) rev.push_back('0');
  if (f_.sharp) {
    switch (base) {
      case 2: rev += "b0"; break;
      case 8:
        if (rev.back() != '0') rev.push_back('0');
        break;
      case 16:
        rev.push_back(digits[16]);
        rev.push_back('0');
        break;
      default: break;
    }
  }
  if (verb == 'O') rev += "o0";
  if (negative) {
    rev.push_back('-');
  } else if (f_.plus) {
    rev.push_back('+');
  } else if (f_.space) {
    rev.push_back(' ');
  }
  std::reverse(rev.begin(), rev.end());
  // Zero padding was done above as precision (or is off because of one).
  bool old_zero = f_.zero;
  f_.zero = false;
  Pad(rev);
  f_.zero = old_zero;
}

std::string_view Printer::TruncateString(std::string_view s) const {
  if (f_.prec_present) {
    int n = f_.prec;
    for (size_t i = 0; i < s.size();) {
      if (--n < 0) return s.substr(0, i);
      i += DecodeRune(s.substr(i)).size;
    }
  }
  return s;
}

void Printer::FmtSbx(std::string_view s, bool upper) {
  const char* digits = upper ? "0123456789ABCDEFX" : "0123456789abcdefx";
  int length = static_cast<int>(s.size());
  if (f_.prec_present && f_.prec < length) length = f_.prec;
  int width = 2 * length;
  if (width > 0) {
    if (f_.space) {
      if (f_.sharp) width *= 2;
      width += length - 1;
    } else if (f_.sharp) {
      width += 2;
    }
  } else {
    if (f_.wid_present) WritePadding(f_.wid);
    return;
  }
  if (f_.wid_present && f_.wid > width && !f_.minus) WritePadding(f_.wid - width);
  if (f_.sharp) {
    buf.push_back('0');
    buf.push_back(digits[16]);
  }
  for (int i = 0; i < length; ++i) {
    if (f_.space && i > 0) {
      buf.push_back(' ');
      if (f_.sharp) {
        buf.push_back('0');
        buf.push_back(digits[16]);
      }
    }
    unsigned char c = static_cast<unsigned char>(s[static_cast<size_t>(i)]);
    buf.push_back(digits[c >> 4]);
    buf.push_back(digits[c & 0xF]);
  }
  if (f_.wid_present && f_.wid > width && f_.minus) WritePadding(f_.wid - width);
}

bool CanBackquote(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    DecodedRune d = DecodeRune(s.substr(i));
    i += d.size;
    if (d.size > 1) {
      if (d.rune == 0xFEFF) return false;
      continue;
    }
    if (d.rune == kRuneError) return false;
    if ((d.rune < ' ' && d.rune != '\t') || d.rune == '`' || d.rune == 0x7F) return false;
  }
  return true;
}

void Printer::FmtQ(std::string_view s) {
  s = TruncateString(s);
  if (f_.sharp && CanBackquote(s)) {
    Pad("`" + std::string(s) + "`");
    return;
  }
  Pad(GoQuote(s, f_.plus));
}

void Printer::FmtC(uint64_t c) {
  char32_t r = c > kMaxRune ? kRuneError : static_cast<char32_t>(c);
  std::string out;
  AppendRune(out, r);
  Pad(out);
}

void Printer::FmtQc(uint64_t c) {
  char32_t r = c > kMaxRune ? kRuneError : static_cast<char32_t>(c);
  Pad(GoQuoteRune(r, f_.plus));
}

void Printer::FmtFloat(double v, char32_t verb, int prec) {
  if (f_.prec_present) prec = f_.prec;
  std::string num = FormatFloat(v, static_cast<char>(verb), prec);
  if (num[0] != '-' && num[0] != '+') num.insert(num.begin(), '+');
  if (f_.space && num[0] == '+' && !f_.plus) num[0] = ' ';
  // Infinities and NaN are not padded with zeros.
  if (num[1] == 'I' || num[1] == 'N') {
    bool old_zero = f_.zero;
    f_.zero = false;
    if (num[1] == 'N' && !f_.space && !f_.plus) num.erase(0, 1);
    Pad(num);
    f_.zero = old_zero;
    return;
  }
  // '#' keeps a decimal point and trailing zeros.
  if (f_.sharp && verb != 'b') {
    int digits = 0;
    if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
      digits = prec;
      if (digits == -1) digits = 6;
    }
    std::string tail;
    bool has_decimal_point = false, saw_nonzero_digit = false;
    for (size_t i = 1; i < num.size(); ++i) {
      char c = num[i];
      if (c == '.') {
        has_decimal_point = true;
      } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
        tail = num.substr(i);
        num.resize(i);
        break;
      } else {
        if (c != '0') saw_nonzero_digit = true;
        if (saw_nonzero_digit) --digits;
      }
    }
    if (!has_decimal_point) {
      if (num.size() == 2 && num[1] == '0') --digits;
      num.push_back('.');
    }
    while (digits-- > 0) num.push_back('0');
    num += tail;
  }
  if (f_.plus || num[0] != '+') {
    // Zero padding goes after the sign.
    if (f_.zero && !f_.minus && f_.wid_present && f_.wid > static_cast<int>(num.size())) {
      buf.push_back(num[0]);
      WritePadding(f_.wid - static_cast<int>(num.size()));
      buf.append(num, 1);
      return;
    }
    Pad(num);
    return;
  }
  Pad(std::string_view(num).substr(1));
}

void Printer::BadVerb(char32_t verb, const FmtArg& arg) {
  erroring_ = true;
  buf += "%!";
  AppendRune(buf, verb);
  buf.push_back('(');
  if (arg.kind == FmtArg::Kind::kNil) {
    buf += "<nil>";
  } else {
    buf += TypeName(arg);
    buf.push_back('=');
    PrintArg(arg, 'v');
  }
  buf.push_back(')');
  erroring_ = false;
}

void Printer::FmtIntegerVerb(uint64_t v, bool is_signed, char32_t verb, const FmtArg& arg) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v && !is_signed) {
        bool sharp = f_.sharp;
        f_.sharp = true;
        FmtInteger(v, 16, false, 'v', false);
        f_.sharp = sharp;
      } else {
        FmtInteger(v, 10, is_signed, verb, false);
      }
      break;
    case 'd': FmtInteger(v, 10, is_signed, verb, false); break;
    case 'b': FmtInteger(v, 2, is_signed, verb, false); break;
    case 'o':
    case 'O': FmtInteger(v, 8, is_signed, verb, false); break;
    case 'x': FmtInteger(v, 16, is_signed, verb, false); break;
    case 'X': FmtInteger(v, 16, is_signed, verb, true); break;
    case 'c': FmtC(v); break;
    case 'q': FmtQc(v); break;
    case 'U': FmtUnicode(v); break;
    default: BadVerb(verb, arg); break;
  }
}

void Printer::FmtFloatVerb(double v, char32_t verb, const FmtArg& arg) {
  switch (verb) {
    case 'v': FmtFloat(v, 'g', -1); break;
    case 'b':
    case 'g':
    case 'G':
    case 'x':
    case 'X': FmtFloat(v, verb, -1); break;
    case 'f':
    case 'e':
    case 'E': FmtFloat(v, verb, 6); break;
    case 'F': FmtFloat(v, 'f', 6); break;
    default: BadVerb(verb, arg); break;
  }
}

void Printer::FmtStringVerb(std::string_view v, char32_t verb, const FmtArg& arg) {
  switch (verb) {
    case 'v':
      if (f_.sharp_v) {
        FmtQ(v);
      } else {
        FmtS(v);
      }
      break;
    case 's': FmtS(v); break;
    case 'x': FmtSbx(v, false); break;
    case 'X': FmtSbx(v, true); break;
    case 'q': FmtQ(v); break;
    default: BadVerb(verb, arg); break;
  }
}

// math/big's (*Int).Format.
void Printer::FmtBigInt(const std::string& digits, char32_t verb) {
  bool neg = !digits.empty() && digits[0] == '-';
  std::string_view mag = neg ? std::string_view(digits).substr(1) : std::string_view(digits);
  int base = 0;
  switch (verb) {
    case 'b': base = 2; break;
    case 'o':
    case 'O': base = 8; break;
    case 'd':
    case 's':
    case 'v': base = 10; break;
    case 'x':
    case 'X': base = 16; break;
    default:
      buf += "%!";
      AppendRune(buf, verb);
      buf += "(big.Int=";
      buf += digits;
      buf.push_back(')');
      return;
  }
  bool flag_plus = f_.plus || f_.plus_v, flag_sharp = f_.sharp || f_.sharp_v;
  std::string sign;
  if (neg) {
    sign = "-";
  } else if (flag_plus) {
    sign = "+";
  } else if (f_.space) {
    sign = " ";
  }
  std::string prefix;
  if (flag_sharp) {
    switch (verb) {
      case 'b': prefix = "0b"; break;
      case 'o': prefix = "0"; break;
      case 'x': prefix = "0x"; break;
      case 'X': prefix = "0X"; break;
      default: break;
    }
  }
  if (verb == 'O') prefix = "0o";
  // Converting to another base is quadratic in the digits: bound it.
  if (base != 10 && mag.size() > kMaxBaseConversionDigits) {
    overflow = true;
    return;
  }
  std::string text = base == 10 ? std::string(mag) : BigUint::FromDecimal(mag).ToString(base, verb == 'X');
  int left = 0, zeros = 0, right = 0;
  if (f_.prec_present) {
    if (static_cast<int>(text.size()) < f_.prec) {
      zeros = f_.prec - static_cast<int>(text.size());
    } else if (text == "0" && f_.prec == 0) {
      return;  // zero value and zero precision print nothing
    }
  }
  int length = static_cast<int>(sign.size() + prefix.size() + text.size()) + zeros;
  if (f_.wid_present && length < f_.wid) {
    int d = f_.wid - length;
    if (f_.minus) {
      right = d;
    } else if (f_.zero && !f_.prec_present) {
      zeros = d;
    } else {
      left = d;
    }
  }
  buf.append(static_cast<size_t>(left), ' ');
  buf += sign;
  buf += prefix;
  buf.append(static_cast<size_t>(zeros), '0');
  buf += text;
  buf.append(static_cast<size_t>(right), ' ');
}

void Printer::PrintArg(const FmtArg& arg, char32_t verb) {
  if (arg.kind == FmtArg::Kind::kNil) {
    if (verb == 'T' || verb == 'v') {
      Pad("<nil>");
    } else {
      BadVerb(verb, arg);
    }
    return;
  }
  if (verb == 'T') {
    FmtS(TypeName(arg));
    return;
  }
  if (verb == 'p') {
    // Only pointers have addresses; the operands OPA passes are values.
    BadVerb(verb, arg);
    return;
  }
  switch (arg.kind) {
    case FmtArg::Kind::kBool:
      if (verb == 't' || verb == 'v') {
        FmtBoolean(arg.i != 0);
      } else {
        BadVerb(verb, arg);
      }
      return;
    case FmtArg::Kind::kFloat: FmtFloatVerb(arg.d, verb, arg); return;
    case FmtArg::Kind::kInt: FmtIntegerVerb(static_cast<uint64_t>(arg.i), true, verb, arg); return;
    case FmtArg::Kind::kString: FmtStringVerb(arg.s, verb, arg); return;
    case FmtArg::Kind::kBig: FmtBigInt(arg.s, verb); return;
    case FmtArg::Kind::kOther:
      if (verb == 'v' || verb == 's') {
        buf += arg.s;
      } else {
        BadVerb(verb, arg);
      }
      return;
    case FmtArg::Kind::kNil: return;
  }
}

// parsenum: an integer at format[start:end], or none. Numbers beyond Go's
// limit make the rest of the format unparsable, as in Go.
struct ParsedNum {
  int num = 0;
  bool is_num = false;
  size_t next = 0;
};

ParsedNum ParseNum(std::string_view s, size_t start, size_t end) {
  ParsedNum p;
  if (start >= end) {
    p.next = end;
    return p;
  }
  int64_t num = 0;
  size_t i = start;
  for (; i < end && s[i] >= '0' && s[i] <= '9'; ++i) {
    if (TooLarge(num)) return ParsedNum{0, false, end};
    num = num * 10 + (s[i] - '0');
    p.is_num = true;
  }
  p.num = static_cast<int>(num);
  p.next = i;
  return p;
}

void Printer::ArgNumber(int* arg_num, std::string_view format, size_t* i, int num_args, bool* found) {
  *found = false;
  if (format.size() <= *i || format[*i] != '[') return;
  reordered_ = true;
  // parseArgNumber: "[n]" with n one-indexed.
  std::string_view rest = format.substr(*i);
  int index = 0;
  size_t wid = 1;
  bool ok = false;
  if (rest.size() >= 3) {
    for (size_t k = 1; k < rest.size(); ++k) {
      if (rest[k] == ']') {
        ParsedNum p = ParseNum(rest, 1, k);
        if (!p.is_num || p.next != k) {
          wid = k + 1;
        } else {
          index = p.num - 1;
          wid = k + 1;
          ok = true;
        }
        break;
      }
    }
  }
  if (ok && index >= 0 && index < num_args) {
    *arg_num = index;
    *i += wid;
    *found = true;
    return;
  }
  good_arg_num_ = false;
  *i += wid;
  *found = ok;
}

void Printer::DoPrintf(std::string_view format, std::span<const FmtArg> a) {
  const size_t end = format.size();
  const int num_args = static_cast<int>(a.size());
  int arg_num = 0;
  bool after_index = false;
  reordered_ = false;
  for (size_t i = 0; i < end;) {
    if (overflow || buf.size() > limit_) {
      overflow = true;
      return;
    }
    good_arg_num_ = true;
    size_t lasti = i;
    while (i < end && format[i] != '%') ++i;
    if (i > lasti) buf.append(format.substr(lasti, i - lasti));
    if (i >= end) break;
    ++i;  // the '%'
    ClearFlags();
    bool simple_done = false;
    for (; i < end; ++i) {
      char c = format[i];
      if (c == '#') {
        f_.sharp = true;
      } else if (c == '0') {
        f_.zero = true;
      } else if (c == '+') {
        f_.plus = true;
      } else if (c == '-') {
        f_.minus = true;
      } else if (c == ' ') {
        f_.space = true;
      } else {
        // Fast path: a lower-case verb with no width, precision or index.
        if (c >= 'a' && c <= 'z' && arg_num < num_args) {
          if (c == 'v') {
            f_.sharp_v = f_.sharp;
            f_.sharp = false;
            f_.plus_v = f_.plus;
            f_.plus = false;
          }
          PrintArg(a[static_cast<size_t>(arg_num)], static_cast<char32_t>(c));
          ++arg_num;
          ++i;
          simple_done = true;
        }
        break;
      }
    }
    if (simple_done) continue;

    ArgNumber(&arg_num, format, &i, num_args, &after_index);

    if (i < end && format[i] == '*') {
      ++i;
      // intFromArg
      f_.wid = 0;
      f_.wid_present = false;
      if (arg_num < num_args) {
        const FmtArg& w = a[static_cast<size_t>(arg_num)];
        if (w.kind == FmtArg::Kind::kInt && !TooLarge(w.i)) {
          f_.wid = static_cast<int>(w.i);
          f_.wid_present = true;
        }
        ++arg_num;
      }
      if (!f_.wid_present) buf += "%!(BADWIDTH)";
      if (f_.wid < 0) {
        f_.wid = -f_.wid;
        f_.minus = true;
        f_.zero = false;
      }
      after_index = false;
    } else {
      ParsedNum p = ParseNum(format, i, end);
      f_.wid = p.num;
      f_.wid_present = p.is_num;
      i = p.next;
      if (after_index && f_.wid_present) good_arg_num_ = false;  // "%[3]2d"
    }

    if (i + 1 < end && format[i] == '.') {
      ++i;
      if (after_index) good_arg_num_ = false;  // "%[3].2d"
      ArgNumber(&arg_num, format, &i, num_args, &after_index);
      if (i < end && format[i] == '*') {
        ++i;
        f_.prec = 0;
        f_.prec_present = false;
        if (arg_num < num_args) {
          const FmtArg& pr = a[static_cast<size_t>(arg_num)];
          if (pr.kind == FmtArg::Kind::kInt && !TooLarge(pr.i)) {
            f_.prec = static_cast<int>(pr.i);
            f_.prec_present = true;
          }
          ++arg_num;
        }
        if (f_.prec < 0) {
          f_.prec = 0;
          f_.prec_present = false;
        }
        if (!f_.prec_present) buf += "%!(BADPREC)";
        after_index = false;
      } else {
        ParsedNum p = ParseNum(format, i, end);
        f_.prec = p.num;
        f_.prec_present = p.is_num;
        i = p.next;
        if (!f_.prec_present) {
          f_.prec = 0;
          f_.prec_present = true;
        }
      }
    }

    if (!after_index) ArgNumber(&arg_num, format, &i, num_args, &after_index);

    if (i >= end) {
      buf += "%!(NOVERB)";
      break;
    }
    DecodedRune d = DecodeRune(format.substr(i));
    char32_t verb = d.rune;
    i += d.size;

    if (verb == '%') {
      buf.push_back('%');  // absorbs no operand, ignores width and precision
    } else if (!good_arg_num_) {
      buf += "%!";
      AppendRune(buf, verb);
      buf += "(BADINDEX)";
    } else if (arg_num >= num_args) {
      buf += "%!";
      AppendRune(buf, verb);
      buf += "(MISSING)";
    } else {
      if (verb == 'v') {
        f_.sharp_v = f_.sharp;
        f_.sharp = false;
        f_.plus_v = f_.plus;
        f_.plus = false;
      }
      PrintArg(a[static_cast<size_t>(arg_num)], verb);
      ++arg_num;
    }
  }
  if (overflow || buf.size() > limit_) {
    overflow = true;
    return;
  }
  // Extra operands, unless the format reordered them.
  if (!reordered_ && arg_num < num_args) {
    ClearFlags();
    buf += "%!(EXTRA ";
    for (int k = arg_num; k < num_args; ++k) {
      if (k > arg_num) buf += ", ";
      const FmtArg& arg = a[static_cast<size_t>(k)];
      if (arg.kind == FmtArg::Kind::kNil) {
        buf += "<nil>";
      } else {
        buf += TypeName(arg);
        buf.push_back('=');
        PrintArg(arg, 'v');
      }
    }
    buf.push_back(')');
  }
}

void Printer::DoPrint(std::span<const FmtArg> a, bool newline) {
  bool prev_string = false;
  for (size_t k = 0; k < a.size(); ++k) {
    bool is_string = a[k].kind == FmtArg::Kind::kString;
    // Print adds spaces between operands when neither is a string; Println
    // always does.
    if (k > 0 && (newline || (!is_string && !prev_string))) buf.push_back(' ');
    ClearFlags();
    PrintArg(a[k], 'v');
    prev_string = is_string;
  }
  if (newline) buf.push_back('\n');
}

}  // namespace

std::string GoSprintf(std::string_view format, std::span<const FmtArg> args, size_t limit, bool* overflow) {
  Printer p(limit);
  p.DoPrintf(format, args);
  if (overflow != nullptr) *overflow = p.overflow;
  return std::move(p.buf);
}

std::string GoSprint(std::span<const FmtArg> args, bool newline) {
  Printer p(kMaxResultBytes);
  p.DoPrint(args, newline);
  return std::move(p.buf);
}

}  // namespace custody::rego::strings_internal
