// Pieces the string built-ins share between their files (strings.cc,
// strings_format.cc, strings_template.cc) and with regex.cc: UTF-8 walking as
// Go does it, Go's strconv quoting, and Go's fmt.Sprintf, which OPA's sprintf
// and strings.render_template expose directly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "rego/builtins.h"
#include "rego/value.h"

namespace custody::rego::strings_internal {

// No built-in of these groups builds a string longer than this: repeat counts,
// widths and replacement expansions are all under the caller's control.
inline constexpr size_t kMaxResultBytes = size_t{64} << 20;
// Integers with more decimal digits are not converted to another base (the
// conversion is quadratic).
inline constexpr size_t kMaxBaseConversionDigits = 20000;

inline constexpr char32_t kRuneError = 0xFFFD;
inline constexpr char32_t kMaxRune = 0x10FFFF;

struct DecodedRune {
  char32_t rune;
  size_t size;  // bytes consumed; 0 only at the end of the input
};

// Go's utf8.DecodeRuneInString: an invalid or truncated sequence decodes as
// U+FFFD of width 1.
DecodedRune DecodeRune(std::string_view s);
// Go's utf8.AppendRune: surrogates and values beyond U+10FFFF become U+FFFD.
void AppendRune(std::string& out, char32_t r);
size_t RuneCount(std::string_view s);
std::vector<char32_t> Runes(std::string_view s);

// Go's strconv.IsPrint, from the Unicode categories that matter in practice
// (controls, format characters, separators, private use, noncharacters);
// unassigned code points count as printable.
bool IsPrint(char32_t r);
// Go's strconv.Quote / QuoteToASCII and QuoteRune / QuoteRuneToASCII.
std::string GoQuote(std::string_view s, bool ascii_only = false);
std::string GoQuoteRune(char32_t r, bool ascii_only = false);

// One operand of Go's fmt.Sprintf, in the Go types OPA hands it.
struct FmtArg {
  enum class Kind { kInt, kBig, kFloat, kString, kBool, kNil, kOther };
  Kind kind = Kind::kNil;
  int64_t i = 0;
  double d = 0;
  // kString: the string; kBig: decimal digits with optional '-'; kOther: the
  // text %v prints.
  std::string s;
  // The Go type name %T and error forms print, when not the kind's default
  // ("json.Number" for numbers from strings.render_template data).
  std::string type_name;

  static FmtArg Int(int64_t v);
  static FmtArg Big(std::string digits);
  static FmtArg Float(double v);
  static FmtArg Str(std::string v, std::string type = "");
  static FmtArg Bool(bool v);
  static FmtArg Nil();
  static FmtArg Other(std::string text, std::string type);
};

// The operand OPA's sprintf passes for a Rego value: integers that fit int64
// as int, larger integers as *big.Int, other numbers as float64, strings as
// string, anything else as its Rego text (so booleans are strings).
FmtArg SprintfArg(const Value& v);

// Go's fmt.Sprintf. Stops early and sets *overflow when the output passes
// `limit` bytes or an integer has too many digits to print in another base.
std::string GoSprintf(std::string_view format, std::span<const FmtArg> args, size_t limit, bool* overflow);

// Go's fmt.Sprint and fmt.Sprintln (spaces between operands as Go adds them).
std::string GoSprint(std::span<const FmtArg> args, bool newline);

// Go's strconv.FormatFloat(v, fmt, prec, 64) for fmt in "bfeEgGxX".
std::string FormatFloat(double v, char fmt, int prec);

// Unsigned integers of any size, for format_int and big.Int formatting.
class BigUint {
 public:
  static BigUint FromDecimal(std::string_view digits);  // digits only
  static BigUint FromDouble(double magnitude);          // integral part of |magnitude|
  static BigUint FromU64(uint64_t v);
  bool IsZero() const { return limbs_.empty(); }
  size_t BitLength() const;
  // Keeps the `bits` most significant bits, rounding half to even (what
  // big.Float does when it parses a number at 64 bits of precision).
  void RoundToBits(size_t bits);
  std::string ToString(int base, bool upper = false) const;

 private:
  void Trim();
  std::vector<uint32_t> limbs_;  // little-endian
};

// strings.render_template (strings_template.cc).
Result<Value> RenderTemplate(std::span<const Value> args, BuiltinContext& ctx);

}  // namespace custody::rego::strings_internal
