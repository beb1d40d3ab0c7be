// Rego built-ins of OPA's "semver" group: semver.is_valid and semver.compare.
//
// Parsing follows OPA's own SemVer reader (internal/semver), which is looser
// than the SemVer 2.0.0 grammar in a few ways that policies can observe: a
// leading "v" is dropped, numeric fields may have leading zeros ("01.2.3"),
// and an empty pre-release or build part ("1.2.3-", "1.2.3+") is accepted as
// absent. Precedence is SemVer 2.0.0 section 11; build metadata is ignored.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "rego/builtins.h"

namespace custody::rego {
namespace {

struct Version {
  int64_t major = 0;
  int64_t minor = 0;
  int64_t patch = 0;
  std::string_view pre_release;
};

// Splits at the first `sep`: before it, and after it (empty when absent).
std::pair<std::string_view, std::string_view> Cut(std::string_view s, char sep) {
  size_t i = s.find(sep);
  if (i == std::string_view::npos) return {s, {}};
  return {s.substr(0, i), s.substr(i + 1)};
}

bool IsIdentChar(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// ^[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$: dot-separated, non-empty identifiers.
bool ValidIdentifiers(std::string_view s) {
  if (s.empty()) return false;
  size_t run = 0;
  for (char c : s) {
    if (c == '.') {
      if (run == 0) return false;
      run = 0;
    } else if (IsIdentChar(c)) {
      ++run;
    } else {
      return false;
    }
  }
  return run > 0;
}

// A base-10 int64 of digits only (the fields cannot carry a sign here: '-'
// and '+' were cut off before). Overflow is invalid, as in strconv.ParseInt.
std::optional<int64_t> ParseField(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    int d = c - '0';
    if (v > (INT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

std::optional<Version> Parse(std::string_view s) {
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  auto [rest, metadata] = Cut(s, '+');
  if (!metadata.empty() && !ValidIdentifiers(metadata)) return std::nullopt;
  auto [core, pre] = Cut(rest, '-');
  if (!pre.empty() && !ValidIdentifiers(pre)) return std::nullopt;
  size_t dots = 0;
  for (char c : core) dots += c == '.';
  if (dots != 2) return std::nullopt;
  Version v;
  auto [major, after_major] = Cut(core, '.');
  auto [minor, patch] = Cut(after_major, '.');
  auto ma = ParseField(major), mi = ParseField(minor), pa = ParseField(patch);
  if (!ma || !mi || !pa) return std::nullopt;
  v.major = *ma;
  v.minor = *mi;
  v.patch = *pa;
  v.pre_release = pre;
  return v;
}

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Numeric pre-release identifiers compare as numbers; OPA reads them with
// strconv.Atoi, which saturates on overflow, so huge ones tie at INT64_MAX.
int64_t SaturatingNumber(std::string_view s) {
  int64_t v = 0;
  for (char c : s) {
    int d = c - '0';
    if (v > (INT64_MAX - d) / 10) return INT64_MAX;
    v = v * 10 + d;
  }
  return v;
}

int Cmp(int64_t a, int64_t b) { return a < b ? -1 : (a > b ? 1 : 0); }

int ComparePreRelease(std::string_view a_all, std::string_view b_all) {
  if (a_all == b_all) return 0;
  // A version without a pre-release ranks above one with.
  if (a_all.empty()) return 1;
  if (b_all.empty()) return -1;
  auto [a, after_a] = Cut(a_all, '.');
  auto [b, after_b] = Cut(b_all, '.');
  for (;;) {
    if (a.empty() && !b.empty()) return -1;
    if (!a.empty() && b.empty()) return 1;
    bool a_num = AllDigits(a), b_num = AllDigits(b);
    if (a_num != b_num) return a_num ? -1 : 1;  // numeric ranks below alphanumeric
    int c = a_num ? Cmp(SaturatingNumber(a), SaturatingNumber(b)) : a.compare(b);
    if (c != 0) return c < 0 ? -1 : 1;
    // With all earlier identifiers equal, the longer list ranks higher.
    if (!after_a.empty() && after_b.empty()) return 1;
    if (after_a.empty() && !after_b.empty()) return -1;
    if (after_a.empty() && after_b.empty()) return 0;
    std::tie(a, after_a) = Cut(after_a, '.');
    std::tie(b, after_b) = Cut(after_b, '.');
  }
}

// Go's strconv.Quote, which OPA's error text applies to the string operand
// (it formats the ast.String). Printable runes stay as they are; the test for
// "printable" covers the control, format, space and private-use ranges that
// matter in practice rather than Go's full Unicode tables.
bool GoPrintable(uint32_t r) {
  if (r < 0x20 || r == 0x7f) return false;
  if (r >= 0x80 && r <= 0xa0) return false;
  if (r == 0xad || r == 0x1680 || r == 0x3000 || r == 0xfeff) return false;
  if ((r >= 0x2000 && r <= 0x200f) || (r >= 0x2028 && r <= 0x202f) || (r >= 0x205f && r <= 0x206f))
    return false;
  if ((r >= 0xe000 && r <= 0xf8ff) || (r >= 0xfff9 && r <= 0xfffb) || r == 0xfffe || r == 0xffff)
    return false;
  if (r >= 0xf0000) return false;
  return true;
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid.
size_t DecodeRune(std::string_view s, size_t i, uint32_t& r) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    r = c;
    return 1;
  }
  size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
  if (n == 0 || c > 0xf4 || i + n > s.size()) return 0;
  r = c & (0xff >> (n + 1));
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    r = (r << 6) | (b(i + k) & 0x3f);
  }
  if ((n == 3 && r < 0x800) || (n == 4 && (r < 0x10000 || r > 0x10ffff)) || (r >= 0xd800 && r <= 0xdfff))
    return 0;
  return n;
}

std::string GoQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t r = 0;
    size_t n = DecodeRune(s, i, r);
    if (n == 0) {
      unsigned char c = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    if (r == '"' || r == '\\') {
      out += '\\';
      out += static_cast<char>(r);
    } else if (GoPrintable(r)) {
      out.append(s.substr(i, n));
    } else {
      switch (r) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default: {
          int width = r < 0x80 ? 2 : r < 0x10000 ? 4 : 8;
          out += r < 0x80 ? "\\x" : r < 0x10000 ? "\\u" : "\\U";
          for (int k = width - 1; k >= 0; --k) out += kHex[(r >> (4 * k)) & 15];
        }
      }
    }
    i += n;
  }
  out += '"';
  return out;
}

int Compare(const Version& a, const Version& b) {
  if (int c = Cmp(a.major, b.major)) return c;
  if (int c = Cmp(a.minor, b.minor)) return c;
  if (int c = Cmp(a.patch, b.patch)) return c;
  return ComparePreRelease(a.pre_release, b.pre_release);
}

Result<Value> SemverIsValid(std::span<const Value> args, BuiltinContext&) {
  // Not a type error: anything that is not a valid version string is false.
  return Value::Bool(args[0].is_string() && Parse(args[0].as_string()).has_value());
}

Result<Value> SemverCompare(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "semver.compare";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view a_text, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view b_text, StringArg(kName, args, 2));
  auto a = Parse(a_text);
  if (!a) return BuiltinError(kName, "operand 1: string " + GoQuote(a_text) + " is not a valid SemVer");
  auto b = Parse(b_text);
  if (!b) return BuiltinError(kName, "operand 2: string " + GoQuote(b_text) + " is not a valid SemVer");
  return Value::Int(Compare(*a, *b));
}

}  // namespace

void RegisterSemver(BuiltinTable& t) {
  t.Add({"semver.is_valid", 1, SemverIsValid});
  t.Add({"semver.compare", 2, SemverCompare});
}

}  // namespace custody::rego
