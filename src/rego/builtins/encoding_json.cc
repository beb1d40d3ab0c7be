#include "rego/builtins/encoding_json.h"

#include <vector>

#include "rego/builtins/encoding_strconv.h"
#include "rego/value.h"

namespace custody::rego::gojson {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Go's quoteChar: the byte as a rune in single quotes.
std::string QuoteChar(char c) {
  if (c == '\'') return "'\\''";
  if (c == '"') return "'\"'";
  std::string rune;
  GoAppendUtf8(rune, static_cast<unsigned char>(c));
  std::string q = GoQuote(rune);
  return "'" + q.substr(1, q.size() - 2) + "'";
}

// One pass of Go's scanner over a single value starting at `pos` (after
// whitespace). Errors are Go's SyntaxError texts; running out of input is
// reported separately, since Decode and Valid word it differently.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : t_(text) {}

  size_t pos = 0;
  bool eof = false;   // ran out of input inside the value
  std::string error;  // a syntax error

  void SkipSpace() {
    while (pos < t_.size() && IsSpace(t_[pos])) ++pos;
  }

  // Scans one complete value; false on error or end of input.
  bool Value() {
    std::vector<char> stack;  // '[' or '{' for each open container
    while (true) {
      // A value is expected at pos.
      SkipSpace();
      if (AtEnd()) return false;
      char c = t_[pos];
      if (c == '{') {
        ++pos;
        SkipSpace();
        if (AtEnd()) return false;
        if (t_[pos] == '}') {
          ++pos;
        } else {
          if (!Key("looking for beginning of object key string")) return false;
          stack.push_back('{');
          continue;
        }
      } else if (c == '[') {
        ++pos;
        SkipSpace();
        if (AtEnd()) return false;
        if (t_[pos] == ']') {
          ++pos;
        } else {
          stack.push_back('[');
          continue;
        }
      } else if (!Scalar("looking for beginning of value")) {
        return false;
      }
      // A value ended: close containers or move to the next element.
      while (true) {
        if (stack.empty()) return true;
        SkipSpace();
        if (AtEnd()) return false;
        char d = t_[pos];
        if (stack.back() == '{') {
          if (d == ',') {
            ++pos;
            SkipSpace();
            if (AtEnd()) return false;
            if (!Key("looking for beginning of object key string")) return false;
            break;
          }
          if (d != '}') return Fail(d, "after object key:value pair");
        } else {
          if (d == ',') {
            ++pos;
            break;
          }
          if (d != ']') return Fail(d, "after array element");
        }
        ++pos;
        stack.pop_back();
      }
    }
  }

  // A string, number or literal at pos.
  bool Scalar(const char* context) {
    char c = t_[pos];
    if (c == '"') return String();
    if (c == '-' || IsDigit(c)) return Number();
    if (c == 't') return Literal("true");
    if (c == 'f') return Literal("false");
    if (c == 'n') return Literal("null");
    return Fail(c, context);
  }

  bool String() {
    ++pos;  // the opening quote
    while (true) {
      if (AtEnd()) return false;
      char c = t_[pos];
      if (c == '"') {
        ++pos;
        return true;
      }
      if (c == '\\') {
        ++pos;
        if (AtEnd()) return false;
        char e = t_[pos];
        if (e == 'u') {
          ++pos;
          for (int k = 0; k < 4; ++k) {
            if (AtEnd()) return false;
            if (!IsHex(t_[pos])) return Fail(t_[pos], "in \\u hexadecimal character escape");
            ++pos;
          }
          continue;
        }
        if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos)
          return Fail(e, "in string escape code");
        ++pos;
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail(c, "in string literal");
      ++pos;
    }
  }

  bool Number() {
    if (t_[pos] == '-') {
      ++pos;
      if (AtEnd()) return false;
      if (!IsDigit(t_[pos])) return Fail(t_[pos], "in numeric literal");
    }
    if (t_[pos] == '0') {
      ++pos;
    } else {
      while (pos < t_.size() && IsDigit(t_[pos])) ++pos;
    }
    if (pos < t_.size() && t_[pos] == '.') {
      ++pos;
      if (AtEnd()) return false;
      if (!IsDigit(t_[pos])) return Fail(t_[pos], "after decimal point in numeric literal");
      while (pos < t_.size() && IsDigit(t_[pos])) ++pos;
    }
    if (pos < t_.size() && (t_[pos] == 'e' || t_[pos] == 'E')) {
      ++pos;
      if (AtEnd()) return false;
      if (t_[pos] == '+' || t_[pos] == '-') {
        ++pos;
        if (AtEnd()) return false;
      }
      if (!IsDigit(t_[pos])) return Fail(t_[pos], "in exponent of numeric literal");
      while (pos < t_.size() && IsDigit(t_[pos])) ++pos;
    }
    return true;
  }

  bool Literal(std::string_view word) {
    ++pos;
    for (size_t k = 1; k < word.size(); ++k) {
      if (AtEnd()) return false;
      if (t_[pos] != word[k]) {
        return Fail(t_[pos],
                    ("in literal " + std::string(word) + " (expecting " + QuoteChar(word[k]) + ")").c_str());
      }
      ++pos;
    }
    return true;
  }

 private:
  bool AtEnd() {
    if (pos < t_.size()) return false;
    eof = true;
    return true;
  }
  bool Key(const char* context) {
    if (t_[pos] != '"') return Fail(t_[pos], context);
    if (!String()) return false;
    SkipSpace();
    if (AtEnd()) return false;
    if (t_[pos] != ':') return Fail(t_[pos], "after object key");
    ++pos;
    return true;
  }
  bool Fail(char c, const std::string& context) {
    error = "invalid character " + QuoteChar(c) + " " + context;
    return false;
  }

  std::string_view t_;
};

}  // namespace

bool Valid(std::string_view text) {
  Scanner s(text);
  if (!s.Value()) return false;
  s.SkipSpace();
  return s.pos == text.size();
}

size_t FirstValueEnd(std::string_view text) {
  Scanner s(text);
  s.Value();
  return s.pos;
}

std::string UnmarshalError(std::string_view text) {
  Scanner s(text);
  s.SkipSpace();
  if (s.pos == text.size()) return "EOF";
  if (!s.Value()) return s.eof ? "unexpected EOF" : s.error;
  s.SkipSpace();
  if (s.pos == text.size()) return "";
  // OPA reads one more token and refuses whatever it is, except null (which
  // Go's decoder hands back as a nil token).
  char c = text[s.pos];
  auto after = [](std::string_view token) {
    return "error: invalid character '" + std::string(token) + "' after top-level value";
  };
  if (c == '{' || c == '[') return after(std::string(1, c));
  size_t start = s.pos;
  if (c == '"' || c == '-' || IsDigit(c) || c == 't' || c == 'f' || c == 'n') {
    if (!s.Scalar("looking for beginning of value")) return s.eof ? "unexpected EOF" : s.error;
    std::string_view token = text.substr(start, s.pos - start);
    if (c == 'n') return "";
    if (c == 't' || c == 'f') return after(c == 't' ? "%!s(bool=true)" : "%!s(bool=false)");
    if (c == '"') {
      auto decoded = ParseJsonValue(token, "json");
      return after(decoded.ok() && decoded->is_string() ? decoded->as_string()
                                                        : token.substr(1, token.size() - 2));
    }
    return after(token);
  }
  return "invalid character " + QuoteChar(c) + " looking for beginning of value";
}

std::string Indent(std::string_view src, std::string_view prefix, std::string_view indent) {
  std::string out;
  out.reserve(src.size() * 2);
  int depth = 0;
  bool need_indent = false;
  bool in_string = false;
  auto newline = [&] {
    out.push_back('\n');
    out.append(prefix);
    for (int i = 0; i < depth; ++i) out.append(indent);
  };
  for (size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < src.size()) {
        out.push_back(src[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (IsSpace(c)) continue;
    if (need_indent && c != '}' && c != ']') {
      need_indent = false;
      ++depth;
      newline();
    }
    switch (c) {
      case '"':
        in_string = true;
        out.push_back(c);
        break;
      case '{':
      case '[':
        // Delayed, so that empty objects and arrays stay {} and [].
        need_indent = true;
        out.push_back(c);
        break;
      case ',':
        out.push_back(c);
        newline();
        break;
      case ':':
        out.push_back(c);
        out.push_back(' ');
        break;
      case '}':
      case ']':
        if (need_indent) {
          need_indent = false;
        } else {
          --depth;
          newline();
        }
        out.push_back(c);
        break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace custody::rego::gojson
