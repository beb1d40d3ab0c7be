// JSON Schema compilation and validation after OPA's gojsonschema fork. The
// structure follows gojsonschema's (a schema pool and a reference pool while
// compiling; a score per result so anyOf/oneOf report the closest branch),
// because its error texts and their order depend on it.
#include "rego/builtins/jsonschema_validator.h"

#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

namespace custody::rego::jsonschema {
namespace {

// ---- Exact decimal numbers (gojsonschema uses big.Rat). ----

// digits × 10^exponent; digits has no leading or trailing zeros and is empty
// for zero.
struct Decimal {
  bool negative = false;
  std::string digits;
  int64_t exponent = 0;

  bool IsZero() const { return digits.empty(); }
  bool IsInteger() const { return digits.empty() || exponent >= 0; }
};

// Exponents are clamped far beyond anything a double holds; comparisons stay
// exact and nothing is ever expanded to that many digits.
constexpr int64_t kExponentClamp = 1'000'000'000'000LL;

std::optional<Decimal> ParseDecimal(std::string_view t) {
  Decimal d;
  size_t i = 0;
  if (i < t.size() && (t[i] == '-' || t[i] == '+')) d.negative = t[i++] == '-';
  std::string mantissa;
  int64_t fraction_digits = 0;
  bool any = false;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') mantissa += t[i++], any = true;
  if (i < t.size() && t[i] == '.') {
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') mantissa += t[i++], ++fraction_digits, any = true;
  }
  if (!any) return std::nullopt;
  int64_t exp = 0;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < t.size() && (t[i] == '-' || t[i] == '+')) neg = t[i++] == '-';
    if (i == t.size()) return std::nullopt;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') {
      if (exp < kExponentClamp) exp = exp * 10 + (t[i] - '0');
      ++i;
    }
    if (neg) exp = -exp;
  }
  if (i != t.size()) return std::nullopt;
  size_t first = mantissa.find_first_not_of('0');
  if (first == std::string::npos) return Decimal{};
  size_t last = mantissa.find_last_not_of('0');
  d.digits = mantissa.substr(first, last - first + 1);
  d.exponent = exp - fraction_digits + static_cast<int64_t>(mantissa.size() - 1 - last);
  return d;
}

int CompareMagnitude(const Decimal& a, const Decimal& b) {
  int64_t oa = static_cast<int64_t>(a.digits.size()) + a.exponent;
  int64_t ob = static_cast<int64_t>(b.digits.size()) + b.exponent;
  if (oa != ob) return oa < ob ? -1 : 1;
  int c = a.digits.compare(b.digits);  // equal leading position: compare digit by digit
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  int sa = a.IsZero() ? 0 : (a.negative ? -1 : 1);
  int sb = b.IsZero() ? 0 : (b.negative ? -1 : 1);
  if (sa != sb) return sa < sb ? -1 : 1;
  if (sa == 0) return 0;
  int m = CompareMagnitude(a, b);
  return sa > 0 ? m : -m;
}

// Digit strings without leading zeros ("" is zero).
int CompareDigits(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  return a.compare(b);
}

// a - b, REQUIRES a >= b.
std::string SubtractDigits(const std::string& a, const std::string& b) {
  std::string r = a;
  int borrow = 0;
  for (size_t i = 0; i < r.size(); ++i) {
    size_t ai = r.size() - 1 - i;
    int d = (r[ai] - '0') - borrow - (i < b.size() ? b[b.size() - 1 - i] - '0' : 0);
    borrow = d < 0;
    r[ai] = static_cast<char>('0' + (d + 10) % 10);
  }
  size_t nz = r.find_first_not_of('0');
  return nz == std::string::npos ? std::string() : r.substr(nz);
}

bool DivisibleDigits(const std::string& dividend, const std::string& divisor) {
  std::string r;
  for (char c : dividend) {
    if (!r.empty() || c != '0') r += c;
    while (CompareDigits(r, divisor) >= 0) r = SubtractDigits(r, divisor);
  }
  return r.empty();
}

// Whether a / m is an integer, exactly. REQUIRES m > 0.
bool IsMultipleOf(const Decimal& a, const Decimal& m) {
  if (a.IsZero()) return true;
  std::string dividend = a.digits, divisor = m.digits;
  int64_t k = a.exponent - m.exponent;
  if (k >= 0) {
    // Beyond as many zeros as m has factors of 2 or 5, more zeros change
    // nothing: m | a·10^k then only depends on the part of m prime to 10.
    k = std::min<int64_t>(k, 4 * static_cast<int64_t>(divisor.size()) + 4);
    dividend.append(static_cast<size_t>(k), '0');
  } else {
    if (-k > static_cast<int64_t>(dividend.size())) return false;  // 0 < a < m·10^-k
    divisor.append(static_cast<size_t>(-k), '0');
  }
  if (dividend.size() * divisor.size() > 4'000'000) {
    // Thousands of digits on both sides: too slow to divide exactly this way.
    double q = std::strtod((a.digits + "e" + std::to_string(a.exponent)).c_str(), nullptr) /
               std::strtod((m.digits + "e" + std::to_string(m.exponent)).c_str(), nullptr);
    return std::isfinite(q) && q == std::floor(q);
  }
  return DivisibleDigits(dividend, divisor);
}

// Go's integer text: what json.Number.Int64 (strconv.ParseInt) accepts.
std::optional<int64_t> GoParseInt(std::string_view text) {
  if (text.empty()) return std::nullopt;
  size_t start = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  if (start == text.size()) return std::nullopt;
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  std::string_view body = text[0] == '+' ? text.substr(1) : text;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), v);
  if (ec != std::errc() || p != body.data() + body.size()) return std::nullopt;
  return v;
}

// How text/template prints a *big.Float made from the rational (%v: the
// shortest decimal, in %e form when the exponent is below -4 or at least 6).
std::string FormatBigFloat(const Decimal& d) {
  if (d.IsZero()) return "0";
  std::string out = d.negative ? "-" : "";
  const std::string& m = d.digits;
  int64_t n = static_cast<int64_t>(m.size());
  int64_t point = n + d.exponent;  // value = 0.m × 10^point
  int64_t exp = point - 1;
  if (exp < -4 || exp >= 6) {
    out += m[0];
    if (n > 1) out += "." + m.substr(1);
    out += exp < 0 ? "e-" : "e+";
    std::string e = std::to_string(exp < 0 ? -exp : exp);
    if (e.size() < 2) out += '0';
    return out + e;
  }
  if (point > 0) {
    for (int64_t i = 0; i < point; ++i) out += i < n ? m[static_cast<size_t>(i)] : '0';
  } else {
    out += '0';
  }
  int64_t frac = std::max<int64_t>(n - point, 0);
  if (frac > 0) {
    out += '.';
    for (int64_t i = 0; i < frac; ++i) {
      int64_t pos = point + i;
      out += (pos >= 0 && pos < n) ? m[static_cast<size_t>(pos)] : '0';
    }
  }
  return out;
}

// ---- Go text conventions. ----

// Decodes one rune as Go's utf8.DecodeRuneInString does: an invalid or
// truncated sequence is U+FFFD of width 1.
std::pair<char32_t, size_t> DecodeRune(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return {c, 1};
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF && cont(i + 1)) return {((c & 0x1Fu) << 6) | (byte(i + 1) & 0x3Fu), 2};
  if (c >= 0xE0 && c <= 0xEF) {
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    if (cont(i + 1, lo, hi) && cont(i + 2)) {
      return {((c & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu), 3};
    }
  }
  if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    if (cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3)) {
      return {((c & 0x07u) << 18) | ((byte(i + 1) & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) |
                  (byte(i + 3) & 0x3Fu),
              4};
    }
  }
  return {0xFFFD, 1};
}

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); i += DecodeRune(s, i).second) ++n;
  return n;
}

// A string as Go's encoding/json writes it (HTML-safe escaping, invalid
// UTF-8 as U+FFFD).
void AppendGoJsonString(std::string& out, std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  out += '"';
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&') {
        out += static_cast<char>(c);
        continue;
      }
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        default:
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
      }
      continue;
    }
    auto [r, width] = DecodeRune(s, i);
    if (r == 0xFFFD && width == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      out += r == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(s.substr(i, width));
    }
    i += width;
  }
  out += '"';
}

// A float64 as Go's encoding/json writes it.
std::string GoJsonFloat(double f) {
  char buf[64];
  double a = std::fabs(f);
  std::to_chars_result r;
  if (a != 0 && (a < 1e-6 || a >= 1e21)) {
    r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::scientific);
    std::string s(buf, r.ptr);
    size_t n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);  // e-07 -> e-7
    return s;
  }
  r = std::to_chars(buf, buf + sizeof buf, f, std::chars_format::fixed);
  return std::string(buf, r.ptr);
}

// gojsonschema's marshalWithoutNumber: the document re-encoded after decoding
// numbers as float64, which is what const, enum and uniqueItems compare.
void AppendCanonical(std::string& out, const Node& n) {
  switch (n.type) {
    case Node::Type::kNull:
      out += "null";
      return;
    case Node::Type::kBool:
      out += n.boolean ? "true" : "false";
      return;
    case Node::Type::kNumber: {
      double d = 0;
      auto [p, ec] = std::from_chars(n.text.data(), n.text.data() + n.text.size(), d);
      if (ec == std::errc::result_out_of_range) {
        // Go cannot decode this into a float64 either; keep it distinct.
        out += n.text;
        return;
      }
      out += GoJsonFloat(d);
      return;
    }
    case Node::Type::kString:
      AppendGoJsonString(out, n.text);
      return;
    case Node::Type::kArray: {
      out += '[';
      for (size_t i = 0; i < n.items.size(); ++i) {
        if (i > 0) out += ',';
        AppendCanonical(out, n.items[i]);
      }
      out += ']';
      return;
    }
    case Node::Type::kObject: {
      out += '{';
      for (size_t i = 0; i < n.members.size(); ++i) {
        if (i > 0) out += ',';
        AppendGoJsonString(out, n.members[i].first);
        out += ':';
        AppendCanonical(out, n.members[i].second);
      }
      out += '}';
      return;
    }
  }
}

std::string Canonical(const Node& n) {
  std::string out;
  AppendCanonical(out, n);
  return out;
}

// strconv.Quote for the short strings net/url puts in its errors.
std::string GoQuote(std::string_view s) {
  std::string out;
  AppendGoJsonString(out, s);
  return out;
}

// ---- URLs and references (Go's net/url, xeipuuv/gojsonreference). ----

bool IsHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int Unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

enum class Encoding { kPath, kHost, kUserPassword, kFragment };

// net/url's unescape: the decoded text or its error.
Result<std::string> Unescape(std::string_view s, Encoding mode) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return Error::Input("invalid URL escape " + GoQuote(s.substr(i, 3)));
      if (!IsHex(s[i + 1]) || !IsHex(s[i + 2])) {
        return Error::Input("invalid URL escape " + GoQuote(s.substr(i, 3)));
      }
      if (mode == Encoding::kHost && Unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
        return Error::Input("invalid URL escape " + GoQuote(s.substr(i, 3)));
      }
      out += static_cast<char>(Unhex(s[i + 1]) * 16 + Unhex(s[i + 2]));
      i += 2;
      continue;
    }
    if (mode == Encoding::kHost && static_cast<unsigned char>(c) < 0x80) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("!$&'()*+,;=:[]<>\"-_.~").find(c) != std::string_view::npos;
      if (!ok)
        return Error::Input("invalid character " + GoQuote(std::string_view(&s[i], 1)) + " in host name");
    }
    out += c;
  }
  return out;
}

struct Url {
  std::string scheme, opaque, user, host, path, raw_query, fragment, raw_fragment;
  bool has_user = false, force_query = false, omit_host = false;

  std::string String() const {
    std::string out;
    if (!scheme.empty()) out += scheme + ":";
    if (!opaque.empty()) {
      out += opaque;
    } else {
      if (!scheme.empty() || !host.empty() || has_user) {
        if (!(omit_host && host.empty() && !has_user)) {
          if (!host.empty() || !path.empty() || has_user) out += "//";
          if (has_user) out += user + "@";
          out += host;
        }
      }
      if (!path.empty() && path[0] != '/' && !host.empty()) out += '/';
      if (out.empty()) {
        size_t slash = path.find('/');
        if (path.substr(0, slash).find(':') != std::string::npos) out += "./";
      }
      out += path;
    }
    if (force_query || !raw_query.empty()) out += "?" + raw_query;
    if (!fragment.empty()) out += "#" + raw_fragment;
    return out;
  }
};

Status ParseAuthority(std::string_view authority, Url& u) {
  size_t at = authority.rfind('@');
  std::string_view host = at == std::string_view::npos ? authority : authority.substr(at + 1);
  if (!host.empty() && host[0] == '[') {
    size_t close = host.rfind(']');
    if (close == std::string_view::npos) return Error::Input("missing ']' in host");
    std::string_view port = host.substr(close + 1);
    bool ok =
        port.empty() || (port[0] == ':' && port.find_first_not_of("0123456789", 1) == std::string_view::npos);
    if (!ok) return Error::Input("invalid port " + GoQuote(port) + " after host");
  } else if (size_t colon = host.rfind(':'); colon != std::string_view::npos) {
    std::string_view port = host.substr(colon);
    if (port.find_first_not_of("0123456789", 1) != std::string_view::npos) {
      return Error::Input("invalid port " + GoQuote(port) + " after host");
    }
  }
  auto h = Unescape(host, Encoding::kHost);
  if (!h.ok()) return h.error();
  u.host = std::string(host);
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    for (char c : userinfo) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                std::string_view("-._:~!$&'()*+,;=%@").find(c) != std::string_view::npos;
      if (!ok) return Error::Input("net/url: invalid userinfo");
    }
    auto un = Unescape(userinfo, Encoding::kUserPassword);
    if (!un.ok()) return un.error();
    u.has_user = true;
    u.user = std::string(userinfo);
  }
  return OkStatus();
}

// Go's url.Parse, keeping escaped text where Go would print it back.
Result<Url> ParseUrl(std::string_view raw) {
  size_t hash = raw.find('#');
  std::string_view rest = raw.substr(0, hash);
  auto fail = [&](const Error& e, std::string_view what) {
    return Error::Input("parse " + GoQuote(what) + ": " + e.message());
  };
  for (char c : rest) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return fail(Error::Input("net/url: invalid control character in URL"), rest);
    }
  }
  Url u;
  std::string_view whole = rest;
  if (rest != "*") {
    // Scheme.
    for (size_t i = 0; i < rest.size(); ++i) {
      char c = rest[i];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
      if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        if (i == 0) break;
        continue;
      }
      if (c == ':') {
        if (i == 0) return fail(Error::Input("missing protocol scheme"), whole);
        u.scheme = std::string(rest.substr(0, i));
        for (char& s : u.scheme) s = static_cast<char>(std::tolower(static_cast<unsigned char>(s)));
        rest = rest.substr(i + 1);
      }
      break;
    }
    size_t q = rest.find('?');
    if (!rest.empty() && rest.back() == '?' && q == rest.size() - 1) {
      u.force_query = true;
      rest.remove_suffix(1);
    } else if (q != std::string_view::npos) {
      u.raw_query = std::string(rest.substr(q + 1));
      rest = rest.substr(0, q);
    }
    bool rooted = !rest.empty() && rest[0] == '/';
    if (!rooted) {
      if (!u.scheme.empty()) {
        u.opaque = std::string(rest);
        rest = {};
      } else if (rest.substr(0, rest.find('/')).find(':') != std::string_view::npos) {
        return fail(Error::Input("first path segment in URL cannot contain colon"), whole);
      }
    }
    if (u.opaque.empty()) {
      if ((!u.scheme.empty() || rest.substr(0, 3) != "///") && rest.substr(0, 2) == "//") {
        std::string_view authority = rest.substr(2);
        size_t slash = authority.find('/');
        rest = slash == std::string_view::npos ? std::string_view() : authority.substr(slash);
        authority = authority.substr(0, slash);
        Status s = ParseAuthority(authority, u);
        if (!s.ok()) return fail(s.error(), whole);
      } else if (!u.scheme.empty() && rooted) {
        u.omit_host = true;
      }
      auto p = Unescape(rest, Encoding::kPath);
      if (!p.ok()) return fail(p.error(), whole);
      u.path = std::string(rest);
    }
  } else {
    u.path = "*";
  }
  if (hash != std::string_view::npos) {
    std::string_view frag = raw.substr(hash + 1);
    auto f = Unescape(frag, Encoding::kFragment);
    if (!f.ok()) return fail(f.error(), raw);
    u.fragment = *f;
    u.raw_fragment = std::string(frag);
  }
  return u;
}

std::string UnescapedPath(const Url& u) {
  auto p = Unescape(u.path, Encoding::kPath);
  return p.ok() ? *p : u.path;
}

// net/url's resolvePath: RFC 3986 merge and dot-segment removal.
std::string ResolvePath(const std::string& base, const std::string& ref) {
  std::string full;
  if (ref.empty()) {
    full = base;
  } else if (ref[0] != '/') {
    size_t i = base.rfind('/');
    full = (i == std::string::npos ? std::string() : base.substr(0, i + 1)) + ref;
  } else {
    full = ref;
  }
  if (full.empty()) return "";
  std::string dst = "/";
  bool first = true;
  std::string_view remaining = full;
  std::string_view elem;
  bool found = true;
  while (found) {
    size_t slash = remaining.find('/');
    found = slash != std::string_view::npos;
    elem = remaining.substr(0, slash);
    remaining = found ? remaining.substr(slash + 1) : std::string_view();
    if (elem == ".") {
      first = false;
      continue;
    }
    if (elem == "..") {
      std::string str = dst.substr(1);
      size_t index = str.rfind('/');
      dst = "/";
      if (index == std::string::npos) {
        first = true;
      } else {
        dst += str.substr(0, index);
      }
    } else {
      if (!first) dst += '/';
      dst += elem;
      first = false;
    }
  }
  if (elem == "." || elem == "..") dst += '/';
  if (dst.size() > 1 && dst[1] == '/') dst.erase(0, 1);
  return dst;
}

// net/url's URL.ResolveReference.
Url ResolveReference(const Url& base, const Url& ref) {
  Url url = ref;
  if (ref.scheme.empty()) url.scheme = base.scheme;
  if (!ref.scheme.empty() || !ref.host.empty() || ref.has_user) {
    url.path = ResolvePath(ref.path, "");
    return url;
  }
  if (!ref.opaque.empty()) {
    url.has_user = false;
    url.user.clear();
    url.host.clear();
    url.path.clear();
    return url;
  }
  if (ref.path.empty() && !ref.force_query && ref.raw_query.empty()) {
    url.raw_query = base.raw_query;
    if (ref.fragment.empty()) {
      url.fragment = base.fragment;
      url.raw_fragment = base.raw_fragment;
    }
  }
  if (ref.path.empty() && !base.opaque.empty()) {
    url.opaque = base.opaque;
    url.has_user = false;
    url.user.clear();
    url.host.clear();
    url.path.clear();
    return url;
  }
  url.host = base.host;
  url.has_user = base.has_user;
  url.user = base.user;
  url.path = ResolvePath(base.path, ref.path);
  return url;
}

struct JsonReference {
  Url url;
  std::vector<std::string> pointer;  // reference tokens, still ~-escaped
  bool has_full_url = false;
  bool has_file_scheme = false;
  bool has_full_file_path = false;

  std::string String() const { return url.String(); }
  bool IsCanonical() const {
    return (has_file_scheme && has_full_file_path) || (!has_file_scheme && has_full_url);
  }
};

Result<JsonReference> NewJsonReference(std::string_view text) {
  auto u = ParseUrl(text);
  if (!u.ok()) return u.error();
  JsonReference r;
  r.url = std::move(*u);
  r.has_full_url = !r.url.scheme.empty() && !r.url.host.empty();
  r.has_file_scheme = r.url.scheme == "file";
  r.has_full_file_path = !r.url.path.empty() && r.url.path[0] == '/';
  const std::string& f = r.url.fragment;
  if (!f.empty()) {
    if (f[0] != '/') return Error::Input("JSON pointer must be empty or start with a \"/\"");
    size_t start = 1;
    while (true) {
      size_t slash = f.find('/', start);
      r.pointer.push_back(f.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
  }
  return r;
}

// gojsonreference's Inherits: `child` resolved against `parent`.
Result<JsonReference> Inherits(const JsonReference& parent, const JsonReference& child) {
  Url base = parent.url;
  base.fragment.clear();
  base.raw_fragment.clear();
  return NewJsonReference(ResolveReference(base, child.url).String());
}

std::string DecodePointerToken(std::string_view token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '~' && i + 1 < token.size() && (token[i + 1] == '0' || token[i + 1] == '1')) {
      out += token[i + 1] == '0' ? '~' : '/';
      ++i;
    } else {
      out += token[i];
    }
  }
  return out;
}

// gojsonpointer's Get, with its error texts.
Result<const Node*> PointerGet(const Node* node, const std::vector<std::string>& tokens) {
  for (const std::string& token : tokens) {
    if (node->is(Node::Type::kObject)) {
      std::string key = DecodePointerToken(token);
      const Node* next = node->Find(key);
      if (next == nullptr) return Error::Input("Object has no key '" + key + "'");
      node = next;
    } else if (node->is(Node::Type::kArray)) {
      auto index = GoParseInt(token);
      if (!index) return Error::Input("Invalid array index '" + token + "'");
      if (*index < 0 || *index >= static_cast<int64_t>(node->items.size())) {
        return Error::Input("Out of bound array[0," + std::to_string(node->items.size()) + "] index '" +
                            std::to_string(*index) + "'");
      }
      node = &node->items[static_cast<size_t>(*index)];
    } else {
      return Error::Input("Invalid token reference '" + token + "'");
    }
  }
  return node;
}

// ---- Formats (gojsonschema's FormatCheckers). ----

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// netip's parseIPv4Fields.
bool ParseIPv4(std::string_view s) {
  int val = 0, pos = 0, len = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsDigit(s[i])) {
      if (len == 1 && val == 0) return false;  // leading zero
      val = val * 10 + (s[i] - '0');
      ++len;
      if (val > 255) return false;
    } else if (s[i] == '.') {
      if (i == 0 || i == s.size() - 1 || s[i - 1] == '.') return false;
      if (pos == 3) return false;
      ++pos;
      val = 0;
      len = 0;
    } else {
      return false;
    }
  }
  return pos == 3;
}

// netip's parseIPv6, without zones (net.ParseIP refuses them).
bool ParseIPv6(std::string_view s) {
  int ellipsis = -1;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) return true;
  }
  int i = 0;
  while (i < 16) {
    size_t off = 0;
    uint32_t acc = 0;
    for (; off < s.size(); ++off) {
      char c = s[off];
      if (!IsHex(c)) break;
      acc = (acc << 4) + static_cast<uint32_t>(Unhex(c));
      if (off > 3 || acc > 0xFFFF) return false;
    }
    if (off == 0) return false;
    if (off < s.size() && s[off] == '.') {
      if ((ellipsis < 0 && i != 12) || i + 4 > 16) return false;
      if (!ParseIPv4(s)) return false;
      s = {};
      i += 4;
      break;
    }
    i += 2;
    s.remove_prefix(off);
    if (s.empty()) break;
    if (s[0] != ':' || s.size() == 1) return false;
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) return false;
      ellipsis = i;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) return false;
  if (i < 16) return ellipsis >= 0;
  return ellipsis < 0;
}

// net.ParseIP(s) != nil.
bool ParseIP(std::string_view s) {
  for (char c : s) {
    if (c == '.') return ParseIPv4(s);
    if (c == ':') return ParseIPv6(s);
    if (c == '%') return false;
  }
  return false;
}

// Pieces of Go's time.Parse for the layouts the checkers use.
bool TakeTwoDigits(std::string_view& s, int& v) {
  if (s.size() < 2 || !IsDigit(s[0]) || !IsDigit(s[1])) return false;
  v = (s[0] - '0') * 10 + (s[1] - '0');
  s.remove_prefix(2);
  return true;
}

bool TakeChar(std::string_view& s, char c) {
  if (s.empty() || s[0] != c) return false;
  s.remove_prefix(1);
  return true;
}

// "2006-01-02", with the day checked against the month.
bool TakeDate(std::string_view& s) {
  if (s.size() < 4 || !IsDigit(s[0]) || !IsDigit(s[1]) || !IsDigit(s[2]) || !IsDigit(s[3])) return false;
  int year = std::stoi(std::string(s.substr(0, 4)));
  s.remove_prefix(4);
  int month = 0, day = 0;
  if (!TakeChar(s, '-') || !TakeTwoDigits(s, month) || month < 1 || month > 12) return false;
  if (!TakeChar(s, '-') || !TakeTwoDigits(s, day)) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = kDays[month - 1];
  if (month == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) max = 29;
  return day >= 1 && day <= max;
}

// "15:04:05": a one- or two-digit hour, and the fraction Go accepts after
// the seconds even when the layout has none.
bool TakeClock(std::string_view& s) {
  if (s.empty() || !IsDigit(s[0])) return false;
  int hour = s[0] - '0';
  s.remove_prefix(1);
  if (!s.empty() && IsDigit(s[0])) {
    hour = hour * 10 + (s[0] - '0');
    s.remove_prefix(1);
  }
  int minute = 0, second = 0;
  if (hour >= 24 || !TakeChar(s, ':') || !TakeTwoDigits(s, minute) || minute >= 60) return false;
  if (!TakeChar(s, ':') || !TakeTwoDigits(s, second) || second >= 60) return false;
  if (s.size() >= 2 && (s[0] == '.' || s[0] == ',') && IsDigit(s[1])) {
    size_t n = 1;
    while (n < s.size() && IsDigit(s[n])) ++n;
    s.remove_prefix(n);
  }
  return true;
}

// "Z07:00".
bool TakeZone(std::string_view& s) {
  if (TakeChar(s, 'Z')) return true;
  if (s.size() < 6 || s[3] != ':' || (s[0] != '+' && s[0] != '-')) return false;
  std::string_view hh = s.substr(1, 2), mm = s.substr(4, 2);
  int h = 0, m = 0;
  if (!TakeTwoDigits(hh, h) || !TakeTwoDigits(mm, m) || h > 24 || m > 60) return false;
  s.remove_prefix(6);
  return true;
}

bool IsTime(std::string_view s, bool zone) { return TakeClock(s) && (!zone || TakeZone(s)) && s.empty(); }
bool IsDate(std::string_view s) { return TakeDate(s) && s.empty(); }
bool IsRfc3339(std::string_view s) {
  return TakeDate(s) && TakeChar(s, 'T') && TakeClock(s) && TakeZone(s) && s.empty();
}

// Go's net/mail.ParseAddress, without RFC 2047 decoding and groups.
class MailParser {
 public:
  explicit MailParser(std::string_view s) : s_(s) {}

  bool ParseSingleAddress() {
    SkipSpace();
    if (s_.empty()) return false;
    std::string_view saved = s_;
    if (AddrSpec()) {
      SkipSpace();
      if (!s_.empty() && s_[0] == '(' && !Comment()) return false;
      return SkipCFWS() && s_.empty();
    }
    s_ = saved;
    if (s_.empty() || s_[0] != '<') {
      if (!Phrase()) return false;
    }
    SkipSpace();
    if (!TakeChar(s_, '<') || !AddrSpec() || !TakeChar(s_, '>')) return false;
    return SkipCFWS() && s_.empty();
  }

 private:
  static bool IsVchar(char32_t r) { return (r >= '!' && r <= '~') || r >= 0x80; }
  static bool IsAtext(char32_t r, bool dot) {
    if (r == '.') return dot;
    if (std::u32string_view(U"()<>[]:;@\\,\"").find(r) != std::u32string_view::npos) return false;
    return IsVchar(r);
  }

  void SkipSpace() {
    while (!s_.empty() && (s_[0] == ' ' || s_[0] == '\t')) s_.remove_prefix(1);
  }

  bool Comment() {
    int depth = 1;
    size_t i = 1;
    for (; i < s_.size() && depth > 0; ++i) {
      if (s_[i] == '\\') {
        ++i;
      } else if (s_[i] == '(') {
        ++depth;
      } else if (s_[i] == ')') {
        --depth;
      }
    }
    if (depth != 0) return false;
    s_.remove_prefix(i);
    return true;
  }

  bool SkipCFWS() {
    SkipSpace();
    while (!s_.empty() && s_[0] == '(') {
      if (!Comment()) return false;
      SkipSpace();
    }
    return true;
  }

  bool Atom(bool permissive) {
    size_t i = 0;
    while (i < s_.size()) {
      auto [r, width] = DecodeRune(s_, i);
      if (r == 0xFFFD && width == 1 && static_cast<unsigned char>(s_[i]) >= 0x80) return false;
      if (!IsAtext(r, true)) break;
      i += width;
    }
    if (i == 0) return false;
    std::string_view atom = s_.substr(0, i);
    if (!permissive &&
        (atom.front() == '.' || atom.back() == '.' || atom.find("..") != std::string_view::npos)) {
      return false;
    }
    s_.remove_prefix(i);
    return true;
  }

  // Returns false on error; `empty` tells whether the content was empty.
  bool QuotedString(bool& empty) {
    size_t i = 1;
    bool escaped = false;
    empty = true;
    while (true) {
      if (i >= s_.size()) return false;
      auto [r, width] = DecodeRune(s_, i);
      if (r == 0xFFFD && width == 1 && static_cast<unsigned char>(s_[i]) >= 0x80) return false;
      if (escaped) {
        if (!IsVchar(r) && r != ' ' && r != '\t') return false;
        escaped = false;
        empty = false;
      } else if ((IsVchar(r) && r != '\\' && r != '"') || r == ' ' || r == '\t') {
        empty = false;
      } else if (r == '"') {
        break;
      } else if (r == '\\') {
        escaped = true;
      } else {
        return false;
      }
      i += width;
    }
    s_.remove_prefix(i + 1);
    return true;
  }

  bool DomainLiteral() {
    s_.remove_prefix(1);
    std::string dtext;
    while (true) {
      if (s_.empty()) return false;
      if (s_[0] == ']') break;
      auto [r, width] = DecodeRune(s_, 0);
      if (r == 0xFFFD && width == 1 && static_cast<unsigned char>(s_[0]) >= 0x80) return false;
      if (r == '[' || r == ']' || r == '\\' || !IsVchar(r)) return false;
      dtext.append(s_.substr(0, width));
      s_.remove_prefix(width);
    }
    s_.remove_prefix(1);
    return ParseIP(dtext);
  }

  bool AddrSpec() {
    std::string_view saved = s_;
    auto fail = [&] {
      s_ = saved;
      return false;
    };
    SkipSpace();
    if (s_.empty()) return fail();
    if (s_[0] == '"') {
      bool empty = true;
      if (!QuotedString(empty) || empty) return fail();
    } else if (!Atom(false)) {
      return fail();
    }
    if (!TakeChar(s_, '@')) return fail();
    SkipSpace();
    if (s_.empty()) return fail();
    if (s_[0] == '[' ? !DomainLiteral() : !Atom(false)) return fail();
    return true;
  }

  bool Phrase() {
    int words = 0;
    while (true) {
      if (words > 0 && !SkipCFWS()) return false;
      SkipSpace();
      if (s_.empty()) break;
      bool ok;
      if (s_[0] == '"') {
        bool empty = true;
        ok = QuotedString(empty);
      } else {
        ok = Atom(true);
      }
      if (!ok) break;
      ++words;
    }
    return words > 0;
  }

  std::string_view s_;
};

bool IsFormat(const std::string& format, const Node& node) {
  static const RE2 kHostname(R"(^([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9]))"
                             R"((\.([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9\-]{0,61}[a-zA-Z0-9]))*$)");
  static const RE2 kUriTemplate("^([^{]*({[^}]*})?)*$");
  static const RE2 kUuid("^(?i)[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$");
  static const RE2 kJsonPointer("^(?:/(?:[^~/]|~0|~1)*)*$");
  static const RE2 kRelativeJsonPointer("^(?:0|[1-9][0-9]*)(?:#|(?:/(?:[^~/]|~0|~1)*)*)$");

  if (!node.is(Node::Type::kString)) return true;  // every checker passes non-strings
  const std::string& s = node.text;
  if (format == "date") return IsDate(s);
  if (format == "time") return IsTime(s, true) || IsTime(s, false);
  if (format == "date-time") return IsTime(s, false) || IsTime(s, true) || IsDate(s) || IsRfc3339(s);
  if (format == "hostname") return RE2::PartialMatch(s, kHostname) && s.size() < 256;
  if (format == "email" || format == "idn-email") return MailParser(s).ParseSingleAddress();
  if (format == "ipv4") return ParseIP(s) && s.find('.') != std::string::npos;
  if (format == "ipv6") return ParseIP(s) && s.find(':') != std::string::npos;
  bool backslash = s.find('\\') != std::string::npos;
  if (format == "uri" || format == "iri") {
    auto u = ParseUrl(s);
    return u.ok() && !u->scheme.empty() && !backslash;
  }
  if (format == "uri-reference" || format == "iri-reference") return ParseUrl(s).ok() && !backslash;
  if (format == "uri-template") {
    auto u = ParseUrl(s);
    return u.ok() && !backslash && RE2::PartialMatch(UnescapedPath(*u), kUriTemplate);
  }
  if (format == "uuid") return RE2::PartialMatch(s, kUuid);
  if (format == "regex") {
    if (s.empty()) return true;
    RE2::Options options;
    options.set_log_errors(false);
    return RE2(s, options).ok();
  }
  if (format == "json-pointer") return RE2::PartialMatch(s, kJsonPointer);
  if (format == "relative-json-pointer") return RE2::PartialMatch(s, kRelativeJsonPointer);
  return true;  // unknown formats pass, as in gojsonschema
}

}  // namespace

// ---- Compiled schemas. ----

// gojsonschema's drafts; "hybrid" (no "$schema") accepts every draft's
// keywords, and booleans as schemas.
enum Draft : int { kDraft4 = 4, kDraft6 = 6, kDraft7 = 7, kHybrid = INT_MAX };

// additionalItems / additionalProperties: absent, a boolean, or a schema.
enum class Additional : uint8_t { kAbsent, kFalse, kTrue, kSchema };

struct SubSchema {
  struct Dependency {
    std::string key;
    std::vector<std::string> required;  // when schema is null
    const SubSchema* schema = nullptr;
  };
  struct PatternProperty {
    std::unique_ptr<RE2> regex;
    const SubSchema* schema = nullptr;
  };

  int draft = kHybrid;
  std::string property;      // the name under "properties"
  std::optional<bool> pass;  // a boolean schema
  std::vector<std::string> types;
  const SubSchema* ref_schema = nullptr;

  std::vector<const SubSchema*> items;
  bool items_single = false;
  Additional additional_items = Additional::kAbsent;
  const SubSchema* additional_items_schema = nullptr;
  std::optional<int64_t> min_items, max_items;
  bool unique_items = false;
  const SubSchema* contains = nullptr;

  std::vector<const SubSchema*> properties;  // sorted by property
  std::vector<PatternProperty> pattern_properties;
  Additional additional_properties = Additional::kAbsent;
  const SubSchema* additional_properties_schema = nullptr;
  const SubSchema* property_names = nullptr;
  std::vector<Dependency> dependencies;  // sorted by key
  std::vector<std::string> required;
  std::optional<int64_t> min_properties, max_properties;

  std::optional<Decimal> multiple_of, minimum, maximum, exclusive_minimum, exclusive_maximum;
  std::optional<int64_t> min_length, max_length;
  std::unique_ptr<RE2> pattern;
  std::string format;

  std::optional<std::string> const_value;  // canonical JSON
  bool enum_present = false;
  std::vector<std::string> enum_values;  // canonical JSON

  std::vector<const SubSchema*> any_of, one_of, all_of;
  const SubSchema* not_schema = nullptr;
  const SubSchema* if_schema = nullptr;
  const SubSchema* then_schema = nullptr;
  const SubSchema* else_schema = nullptr;
};

const Node* Node::Find(std::string_view key) const {
  auto it = std::lower_bound(members.begin(), members.end(), key,
                             [](const auto& m, std::string_view k) { return m.first < k; });
  return it != members.end() && it->first == key ? &it->second : nullptr;
}

Node* Node::Find(std::string_view key) {
  return const_cast<Node*>(static_cast<const Node*>(this)->Find(key));
}

Schema::Schema() = default;
Schema::~Schema() = default;

namespace {

constexpr size_t kMaxSubSchemas = 200'000;
constexpr int kMaxParseDepth = static_cast<int>(kMaxDepth) + 8;
constexpr size_t kMaxValidationSteps = 1'000'000;
// Nesting of schemas within schemas while validating (document depth plus
// anyOf, not, ... reached through "$ref"), and the length of a chain of
// "$ref"s; a schema that recurses without consuming the document hits one.
constexpr int kMaxValidationDepth = 1'000;

const char* const kJsonTypes[] = {"array", "boolean", "integer", "number", "null", "object", "string"};

Error SchemaError(std::string message) { return Error::Input(std::move(message)); }

Error InvalidType(std::string_view expected, std::string_view given) {
  return SchemaError("Invalid type. Expected: " + std::string(expected) + ", given: " + std::string(given));
}

bool IsSchemaNode(const Node& n) { return n.is(Node::Type::kObject) || n.is(Node::Type::kBool); }

std::optional<Decimal> NumberOf(const Node& n) {
  if (!n.is(Node::Type::kNumber)) return std::nullopt;
  return ParseDecimal(n.text);
}

// gojsonschema's mustBeInteger: an integral json.Number that Int64() reads,
// so 1.0 (integral but not integer text) does not qualify.
std::optional<int64_t> IntegerOf(const Node& n) {
  auto d = NumberOf(n);
  if (!d || !d->IsInteger()) return std::nullopt;
  return GoParseInt(n.text);
}

// Draft from "$schema" (gojsonschema's parseSchemaURL).
Result<std::optional<int>> DraftOf(const Node& doc) {
  if (doc.is(Node::Type::kBool)) return std::optional<int>();
  if (!doc.is(Node::Type::kObject)) return SchemaError("schema is invalid");
  const Node* s = doc.Find("$schema");
  if (s == nullptr) return std::optional<int>();
  if (!s->is(Node::Type::kString)) return SchemaError("$schema must be of type string");
  auto ref = NewJsonReference(s->text);
  if (!ref.ok()) return ref.error();
  std::string url = ref->String();
  if (url == "http://json-schema.org/draft-04/schema") return std::optional<int>(kDraft4);
  if (url == "http://json-schema.org/draft-06/schema") return std::optional<int>(kDraft6);
  if (url == "http://json-schema.org/draft-07/schema") return std::optional<int>(kDraft7);
  return std::optional<int>();
}

class Parser {
 public:
  explicit Parser(std::vector<std::unique_ptr<SubSchema>>& arena) : arena_(arena) {}

  Result<const SubSchema*> Compile(Node& doc) {
    // The root document is pooled under the empty reference, as a string or
    // Go loader's "#" is.
    auto draft = DraftOf(doc);
    if (!draft.ok()) return draft.error();
    ResolveReferences(doc, JsonReference{}, *draft, 0);
    pool_[""] = PoolDocument{&doc, *draft};
    auto root = New(draft->value_or(kHybrid), "(root)");
    if (!root.ok()) return root.error();
    Status s = Parse(doc, *root, 0);
    // Targets of references, in the order they were first seen; parsing one
    // may queue more.
    for (size_t i = 0; s.ok() && i < pending_.size(); ++i)
      s = Parse(*pending_[i].first, pending_[i].second, 0);
    if (!s.ok()) return s.error();
    return static_cast<const SubSchema*>(*root);
  }

 private:
  struct PoolDocument {
    const Node* doc;
    std::optional<int> draft;
  };

  Result<SubSchema*> New(int draft, std::string property) {
    if (arena_.size() >= kMaxSubSchemas) {
      return SchemaError("schema has more than " + std::to_string(kMaxSubSchemas) + " subschemas");
    }
    arena_.push_back(std::make_unique<SubSchema>());
    arena_.back()->draft = draft;
    arena_.back()->property = std::move(property);
    return arena_.back().get();
  }

  // gojsonschema's parseReferencesRecursive: pools every "$id" and rewrites
  // every "$ref" to an absolute reference against the enclosing "$id".
  // Failures are silent here; parsing reports them.
  void ResolveReferences(Node& node, const JsonReference& base, std::optional<int> draft, size_t depth) {
    if (depth > kMaxDepth) return;
    if (node.is(Node::Type::kArray)) {
      for (Node& item : node.items) ResolveReferences(item, base, draft, depth + 1);
      return;
    }
    if (!node.is(Node::Type::kObject)) return;
    JsonReference local = base;
    const Node* id = node.Find("id");
    if (id == nullptr) id = node.Find("$id");
    if (id != nullptr && id->is(Node::Type::kString)) {
      auto ref = NewJsonReference(id->text);
      if (ref.ok()) {
        auto inherited = Inherits(base, *ref);
        if (inherited.ok()) {
          std::string key = inherited->String();
          if (pool_.count(key) != 0) return;  // "Reference already exists"
          pool_[key] = PoolDocument{&node, draft};
          local = std::move(*inherited);
        }
      }
    }
    if (Node* ref = node.Find("$ref"); ref != nullptr && ref->is(Node::Type::kString)) {
      auto child = NewJsonReference(ref->text);
      if (child.ok()) {
        auto absolute = Inherits(local, *child);
        if (absolute.ok()) ref->text = absolute->String();
      }
    }
    for (auto& [key, value] : node.members) {
      if (key == "const" || key == "enum") continue;  // literal values, not schemas
      if (key == "properties" || key == "dependencies" || key == "patternProperties") {
        if (value.is(Node::Type::kObject)) {
          for (auto& [name, child] : value.members) ResolveReferences(child, local, draft, depth + 2);
        }
      } else {
        ResolveReferences(value, local, draft, depth + 1);
      }
    }
  }

  // gojsonschema's schemaPool.GetDocument, without remote loading.
  Result<PoolDocument> GetDocument(const JsonReference& ref) {
    std::string key = ref.String();
    if (auto it = pool_.find(key); it != pool_.end()) return it->second;
    Url base = ref.url;
    base.fragment.clear();
    base.raw_fragment.clear();
    std::string base_key = base.String();
    if (auto it = pool_.find(base_key); it != pool_.end()) {
      auto doc = PointerGet(it->second.doc, ref.pointer);
      if (!doc.ok()) return doc.error();
      PoolDocument found{*doc, it->second.draft};
      pool_[key] = found;
      return found;
    }
    if (!ref.IsCanonical()) return SchemaError("Reference " + key + " must be canonical");
    if (ref.has_file_scheme) return SchemaError("file reference loading disabled: " + base_key);
    return SchemaError("remote reference loading disabled: " + base_key);
  }

  static Result<const std::string*> GetString(const Node& m, std::string_view key) {
    const Node* v = m.Find(key);
    if (v == nullptr) return static_cast<const std::string*>(nullptr);
    if (!v->is(Node::Type::kString)) return InvalidType("string", key);
    return &v->text;
  }

  static Result<const std::vector<Node>*> GetSlice(const Node& m, std::string_view key) {
    const Node* v = m.Find(key);
    if (v == nullptr) return static_cast<const std::vector<Node>*>(nullptr);
    if (!v->is(Node::Type::kArray)) return SchemaError(std::string(key) + " must be of an array");
    return &v->items;
  }

  Result<const SubSchema*> Child(const Node& node, const SubSchema* parent, std::string property, int depth) {
    auto child = New(parent->draft, std::move(property));
    if (!child.ok()) return child.error();
    Status s = Parse(node, *child, depth + 1);
    if (!s.ok()) return s.error();
    return static_cast<const SubSchema*>(*child);
  }

  // A child that must be an object or a boolean, else `error`.
  Result<const SubSchema*> SchemaChild(const Node& node, const SubSchema* parent, std::string property,
                                       int depth, const Error& error) {
    if (!IsSchemaNode(node)) return error;
    return Child(node, parent, std::move(property), depth);
  }

  static Result<std::optional<int64_t>> NonNegative(const Node& m, std::string_view key) {
    const Node* v = m.Find(key);
    if (v == nullptr) return std::optional<int64_t>();
    auto i = IntegerOf(*v);
    if (!i) return SchemaError(std::string(key) + " must be of an integer");
    if (*i < 0) return SchemaError(std::string(key) + " must be greater than or equal to 0");
    return i;
  }

  static std::unique_ptr<RE2> CompileRegex(const std::string& pattern) {
    RE2::Options options;
    options.set_log_errors(false);
    auto re = std::make_unique<RE2>(pattern, options);
    if (!re->ok()) return nullptr;
    return re;
  }

  Status AddType(SubSchema* s, const std::string& type) {
    if (std::find(std::begin(kJsonTypes), std::end(kJsonTypes), type) == std::end(kJsonTypes)) {
      return SchemaError("has a primitive type that is NOT VALID -- given: /" + type +
                         "/ Expected valid values are:[array boolean integer number null object string]");
    }
    if (std::find(s->types.begin(), s->types.end(), type) != s->types.end()) {
      return SchemaError(type + " type is duplicated");
    }
    s->types.push_back(type);
    return OkStatus();
  }

  // The target of a "$ref" seen for the first time. It is registered before
  // it is parsed, so references back to it (recursive schemas) share it, and
  // its parsing is queued rather than nested, so a long chain of references
  // cannot exhaust the stack.
  Status ParseReference(SubSchema* s, const JsonReference& ref) {
    auto target = New(s->draft, "$ref");
    if (!target.ok()) return target.error();
    ref_pool_[ref.String()] = *target;
    auto doc = GetDocument(ref);
    if (!doc.ok()) return doc.error();
    (*target)->draft = doc->draft.value_or(s->draft);
    if (!IsSchemaNode(*doc->doc)) return SchemaError("valid schema must be of type object");
    pending_.emplace_back(doc->doc, *target);
    s->ref_schema = *target;
    return OkStatus();
  }

  // gojsonschema's parseSchema, keyword by keyword in its order. The groups
  // are separate functions to keep this recursive frame small.
  Status Parse(const Node& m, SubSchema* s, int depth) {
    if (depth > kMaxParseDepth) {
      return SchemaError("schema nests deeper than " + std::to_string(kMaxParseDepth) + " levels");
    }
    if (s->draft >= kDraft6 && m.is(Node::Type::kBool)) {
      s->pass = m.boolean;
      return OkStatus();
    }
    if (!m.is(Node::Type::kObject)) return SchemaError("Expected: valid schema, given: Invalid JSON");
    CUSTODY_RETURN_IF_ERROR(ParseAnnotations(m, s, depth));
    bool referenced = false;
    CUSTODY_RETURN_IF_ERROR(ParseRef(m, s, referenced));
    if (referenced) return OkStatus();  // gojsonschema ignores what follows a new "$ref"
    CUSTODY_RETURN_IF_ERROR(ParseTypes(m, s));
    CUSTODY_RETURN_IF_ERROR(ParseObjectSchemas(m, s, depth));
    CUSTODY_RETURN_IF_ERROR(ParseArraySchemas(m, s, depth));
    CUSTODY_RETURN_IF_ERROR(
        ParseBound(m, s, "minimum", "exclusiveMinimum", s->minimum, s->exclusive_minimum));
    CUSTODY_RETURN_IF_ERROR(
        ParseBound(m, s, "maximum", "exclusiveMaximum", s->maximum, s->exclusive_maximum));
    CUSTODY_RETURN_IF_ERROR(ParseStringLimits(m, s));
    CUSTODY_RETURN_IF_ERROR(ParseCountLimits(m, s, depth));
    CUSTODY_RETURN_IF_ERROR(ParseValues(m, s));
    return ParseCombinators(m, s, depth);
  }

  // id / $id, definitions, title, description.
  Status ParseAnnotations(const Node& m, SubSchema* s, int depth) {
    std::string_view key_id = "$id";
    if (s->draft == kDraft4 || (s->draft == kHybrid && m.Find("id") != nullptr)) key_id = "id";
    auto id = GetString(m, key_id);
    if (!id.ok()) return id.error();
    if (*id != nullptr) {
      auto ref = NewJsonReference(**id);
      if (!ref.ok()) return ref.error();
    }
    if (const Node* defs = m.Find("definitions")) {
      if (!defs->is(Node::Type::kObject)) return InvalidType("array of schemas", "definitions");
      for (const auto& [name, def] : defs->members) {
        auto c = SchemaChild(def, s, "definitions", depth, InvalidType("array of schemas", "definitions"));
        if (!c.ok()) return c.error();
      }
    }
    for (std::string_view key : {"title", "description"}) {
      auto v = GetString(m, key);
      if (!v.ok()) return v.error();
    }
    return OkStatus();
  }

  Status ParseRef(const Node& m, SubSchema* s, bool& referenced) {
    auto ref_text = GetString(m, "$ref");
    if (!ref_text.ok()) return ref_text.error();
    if (*ref_text == nullptr) return OkStatus();
    auto ref = NewJsonReference(**ref_text);
    if (!ref.ok()) return ref.error();
    auto it = ref_pool_.find(ref->String());
    if (it == ref_pool_.end()) {
      referenced = true;
      return ParseReference(s, *ref);
    }
    s->ref_schema = it->second;  // seen before: parsing goes on, as in gojsonschema
    return OkStatus();
  }

  Status ParseTypes(const Node& m, SubSchema* s) {
    const Node* type = m.Find("type");
    if (type == nullptr) return OkStatus();
    if (type->is(Node::Type::kString)) return AddType(s, type->text);
    if (!type->is(Node::Type::kArray)) return InvalidType("type", "string/array of strings");
    for (const Node& t : type->items) {
      if (!t.is(Node::Type::kString)) return InvalidType("type", "string/array of strings");
      CUSTODY_RETURN_IF_ERROR(AddType(s, t.text));
    }
    return OkStatus();
  }

  // properties, additionalProperties, patternProperties, propertyNames,
  // dependencies.
  Status ParseObjectSchemas(const Node& m, SubSchema* s, int depth) {
    if (const Node* props = m.Find("properties")) {
      if (!props->is(Node::Type::kObject)) return SchemaError("properties must be of type object");
      for (const auto& [name, value] : props->members) {
        auto c = Child(value, s, name, depth);
        if (!c.ok()) return c.error();
        s->properties.push_back(*c);
      }
    }

    if (const Node* ap = m.Find("additionalProperties")) {
      if (ap->is(Node::Type::kBool)) {
        s->additional_properties = ap->boolean ? Additional::kTrue : Additional::kFalse;
      } else if (ap->is(Node::Type::kObject)) {
        auto c = Child(*ap, s, "additionalProperties", depth);
        if (!c.ok()) return c.error();
        s->additional_properties = Additional::kSchema;
        s->additional_properties_schema = *c;
      } else {
        return InvalidType("boolean/valid schema", "additionalProperties");
      }
    }

    if (const Node* pp = m.Find("patternProperties")) {
      if (!pp->is(Node::Type::kObject)) return InvalidType("valid schema", "patternProperties");
      for (const auto& [pattern, value] : pp->members) {
        auto regex = CompileRegex(pattern);
        if (regex == nullptr) return SchemaError("Invalid regex pattern '" + pattern + "'");
        auto c = Child(value, s, pattern, depth);
        if (!c.ok()) return c.error();
        s->pattern_properties.push_back(SubSchema::PatternProperty{std::move(regex), *c});
      }
    }

    if (const Node* pn = m.Find("propertyNames"); pn != nullptr && s->draft >= kDraft6) {
      auto c = SchemaChild(*pn, s, "propertyNames", depth, InvalidType("valid schema", "patternProperties"));
      if (!c.ok()) return c.error();
      s->property_names = *c;
    }

    if (const Node* deps = m.Find("dependencies")) {
      if (!deps->is(Node::Type::kObject)) return SchemaError("dependencies must be of type object");
      const Error bad = SchemaError("dependency must be of type schema or array of strings");
      for (const auto& [name, value] : deps->members) {
        if (value.is(Node::Type::kArray)) {
          SubSchema::Dependency dep{name, {}, nullptr};
          for (const Node& v : value.items) {
            if (!v.is(Node::Type::kString)) return bad;
            dep.required.push_back(v.text);
          }
          if (!dep.required.empty()) s->dependencies.push_back(std::move(dep));
        } else if (IsSchemaNode(value)) {
          auto c = Child(value, s, name, depth);
          if (!c.ok()) return c.error();
          s->dependencies.push_back(SubSchema::Dependency{name, {}, *c});
        } else {
          return bad;
        }
      }
    }
    return OkStatus();
  }

  // items, additionalItems, multipleOf.
  Status ParseArraySchemas(const Node& m, SubSchema* s, int depth) {
    if (const Node* items = m.Find("items")) {
      const Error bad = InvalidType("valid schema/array of schemas", "items");
      if (items->is(Node::Type::kArray)) {
        for (const Node& item : items->items) {
          auto c = SchemaChild(item, s, "items", depth, bad);
          if (!c.ok()) return c.error();
          s->items.push_back(*c);
        }
      } else {
        auto c = SchemaChild(*items, s, "items", depth, bad);
        if (!c.ok()) return c.error();
        s->items.push_back(*c);
        s->items_single = true;
      }
    }

    if (const Node* ai = m.Find("additionalItems")) {
      if (ai->is(Node::Type::kBool)) {
        s->additional_items = ai->boolean ? Additional::kTrue : Additional::kFalse;
      } else if (ai->is(Node::Type::kObject)) {
        auto c = Child(*ai, s, "additionalItems", depth);
        if (!c.ok()) return c.error();
        s->additional_items = Additional::kSchema;
        s->additional_items_schema = *c;
      } else {
        return InvalidType("boolean/valid schema", "additionalItems");
      }
    }

    if (const Node* v = m.Find("multipleOf")) {
      auto d = NumberOf(*v);
      if (!d) return InvalidType("number", "multipleOf");
      if (d->IsZero() || d->negative) return SchemaError("multipleOf must be strictly greater than 0");
      s->multiple_of = d;
    }
    return OkStatus();
  }

  // minLength, maxLength, pattern, format.
  Status ParseStringLimits(const Node& m, SubSchema* s) {
    auto min = NonNegative(m, "minLength");
    if (!min.ok()) return min.error();
    auto max = NonNegative(m, "maxLength");
    if (!max.ok()) return max.error();
    s->min_length = *min;
    s->max_length = *max;
    if (*min && *max && **min > **max) return SchemaError("minLength cannot be greater than maxLength");

    auto pattern = GetString(m, "pattern");
    if (!pattern.ok()) return pattern.error();
    if (*pattern != nullptr) {
      s->pattern = CompileRegex(**pattern);
      if (s->pattern == nullptr) return SchemaError("pattern must be a valid regex");
    }
    auto format = GetString(m, "format");
    if (!format.ok()) return format.error();
    if (*format != nullptr) s->format = **format;
    return OkStatus();
  }

  // minProperties, maxProperties, required, minItems, maxItems, uniqueItems,
  // contains.
  Status ParseCountLimits(const Node& m, SubSchema* s, int depth) {
    auto min = NonNegative(m, "minProperties");
    if (!min.ok()) return min.error();
    auto max = NonNegative(m, "maxProperties");
    if (!max.ok()) return max.error();
    s->min_properties = *min;
    s->max_properties = *max;
    if (*min && *max && **min > **max)
      return SchemaError("minProperties cannot be greater than maxProperties");

    auto required = GetSlice(m, "required");
    if (!required.ok()) return required.error();
    if (*required != nullptr) {
      for (const Node& r : **required) {
        if (!r.is(Node::Type::kString)) return InvalidType("string", "required");
        if (std::find(s->required.begin(), s->required.end(), r.text) != s->required.end()) {
          return SchemaError("required items must be unique");
        }
        s->required.push_back(r.text);
      }
    }

    auto min_items = NonNegative(m, "minItems");
    if (!min_items.ok()) return min_items.error();
    auto max_items = NonNegative(m, "maxItems");
    if (!max_items.ok()) return max_items.error();
    s->min_items = *min_items;
    s->max_items = *max_items;

    if (const Node* u = m.Find("uniqueItems")) {
      if (!u->is(Node::Type::kBool)) return SchemaError("uniqueItems must be of a boolean");
      s->unique_items = u->boolean;
    }

    if (const Node* c = m.Find("contains"); c != nullptr && s->draft >= kDraft6) {
      auto child = Child(*c, s, "contains", depth);
      if (!child.ok()) return child.error();
      s->contains = *child;
    }
    return OkStatus();
  }

  // const, enum.
  Status ParseValues(const Node& m, SubSchema* s) {
    if (const Node* c = m.Find("const"); c != nullptr && s->draft >= kDraft6) s->const_value = Canonical(*c);

    auto values = GetSlice(m, "enum");
    if (!values.ok()) return values.error();
    // Present but empty allows nothing; absent allows everything.
    s->enum_present = *values != nullptr;
    if (*values != nullptr) {
      for (const Node& v : **values) {
        std::string c = Canonical(v);
        if (std::find(s->enum_values.begin(), s->enum_values.end(), c) != s->enum_values.end()) {
          return SchemaError("enum items must be unique");
        }
        s->enum_values.push_back(std::move(c));
      }
    }
    return OkStatus();
  }

  // oneOf, anyOf, allOf, not, if, then, else.
  Status ParseCombinators(const Node& m, SubSchema* s, int depth) {
    for (auto [key, list] :
         {std::pair{"oneOf", &s->one_of}, std::pair{"anyOf", &s->any_of}, std::pair{"allOf", &s->all_of}}) {
      auto values = GetSlice(m, key);
      if (!values.ok()) return values.error();
      if (*values == nullptr) continue;
      for (const Node& v : **values) {
        auto c = Child(v, s, key, depth);
        if (!c.ok()) return c.error();
        list->push_back(*c);
      }
    }

    if (const Node* n = m.Find("not")) {
      auto c = SchemaChild(*n, s, "not", depth, SchemaError("not must be of an object"));
      if (!c.ok()) return c.error();
      s->not_schema = *c;
    }

    if (s->draft >= kDraft7) {
      for (auto [key, slot] : {std::pair{"if", &s->if_schema}, std::pair{"then", &s->then_schema},
                               std::pair{"else", &s->else_schema}}) {
        const Node* n = m.Find(key);
        if (n == nullptr) continue;
        auto c = SchemaChild(*n, s, key, depth, SchemaError(std::string(key) + " must be of an object"));
        if (!c.ok()) return c.error();
        *slot = *c;
      }
    }
    return OkStatus();
  }

  // minimum/exclusiveMinimum or maximum/exclusiveMaximum: draft 4 has a
  // boolean flag on the bound, drafts 6 and 7 a number, hybrid either.
  Status ParseBound(const Node& m, SubSchema* s, const char* key, const char* exclusive_key,
                    std::optional<Decimal>& bound, std::optional<Decimal>& exclusive) {
    if (const Node* v = m.Find(key)) {
      bound = NumberOf(*v);
      if (!bound) return SchemaError(std::string(key) + " must be of a number");
    }
    const Node* e = m.Find(exclusive_key);
    if (e == nullptr) return OkStatus();
    auto flag = [&]() -> Status {
      if (!bound) return SchemaError(std::string(exclusive_key) + " cannot be used without " + key);
      if (e->boolean) {
        exclusive = bound;
        bound.reset();
      }
      return OkStatus();
    };
    if (s->draft == kDraft4) {
      if (!e->is(Node::Type::kBool)) return InvalidType("boolean", exclusive_key);
      return flag();
    }
    if (s->draft == kHybrid) {
      if (e->is(Node::Type::kBool)) return flag();
      if (e->is(Node::Type::kNumber)) {
        exclusive = NumberOf(*e);
        return OkStatus();
      }
      return InvalidType("boolean/number", exclusive_key);
    }
    if (!e->is(Node::Type::kNumber)) return InvalidType("number", exclusive_key);
    exclusive = NumberOf(*e);
    return OkStatus();
  }

  std::vector<std::unique_ptr<SubSchema>>& arena_;
  std::map<std::string, PoolDocument> pool_;
  std::map<std::string, SubSchema*> ref_pool_;
  std::vector<std::pair<const Node*, SubSchema*>> pending_;
};

// ---- Validation (gojsonschema's validation.go). ----

// Where in the document an error is: "(root).items.0".
struct Context {
  std::string head;
  const Context* tail = nullptr;

  std::string String() const { return tail == nullptr ? head : tail->String() + "." + head; }
  // ResultError.Field(): the context without its "(root)." prefix.
  std::string Field() const {
    std::string s = String();
    return s.rfind("(root).", 0) == 0 ? s.substr(7) : s;
  }
};

// A validation result. The score says how well a branch matched, so that
// anyOf, oneOf and contains can report the errors of the closest one.
struct Outcome {
  std::vector<ValidationError> errors;
  int score = 0;

  bool Valid() const { return errors.empty(); }
  void Merge(Outcome&& other) {
    errors.insert(errors.end(), std::make_move_iterator(other.errors.begin()),
                  std::make_move_iterator(other.errors.end()));
    score += other.score;
  }
};

class Validator {
 public:
  Outcome Run(const SubSchema* root, const Node& doc) { return Sub(root, doc, Context{"(root)", nullptr}); }

  bool exceeded_steps = false;
  bool exceeded_depth = false;

 private:
  bool Stopped() const { return exceeded_steps || exceeded_depth; }

  static void Fail(Outcome& r, const Context& c, const char* type, std::string description) {
    r.errors.push_back(ValidationError{type, c.Field(), std::move(description)});
    r.score -= 2;
  }

  Outcome Sub(const SubSchema* s, const Node& n, const Context& c) {
    Outcome r;
    Recursive(s, n, r, c);
    return r;
  }

  void Recursive(const SubSchema* s, const Node& n, Outcome& r, const Context& c) {
    if (Stopped()) return;
    // A "$ref" validates its target in place of the schema; chains of them
    // are followed here, without stack, and a chain that does not end (a
    // schema that is only a reference to itself) is cut off.
    for (int links = 0; !s->pass && s->ref_schema != nullptr; ++links) {
      if (links >= kMaxValidationDepth) {
        exceeded_depth = true;
        return;
      }
      s = s->ref_schema;
    }
    if (++steps_ > kMaxValidationSteps) {
      exceeded_steps = true;
      return;
    }
    if (depth_ >= kMaxValidationDepth) {
      exceeded_depth = true;
      return;
    }
    ++depth_;
    RecursiveBody(s, n, r, c);
    --depth_;
  }

  bool HasType(const SubSchema* s, const char* type) const {
    return std::find(s->types.begin(), s->types.end(), type) != s->types.end();
  }

  static std::string TypesText(const SubSchema* s) {
    if (s->types.size() == 1) return s->types[0];
    std::string out = "[";
    for (size_t i = 0; i < s->types.size(); ++i) out += (i > 0 ? "," : "") + s->types[i];
    return out + "]";
  }

  // False when the node's type is not allowed (and reports it).
  bool CheckType(const SubSchema* s, bool allowed, const char* given, Outcome& r, const Context& c) {
    if (s->types.empty() || allowed) return true;
    Fail(r, c, "invalid_type", "Invalid type. Expected: " + TypesText(s) + ", given: " + given);
    return false;
  }

  void RecursiveBody(const SubSchema* s, const Node& n, Outcome& r, const Context& c) {
    if (s->pass) {
      if (!*s->pass) Fail(r, c, "false", "False always fails validation");
      return;
    }
    switch (n.type) {
      case Node::Type::kNull:
        if (!CheckType(s, HasType(s, "null"), "null", r, c)) return;
        ValidateSchema(s, n, r, c);
        ValidateCommon(s, n, r, c);
        break;
      case Node::Type::kNumber: {
        auto value = ParseDecimal(n.text);
        bool is_int = value && value->IsInteger();
        bool ok = HasType(s, "number") || (is_int && HasType(s, "integer"));
        if (!CheckType(s, ok, is_int ? "integer" : "number", r, c)) return;
        ValidateSchema(s, n, r, c);
        if (value) ValidateNumber(s, *value, r, c);
        ValidateCommon(s, n, r, c);
        break;
      }
      case Node::Type::kArray:
        if (!CheckType(s, HasType(s, "array"), "array", r, c)) return;
        ValidateSchema(s, n, r, c);
        ValidateArray(s, n, r, c);
        ValidateCommon(s, n, r, c);
        break;
      case Node::Type::kObject:
        if (!CheckType(s, HasType(s, "object"), "object", r, c)) return;
        ValidateSchema(s, n, r, c);
        ValidateObject(s, n, r, c);
        ValidateCommon(s, n, r, c);
        for (const SubSchema* p : s->properties) {
          if (const Node* v = n.Find(p->property)) Recursive(p, *v, r, Context{p->property, &c});
        }
        break;
      case Node::Type::kBool:
        if (!CheckType(s, HasType(s, "boolean"), "boolean", r, c)) return;
        ValidateSchema(s, n, r, c);
        ValidateCommon(s, n, r, c);
        break;
      case Node::Type::kString:
        if (!CheckType(s, HasType(s, "string"), "string", r, c)) return;
        ValidateSchema(s, n, r, c);
        ValidateCommon(s, n, r, c);
        ValidateString(s, n.text, r, c);
        break;
    }
    ++r.score;
  }

  void ValidateSchema(const SubSchema* s, const Node& n, Outcome& r, const Context& c) {
    if (!s->any_of.empty()) {
      bool valid = false;
      std::optional<Outcome> best;
      for (const SubSchema* branch : s->any_of) {
        Outcome o = Sub(branch, n, c);
        valid = o.Valid();
        if (valid) break;
        if (!best || o.score > best->score) best = std::move(o);
      }
      if (!valid) {
        Fail(r, c, "number_any_of", "Must validate at least one schema (anyOf)");
        if (best) r.Merge(std::move(*best));
      }
    }

    if (!s->one_of.empty()) {
      int validated = 0;
      std::optional<Outcome> best;
      for (const SubSchema* branch : s->one_of) {
        Outcome o = Sub(branch, n, c);
        if (o.Valid()) {
          ++validated;
        } else if (validated == 0 && (!best || o.score > best->score)) {
          best = std::move(o);
        }
      }
      if (validated != 1) {
        Fail(r, c, "number_one_of", "Must validate one and only one schema (oneOf)");
        if (validated == 0 && best) r.Merge(std::move(*best));
      }
    }

    if (!s->all_of.empty()) {
      size_t validated = 0;
      for (const SubSchema* branch : s->all_of) {
        Outcome o = Sub(branch, n, c);
        if (o.Valid()) ++validated;
        r.Merge(std::move(o));
      }
      if (validated != s->all_of.size()) Fail(r, c, "number_all_of", "Must validate all the schemas (allOf)");
    }

    if (s->not_schema != nullptr && Sub(s->not_schema, n, c).Valid()) {
      Fail(r, c, "number_not", "Must not validate the schema (not)");
    }

    if (!s->dependencies.empty() && n.is(Node::Type::kObject)) {
      for (const auto& [key, value] : n.members) {
        auto dep =
            std::lower_bound(s->dependencies.begin(), s->dependencies.end(), key,
                             [](const SubSchema::Dependency& d, const std::string& k) { return d.key < k; });
        if (dep == s->dependencies.end() || dep->key != key) continue;
        if (dep->schema != nullptr) {
          Recursive(dep->schema, n, r, c);
          continue;
        }
        for (const std::string& needed : dep->required) {
          if (n.Find(needed) == nullptr) Fail(r, c, "missing_dependency", "Has a dependency on " + needed);
        }
      }
    }

    if (s->if_schema != nullptr) {
      bool if_valid = Sub(s->if_schema, n, c).Valid();
      if (s->then_schema != nullptr && if_valid) {
        Outcome o = Sub(s->then_schema, n, c);
        if (!o.Valid()) {
          Fail(r, c, "condition_then", "Must validate \"then\" as \"if\" was valid");
          r.Merge(std::move(o));
        }
      }
      if (s->else_schema != nullptr && !if_valid) {
        Outcome o = Sub(s->else_schema, n, c);
        if (!o.Valid()) {
          Fail(r, c, "condition_else", "Must validate \"else\" as \"if\" was not valid");
          r.Merge(std::move(o));
        }
      }
    }
    ++r.score;
  }

  void ValidateCommon(const SubSchema* s, const Node& n, Outcome& r, const Context& c) {
    if (s->const_value) {
      if (Canonical(n) != *s->const_value) {
        Fail(r, c, "const", c.Field() + " does not match: " + *s->const_value);
      }
    }
    if (s->enum_present) {
      std::string value = Canonical(n);
      if (std::find(s->enum_values.begin(), s->enum_values.end(), value) == s->enum_values.end()) {
        std::string allowed;
        for (size_t i = 0; i < s->enum_values.size(); ++i) allowed += (i > 0 ? ", " : "") + s->enum_values[i];
        if (s->enum_values.empty()) allowed = "(none)";
        Fail(r, c, "enum", c.Field() + " must be one of the following: " + allowed);
      }
    }
    if (!s->format.empty() && !IsFormat(s->format, n)) {
      Fail(r, c, "format", "Does not match format '" + s->format + "'");
    }
    ++r.score;
  }

  void ValidateArray(const SubSchema* s, const Node& n, Outcome& r, const Context& c) {
    const std::vector<Node>& values = n.items;
    size_t count = values.size();
    if (s->items_single) {
      for (size_t i = 0; i < count; ++i) r.Merge(Sub(s->items[0], values[i], Context{std::to_string(i), &c}));
    } else if (!s->items.empty()) {
      size_t positional = s->items.size();
      for (size_t i = 0; i < positional && i < count; ++i) {
        r.Merge(Sub(s->items[i], values[i], Context{std::to_string(i), &c}));
      }
      if (positional < count) {
        if (s->additional_items == Additional::kFalse) {
          Fail(r, c, "array_no_additional_items", "No additional items allowed on array");
        } else if (s->additional_items == Additional::kSchema) {
          for (size_t i = positional; i < count; ++i) {
            r.Merge(Sub(s->additional_items_schema, values[i], Context{std::to_string(i), &c}));
          }
        }
      }
    }

    if (s->min_items && static_cast<int64_t>(count) < *s->min_items) {
      Fail(r, c, "array_min_items", "Array must have at least " + std::to_string(*s->min_items) + " items");
    }
    if (s->max_items && static_cast<int64_t>(count) > *s->max_items) {
      Fail(r, c, "array_max_items", "Array must have at most " + std::to_string(*s->max_items) + " items");
    }

    if (s->unique_items) {
      std::map<std::string, size_t> seen;
      for (size_t j = 0; j < count; ++j) {
        std::string value = Canonical(values[j]);
        auto it = seen.find(value);
        if (it != seen.end()) {
          Fail(r, c, "unique",
               "array items[" + std::to_string(it->second) + "," + std::to_string(j) + "] must be unique");
        }
        seen[value] = j;
      }
    }

    if (s->contains != nullptr) {
      bool matched = false;
      std::optional<Outcome> best;
      for (size_t i = 0; i < count; ++i) {
        Outcome o = Sub(s->contains, values[i], Context{std::to_string(i), &c});
        if (o.Valid()) {
          matched = true;
          break;
        }
        if (!best || o.score > best->score) best = std::move(o);
      }
      if (!matched) {
        Fail(r, c, "contains", "At least one of the items must match");
        if (best) r.Merge(std::move(*best));
      }
    }
    ++r.score;
  }

  void ValidateObject(const SubSchema* s, const Node& n, Outcome& r, const Context& c) {
    int64_t count = static_cast<int64_t>(n.members.size());
    if (s->min_properties && count < *s->min_properties) {
      Fail(r, c, "array_min_properties",
           "Must have at least " + std::to_string(*s->min_properties) + " properties");
    }
    if (s->max_properties && count > *s->max_properties) {
      Fail(r, c, "array_max_properties",
           "Must have at most " + std::to_string(*s->max_properties) + " properties");
    }

    for (const std::string& property : s->required) {
      if (n.Find(property) != nullptr) {
        ++r.score;
      } else {
        Fail(r, c, "required", property + " is required");
      }
    }

    for (const auto& [key, value] : n.members) {
      bool described =
          std::binary_search(s->properties.begin(), s->properties.end(), key,
                             [](const auto& a, const auto& b) { return PropertyOf(a) < PropertyOf(b); });
      bool matched = ValidatePatternProperties(s, key, value, r, c);
      if (described || matched) continue;
      if (s->additional_properties == Additional::kFalse) {
        Fail(r, c, "additional_property_not_allowed", "Additional property " + key + " is not allowed");
      } else if (s->additional_properties == Additional::kSchema) {
        r.Merge(Sub(s->additional_properties_schema, value, Context{key, &c}));
      }
    }

    if (s->property_names != nullptr) {
      for (const auto& [key, value] : n.members) {
        Node name;
        name.type = Node::Type::kString;
        name.text = key;
        Outcome o = Sub(s->property_names, name, c);
        if (!o.Valid()) {
          Fail(r, c, "invalid_property_name", "Property name of \"" + key + "\" does not match");
          r.Merge(std::move(o));
        }
      }
    }
    ++r.score;
  }

  static const std::string& PropertyOf(const SubSchema* s) { return s->property; }
  static const std::string& PropertyOf(const std::string& s) { return s; }

  bool ValidatePatternProperties(const SubSchema* s, const std::string& key, const Node& value, Outcome& r,
                                 const Context& c) {
    bool matched = false;
    for (const auto& pp : s->pattern_properties) {
      if (RE2::PartialMatch(key, *pp.regex)) {
        matched = true;
        r.Merge(Sub(pp.schema, value, Context{key, &c}));
      }
    }
    if (matched) ++r.score;
    return matched;
  }

  void ValidateString(const SubSchema* s, const std::string& value, Outcome& r, const Context& c) {
    if (s->min_length || s->max_length) {
      int64_t length = static_cast<int64_t>(RuneCount(value));
      if (s->min_length && length < *s->min_length) {
        Fail(r, c, "string_gte",
             "String length must be greater than or equal to " + std::to_string(*s->min_length));
      }
      if (s->max_length && length > *s->max_length) {
        Fail(r, c, "string_lte",
             "String length must be less than or equal to " + std::to_string(*s->max_length));
      }
    }
    if (s->pattern != nullptr && !RE2::PartialMatch(value, *s->pattern)) {
      Fail(r, c, "pattern", "Does not match pattern '" + s->pattern->pattern() + "'");
    }
    ++r.score;
  }

  void ValidateNumber(const SubSchema* s, const Decimal& value, Outcome& r, const Context& c) {
    if (s->multiple_of && !IsMultipleOf(value, *s->multiple_of)) {
      Fail(r, c, "multiple_of", "Must be a multiple of " + FormatBigFloat(*s->multiple_of));
    }
    if (s->maximum && CompareDecimal(value, *s->maximum) > 0) {
      Fail(r, c, "number_lte", "Must be less than or equal to " + FormatBigFloat(*s->maximum));
    }
    if (s->exclusive_maximum && CompareDecimal(value, *s->exclusive_maximum) >= 0) {
      Fail(r, c, "number_lt", "Must be less than " + FormatBigFloat(*s->exclusive_maximum));
    }
    if (s->minimum && CompareDecimal(value, *s->minimum) < 0) {
      Fail(r, c, "number_gte", "Must be greater than or equal to " + FormatBigFloat(*s->minimum));
    }
    if (s->exclusive_minimum && CompareDecimal(value, *s->exclusive_minimum) <= 0) {
      Fail(r, c, "number_gt", "Must be greater than " + FormatBigFloat(*s->exclusive_minimum));
    }
    ++r.score;
  }

  size_t steps_ = 0;
  int depth_ = 0;
};

// ---- Documents. ----

void SortMembers(std::vector<Member>& members) {
  // Go decodes into a map: for a repeated key the last one wins.
  std::stable_sort(members.begin(), members.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Member> out;
  out.reserve(members.size());
  for (auto& m : members) {
    if (!out.empty() && out.back().first == m.first) {
      out.back().second = std::move(m.second);
    } else {
      out.push_back(std::move(m));
    }
  }
  members = std::move(out);
}

// Builds Nodes from nlohmann's SAX events, keeping number text.
class NodeSax {
 public:
  bool null() { return Put(Node{}); }
  bool boolean(bool b) {
    Node n;
    n.type = Node::Type::kBool;
    n.boolean = b;
    return Put(std::move(n));
  }
  bool number_integer(int64_t i) { return Number(std::to_string(i)); }
  bool number_unsigned(uint64_t u) { return Number(std::to_string(u)); }
  bool number_float(double, const std::string& text) { return Number(text); }
  bool string(std::string& s) {
    Node n;
    n.type = Node::Type::kString;
    n.text = std::move(s);
    return Put(std::move(n));
  }
  bool binary(nlohmann::json::binary_t&) { return false; }
  bool start_object(size_t) { return Open(Node::Type::kObject); }
  bool key(std::string& k) {
    stack_.back().key = std::move(k);
    return true;
  }
  bool end_object() {
    Node n = std::move(stack_.back().node);
    stack_.pop_back();
    SortMembers(n.members);
    return Put(std::move(n));
  }
  bool start_array(size_t) { return Open(Node::Type::kArray); }
  bool end_array() {
    Node n = std::move(stack_.back().node);
    stack_.pop_back();
    return Put(std::move(n));
  }
  bool parse_error(size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

  Node result;
  bool too_deep = false;

 private:
  struct Frame {
    Node node;
    std::string key;
  };
  bool Number(std::string text) {
    Node n;
    n.type = Node::Type::kNumber;
    n.text = std::move(text);
    return Put(std::move(n));
  }
  bool Open(Node::Type type) {
    if (stack_.size() >= kMaxDepth) {
      too_deep = true;
      return false;
    }
    stack_.push_back(Frame{});
    stack_.back().node.type = type;
    return true;
  }
  bool Put(Node n) {
    if (stack_.empty()) {
      result = std::move(n);
    } else if (stack_.back().node.is(Node::Type::kObject)) {
      stack_.back().node.members.emplace_back(std::move(stack_.back().key), std::move(n));
    } else {
      stack_.back().node.items.push_back(std::move(n));
    }
    return true;
  }
  std::vector<Frame> stack_;
};

Error TooDeep() {
  return Error::Input("document nests deeper than " + std::to_string(kMaxDepth) + " levels");
}

Status ConvertValue(const Value& v, Node& out, size_t depth) {
  if (depth > kMaxDepth) return TooDeep();
  switch (v.kind()) {
    case Kind::kUndefined:
    case Kind::kNull:
      out.type = Node::Type::kNull;
      return OkStatus();
    case Kind::kBool:
      out.type = Node::Type::kBool;
      out.boolean = v.as_bool();
      return OkStatus();
    case Kind::kNumber:
      out.type = Node::Type::kNumber;
      out.text = v.NumberText();
      return OkStatus();
    case Kind::kString:
      out.type = Node::Type::kString;
      out.text = v.as_string();
      return OkStatus();
    case Kind::kArray:
    case Kind::kSet: {
      out.type = Node::Type::kArray;
      const ValueVector& items = v.is_array() ? v.array() : v.set();
      out.items.resize(items.size());
      for (size_t i = 0; i < items.size(); ++i)
        CUSTODY_RETURN_IF_ERROR(ConvertValue(items[i], out.items[i], depth + 1));
      return OkStatus();
    }
    case Kind::kObject: {
      out.type = Node::Type::kObject;
      out.members.reserve(v.size());
      for (const auto& [key, value] : v.object()) {
        out.members.emplace_back(key.is_string() ? key.as_string() : key.ToJson(), Node{});
        CUSTODY_RETURN_IF_ERROR(ConvertValue(value, out.members.back().second, depth + 1));
      }
      SortMembers(out.members);
      return OkStatus();
    }
  }
  return OkStatus();
}

}  // namespace

Result<Node> ParseNode(std::string_view text) {
  // nlohmann skips a byte order mark; Go's json.Valid does not.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") return Error::Input("invalid JSON string");
  NodeSax sax;
  bool ok = false;
  try {
    ok = nlohmann::json::sax_parse(text.begin(), text.end(), &sax, nlohmann::json::input_format_t::json, true,
                                   false);
  } catch (...) {
    ok = false;
  }
  if (sax.too_deep) return TooDeep();
  if (!ok) return Error::Input("invalid JSON string");
  return std::move(sax.result);
}

Result<Node> NodeFromValue(const Value& value) {
  Node n;
  CUSTODY_RETURN_IF_ERROR(ConvertValue(value, n, 0));
  return n;
}

Result<std::shared_ptr<const Schema>> Schema::Compile(Node document) {
  std::shared_ptr<Schema> schema(new Schema());
  Parser parser(schema->arena_);
  auto root = parser.Compile(document);
  if (!root.ok()) return root.error();
  schema->root_ = *root;
  return std::shared_ptr<const Schema>(std::move(schema));
}

Result<std::vector<ValidationError>> Schema::Validate(const Node& document) const {
  Validator v;
  Outcome o = v.Run(root_, document);
  if (v.exceeded_steps) {
    return Error::Input("validation needs more than " + std::to_string(kMaxValidationSteps) + " steps");
  }
  if (v.exceeded_depth) {
    return Error::Input("$ref recursion deeper than " + std::to_string(kMaxValidationDepth) + " levels");
  }
  return std::move(o.errors);
}

}  // namespace custody::rego::jsonschema
