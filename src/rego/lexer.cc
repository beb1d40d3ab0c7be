#include "rego/lexer.h"

#include "core/encoding.h"

namespace custody::rego {

const char* TokName(Tok t) {
  switch (t) {
    case Tok::kEof: return "eof";
    case Tok::kIdent: return "ident";
    case Tok::kNumber: return "number";
    case Tok::kString: return "string";
    case Tok::kRawString: return "string";
    case Tok::kTemplate: return "template string";
    case Tok::kDot: return ".";
    case Tok::kComma: return ",";
    case Tok::kSemicolon: return ";";
    case Tok::kColon: return ":";
    case Tok::kLParen: return "(";
    case Tok::kRParen: return ")";
    case Tok::kLBrack: return "[";
    case Tok::kRBrack: return "]";
    case Tok::kLBrace: return "{";
    case Tok::kRBrace: return "}";
    case Tok::kBar: return "|";
    case Tok::kAmp: return "&";
    case Tok::kUnify: return "=";
    case Tok::kAssign: return ":=";
    case Tok::kEq: return "==";
    case Tok::kNeq: return "!=";
    case Tok::kLt: return "<";
    case Tok::kGt: return ">";
    case Tok::kLte: return "<=";
    case Tok::kGte: return ">=";
    case Tok::kPlus: return "+";
    case Tok::kMinus: return "-";
    case Tok::kStar: return "*";
    case Tok::kSlash: return "/";
    case Tok::kPercent: return "%";
  }
  return "?";
}

namespace {

bool IsIdentStart(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsIdentChar(unsigned char c) { return IsIdentStart(c) || (c >= '0' && c <= '9'); }
bool IsDigit(unsigned char c) { return c >= '0' && c <= '9'; }

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Lexer {
 public:
  Lexer(std::string_view src, const std::string& file, std::vector<Comment>* comments)
      : src_(src), file_(file), comments_(comments) {}

  Result<std::vector<Token>> Run() {
    if (!IsValidUtf8(src_)) return Fail(1, 1, "source is not valid UTF-8");
    std::vector<Token> out;
    bool newline = false;
    bool space = false;
    while (true) {
      // Skip whitespace and comments.
      while (pos_ < src_.size()) {
        char c = src_[pos_];
        if (c == '\n') {
          newline = true;
          Advance();
        } else if (c == ' ' || c == '\t' || c == '\r') {
          space = true;
          Advance();
        } else if (c == '#') {
          Comment cm;
          cm.line = line_;
          cm.col = col_;
          Advance();
          size_t start = pos_;
          while (pos_ < src_.size() && src_[pos_] != '\n') Advance();
          if (comments_) {
            cm.text = std::string(src_.substr(start, pos_ - start));
            comments_->push_back(std::move(cm));
          }
        } else {
          break;
        }
      }
      Token t;
      t.line = line_;
      t.col = col_;
      t.offset = pos_;
      t.newline_before = newline;
      t.space_before = space || newline;
      newline = false;
      space = false;
      if (pos_ >= src_.size()) {
        t.tok = Tok::kEof;
        out.push_back(std::move(t));
        return out;
      }
      unsigned char c = static_cast<unsigned char>(src_[pos_]);
      if (c == '$' && pos_ + 1 < src_.size() && (src_[pos_ + 1] == '"' || src_[pos_ + 1] == '`')) {
        Advance();
        auto s = ReadTemplate(t);
        if (!s.ok()) return s.error();
        t.tok = Tok::kTemplate;
        t.text = std::move(*s);
      } else if (IsIdentStart(c)) {
        size_t start = pos_;
        while (pos_ < src_.size() && IsIdentChar(static_cast<unsigned char>(src_[pos_]))) Advance();
        t.tok = Tok::kIdent;
        t.text = std::string(src_.substr(start, pos_ - start));
      } else if (IsDigit(c) || (c == '.' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1]) && !PrevIsTermEnd(out))) {
        auto r = ReadNumber(t);
        if (!r.ok()) return r.error();
      } else if (c == '"') {
        auto s = ReadString(t);
        if (!s.ok()) return s.error();
        t.tok = Tok::kString;
        t.text = std::move(*s);
      } else if (c == '`') {
        Advance();
        size_t start = pos_;
        while (pos_ < src_.size() && src_[pos_] != '`') Advance();
        if (pos_ >= src_.size()) return Fail(t.line, t.col, "non-terminated raw string");
        t.tok = Tok::kRawString;
        t.text = std::string(src_.substr(start, pos_ - start));
        Advance();
      } else {
        auto two = [&](char next) { return pos_ + 1 < src_.size() && src_[pos_ + 1] == next; };
        Tok tok;
        int len = 1;
        switch (c) {
          case '.': tok = Tok::kDot; break;
          case ',': tok = Tok::kComma; break;
          case ';': tok = Tok::kSemicolon; break;
          case ':':
            if (two('=')) {
              tok = Tok::kAssign;
              len = 2;
            } else {
              tok = Tok::kColon;
            }
            break;
          case '(': tok = Tok::kLParen; break;
          case ')': tok = Tok::kRParen; break;
          case '[': tok = Tok::kLBrack; break;
          case ']': tok = Tok::kRBrack; break;
          case '{': tok = Tok::kLBrace; break;
          case '}': tok = Tok::kRBrace; break;
          case '|': tok = Tok::kBar; break;
          case '&': tok = Tok::kAmp; break;
          case '=':
            if (two('=')) {
              tok = Tok::kEq;
              len = 2;
            } else {
              tok = Tok::kUnify;
            }
            break;
          case '!':
            if (!two('=')) return Fail(t.line, t.col, "illegal ! character");
            tok = Tok::kNeq;
            len = 2;
            break;
          case '<':
            if (two('=')) {
              tok = Tok::kLte;
              len = 2;
            } else {
              tok = Tok::kLt;
            }
            break;
          case '>':
            if (two('=')) {
              tok = Tok::kGte;
              len = 2;
            } else {
              tok = Tok::kGt;
            }
            break;
          case '+': tok = Tok::kPlus; break;
          case '-': tok = Tok::kMinus; break;
          case '*': tok = Tok::kStar; break;
          case '/': tok = Tok::kSlash; break;
          case '%': tok = Tok::kPercent; break;
          default: {
            std::string shown(1, static_cast<char>(c));
            if (c >= 0x80) {
              size_t n = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;
              shown = std::string(src_.substr(pos_, n));
            }
            return Fail(t.line, t.col, "illegal token: unexpected character '" + shown + "'");
          }
        }
        for (int i = 0; i < len; ++i) Advance();
        t.tok = tok;
        t.text = TokName(tok);
      }
      out.push_back(std::move(t));
    }
  }

 private:
  static bool PrevIsTermEnd(const std::vector<Token>& out) {
    if (out.empty()) return false;
    Tok t = out.back().tok;
    return t == Tok::kIdent || t == Tok::kRParen || t == Tok::kRBrack || t == Tok::kRBrace ||
           t == Tok::kString || t == Tok::kNumber;
  }

  void Advance() {
    if (pos_ >= src_.size()) return;
    if (src_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else if ((static_cast<unsigned char>(src_[pos_]) & 0xC0) != 0x80) {
      ++col_;
    }
    ++pos_;
  }

  Error Fail(int line, int col, const std::string& msg) const {
    return Error::Input(file_ + ":" + std::to_string(line) + ":" + std::to_string(col) +
                        ": rego_parse_error: " + msg);
  }

  Status ReadNumber(Token& t) {
    size_t start = pos_;
    while (pos_ < src_.size() && IsDigit(src_[pos_])) Advance();
    if (pos_ < src_.size() && src_[pos_] == '.' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1])) {
      Advance();
      while (pos_ < src_.size() && IsDigit(src_[pos_])) Advance();
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      size_t save = pos_;
      int save_col = col_;
      Advance();
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) Advance();
      if (pos_ < src_.size() && IsDigit(src_[pos_])) {
        while (pos_ < src_.size() && IsDigit(src_[pos_])) Advance();
      } else {
        pos_ = save;
        col_ = save_col;
      }
    }
    if (pos_ < src_.size() && (IsIdentStart(src_[pos_]) || src_[pos_] == '.')) {
      if (src_[pos_] != '.' || (pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1])))
        return Fail(t.line, t.col, "illegal number format");
    }
    t.tok = Tok::kNumber;
    t.text = std::string(src_.substr(start, pos_ - start));
    if (t.text.size() > 1 && t.text[0] == '0' && IsDigit(t.text[1]))
      return Fail(t.line, t.col, "illegal number format: leading zero");
    return OkStatus();
  }

  // Reads \uXXXX (after the 'u'), combining surrogate pairs.
  Result<uint32_t> ReadUnicodeEscape(const Token& t) {
    auto hex4 = [&]() -> Result<uint32_t> {
      if (pos_ + 4 > src_.size()) return Fail(t.line, t.col, "illegal escape sequence in string");
      uint32_t v = 0;
      for (int i = 0; i < 4; ++i) {
        char h = src_[pos_];
        v <<= 4;
        if (h >= '0' && h <= '9') {
          v |= static_cast<uint32_t>(h - '0');
        } else if (h >= 'a' && h <= 'f') {
          v |= static_cast<uint32_t>(h - 'a' + 10);
        } else if (h >= 'A' && h <= 'F') {
          v |= static_cast<uint32_t>(h - 'A' + 10);
        } else {
          return Fail(t.line, t.col, "illegal escape sequence in string");
        }
        Advance();
      }
      return v;
    };
    CUSTODY_ASSIGN_OR_RETURN(uint32_t cp, hex4());
    if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 <= src_.size() && src_[pos_] == '\\' && src_[pos_ + 1] == 'u') {
      size_t save = pos_;
      int save_col = col_;
      Advance();
      Advance();
      CUSTODY_ASSIGN_OR_RETURN(uint32_t lo, hex4());
      if (lo >= 0xDC00 && lo < 0xE000) return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      pos_ = save;
      col_ = save_col;
    }
    if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;
    return cp;
  }

  Result<std::string> ReadString(const Token& t) {
    Advance();  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= src_.size() || src_[pos_] == '\n') return Fail(t.line, t.col, "non-terminated string");
      char c = src_[pos_];
      if (c == '"') {
        Advance();
        return out;
      }
      if (c == '\\') {
        Advance();
        if (pos_ >= src_.size()) return Fail(t.line, t.col, "non-terminated string");
        char e = src_[pos_];
        Advance();
        switch (e) {
          case '"': out.push_back('"'); break;
          case '\\': out.push_back('\\'); break;
          case '/': out.push_back('/'); break;
          case 'b': out.push_back('\b'); break;
          case 'f': out.push_back('\f'); break;
          case 'n': out.push_back('\n'); break;
          case 'r': out.push_back('\r'); break;
          case 't': out.push_back('\t'); break;
          case 'u': {
            CUSTODY_ASSIGN_OR_RETURN(uint32_t cp, ReadUnicodeEscape(t));
            AppendUtf8(out, cp);
            break;
          }
          default: return Fail(t.line, t.col, "illegal escape sequence in string");
        }
        continue;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Fail(t.line, t.col, "illegal control character in string");
      out.push_back(c);
      Advance();
    }
  }

  // $"..." / $`...`: keeps the raw text between the delimiters; the parser
  // splits it into literal parts and {expressions}. Escapes in $"..." stay
  // as written (the parser unescapes the literal parts).
  Result<std::string> ReadTemplate(const Token& t) {
    char quote = src_[pos_];
    Advance();
    std::string out;
    int depth = 0;
    while (true) {
      if (pos_ >= src_.size()) return Fail(t.line, t.col, "non-terminated template string");
      char c = src_[pos_];
      if (quote == '"' && c == '\n' && depth == 0) return Fail(t.line, t.col, "non-terminated template string");
      if (c == quote && depth == 0) {
        Advance();
        out.insert(out.begin(), quote);
        return out;
      }
      if (c == '\\' && pos_ + 1 < src_.size() && (quote == '"' || src_[pos_ + 1] == '{' || src_[pos_ + 1] == '}')) {
        out.push_back(c);
        Advance();
        out.push_back(src_[pos_]);
        Advance();
        continue;
      }
      if (c == '{') ++depth;
      if (c == '}' && depth > 0) --depth;
      if (c == '"' && depth > 0) {
        // A string inside an interpolated expression.
        out.push_back(c);
        Advance();
        while (pos_ < src_.size() && src_[pos_] != '"' && src_[pos_] != '\n') {
          if (src_[pos_] == '\\' && pos_ + 1 < src_.size()) {
            out.push_back(src_[pos_]);
            Advance();
          }
          out.push_back(src_[pos_]);
          Advance();
        }
        if (pos_ >= src_.size() || src_[pos_] != '"') return Fail(t.line, t.col, "non-terminated template string");
        out.push_back('"');
        Advance();
        continue;
      }
      out.push_back(c);
      Advance();
    }
  }

  std::string_view src_;
  const std::string& file_;
  std::vector<Comment>* comments_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view src, const std::string& file, std::vector<Comment>* comments) {
  return Lexer(src, file, comments).Run();
}

}  // namespace custody::rego
