// GraphQL lexer and parser, and the conversion of documents to and from the
// JSON shape the graphql.* built-ins exchange with policies. The grammar, the
// token positions and the error texts follow gqlparser v2.5 (OPA's copy), so
// that errors read "Expected Name, found <EOF>" at the same line and column.
#include "rego/builtins/graphql_parser.h"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <functional>
#include <utility>

namespace custody::rego::graphql {

// ---- Text helpers ----

namespace {

// Go's utf8.DecodeRuneInString: (rune, width), (U+FFFD, 1) for invalid bytes.
std::pair<uint32_t, int> DecodeRune(std::string_view s, size_t i) {
  if (i >= s.size()) return {0xFFFD, 0};
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char b0 = b(0);
  if (b0 < 0x80) return {b0, 1};
  auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i + k < s.size() && b(k) >= lo && b(k) <= hi;
  };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (cont(1)) return {static_cast<uint32_t>((b0 & 0x1F) << 6 | (b(1) & 0x3F)), 2};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    if (cont(1, lo, hi) && cont(2)) {
      return {static_cast<uint32_t>((b0 & 0x0F) << 12 | (b(1) & 0x3F) << 6 | (b(2) & 0x3F)), 3};
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      return {
          static_cast<uint32_t>((b0 & 0x07) << 18 | (b(1) & 0x3F) << 12 | (b(2) & 0x3F) << 6 | (b(3) & 0x3F)),
          4};
    }
  }
  return {0xFFFD, 1};
}

// Go's utf8.AppendRune / WriteRune: invalid code points become U+FFFD.
void AppendRune(std::string& out, uint32_t r) {
  if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) r = 0xFFFD;
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

// Go's string(b) for a byte b: the code point U+00bb, UTF-8 encoded. gqlparser
// formats offending characters this way, so "é" is reported as "Ã".
std::string ByteAsRune(unsigned char b) {
  std::string s;
  AppendRune(s, b);
  return s;
}

// An approximation of Go's unicode.IsPrint without the Unicode tables: the
// controls, the separators and format characters that occur in practice, and
// private use are not printable.
bool IsPrint(uint32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r < 0xA0 || r == 0xA0 || r == 0xAD) return false;
  if (r == 0x61C || (r >= 0x600 && r <= 0x605) || r == 0x6DD || r == 0x70F || r == 0x1680 || r == 0x180E) {
    return false;
  }
  if ((r >= 0x2000 && r <= 0x200F) || (r >= 0x2028 && r <= 0x202F) || (r >= 0x205F && r <= 0x206F))
    return false;
  if (r == 0x3000 || r == 0xFEFF || (r >= 0xFFF9 && r <= 0xFFFB) || r == 0xFFFE || r == 0xFFFF) return false;
  if ((r >= 0xD800 && r <= 0xF8FF) || r >= 0xF0000) return false;  // surrogates, private use
  if (r >= 0xE0000 && r <= 0xE007F) return false;
  return true;
}

std::string Itoa(long long v) { return std::to_string(v); }

}  // namespace

std::string GoQuote(std::string_view s) {
  static const char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    auto [r, w] = DecodeRune(s, i);
    if (w == 1 && r == 0xFFFD) {
      unsigned char b = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 0xF];
      i += 1;
      continue;
    }
    if (r == '"' || r == '\\') {
      out += '\\';
      out += static_cast<char>(r);
    } else if (IsPrint(r)) {
      out.append(s.substr(i, static_cast<size_t>(w)));
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
            out += "\\x";
            out += kHex[(r >> 4) & 0xF];
            out += kHex[r & 0xF];
          } else if (r < 0x10000) {
            out += "\\u";
            for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(r >> shift) & 0xF];
          } else {
            out += "\\U";
            for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(r >> shift) & 0xF];
          }
      }
    }
    i += static_cast<size_t>(w);
  }
  out += '"';
  return out;
}

std::string GqlError::Text() const {
  std::string out = pos.prelude ? "prelude.graphql" : "input";
  if (pos.set) out += ":" + Itoa(pos.line) + ":" + Itoa(pos.column);
  out += ": " + message;
  return out;
}

// ---- AST helpers ----

const std::string& Type::Name() const {
  static const std::string kEmpty;
  const Type* t = this;
  // Iterative: a decoded document may nest list types deeply.
  while (t->named_type.empty()) {
    if (t->elem == nullptr) return kEmpty;
    t = t->elem;
  }
  return t->named_type;
}

std::string Type::String() const {
  std::string prefix, suffix;
  const Type* t = this;
  while (t->named_type.empty() && t->elem != nullptr) {
    prefix += '[';
    suffix.insert(0, t->non_null ? "]!" : "]");
    t = t->elem;
  }
  return prefix + t->named_type + (t->non_null ? "!" : "") + suffix;
}

bool Type::IsCompatible(const Type& other) const {
  const Type* t = this;
  const Type* o = &other;
  while (true) {
    if (t->named_type != o->named_type) return false;
    if (t->elem != nullptr && o->elem == nullptr) return false;
    if (o->non_null && !t->non_null) return false;
    if (t->elem == nullptr) return true;
    t = t->elem;
    o = o->elem;
  }
}

std::string ValueNode::String() const {
  switch (kind) {
    case kVariable: return "$" + raw;
    case kIntValue:
    case kFloatValue:
    case kEnumValue:
    case kBooleanValue:
    case kNullValue: return raw;
    case kStringValue:
    case kBlockValue: return GoQuote(raw);
    case kListValue: {
      std::string out = "[";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out += ",";
        out += children[i]->value != nullptr ? children[i]->value->String() : "<nil>";
      }
      return out + "]";
    }
    case kObjectValue: {
      std::string out = "{";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i > 0) out += ",";
        out += children[i]->name + ":" +
               (children[i]->value != nullptr ? children[i]->value->String() : "<nil>");
      }
      return out + "}";
    }
    default: return "<unknown value kind " + Itoa(kind) + ">";
  }
}

Definition* Schema::TypeNamed(const std::string& name) const {
  auto it = types.find(name);
  return it == types.end() ? nullptr : it->second;
}

const std::vector<Definition*>& Schema::PossibleTypes(const std::string& name) const {
  static const std::vector<Definition*> kNone;
  auto it = possible_types.find(name);
  return it == possible_types.end() ? kNone : it->second;
}

// ---- Lexer (gqlparser lexer/lexer.go) ----

namespace {

enum class Tok {
  kInvalid,
  kEOF,
  kBang,
  kDollar,
  kAmp,
  kParenL,
  kParenR,
  kSpread,
  kColon,
  kEquals,
  kAt,
  kBracketL,
  kBracketR,
  kBraceL,
  kBraceR,
  kPipe,
  kName,
  kInt,
  kFloat,
  kString,
  kBlockString,
};

const char* TokText(Tok t) {
  switch (t) {
    case Tok::kInvalid: return "<Invalid>";
    case Tok::kEOF: return "<EOF>";
    case Tok::kBang: return "!";
    case Tok::kDollar: return "$";
    case Tok::kAmp: return "&";
    case Tok::kParenL: return "(";
    case Tok::kParenR: return ")";
    case Tok::kSpread: return "...";
    case Tok::kColon: return ":";
    case Tok::kEquals: return "=";
    case Tok::kAt: return "@";
    case Tok::kBracketL: return "[";
    case Tok::kBracketR: return "]";
    case Tok::kBraceL: return "{";
    case Tok::kBraceR: return "}";
    case Tok::kPipe: return "|";
    case Tok::kName: return "Name";
    case Tok::kInt: return "Int";
    case Tok::kFloat: return "Float";
    case Tok::kString: return "String";
    case Tok::kBlockString: return "BlockString";
  }
  return "Unknown";
}

struct Token {
  Tok kind = Tok::kInvalid;
  std::string value;
  Pos pos;

  // gqlparser's Token.String(): `Name "foo"`, or just the kind.
  std::string String() const {
    if (!value.empty()) return std::string(TokText(kind)) + " " + GoQuote(value);
    return TokText(kind);
  }
};

// The spec's BlockStringValue as gqlparser implements it (the first line
// counts towards the common indentation).
std::string BlockStringValue(const std::string& raw) {
  std::vector<std::string> lines;
  size_t from = 0;
  while (true) {
    size_t nl = raw.find('\n', from);
    if (nl == std::string::npos) {
      lines.push_back(raw.substr(from));
      break;
    }
    lines.push_back(raw.substr(from, nl - from));
    from = nl + 1;
  }
  auto leading_ws = [](const std::string& line) -> size_t {
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] != ' ' && line[i] != '\t') return i;
    }
    return static_cast<size_t>(INT32_MAX);  // blank lines do not count
  };
  size_t common = static_cast<size_t>(INT32_MAX);
  for (const std::string& line : lines) {
    size_t indent = leading_ws(line);
    if (indent < line.size() && indent < common) {
      common = indent;
      if (common == 0) break;
    }
  }
  if (common != static_cast<size_t>(INT32_MAX)) {
    for (size_t i = 1; i < lines.size(); ++i) {
      lines[i] = lines[i].size() < common ? std::string() : lines[i].substr(common);
    }
  }
  size_t start = 0, end = lines.size();
  while (start < end && leading_ws(lines[start]) == static_cast<size_t>(INT32_MAX)) ++start;
  while (start < end && leading_ws(lines[end - 1]) == static_cast<size_t>(INT32_MAX)) --end;
  std::string out;
  for (size_t i = start; i < end; ++i) {
    if (i > start) out += '\n';
    out += lines[i];
  }
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view input, bool prelude) : in_(input), prelude_(prelude) {}

  // The next token; false (with *error set) for a token gqlparser rejects,
  // which then has kind kInvalid.
  bool ReadToken(Token* tok, GqlError* error) {
    while (true) {
      Whitespace();
      start_ = end_;
      start_runes_ = end_runes_;
      if (end_ >= in_.size()) return Make(Tok::kEOF, tok);
      unsigned char r = static_cast<unsigned char>(in_[start_]);
      ++end_;
      ++end_runes_;
      switch (r) {
        case '!': return MakeValue(Tok::kBang, "", tok);
        case '$': return MakeValue(Tok::kDollar, "", tok);
        case '&': return MakeValue(Tok::kAmp, "", tok);
        case '(': return MakeValue(Tok::kParenL, "", tok);
        case ')': return MakeValue(Tok::kParenR, "", tok);
        case '.':
          if (in_.size() > start_ + 2 && in_.substr(start_, 3) == "...") {
            end_ += 2;
            end_runes_ += 2;
            return MakeValue(Tok::kSpread, "", tok);
          }
          break;
        case ':': return MakeValue(Tok::kColon, "", tok);
        case '=': return MakeValue(Tok::kEquals, "", tok);
        case '@': return MakeValue(Tok::kAt, "", tok);
        case '[': return MakeValue(Tok::kBracketL, "", tok);
        case ']': return MakeValue(Tok::kBracketR, "", tok);
        case '{': return MakeValue(Tok::kBraceL, "", tok);
        case '}': return MakeValue(Tok::kBraceR, "", tok);
        case '|': return MakeValue(Tok::kPipe, "", tok);
        case '#': Comment(); continue;
        case '"':
          if (in_.size() > start_ + 2 && in_.substr(start_, 3) == "\"\"\"") return BlockString(tok, error);
          return String(tok, error);
        default:
          if (r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z')) return Name(tok);
          if (r == '-' || (r >= '0' && r <= '9')) return Number(tok, error);
          break;
      }
      --end_;
      --end_runes_;
      if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "Cannot contain the invalid character \"\\u%04d\"", r);
        return Fail(buf, tok, error);
      }
      if (r == '\'') {
        return Fail("Unexpected single quote character ('), did you mean to use a double quote (\")?", tok,
                    error);
      }
      return Fail("Cannot parse the unexpected character \"" + ByteAsRune(r) + "\".", tok, error);
    }
  }

 private:
  Pos At(int line, int column) const { return Pos{line, column, true, prelude_}; }

  bool MakeValue(Tok kind, std::string value, Token* tok) {
    tok->kind = kind;
    tok->value = std::move(value);
    tok->pos = At(line_, start_runes_ - line_start_runes_ + 1);
    return true;
  }
  bool Make(Tok kind, Token* tok) {
    return MakeValue(kind, std::string(in_.substr(start_, end_ - start_)), tok);
  }

  bool Fail(const std::string& message, Token* tok, GqlError* error) {
    int column = end_runes_ - line_start_runes_ + 1;
    tok->kind = Tok::kInvalid;
    tok->value.clear();
    tok->pos = At(line_, column);
    *error = GqlError{message, tok->pos};
    return false;
  }

  void Whitespace() {
    while (end_ < in_.size()) {
      unsigned char c = static_cast<unsigned char>(in_[end_]);
      if (c == '\t' || c == ' ' || c == ',') {
        ++end_;
        ++end_runes_;
      } else if (c == '\n') {
        ++end_;
        ++end_runes_;
        ++line_;
        line_start_runes_ = end_runes_;
      } else if (c == '\r') {
        ++end_;
        ++end_runes_;
        ++line_;
        line_start_runes_ = end_runes_;
        if (end_ < in_.size() && in_[end_] == '\n') {
          ++end_;
          ++end_runes_;
        }
      } else if (c == 0xEF && end_ + 2 < in_.size() && static_cast<unsigned char>(in_[end_ + 1]) == 0xBB &&
                 static_cast<unsigned char>(in_[end_ + 2]) == 0xBF) {
        end_ += 3;  // byte order mark
        ++end_runes_;
      } else {
        return;
      }
    }
  }

  void Comment() {
    while (end_ < in_.size()) {
      auto [r, w] = DecodeRune(in_, end_);
      if (r > 0x1F || r == '\t') {
        end_ += static_cast<size_t>(w);
        ++end_runes_;
      } else {
        break;
      }
    }
  }

  bool AcceptByte(char a, char b = 0) {
    if (end_ >= in_.size()) return false;
    if (in_[end_] == a || (b != 0 && in_[end_] == b)) {
      ++end_;
      ++end_runes_;
      return true;
    }
    return false;
  }
  int AcceptDigits() {
    int consumed = 0;
    while (end_ < in_.size() && in_[end_] >= '0' && in_[end_] <= '9') {
      ++end_;
      ++end_runes_;
      ++consumed;
    }
    return consumed;
  }
  std::string DescribeNext() const {
    if (end_ < in_.size()) return "\"" + ByteAsRune(static_cast<unsigned char>(in_[end_])) + "\"";
    return "<EOF>";
  }

  bool Number(Token* tok, GqlError* error) {
    bool is_float = false;
    --end_;
    --end_runes_;
    AcceptByte('-');
    if (AcceptByte('0')) {
      if (int consumed = AcceptDigits(); consumed != 0) {
        end_ -= static_cast<size_t>(consumed);
        end_runes_ -= consumed;
        return Fail("Invalid number, unexpected digit after 0: " + DescribeNext() + ".", tok, error);
      }
    } else if (AcceptDigits() == 0) {
      return Fail("Invalid number, expected digit but got: " + DescribeNext() + ".", tok, error);
    }
    if (AcceptByte('.')) {
      is_float = true;
      if (AcceptDigits() == 0)
        return Fail("Invalid number, expected digit but got: " + DescribeNext() + ".", tok, error);
    }
    if (AcceptByte('e', 'E')) {
      is_float = true;
      AcceptByte('-', '+');
      if (AcceptDigits() == 0)
        return Fail("Invalid number, expected digit but got: " + DescribeNext() + ".", tok, error);
    }
    return Make(is_float ? Tok::kFloat : Tok::kInt, tok);
  }

  static bool Unhex(std::string_view s, uint32_t* out) {
    uint32_t v = 0;
    for (char c : s) {
      v <<= 4;
      if (c >= '0' && c <= '9') {
        v |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        v |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        v |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    *out = v;
    return true;
  }

  bool String(Token* tok, GqlError* error) {
    size_t n = in_.size();
    bool escaped = false;  // gqlparser only rebuilds the value once it meets an escape
    std::string buf;
    ++start_;  // skip the opening quote
    ++start_runes_;
    while (end_ < n) {
      unsigned char r = static_cast<unsigned char>(in_[end_]);
      if (r == '\n' || r == '\r') break;
      if (r < 0x20 && r != '\t') {
        char msg[64];
        std::snprintf(msg, sizeof(msg), "Invalid character within String: \"\\u%04d\".", r);
        return Fail(msg, tok, error);
      }
      if (r == '"') {
        Make(Tok::kString, tok);
        if (escaped) tok->value = std::move(buf);
        ++end_;
        ++end_runes_;
        return true;
      }
      if (r != '\\') {
        uint32_t ch = r;
        int w = 1;
        if (r >= 127) std::tie(ch, w) = DecodeRune(in_, end_);
        end_ += static_cast<size_t>(w);
        ++end_runes_;
        if (escaped) AppendRune(buf, ch);
        continue;
      }
      if (end_ + 1 >= n) {
        ++end_;
        ++end_runes_;
        return Fail("Invalid character escape sequence.", tok, error);
      }
      if (!escaped) {
        escaped = true;
        buf = std::string(in_.substr(start_, end_ - start_));
      }
      char esc = in_[end_ + 1];
      if (esc == 'u') {
        if (end_ + 6 >= n) {
          ++end_;
          ++end_runes_;
          return Fail("Invalid character escape sequence: \\" + std::string(in_.substr(end_)) + ".", tok,
                      error);
        }
        uint32_t cp;
        if (!Unhex(in_.substr(end_ + 2, 4), &cp)) {
          ++end_;
          ++end_runes_;
          return Fail("Invalid character escape sequence: \\" + std::string(in_.substr(end_, 5)) + ".", tok,
                      error);
        }
        AppendRune(buf, cp);
        end_ += 6;
        end_runes_ += 6;
        continue;
      }
      switch (esc) {
        case '"':
        case '/':
        case '\\': buf += esc; break;
        case 'b': buf += '\b'; break;
        case 'f': buf += '\f'; break;
        case 'n': buf += '\n'; break;
        case 'r': buf += '\r'; break;
        case 't': buf += '\t'; break;
        default:
          ++end_;
          ++end_runes_;
          return Fail(
              "Invalid character escape sequence: \\" + ByteAsRune(static_cast<unsigned char>(esc)) + ".",
              tok, error);
      }
      end_ += 2;
      end_runes_ += 2;
    }
    return Fail("Unterminated string.", tok, error);
  }

  bool BlockString(Token* tok, GqlError* error) {
    size_t n = in_.size();
    std::string buf;
    start_ += 3;
    start_runes_ += 3;
    end_ += 2;
    end_runes_ += 2;
    while (end_ < n) {
      unsigned char r = static_cast<unsigned char>(in_[end_]);
      if (r == '"' && end_ + 3 <= n && in_.substr(end_, 3) == "\"\"\"") {
        // The column is computed on the closing line, as gqlparser does.
        MakeValue(Tok::kBlockString, BlockStringValue(buf), tok);
        end_ += 3;
        end_runes_ += 3;
        return true;
      }
      if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') {
        char msg[64];
        std::snprintf(msg, sizeof(msg), "Invalid character within String: \"\\u%04d\".", r);
        return Fail(msg, tok, error);
      }
      if (r == '\\' && end_ + 4 <= n && in_.substr(end_, 4) == "\\\"\"\"") {
        buf += "\"\"\"";
        end_ += 4;
        end_runes_ += 4;
      } else if (r == '\r') {
        if (end_ + 1 < n && in_[end_ + 1] == '\n') {
          ++end_;
          ++end_runes_;
        }
        buf += '\n';
        ++end_;
        ++end_runes_;
        ++line_;
        line_start_runes_ = end_runes_;
      } else {
        uint32_t ch = r;
        int w = 1;
        if (r >= 127) std::tie(ch, w) = DecodeRune(in_, end_);
        end_ += static_cast<size_t>(w);
        ++end_runes_;
        AppendRune(buf, ch);
        if (r == '\n') {
          ++line_;
          line_start_runes_ = end_runes_;
        }
      }
    }
    return Fail("Unterminated string.", tok, error);
  }

  bool Name(Token* tok) {
    while (end_ < in_.size()) {
      char c = in_[end_];
      if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') {
        ++end_;
        ++end_runes_;
      } else {
        break;
      }
    }
    return Make(Tok::kName, tok);
  }

  std::string_view in_;
  bool prelude_;
  size_t start_ = 0;
  size_t end_ = 0;
  int start_runes_ = 0;
  int end_runes_ = 0;
  int line_ = 1;
  int line_start_runes_ = 0;
};

// ---- Parser (gqlparser parser/{parser,query,schema}.go) ----
//
// Structured as gqlparser is: after the first error every helper becomes a
// no-op that returns the previous token, so the descent unwinds quickly and
// the first error is the one reported.

class Parser {
 public:
  Parser(Arena& arena, std::string_view input, bool prelude) : arena_(arena), lexer_(input, prelude) {}

  bool failed() const { return has_err_; }
  const GqlError& error() const { return err_; }

  QueryDocument* ParseQueryDocument() {
    auto* doc = arena_.New<QueryDocument>();
    while (Peek().kind != Tok::kEOF) {
      if (has_err_) return doc;
      if (Peek().kind == Tok::kName) {
        const std::string v = Peek().value;
        if (v == "query" || v == "mutation" || v == "subscription") {
          doc->operations.push_back(ParseOperationDefinition());
        } else if (v == "fragment") {
          doc->fragments.push_back(ParseFragmentDefinition());
        } else {
          UnexpectedError();
        }
      } else if (Peek().kind == Tok::kBraceL) {
        doc->operations.push_back(ParseOperationDefinition());
      } else {
        UnexpectedError();
      }
    }
    return doc;
  }

  SchemaDocument* ParseSchemaDocument() {
    auto* doc = arena_.New<SchemaDocument>();
    while (Peek().kind != Tok::kEOF) {
      if (has_err_) return nullptr;
      std::string description;
      if (Peek().kind == Tok::kBlockString || Peek().kind == Tok::kString) description = ParseDescription();
      if (Peek().kind != Tok::kName) {
        UnexpectedError();
        break;
      }
      const std::string v = Peek().value;
      if (v == "scalar" || v == "type" || v == "interface" || v == "union" || v == "enum" || v == "input") {
        doc->definitions.push_back(ParseTypeSystemDefinition(description));
      } else if (v == "schema") {
        doc->schema.push_back(ParseSchemaDefinition(description));
      } else if (v == "directive") {
        doc->directives.push_back(ParseDirectiveDefinition(description));
      } else if (v == "extend") {
        if (!description.empty()) UnexpectedToken(prev_);
        ParseTypeSystemExtension(*doc);
      } else {
        UnexpectedError();
        return nullptr;
      }
    }
    return doc;
  }

 private:
  // Counts nesting (selection sets, list and object values, list types) so
  // that a hostile document cannot exhaust the stack.
  class Nest {
   public:
    explicit Nest(Parser& p) : p_(p) {
      if (++p_.depth_ > kMaxNestingDepth && !p_.has_err_) {
        Token tok = p_.Peek();
        p_.Error(tok, "exceeded maximum nesting depth of " + std::to_string(kMaxNestingDepth));
      }
    }
    ~Nest() { --p_.depth_; }
    bool ok() const { return !p_.has_err_; }

   private:
    Parser& p_;
  };

  const Token& Peek() {
    if (has_err_) return prev_;
    if (!peeked_) {
      peek_has_err_ = !lexer_.ReadToken(&peek_token_, &peek_err_);
      peeked_ = true;
    }
    return peek_token_;
  }

  Pos PeekPos() {
    if (has_err_) return Pos{};
    return Peek().pos;
  }

  void Error(const Token& tok, std::string message) {
    if (has_err_) return;
    has_err_ = true;
    err_ = GqlError{std::move(message), tok.pos};
  }

  Token Next() {
    if (has_err_) return prev_;
    if (peeked_) {
      peeked_ = false;
      prev_ = peek_token_;
      if (peek_has_err_) {
        has_err_ = true;
        err_ = peek_err_;
      }
    } else {
      GqlError e;
      if (!lexer_.ReadToken(&prev_, &e)) {
        has_err_ = true;
        err_ = e;
      }
    }
    return prev_;
  }

  Token ExpectKeyword(const std::string& value) {
    Token tok = Peek();
    if (tok.kind == Tok::kName && tok.value == value) return Next();
    Error(tok, "Expected " + GoQuote(value) + ", found " + tok.String());
    return tok;
  }

  Token Expect(Tok kind) {
    Token tok = Peek();
    if (tok.kind == kind) return Next();
    Error(tok, std::string("Expected ") + TokText(kind) + ", found " + TokText(tok.kind));
    return tok;
  }

  bool Skip(Tok kind) {
    if (has_err_) return false;
    if (Peek().kind != kind) return false;
    Next();
    return true;
  }

  void UnexpectedError() {
    Token tok = Peek();
    UnexpectedToken(tok);
  }
  void UnexpectedToken(const Token& tok) { Error(tok, "Unexpected " + tok.String()); }

  void Many(Tok start, Tok end, const std::function<void()>& cb) {
    if (!Skip(start)) return;
    while (Peek().kind != end && !has_err_) cb();
    Next();
  }

  void Some(Tok start, Tok end, const std::function<void()>& cb) {
    if (!Skip(start)) return;
    bool called = false;
    while (Peek().kind != end && !has_err_) {
      called = true;
      cb();
    }
    if (!called) {
      Token tok = Peek();
      Error(tok, std::string("expected at least one definition, found ") + TokText(tok.kind));
      return;
    }
    Next();
  }

  std::string ParseName() { return Expect(Tok::kName).value; }

  // ---- Executable documents ----

  OperationDefinition* ParseOperationDefinition() {
    auto* od = arena_.New<OperationDefinition>();
    if (Peek().kind == Tok::kBraceL) {
      od->pos = PeekPos();
      od->operation = "query";
      od->selection_set = ParseRequiredSelectionSet();
      return od;
    }
    od->pos = PeekPos();
    od->operation = ParseOperationType();
    if (Peek().kind == Tok::kName) od->name = Next().value;
    od->variable_definitions = ParseVariableDefinitions();
    od->directives = ParseDirectives(false);
    od->selection_set = ParseRequiredSelectionSet();
    return od;
  }

  std::string ParseOperationType() {
    Token tok = Next();
    if (tok.value == "query" || tok.value == "mutation" || tok.value == "subscription") return tok.value;
    UnexpectedToken(tok);
    return "";
  }

  std::vector<VariableDefinition*> ParseVariableDefinitions() {
    std::vector<VariableDefinition*> defs;
    Many(Tok::kParenL, Tok::kParenR, [&] { defs.push_back(ParseVariableDefinition()); });
    return defs;
  }

  VariableDefinition* ParseVariableDefinition() {
    auto* def = arena_.New<VariableDefinition>();
    def->pos = PeekPos();
    def->variable = ParseVariable();
    Expect(Tok::kColon);
    def->type = ParseTypeReference();
    if (Skip(Tok::kEquals)) def->default_value = ParseValueLiteral(true);
    def->directives = ParseDirectives(false);
    return def;
  }

  std::string ParseVariable() {
    Expect(Tok::kDollar);
    return ParseName();
  }

  std::vector<Selection*> ParseSelectionSetBody() {
    std::vector<Selection*> selections;
    Nest nest(*this);
    if (!nest.ok()) return selections;
    Some(Tok::kBraceL, Tok::kBraceR, [&] { selections.push_back(ParseSelection()); });
    return selections;
  }

  std::vector<Selection*> ParseOptionalSelectionSet() { return ParseSelectionSetBody(); }

  std::vector<Selection*> ParseRequiredSelectionSet() {
    if (Peek().kind != Tok::kBraceL) {
      Token tok = Peek();
      Error(tok, std::string("Expected {, found ") + TokText(tok.kind));
      return {};
    }
    return ParseSelectionSetBody();
  }

  Selection* ParseSelection() {
    if (Peek().kind == Tok::kSpread) return ParseFragment();
    return ParseField();
  }

  Field* ParseField() {
    auto* field = arena_.New<Field>();
    field->pos = PeekPos();
    field->alias = ParseName();
    if (Skip(Tok::kColon)) {
      field->name = ParseName();
    } else {
      field->name = field->alias;
    }
    field->arguments = ParseArguments(false);
    field->directives = ParseDirectives(false);
    if (Peek().kind == Tok::kBraceL) field->selection_set = ParseOptionalSelectionSet();
    return field;
  }

  std::vector<Argument*> ParseArguments(bool is_const) {
    std::vector<Argument*> arguments;
    Many(Tok::kParenL, Tok::kParenR, [&] { arguments.push_back(ParseArgument(is_const)); });
    return arguments;
  }

  Argument* ParseArgument(bool is_const) {
    auto* arg = arena_.New<Argument>();
    arg->pos = PeekPos();
    arg->name = ParseName();
    Expect(Tok::kColon);
    arg->value = ParseValueLiteral(is_const);
    return arg;
  }

  Selection* ParseFragment() {
    Expect(Tok::kSpread);
    if (Peek().kind == Tok::kName && Peek().value != "on") {
      auto* spread = arena_.New<FragmentSpread>();
      spread->pos = PeekPos();
      spread->name = ParseFragmentName();
      spread->directives = ParseDirectives(false);
      return spread;
    }
    auto* def = arena_.New<InlineFragment>();
    def->pos = PeekPos();
    if (Peek().value == "on") {
      Next();
      def->type_condition = ParseName();
    }
    def->directives = ParseDirectives(false);
    def->selection_set = ParseRequiredSelectionSet();
    return def;
  }

  FragmentDefinition* ParseFragmentDefinition() {
    auto* def = arena_.New<FragmentDefinition>();
    def->pos = PeekPos();
    ExpectKeyword("fragment");
    def->name = ParseFragmentName();
    def->variable_definition = ParseVariableDefinitions();
    ExpectKeyword("on");
    def->type_condition = ParseName();
    def->directives = ParseDirectives(false);
    def->selection_set = ParseRequiredSelectionSet();
    return def;
  }

  std::string ParseFragmentName() {
    if (Peek().value == "on") {
      UnexpectedError();
      return "";
    }
    return ParseName();
  }

  ValueNode* ParseValueLiteral(bool is_const) {
    Token token = Peek();
    int64_t kind;
    switch (token.kind) {
      case Tok::kBracketL: return ParseList(is_const);
      case Tok::kBraceL: return ParseObject(is_const);
      case Tok::kDollar: {
        if (is_const) {
          UnexpectedError();
          return nullptr;
        }
        auto* v = arena_.New<ValueNode>();
        v->pos = token.pos;
        v->raw = ParseVariable();
        v->kind = kVariable;
        return v;
      }
      case Tok::kInt: kind = kIntValue; break;
      case Tok::kFloat: kind = kFloatValue; break;
      case Tok::kString: kind = kStringValue; break;
      case Tok::kBlockString: kind = kBlockValue; break;
      case Tok::kName:
        if (token.value == "true" || token.value == "false") {
          kind = kBooleanValue;
        } else if (token.value == "null") {
          kind = kNullValue;
        } else {
          kind = kEnumValue;
        }
        break;
      default: UnexpectedError(); return nullptr;
    }
    Next();
    auto* v = arena_.New<ValueNode>();
    v->pos = token.pos;
    v->raw = token.value;
    v->kind = kind;
    return v;
  }

  ValueNode* ParseList(bool is_const) {
    auto* v = arena_.New<ValueNode>();
    v->kind = kListValue;
    v->pos = PeekPos();
    Nest nest(*this);
    if (!nest.ok()) return v;
    Many(Tok::kBracketL, Tok::kBracketR, [&] {
      auto* child = arena_.New<ChildValue>();
      child->value = ParseValueLiteral(is_const);
      v->children.push_back(child);
    });
    return v;
  }

  ValueNode* ParseObject(bool is_const) {
    auto* v = arena_.New<ValueNode>();
    v->kind = kObjectValue;
    v->pos = PeekPos();
    Nest nest(*this);
    if (!nest.ok()) return v;
    Many(Tok::kBraceL, Tok::kBraceR, [&] { v->children.push_back(ParseObjectField(is_const)); });
    return v;
  }

  ChildValue* ParseObjectField(bool is_const) {
    auto* field = arena_.New<ChildValue>();
    field->pos = PeekPos();
    field->name = ParseName();
    Expect(Tok::kColon);
    field->value = ParseValueLiteral(is_const);
    return field;
  }

  std::vector<Directive*> ParseDirectives(bool is_const) {
    std::vector<Directive*> directives;
    while (Peek().kind == Tok::kAt) {
      if (has_err_) break;
      directives.push_back(ParseDirective(is_const));
    }
    return directives;
  }

  Directive* ParseDirective(bool is_const) {
    Expect(Tok::kAt);
    auto* d = arena_.New<Directive>();
    d->pos = PeekPos();
    d->name = ParseName();
    d->arguments = ParseArguments(is_const);
    return d;
  }

  Type* ParseTypeReference() {
    auto* typ = arena_.New<Type>();
    Nest nest(*this);
    if (!nest.ok()) return typ;
    if (Skip(Tok::kBracketL)) {
      typ->pos = PeekPos();
      typ->elem = ParseTypeReference();
      Expect(Tok::kBracketR);
    } else {
      typ->pos = PeekPos();
      typ->named_type = ParseName();
    }
    if (Skip(Tok::kBang)) typ->non_null = true;
    return typ;
  }

  // ---- Type system documents ----

  std::string ParseDescription() {
    Tok kind = Peek().kind;
    if (kind != Tok::kBlockString && kind != Tok::kString) return "";
    return Next().value;
  }

  Definition* ParseTypeSystemDefinition(const std::string& description) {
    Token tok = Peek();
    if (tok.kind != Tok::kName) {
      UnexpectedError();
      return nullptr;
    }
    if (tok.value == "scalar") return ParseScalarTypeDefinition(description);
    if (tok.value == "type") return ParseObjectLike("type", "OBJECT", description);
    if (tok.value == "interface") return ParseObjectLike("interface", "INTERFACE", description);
    if (tok.value == "union") return ParseUnionTypeDefinition(description);
    if (tok.value == "enum") return ParseEnumTypeDefinition(description);
    if (tok.value == "input") return ParseInputObjectTypeDefinition(description);
    UnexpectedError();
    return nullptr;
  }

  SchemaDefinition* ParseSchemaDefinition(const std::string& description) {
    ExpectKeyword("schema");
    auto* def = arena_.New<SchemaDefinition>();
    def->description = description;
    def->pos = PeekPos();
    def->directives = ParseDirectives(true);
    Some(Tok::kBraceL, Tok::kBraceR, [&] { def->operation_types.push_back(ParseOperationTypeDefinition()); });
    return def;
  }

  OperationTypeDefinition* ParseOperationTypeDefinition() {
    auto* op = arena_.New<OperationTypeDefinition>();
    op->pos = PeekPos();
    op->operation = ParseOperationType();
    Expect(Tok::kColon);
    op->type = ParseName();
    return op;
  }

  Definition* NewDefinition(const char* kind, const std::string& description) {
    auto* def = arena_.New<Definition>();
    def->pos = PeekPos();
    def->kind = kind;
    def->description = description;
    return def;
  }

  Definition* ParseScalarTypeDefinition(const std::string& description) {
    ExpectKeyword("scalar");
    Definition* def = NewDefinition("SCALAR", description);
    def->name = ParseName();
    def->directives = ParseDirectives(true);
    return def;
  }

  // Object and interface definitions share their grammar.
  Definition* ParseObjectLike(const char* keyword, const char* kind, const std::string& description) {
    ExpectKeyword(keyword);
    Definition* def = NewDefinition(kind, description);
    def->name = ParseName();
    def->interfaces = ParseImplementsInterfaces();
    def->directives = ParseDirectives(true);
    def->fields = ParseFieldsDefinition();
    return def;
  }

  std::vector<std::string> ParseImplementsInterfaces() {
    std::vector<std::string> types;
    if (Peek().value == "implements") {
      Next();
      Skip(Tok::kAmp);  // optional leading ampersand
      types.push_back(ParseName());
      while (Skip(Tok::kAmp) && !has_err_) types.push_back(ParseName());
    }
    return types;
  }

  std::vector<FieldDefinition*> ParseFieldsDefinition() {
    std::vector<FieldDefinition*> defs;
    Some(Tok::kBraceL, Tok::kBraceR, [&] { defs.push_back(ParseFieldDefinition()); });
    return defs;
  }

  FieldDefinition* ParseFieldDefinition() {
    auto* def = arena_.New<FieldDefinition>();
    def->pos = PeekPos();
    def->description = ParseDescription();
    def->name = ParseName();
    def->arguments = ParseArgumentDefs();
    Expect(Tok::kColon);
    def->type = ParseTypeReference();
    def->directives = ParseDirectives(true);
    return def;
  }

  std::vector<ArgumentDefinition*> ParseArgumentDefs() {
    std::vector<ArgumentDefinition*> args;
    Some(Tok::kParenL, Tok::kParenR, [&] { args.push_back(ParseArgumentDef()); });
    return args;
  }

  ArgumentDefinition* ParseArgumentDef() {
    auto* def = arena_.New<ArgumentDefinition>();
    def->pos = PeekPos();
    def->description = ParseDescription();
    def->name = ParseName();
    Expect(Tok::kColon);
    def->type = ParseTypeReference();
    if (Skip(Tok::kEquals)) def->default_value = ParseValueLiteral(true);
    def->directives = ParseDirectives(true);
    return def;
  }

  FieldDefinition* ParseInputValueDef() {
    auto* def = arena_.New<FieldDefinition>();
    def->pos = PeekPos();
    def->description = ParseDescription();
    def->name = ParseName();
    Expect(Tok::kColon);
    def->type = ParseTypeReference();
    if (Skip(Tok::kEquals)) def->default_value = ParseValueLiteral(true);
    def->directives = ParseDirectives(true);
    return def;
  }

  Definition* ParseUnionTypeDefinition(const std::string& description) {
    ExpectKeyword("union");
    Definition* def = NewDefinition("UNION", description);
    def->name = ParseName();
    def->directives = ParseDirectives(true);
    def->types = ParseUnionMemberTypes();
    return def;
  }

  std::vector<std::string> ParseUnionMemberTypes() {
    std::vector<std::string> types;
    if (Skip(Tok::kEquals)) {
      Skip(Tok::kPipe);  // optional leading pipe
      types.push_back(ParseName());
      while (Skip(Tok::kPipe) && !has_err_) types.push_back(ParseName());
    }
    return types;
  }

  Definition* ParseEnumTypeDefinition(const std::string& description) {
    ExpectKeyword("enum");
    Definition* def = NewDefinition("ENUM", description);
    def->name = ParseName();
    def->directives = ParseDirectives(true);
    def->enum_values = ParseEnumValuesDefinition();
    return def;
  }

  std::vector<EnumValueDefinition*> ParseEnumValuesDefinition() {
    std::vector<EnumValueDefinition*> values;
    Some(Tok::kBraceL, Tok::kBraceR, [&] {
      auto* v = arena_.New<EnumValueDefinition>();
      v->pos = PeekPos();
      v->description = ParseDescription();
      v->name = ParseName();
      v->directives = ParseDirectives(true);
      values.push_back(v);
    });
    return values;
  }

  Definition* ParseInputObjectTypeDefinition(const std::string& description) {
    ExpectKeyword("input");
    Definition* def = NewDefinition("INPUT_OBJECT", description);
    def->name = ParseName();
    def->directives = ParseDirectives(true);
    def->fields = ParseInputFieldsDefinition();
    return def;
  }

  std::vector<FieldDefinition*> ParseInputFieldsDefinition() {
    std::vector<FieldDefinition*> values;
    Some(Tok::kBraceL, Tok::kBraceR, [&] { values.push_back(ParseInputValueDef()); });
    return values;
  }

  void ParseTypeSystemExtension(SchemaDocument& doc) {
    ExpectKeyword("extend");
    // gqlparser dispatches on the token's text whatever its kind.
    const std::string v = Peek().value;
    if (v == "schema") {
      doc.schema_extension.push_back(ParseSchemaExtension());
    } else if (v == "scalar") {
      ExpectKeyword("scalar");
      Definition* def = NewDefinition("SCALAR", "");
      def->name = ParseName();
      def->directives = ParseDirectives(true);
      if (def->directives.empty()) UnexpectedError();
      doc.extensions.push_back(def);
    } else if (v == "type") {
      ExpectKeyword("type");
      Definition* def = NewDefinition("OBJECT", "");
      def->name = ParseName();
      def->interfaces = ParseImplementsInterfaces();
      def->directives = ParseDirectives(true);
      def->fields = ParseFieldsDefinition();
      if (def->interfaces.empty() && def->directives.empty() && def->fields.empty()) UnexpectedError();
      doc.extensions.push_back(def);
    } else if (v == "interface") {
      ExpectKeyword("interface");
      Definition* def = NewDefinition("INTERFACE", "");
      def->name = ParseName();
      def->directives = ParseDirectives(true);
      def->fields = ParseFieldsDefinition();
      if (def->directives.empty() && def->fields.empty()) UnexpectedError();
      doc.extensions.push_back(def);
    } else if (v == "union") {
      ExpectKeyword("union");
      Definition* def = NewDefinition("UNION", "");
      def->name = ParseName();
      def->directives = ParseDirectives(true);
      def->types = ParseUnionMemberTypes();
      if (def->directives.empty() && def->types.empty()) UnexpectedError();
      doc.extensions.push_back(def);
    } else if (v == "enum") {
      ExpectKeyword("enum");
      Definition* def = NewDefinition("ENUM", "");
      def->name = ParseName();
      def->directives = ParseDirectives(true);
      def->enum_values = ParseEnumValuesDefinition();
      if (def->directives.empty() && def->enum_values.empty()) UnexpectedError();
      doc.extensions.push_back(def);
    } else if (v == "input") {
      ExpectKeyword("input");
      Definition* def = NewDefinition("INPUT_OBJECT", "");
      def->name = ParseName();
      def->directives = ParseDirectives(false);
      def->fields = ParseInputFieldsDefinition();
      if (def->directives.empty() && def->fields.empty()) UnexpectedError();
      doc.extensions.push_back(def);
    } else {
      UnexpectedError();
    }
  }

  SchemaDefinition* ParseSchemaExtension() {
    ExpectKeyword("schema");
    auto* def = arena_.New<SchemaDefinition>();
    def->pos = PeekPos();
    def->directives = ParseDirectives(true);
    Some(Tok::kBraceL, Tok::kBraceR, [&] { def->operation_types.push_back(ParseOperationTypeDefinition()); });
    if (def->directives.empty() && def->operation_types.empty()) UnexpectedError();
    return def;
  }

  DirectiveDefinition* ParseDirectiveDefinition(const std::string& description) {
    ExpectKeyword("directive");
    Expect(Tok::kAt);
    auto* def = arena_.New<DirectiveDefinition>();
    def->pos = PeekPos();
    def->description = description;
    def->name = ParseName();
    def->arguments = ParseArgumentDefs();
    if (Peek().kind == Tok::kName && Peek().value == "repeatable") {
      def->is_repeatable = true;
      Skip(Tok::kName);
    }
    ExpectKeyword("on");
    Skip(Tok::kPipe);
    def->locations.push_back(ParseDirectiveLocation());
    while (Skip(Tok::kPipe) && !has_err_) def->locations.push_back(ParseDirectiveLocation());
    return def;
  }

  std::string ParseDirectiveLocation() {
    static const char* const kLocations[] = {"QUERY",
                                             "MUTATION",
                                             "SUBSCRIPTION",
                                             "FIELD",
                                             "FRAGMENT_DEFINITION",
                                             "FRAGMENT_SPREAD",
                                             "INLINE_FRAGMENT",
                                             "VARIABLE_DEFINITION",
                                             "SCHEMA",
                                             "SCALAR",
                                             "OBJECT",
                                             "FIELD_DEFINITION",
                                             "ARGUMENT_DEFINITION",
                                             "INTERFACE",
                                             "UNION",
                                             "ENUM",
                                             "ENUM_VALUE",
                                             "INPUT_OBJECT",
                                             "INPUT_FIELD_DEFINITION"};
    Token name = Expect(Tok::kName);
    for (const char* loc : kLocations) {
      if (name.value == loc) return loc;
    }
    UnexpectedToken(name);
    return "";
  }

  Arena& arena_;
  Lexer lexer_;
  bool has_err_ = false;
  GqlError err_;
  bool peeked_ = false;
  Token peek_token_;
  bool peek_has_err_ = false;
  GqlError peek_err_;
  Token prev_;
  int depth_ = 0;
};

GqlError TooLarge(size_t size) {
  return GqlError{"GraphQL document too large (" + std::to_string(size) + " bytes; the limit is " +
                      std::to_string(kMaxSourceBytes) + ")",
                  Pos{1, 1, true, false}};
}

}  // namespace

QueryDocument* ParseQuery(Arena& arena, std::string_view source, GqlError* error) {
  if (source.size() > kMaxSourceBytes) {
    *error = TooLarge(source.size());
    return nullptr;
  }
  Parser p(arena, source, false);
  QueryDocument* doc = p.ParseQueryDocument();
  if (p.failed()) {
    *error = p.error();
    return nullptr;
  }
  return doc;
}

SchemaDocument* ParseSchema(Arena& arena, std::string_view source, bool prelude, GqlError* error) {
  if (source.size() > kMaxSourceBytes) {
    *error = TooLarge(source.size());
    return nullptr;
  }
  Parser p(arena, source, prelude);
  SchemaDocument* doc = p.ParseSchemaDocument();
  if (p.failed() || doc == nullptr) {
    *error = p.error();
    return nullptr;
  }
  for (Definition* def : doc->definitions) def->built_in = prelude;
  for (Definition* def : doc->extensions) def->built_in = prelude;
  return doc;
}

// The definitions every schema starts from, as in the GraphQL specification
// (October 2021): built-in scalars and directives, and the introspection types.
SchemaDocument* ParsePrelude(Arena& arena) {
  static constexpr std::string_view kPrelude = R"(
scalar Int
scalar Float
scalar String
scalar Boolean
scalar ID

directive @include(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @skip(if: Boolean!) on FIELD | FRAGMENT_SPREAD | INLINE_FRAGMENT
directive @deprecated(reason: String = "No longer supported")
  on FIELD_DEFINITION | ARGUMENT_DEFINITION | INPUT_FIELD_DEFINITION | ENUM_VALUE
directive @specifiedBy(url: String!) on SCALAR

type __Schema {
  description: String
  types: [__Type!]!
  queryType: __Type!
  mutationType: __Type
  subscriptionType: __Type
  directives: [__Directive!]!
}

type __Type {
  kind: __TypeKind!
  name: String
  description: String
  fields(includeDeprecated: Boolean = false): [__Field!]
  interfaces: [__Type!]
  possibleTypes: [__Type!]
  enumValues(includeDeprecated: Boolean = false): [__EnumValue!]
  inputFields: [__InputValue!]
  ofType: __Type
  specifiedByURL: String
}

type __Field {
  name: String!
  description: String
  args: [__InputValue!]!
  type: __Type!
  isDeprecated: Boolean!
  deprecationReason: String
}

type __InputValue {
  name: String!
  description: String
  type: __Type!
  defaultValue: String
}

type __EnumValue {
  name: String!
  description: String
  isDeprecated: Boolean!
  deprecationReason: String
}

enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }

type __Directive {
  name: String!
  description: String
  locations: [__DirectiveLocation!]!
  args: [__InputValue!]!
  isRepeatable: Boolean!
}

enum __DirectiveLocation {
  QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD INLINE_FRAGMENT VARIABLE_DEFINITION
  SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT
  INPUT_FIELD_DEFINITION
}
)";
  GqlError error;
  return ParseSchema(arena, kPrelude, true, &error);
}

// ---- To JSON (OPA: InterfaceToValue, then pruneIrrelevantGraphQLASTNodes) ----
//
// Every exported field of gqlparser's structs, by Go name; null pointers,
// empty lists and empty objects are left out (OPA prunes them), while empty
// strings, false and 0 stay.

namespace {

bool Prunable(const Value& v) {
  if (v.is_undefined() || v.is_null()) return true;
  return (v.is_array() || v.is_object()) && v.size() == 0;
}

class Obj {
 public:
  Obj& Put(const char* key, Value v) {
    if (!Prunable(v)) entries_.emplace_back(Value::String(key), std::move(v));
    return *this;
  }
  Obj& Str(const char* key, const std::string& s) { return Put(key, Value::String(s)); }
  Obj& Bool(const char* key, bool b) { return Put(key, Value::Bool(b)); }
  Value Done() { return Value::Object(std::move(entries_)); }

 private:
  ObjectEntries entries_;
};

template <typename T, typename Fn>
Value List(const std::vector<T*>& items, Fn fn) {
  ValueVector out;
  for (const T* item : items) {
    if (item == nullptr) continue;
    Value v = fn(*item);
    if (!Prunable(v)) out.push_back(std::move(v));
  }
  return Value::Array(std::move(out));
}

Value Strings(const std::vector<std::string>& items) {
  ValueVector out;
  for (const std::string& s : items) out.push_back(Value::String(s));
  return Value::Array(std::move(out));
}

Value TypeJson(const Type* t) {
  if (t == nullptr) return Value();
  return Obj()
      .Str("NamedType", t->named_type)
      .Put("Elem", TypeJson(t->elem))
      .Bool("NonNull", t->non_null)
      .Done();
}

Value ValueJson(const ValueNode* v) {
  if (v == nullptr) return Value();
  return Obj()
      .Str("Raw", v->raw)
      .Put("Children", List(v->children,
                            [](const ChildValue& c) {
                              return Obj().Str("Name", c.name).Put("Value", ValueJson(c.value)).Done();
                            }))
      .Put("Kind", Value::Int(v->kind))
      .Bool("ExpectedTypeHasDefault", v->expected_type_has_default)
      .Done();
}

Value ArgumentsJson(const std::vector<Argument*>& args) {
  return List(args, [](const Argument& a) {
    return Obj().Str("Name", a.name).Put("Value", ValueJson(a.value)).Done();
  });
}

Value DirectivesJson(const std::vector<Directive*>& dirs) {
  return List(dirs, [](const Directive& d) {
    return Obj()
        .Str("Name", d.name)
        .Put("Arguments", ArgumentsJson(d.arguments))
        .Str("Location", d.location)
        .Done();
  });
}

Value SelectionSetJson(const std::vector<Selection*>& set);

Value SelectionJson(const Selection& s) {
  switch (s.kind) {
    case SelectionKind::kField: {
      const auto& f = static_cast<const Field&>(s);
      return Obj()
          .Str("Alias", f.alias)
          .Str("Name", f.name)
          .Put("Arguments", ArgumentsJson(f.arguments))
          .Put("Directives", DirectivesJson(f.directives))
          .Put("SelectionSet", SelectionSetJson(f.selection_set))
          .Done();
    }
    case SelectionKind::kFragmentSpread: {
      const auto& f = static_cast<const FragmentSpread&>(s);
      return Obj().Str("Name", f.name).Put("Directives", DirectivesJson(f.directives)).Done();
    }
    case SelectionKind::kInlineFragment: {
      const auto& f = static_cast<const InlineFragment&>(s);
      return Obj()
          .Str("TypeCondition", f.type_condition)
          .Put("Directives", DirectivesJson(f.directives))
          .Put("SelectionSet", SelectionSetJson(f.selection_set))
          .Done();
    }
  }
  return Value();
}

Value SelectionSetJson(const std::vector<Selection*>& set) { return List(set, SelectionJson); }

Value VariableDefinitionsJson(const std::vector<VariableDefinition*>& defs) {
  return List(defs, [](const VariableDefinition& d) {
    return Obj()
        .Str("Variable", d.variable)
        .Put("Type", TypeJson(d.type))
        .Put("DefaultValue", ValueJson(d.default_value))
        .Put("Directives", DirectivesJson(d.directives))
        .Bool("Used", d.used)
        .Done();
  });
}

Value ArgumentDefinitionsJson(const std::vector<ArgumentDefinition*>& args) {
  return List(args, [](const ArgumentDefinition& a) {
    return Obj()
        .Str("Description", a.description)
        .Str("Name", a.name)
        .Put("DefaultValue", ValueJson(a.default_value))
        .Put("Type", TypeJson(a.type))
        .Put("Directives", DirectivesJson(a.directives))
        .Done();
  });
}

Value DefinitionsJson(const std::vector<Definition*>& defs) {
  return List(defs, [](const Definition& d) {
    return Obj()
        .Str("Kind", d.kind)
        .Str("Description", d.description)
        .Str("Name", d.name)
        .Put("Directives", DirectivesJson(d.directives))
        .Put("Interfaces", Strings(d.interfaces))
        .Put("Fields", List(d.fields,
                            [](const FieldDefinition& f) {
                              return Obj()
                                  .Str("Description", f.description)
                                  .Str("Name", f.name)
                                  .Put("Arguments", ArgumentDefinitionsJson(f.arguments))
                                  .Put("DefaultValue", ValueJson(f.default_value))
                                  .Put("Type", TypeJson(f.type))
                                  .Put("Directives", DirectivesJson(f.directives))
                                  .Done();
                            }))
        .Put("Types", Strings(d.types))
        .Put("EnumValues", List(d.enum_values,
                                [](const EnumValueDefinition& e) {
                                  return Obj()
                                      .Str("Description", e.description)
                                      .Str("Name", e.name)
                                      .Put("Directives", DirectivesJson(e.directives))
                                      .Done();
                                }))
        .Bool("BuiltIn", d.built_in)
        .Done();
  });
}

Value SchemaDefinitionsJson(const std::vector<SchemaDefinition*>& defs) {
  return List(defs, [](const SchemaDefinition& s) {
    return Obj()
        .Str("Description", s.description)
        .Put("Directives", DirectivesJson(s.directives))
        .Put("OperationTypes", List(s.operation_types,
                                    [](const OperationTypeDefinition& o) {
                                      return Obj().Str("Operation", o.operation).Str("Type", o.type).Done();
                                    }))
        .Done();
  });
}

}  // namespace

Value QueryToValue(const QueryDocument& doc) {
  return Obj()
      .Put("Operations", List(doc.operations,
                              [](const OperationDefinition& o) {
                                return Obj()
                                    .Str("Operation", o.operation)
                                    .Str("Name", o.name)
                                    .Put("VariableDefinitions",
                                         VariableDefinitionsJson(o.variable_definitions))
                                    .Put("Directives", DirectivesJson(o.directives))
                                    .Put("SelectionSet", SelectionSetJson(o.selection_set))
                                    .Done();
                              }))
      .Put("Fragments", List(doc.fragments,
                             [](const FragmentDefinition& f) {
                               return Obj()
                                   .Str("Name", f.name)
                                   .Put("VariableDefinition", VariableDefinitionsJson(f.variable_definition))
                                   .Str("TypeCondition", f.type_condition)
                                   .Put("Directives", DirectivesJson(f.directives))
                                   .Put("SelectionSet", SelectionSetJson(f.selection_set))
                                   .Done();
                             }))
      .Done();
}

Value SchemaToValue(const SchemaDocument& doc) {
  return Obj()
      .Put("Schema", SchemaDefinitionsJson(doc.schema))
      .Put("SchemaExtension", SchemaDefinitionsJson(doc.schema_extension))
      .Put("Directives", List(doc.directives,
                              [](const DirectiveDefinition& d) {
                                return Obj()
                                    .Str("Description", d.description)
                                    .Str("Name", d.name)
                                    .Put("Arguments", ArgumentDefinitionsJson(d.arguments))
                                    .Put("Locations", Strings(d.locations))
                                    .Bool("IsRepeatable", d.is_repeatable)
                                    .Done();
                              }))
      .Put("Definitions", DefinitionsJson(doc.definitions))
      .Put("Extensions", DefinitionsJson(doc.extensions))
      .Done();
}

// ---- From JSON (OPA: ast.JSON, then Go's encoding/json into gqlparser's structs) ----
//
// encoding/json matches object keys to field names case-insensitively and
// ignores unknown keys and the `json:"-"` Position fields. gqlparser's own
// UnmarshalJSON methods (operations, fragments, fields, inline fragments)
// match keys exactly and do read "Position". Selection sets are decoded by
// trying Field first, which accepts any object: a fragment spread given back
// as an object becomes a field, as it does in OPA. The validation-only
// pointer fields (Definition, ObjectDefinition, ExpectedType, ...) are not
// read: validation recomputes them.

namespace {

class Decoder {
 public:
  explicit Decoder(Arena& arena) : arena_(arena) {}

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }

  QueryDocument* Query(const Value& v) {
    auto* doc = arena_.New<QueryDocument>();
    if (!Struct(v, "QueryDocument", [&](const std::string& k, const Value& x) {
          if (Key(k, "Operations"))
            return PtrList(x, "QueryDocument.Operations", doc->operations, &Decoder::Operation);
          if (Key(k, "Fragments"))
            return PtrList(x, "QueryDocument.Fragments", doc->fragments, &Decoder::Fragment);
          return true;
        })) {
      return nullptr;
    }
    return doc;
  }

  SchemaDocument* SchemaDoc(const Value& v) {
    auto* doc = arena_.New<SchemaDocument>();
    if (!Struct(v, "SchemaDocument", [&](const std::string& k, const Value& x) {
          if (Key(k, "Schema")) return PtrList(x, "SchemaDocument.Schema", doc->schema, &Decoder::SchemaDef);
          if (Key(k, "SchemaExtension")) {
            return PtrList(x, "SchemaDocument.SchemaExtension", doc->schema_extension, &Decoder::SchemaDef);
          }
          if (Key(k, "Directives")) {
            return PtrList(x, "SchemaDocument.Directives", doc->directives, &Decoder::DirectiveDef);
          }
          if (Key(k, "Definitions"))
            return PtrList(x, "SchemaDocument.Definitions", doc->definitions, &Decoder::Def);
          if (Key(k, "Extensions"))
            return PtrList(x, "SchemaDocument.Extensions", doc->extensions, &Decoder::Def);
          return true;
        })) {
      return nullptr;
    }
    return doc;
  }

 private:
  using FieldFn = std::function<bool(const std::string&, const Value&)>;

  bool Fail(const std::string& message) {
    if (error_.empty()) error_ = message;
    return false;
  }

  static const char* JsonType(const Value& v) {
    switch (v.kind()) {
      case Kind::kString: return "string";
      case Kind::kNumber: return "number";
      case Kind::kBool: return "bool";
      case Kind::kArray:
      case Kind::kSet: return "array";
      case Kind::kObject: return "object";
      default: return "null";
    }
  }

  bool TypeError(const Value& v, const std::string& field, const char* go_type) {
    return Fail(std::string("json: cannot unmarshal ") + JsonType(v) + " into Go struct field " + field +
                " of type " + go_type);
  }

  // Case-insensitive (ASCII) key match, as encoding/json does.
  static bool Key(const std::string& key, const char* name) {
    size_t n = std::char_traits<char>::length(name);
    if (key.size() != n) return false;
    for (size_t i = 0; i < n; ++i) {
      char a = key[i], b = name[i];
      if (a >= 'A' && a <= 'Z') a = static_cast<char>(a - 'A' + 'a');
      if (b >= 'A' && b <= 'Z') b = static_cast<char>(b - 'A' + 'a');
      if (a != b) return false;
    }
    return true;
  }

  // Decodes an object field by field; `fn` matches the keys (exactly for
  // gqlparser's own UnmarshalJSON methods, case-insensitively otherwise).
  bool Struct(const Value& v, const char* type, const FieldFn& fn) {
    if (!fatal_.empty()) return Fail(fatal_);
    if (v.is_null()) return true;
    if (!v.is_object()) {
      return Fail(std::string("json: cannot unmarshal ") + JsonType(v) + " into Go value of type ast." +
                  type);
    }
    // Selection sets are decoded by trial, which can revisit a subtree many
    // times; the budget keeps a hostile object from making that exponential.
    if (++work_ > kMaxWork || depth_ >= 4 * kMaxNestingDepth) {
      fatal_ = "json: GraphQL AST object too large or nested too deeply";
      return Fail(fatal_);
    }
    ++depth_;
    bool ok = true;
    for (const auto& [key, val] : v.object()) {
      if (!key.is_string()) {
        ok = Fail("json: object keys must be strings");
        break;
      }
      if (!fn(key.as_string(), val)) {
        ok = false;
        break;
      }
    }
    --depth_;
    return ok;
  }

  bool Str(const Value& v, const std::string& field, std::string& out) {
    if (v.is_null()) return true;
    if (!v.is_string()) return TypeError(v, field, "string");
    out = v.as_string();
    return true;
  }

  bool Bool(const Value& v, const std::string& field, bool& out) {
    if (v.is_null()) return true;
    if (!v.is_bool()) return TypeError(v, field, "bool");
    out = v.as_bool();
    return true;
  }

  bool Int(const Value& v, const std::string& field, const char* go_type, int64_t& out) {
    if (v.is_null()) return true;
    if (!v.is_number()) return TypeError(v, field, go_type);
    auto i = v.to_int64();
    if (!i)
      return Fail("json: cannot unmarshal number " + v.NumberText() + " into Go struct field " + field +
                  " of type " + go_type);
    out = *i;
    return true;
  }

  bool StrList(const Value& v, const std::string& field, std::vector<std::string>& out) {
    if (v.is_null()) return true;
    if (!v.is_array() && !v.is_set()) return TypeError(v, field, "[]string");
    out.clear();
    for (const Value& item : v.is_array() ? v.array() : v.set()) {
      std::string s;
      if (!Str(item, field, s)) return false;
      out.push_back(std::move(s));
    }
    return true;
  }

  // A list of pointers to structs; null elements are dropped (they would be
  // nil pointers that gqlparser's validator dereferences).
  template <typename T>
  bool PtrList(const Value& v, const std::string& field, std::vector<T*>& out,
               T* (Decoder::*elem)(const Value&)) {
    if (v.is_null()) return true;
    if (!v.is_array() && !v.is_set())
      return Fail(std::string("json: cannot unmarshal ") + JsonType(v) + " into Go struct field " + field +
                  " of type list");
    out.clear();
    for (const Value& item : v.is_array() ? v.array() : v.set()) {
      if (item.is_null()) continue;
      T* node = (this->*elem)(item);
      if (node == nullptr) return false;
      out.push_back(node);
    }
    return true;
  }

  // Position, read only by gqlparser's UnmarshalJSON methods.
  bool Position(const Value& v, Pos& pos) {
    if (v.is_null()) return true;
    int64_t line = 0, column = 0, ignored = 0;
    bool ok = Struct(v, "Position", [&](const std::string& k, const Value& x) {
      if (Key(k, "Line")) return Int(x, "Position.Line", "int", line);
      if (Key(k, "Column")) return Int(x, "Position.Column", "int", column);
      if (Key(k, "Start")) return Int(x, "Position.Start", "int", ignored);
      if (Key(k, "End")) return Int(x, "Position.End", "int", ignored);
      if (Key(k, "Src")) {
        std::string s;
        bool b = false;
        return Struct(x, "Source", [&](const std::string& sk, const Value& sx) {
          if (Key(sk, "Name")) return Str(sx, "Source.Name", s);
          if (Key(sk, "Input")) return Str(sx, "Source.Input", s);
          if (Key(sk, "BuiltIn")) return Bool(sx, "Source.BuiltIn", b);
          return true;
        });
      }
      return true;
    });
    if (!ok) return false;
    pos = Pos{static_cast<int>(std::clamp<int64_t>(line, INT_MIN, INT_MAX)),
              static_cast<int>(std::clamp<int64_t>(column, INT_MIN, INT_MAX)), true, false};
    return true;
  }

  Type* TypeRef(const Value& v) {
    auto* t = arena_.New<Type>();
    bool ok = Struct(v, "Type", [&](const std::string& k, const Value& x) {
      if (Key(k, "NamedType")) return Str(x, "Type.NamedType", t->named_type);
      if (Key(k, "NonNull")) return Bool(x, "Type.NonNull", t->non_null);
      if (Key(k, "Elem")) {
        if (x.is_null()) return true;
        t->elem = TypeRef(x);
        return t->elem != nullptr;
      }
      return true;
    });
    return ok ? t : nullptr;
  }

  bool TypePtr(const Value& v, Type*& out) {
    if (v.is_null()) return true;
    out = TypeRef(v);
    return out != nullptr;
  }

  ValueNode* ValueLit(const Value& v) {
    auto* node = arena_.New<ValueNode>();
    bool ok = Struct(v, "Value", [&](const std::string& k, const Value& x) {
      if (Key(k, "Raw")) return Str(x, "Value.Raw", node->raw);
      if (Key(k, "Kind")) return Int(x, "Value.Kind", "ast.ValueKind", node->kind);
      if (Key(k, "ExpectedTypeHasDefault"))
        return Bool(x, "Value.ExpectedTypeHasDefault", node->expected_type_has_default);
      if (Key(k, "Children")) return PtrList(x, "Value.Children", node->children, &Decoder::Child);
      return true;
    });
    return ok ? node : nullptr;
  }

  bool ValuePtr(const Value& v, ValueNode*& out) {
    if (v.is_null()) return true;
    out = ValueLit(v);
    return out != nullptr;
  }

  ChildValue* Child(const Value& v) {
    auto* c = arena_.New<ChildValue>();
    bool ok = Struct(v, "ChildValue", [&](const std::string& k, const Value& x) {
      if (Key(k, "Name")) return Str(x, "ChildValue.Name", c->name);
      if (Key(k, "Value")) return ValuePtr(x, c->value);
      return true;
    });
    return ok ? c : nullptr;
  }

  Argument* Arg(const Value& v) {
    auto* a = arena_.New<Argument>();
    bool ok = Struct(v, "Argument", [&](const std::string& k, const Value& x) {
      if (Key(k, "Name")) return Str(x, "Argument.Name", a->name);
      if (Key(k, "Value")) return ValuePtr(x, a->value);
      return true;
    });
    return ok ? a : nullptr;
  }

  Directive* Dir(const Value& v) {
    auto* d = arena_.New<Directive>();
    bool ok = Struct(v, "Directive", [&](const std::string& k, const Value& x) {
      if (Key(k, "Name")) return Str(x, "Directive.Name", d->name);
      if (Key(k, "Arguments")) return PtrList(x, "Directive.Arguments", d->arguments, &Decoder::Arg);
      if (Key(k, "Location")) return Str(x, "Directive.Location", d->location);
      return true;
    });
    return ok ? d : nullptr;
  }

  VariableDefinition* VarDef(const Value& v) {
    auto* d = arena_.New<VariableDefinition>();
    bool ok = Struct(v, "VariableDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Variable")) return Str(x, "VariableDefinition.Variable", d->variable);
      if (Key(k, "Type")) return TypePtr(x, d->type);
      if (Key(k, "DefaultValue")) return ValuePtr(x, d->default_value);
      if (Key(k, "Directives"))
        return PtrList(x, "VariableDefinition.Directives", d->directives, &Decoder::Dir);
      if (Key(k, "Used")) return Bool(x, "VariableDefinition.Used", d->used);
      return true;
    });
    return ok ? d : nullptr;
  }

  // gqlparser's UnmarshalSelectionSet: each element is tried as a Field, a
  // FragmentSpread and an InlineFragment in turn; elements none accepts are
  // dropped.
  bool SelectionSet(const Value& v, std::vector<Selection*>& out) {
    if (v.is_null()) return true;
    if (!v.is_array() && !v.is_set()) {
      return Fail(std::string("json: cannot unmarshal ") + JsonType(v) +
                  " into Go value of type []json.RawMessage");
    }
    out.clear();
    for (const Value& item : v.is_array() ? v.array() : v.set()) {
      if (Selection* s = Attempt(&Decoder::FieldSel, item)) {
        out.push_back(s);
      } else if (Selection* s2 = Attempt(&Decoder::SpreadSel, item)) {
        out.push_back(s2);
      } else if (Selection* s3 = Attempt(&Decoder::InlineSel, item)) {
        out.push_back(s3);
      }
      if (!fatal_.empty()) return Fail(fatal_);
    }
    return true;
  }

  // Runs one decoding attempt, discarding its error.
  Selection* Attempt(Selection* (Decoder::*fn)(const Value&), const Value& item) {
    std::string saved = std::move(error_);
    error_.clear();
    Selection* s = (this->*fn)(item);
    bool ok = error_.empty();
    error_ = std::move(saved);
    return ok ? s : nullptr;
  }

  Selection* FieldSel(const Value& v) {
    auto* f = arena_.New<Field>();
    if (v.is_null()) return f;  // UnmarshalJSON(null) leaves the field empty
    if (!v.is_object()) return nullptr;
    bool ok = Struct(v, "Field", [&](const std::string& k, const Value& x) {
      if (k == "Alias") return Str(x, "Field.Alias", f->alias);
      if (k == "Name") return Str(x, "Field.Name", f->name);
      if (k == "Arguments") return PtrList(x, "Field.Arguments", f->arguments, &Decoder::Arg);
      if (k == "Directives") return PtrList(x, "Field.Directives", f->directives, &Decoder::Dir);
      if (k == "SelectionSet") return SelectionSet(x, f->selection_set);
      if (k == "Position") return Position(x, f->pos);
      return true;
    });
    return ok ? f : nullptr;
  }

  Selection* SpreadSel(const Value& v) {
    auto* f = arena_.New<FragmentSpread>();
    bool ok = Struct(v, "FragmentSpread", [&](const std::string& k, const Value& x) {
      if (Key(k, "Name")) return Str(x, "FragmentSpread.Name", f->name);
      if (Key(k, "Directives")) return PtrList(x, "FragmentSpread.Directives", f->directives, &Decoder::Dir);
      return true;
    });
    return ok && !v.is_null() ? f : nullptr;
  }

  Selection* InlineSel(const Value& v) {
    auto* f = arena_.New<InlineFragment>();
    if (!v.is_object()) return nullptr;
    bool ok = Struct(v, "InlineFragment", [&](const std::string& k, const Value& x) {
      if (k == "TypeCondition") return Str(x, "InlineFragment.TypeCondition", f->type_condition);
      if (k == "Directives") return PtrList(x, "InlineFragment.Directives", f->directives, &Decoder::Dir);
      if (k == "SelectionSet") return SelectionSet(x, f->selection_set);
      if (k == "Position") return Position(x, f->pos);
      return true;
    });
    return ok ? f : nullptr;
  }

  OperationDefinition* Operation(const Value& v) {
    auto* o = arena_.New<OperationDefinition>();
    bool ok = Struct(v, "OperationDefinition", [&](const std::string& k, const Value& x) {
      if (k == "Operation") return Str(x, "OperationDefinition.Operation", o->operation);
      if (k == "Name") return Str(x, "OperationDefinition.Name", o->name);
      if (k == "VariableDefinitions") {
        return PtrList(x, "OperationDefinition.VariableDefinitions", o->variable_definitions,
                       &Decoder::VarDef);
      }
      if (k == "Directives")
        return PtrList(x, "OperationDefinition.Directives", o->directives, &Decoder::Dir);
      if (k == "SelectionSet") return SelectionSet(x, o->selection_set);
      if (k == "Position") return Position(x, o->pos);
      return true;
    });
    return ok ? o : nullptr;
  }

  FragmentDefinition* Fragment(const Value& v) {
    auto* f = arena_.New<FragmentDefinition>();
    bool ok = Struct(v, "FragmentDefinition", [&](const std::string& k, const Value& x) {
      if (k == "Name") return Str(x, "FragmentDefinition.Name", f->name);
      if (k == "VariableDefinition") {
        return PtrList(x, "FragmentDefinition.VariableDefinition", f->variable_definition, &Decoder::VarDef);
      }
      if (k == "TypeCondition") return Str(x, "FragmentDefinition.TypeCondition", f->type_condition);
      if (k == "Directives") return PtrList(x, "FragmentDefinition.Directives", f->directives, &Decoder::Dir);
      if (k == "SelectionSet") return SelectionSet(x, f->selection_set);
      if (k == "Position") return Position(x, f->pos);
      return true;
    });
    return ok ? f : nullptr;
  }

  OperationTypeDefinition* OpType(const Value& v) {
    auto* o = arena_.New<OperationTypeDefinition>();
    bool ok = Struct(v, "OperationTypeDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Operation")) return Str(x, "OperationTypeDefinition.Operation", o->operation);
      if (Key(k, "Type")) return Str(x, "OperationTypeDefinition.Type", o->type);
      return true;
    });
    return ok ? o : nullptr;
  }

  SchemaDefinition* SchemaDef(const Value& v) {
    auto* s = arena_.New<SchemaDefinition>();
    bool ok = Struct(v, "SchemaDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Description")) return Str(x, "SchemaDefinition.Description", s->description);
      if (Key(k, "Directives"))
        return PtrList(x, "SchemaDefinition.Directives", s->directives, &Decoder::Dir);
      if (Key(k, "OperationTypes")) {
        return PtrList(x, "SchemaDefinition.OperationTypes", s->operation_types, &Decoder::OpType);
      }
      return true;
    });
    return ok ? s : nullptr;
  }

  ArgumentDefinition* ArgDef(const Value& v) {
    auto* a = arena_.New<ArgumentDefinition>();
    bool ok = Struct(v, "ArgumentDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Description")) return Str(x, "ArgumentDefinition.Description", a->description);
      if (Key(k, "Name")) return Str(x, "ArgumentDefinition.Name", a->name);
      if (Key(k, "DefaultValue")) return ValuePtr(x, a->default_value);
      if (Key(k, "Type")) return TypePtr(x, a->type);
      if (Key(k, "Directives"))
        return PtrList(x, "ArgumentDefinition.Directives", a->directives, &Decoder::Dir);
      return true;
    });
    return ok ? a : nullptr;
  }

  FieldDefinition* FieldDef(const Value& v) {
    auto* f = arena_.New<FieldDefinition>();
    bool ok = Struct(v, "FieldDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Description")) return Str(x, "FieldDefinition.Description", f->description);
      if (Key(k, "Name")) return Str(x, "FieldDefinition.Name", f->name);
      if (Key(k, "Arguments")) return PtrList(x, "FieldDefinition.Arguments", f->arguments, &Decoder::ArgDef);
      if (Key(k, "DefaultValue")) return ValuePtr(x, f->default_value);
      if (Key(k, "Type")) return TypePtr(x, f->type);
      if (Key(k, "Directives")) return PtrList(x, "FieldDefinition.Directives", f->directives, &Decoder::Dir);
      return true;
    });
    return ok ? f : nullptr;
  }

  EnumValueDefinition* EnumDef(const Value& v) {
    auto* e = arena_.New<EnumValueDefinition>();
    bool ok = Struct(v, "EnumValueDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Description")) return Str(x, "EnumValueDefinition.Description", e->description);
      if (Key(k, "Name")) return Str(x, "EnumValueDefinition.Name", e->name);
      if (Key(k, "Directives"))
        return PtrList(x, "EnumValueDefinition.Directives", e->directives, &Decoder::Dir);
      return true;
    });
    return ok ? e : nullptr;
  }

  Definition* Def(const Value& v) {
    auto* d = arena_.New<Definition>();
    bool ok = Struct(v, "Definition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Kind")) return Str(x, "Definition.Kind", d->kind);
      if (Key(k, "Description")) return Str(x, "Definition.Description", d->description);
      if (Key(k, "Name")) return Str(x, "Definition.Name", d->name);
      if (Key(k, "Directives")) return PtrList(x, "Definition.Directives", d->directives, &Decoder::Dir);
      if (Key(k, "Interfaces")) return StrList(x, "Definition.Interfaces", d->interfaces);
      if (Key(k, "Fields")) return PtrList(x, "Definition.Fields", d->fields, &Decoder::FieldDef);
      if (Key(k, "Types")) return StrList(x, "Definition.Types", d->types);
      if (Key(k, "EnumValues")) return PtrList(x, "Definition.EnumValues", d->enum_values, &Decoder::EnumDef);
      if (Key(k, "BuiltIn")) return Bool(x, "Definition.BuiltIn", d->built_in);
      return true;
    });
    return ok ? d : nullptr;
  }

  DirectiveDefinition* DirectiveDef(const Value& v) {
    auto* d = arena_.New<DirectiveDefinition>();
    bool ok = Struct(v, "DirectiveDefinition", [&](const std::string& k, const Value& x) {
      if (Key(k, "Description")) return Str(x, "DirectiveDefinition.Description", d->description);
      if (Key(k, "Name")) return Str(x, "DirectiveDefinition.Name", d->name);
      if (Key(k, "Arguments"))
        return PtrList(x, "DirectiveDefinition.Arguments", d->arguments, &Decoder::ArgDef);
      if (Key(k, "Locations")) return StrList(x, "DirectiveDefinition.Locations", d->locations);
      if (Key(k, "IsRepeatable")) return Bool(x, "DirectiveDefinition.IsRepeatable", d->is_repeatable);
      return true;
    });
    return ok ? d : nullptr;
  }

  Arena& arena_;
  static constexpr long kMaxWork = 1000000;

  std::string error_;
  std::string fatal_;
  int depth_ = 0;
  long work_ = 0;
};

}  // namespace

QueryDocument* QueryFromValue(Arena& arena, const Value& value, std::string* error) {
  Decoder d(arena);
  QueryDocument* doc = d.Query(value);
  if (doc == nullptr || d.failed()) {
    *error = d.failed() ? d.error() : "json: invalid GraphQL query document";
    return nullptr;
  }
  return doc;
}

SchemaDocument* SchemaFromValue(Arena& arena, const Value& value, std::string* error) {
  Decoder d(arena);
  SchemaDocument* doc = d.SchemaDoc(value);
  if (doc == nullptr || d.failed()) {
    *error = d.failed() ? d.error() : "json: invalid GraphQL schema document";
    return nullptr;
  }
  return doc;
}

}  // namespace custody::rego::graphql
