// UTF-8 decoding exactly as Go's unicode/utf8.DecodeRune does it, for
// built-ins whose results depend on Go's treatment of invalid bytes (count of
// a string counts each invalid byte as one rune, U+FFFD).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace custody::rego::go_utf8 {

inline constexpr char32_t kRuneError = 0xFFFD;

struct Rune {
  char32_t rune;  // kRuneError for an invalid byte
  size_t size;    // bytes consumed; 1 for an invalid byte, 0 only at the end
};

// Decodes the rune at the start of `s`. Overlong forms, surrogates, values
// above U+10FFFF and truncated sequences are invalid: one byte, U+FFFD.
inline Rune DecodeRune(std::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  if (c < 0x80) return {c, 1};
  auto cont = [&](size_t i, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i < s.size() && b(i) >= lo && b(i) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF) {
    if (cont(1)) return {static_cast<char32_t>((c & 0x1F) << 6 | (b(1) & 0x3F)), 2};
  } else if (c >= 0xE0 && c <= 0xEF) {
    // Second-byte ranges exclude overlong forms (E0) and surrogates (ED).
    unsigned char lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    if (cont(1, lo, hi) && cont(2)) {
      return {static_cast<char32_t>((c & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F)), 3};
    }
  } else if (c >= 0xF0 && c <= 0xF4) {
    unsigned char lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      return {
          static_cast<char32_t>((c & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F)),
          4};
    }
  }
  return {kRuneError, 1};
}

// len([]rune(s)) in Go.
inline size_t RuneCount(std::string_view s) {
  size_t n = 0;
  while (!s.empty()) {
    s.remove_prefix(DecodeRune(s).size);
    ++n;
  }
  return n;
}

}  // namespace custody::rego::go_utf8
