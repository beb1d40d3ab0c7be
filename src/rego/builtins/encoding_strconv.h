// Go's strconv quoting, which OPA's error messages carry: strconv.Quote
// (`%q`, and how a Rego string prints) and `%#U`. Header-only; pure functions.
//
// Go decides what to escape with unicode.IsPrint. GoIsPrint follows it for
// ASCII, Latin-1, the separators, format characters, private use areas and
// noncharacters; other code points unassigned in Unicode count as printable
// here (Go would escape them), which only changes how such text is quoted.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace custody::rego {

inline bool GoIsPrint(uint32_t r) {
  if (r < 0x20 || (r >= 0x7F && r <= 0xA0) || r == 0xAD) return false;
  if (r < 0x100) return true;
  if (r >= 0xD800 && r <= 0xDFFF) return false;  // surrogates
  if (r > 0x10FFFF || (r & 0xFFFE) == 0xFFFE || (r >= 0xFDD0 && r <= 0xFDEF)) return false;
  if ((r >= 0xE000 && r <= 0xF8FF) || r >= 0xF0000) return false;  // private use
  if (r == 0x61C || r == 0x6DD || r == 0x70F || r == 0x8E2 || r == 0x1680 || r == 0x180E || r == 0x202F ||
      r == 0x205F || r == 0x3000 || r == 0xFEFF || r == 0x110BD || r == 0x110CD || r == 0xE0001)
    return false;
  if ((r >= 0x600 && r <= 0x605) || (r >= 0x890 && r <= 0x891) || (r >= 0x2000 && r <= 0x200F) ||
      (r >= 0x2028 && r <= 0x202E) || (r >= 0x2060 && r <= 0x206F) || (r >= 0xFFF9 && r <= 0xFFFB) ||
      (r >= 0x13430 && r <= 0x1343F) || (r >= 0x1BCA0 && r <= 0x1BCA3) || (r >= 0x1D173 && r <= 0x1D17A) ||
      (r >= 0xE0020 && r <= 0xE007F))
    return false;
  return true;
}

// Decodes one UTF-8 sequence at s[i] as Go does: an invalid or truncated
// sequence is one byte of U+FFFD (returned as 0xFFFFFFFF so callers can tell).
inline uint32_t GoDecodeRune(std::string_view s, size_t i, size_t* width) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  *width = 1;
  if (c < 0x80) return c;
  size_t n;
  uint32_t cp;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return 0xFFFFFFFF;
  }
  if (i + n > s.size()) return 0xFFFFFFFF;
  for (size_t k = 1; k < n; ++k) {
    unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0xFFFFFFFF;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0xFFFFFFFF;
  *width = n;
  return cp;
}

inline void GoAppendUtf8(std::string& out, uint32_t r) {
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

// strconv.Quote.
inline std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    size_t width;
    uint32_t r = GoDecodeRune(s, i, &width);
    if (r == 0xFFFFFFFF) {
      std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
      i += 1;
      continue;
    }
    i += width;
    if (r == '"' || r == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(r));
    } else if (GoIsPrint(r)) {
      GoAppendUtf8(out, r);
    } else {
      switch (r) {
        case '\a': out += "\\a"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\v': out += "\\v"; break;
        default:
          if (r < ' ' || r == 0x7F) {
            std::snprintf(buf, sizeof buf, "\\x%02x", r);
          } else if (r < 0x10000) {
            std::snprintf(buf, sizeof buf, "\\u%04x", r);
          } else {
            std::snprintf(buf, sizeof buf, "\\U%08x", r);
          }
          out += buf;
      }
    }
  }
  out.push_back('"');
  return out;
}

// Invalid UTF-8 replaced as Go's encoders replace it: each byte that does
// not start a valid sequence becomes U+FFFD.
inline std::string GoToValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t width;
    uint32_t r = GoDecodeRune(s, i, &width);
    if (r == 0xFFFFFFFF) {
      out += "\xEF\xBF\xBD";
      i += 1;
    } else {
      out.append(s.substr(i, width));
      i += width;
    }
  }
  return out;
}

// base64.StdEncoding (or URLEncoding).DecodeString: padding required, '\r'
// and '\n' skipped, trailing bits ignored. On failure sets *bad_offset to
// the byte Go's CorruptInputError names.
inline bool GoBase64Decode(std::string_view src, bool url, std::string* out, size_t* bad_offset) {
  auto value = [url](unsigned char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == (url ? '-' : '+')) return 62;
    if (c == (url ? '_' : '/')) return 63;
    return -1;
  };
  auto fail = [&](size_t at) {
    if (bad_offset != nullptr) *bad_offset = at;
    return false;
  };
  auto newline = [&](size_t i) { return src[i] == '\n' || src[i] == '\r'; };
  out->clear();
  out->reserve(src.size() / 4 * 3);
  size_t n = src.size(), si = 0;
  while (si < n) {
    int dbuf[4] = {0, 0, 0, 0};
    int dlen = 4;
    bool end = false;
    for (int j = 0; j < 4; ++j) {
      if (si == n) {
        if (j == 0) return true;
        return fail(si - static_cast<size_t>(j));
      }
      unsigned char in = static_cast<unsigned char>(src[si++]);
      int v = value(in);
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (in == '\n' || in == '\r') {
        --j;
        continue;
      }
      if (in != '=') return fail(si - 1);
      // Padding: "=" after three characters, "==" after two.
      if (j < 2) return fail(si - 1);
      if (j == 2) {
        while (si < n && newline(si)) ++si;
        if (si == n) return fail(n);
        if (src[si] != '=') return fail(si - 1);
        ++si;
      }
      while (si < n && newline(si)) ++si;
      if (si < n) return fail(si);  // trailing garbage
      dlen = j;
      end = true;
      break;
    }
    uint32_t val = static_cast<uint32_t>(dbuf[0] << 18 | dbuf[1] << 12 | dbuf[2] << 6 | dbuf[3]);
    out->push_back(static_cast<char>(val >> 16));
    if (dlen >= 3) out->push_back(static_cast<char>(val >> 8));
    if (dlen == 4) out->push_back(static_cast<char>(val));
    if (end) return true;
  }
  return true;
}

// fmt's %#U: "U+0067 'g'" (the character only when printable).
inline std::string GoRuneU(uint32_t r) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "U+%04X", r);
  std::string out = buf;
  if (GoIsPrint(r)) {
    out += " '";
    GoAppendUtf8(out, r);
    out += "'";
  }
  return out;
}

}  // namespace custody::rego
