// A recursive-descent reader for HCL2 native syntax working directly on the
// characters (templates nest expressions and expressions nest templates, so a
// separate token stream buys little). The first problem ends the parse: it is
// thrown as a ParseFailure inside this file and returned as an Error.
#include "iac/hcl.h"

#include <algorithm>
#include <cstdint>
#include <new>
#include <unordered_map>
#include <utility>

namespace custody::iac::hcl {
namespace {

struct ParseFailure {
  std::string message;
};

bool IsDigit(int c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80; }
bool IsIdentChar(int c) { return IsIdentStart(c) || IsDigit(c) || c == '-'; }
bool IsBlank(int c) { return c == ' ' || c == '\t' || c == '\r'; }

// Offset of the first byte that is not part of well-formed UTF-8 (no
// overlongs, surrogates or code points past U+10FFFF), or npos.
size_t FindInvalidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > n) return i;
    for (int k = 1; k < len; ++k) {
      auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string_view::npos;
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

struct Heredoc {
  std::string_view marker;
  Position begin;
  bool flush = false;
  int indent = 0;  // <<-: leading spaces and tabs removed from every line
};

class Parser {
 public:
  Parser(const std::string& name, std::string_view src, std::vector<Comment>* comments)
      : name_(name), src_(src), comments_(comments) {}

  void ParseFile(Body& body) {
    if (src_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // byte order mark
    ParseBody(body, /*top=*/true, Here());
  }

 private:
  // --- characters -----------------------------------------------------------
  bool AtEnd() const { return pos_ >= src_.size(); }
  int Peek(size_t k = 0) const {
    return pos_ + k < src_.size() ? static_cast<unsigned char>(src_[pos_ + k]) : -1;
  }
  void Advance() {
    auto c = static_cast<unsigned char>(src_[pos_++]);
    if (c == '\n') {
      ++line_;
      col_ = 1;
    } else if ((c & 0xC0) != 0x80) {
      ++col_;
    }
  }
  void Advance(size_t n) {
    for (size_t i = 0; i < n; ++i) Advance();
  }
  bool LookingAt(std::string_view s) const { return src_.substr(pos_, s.size()) == s; }
  Position Here() const { return {line_, col_, pos_}; }

  [[noreturn]] [[gnu::noinline]] void Fail(const Position& at, std::string_view what) const {
    throw ParseFailure{name_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column) + ": " +
                       std::string(what)};
  }

  [[noreturn]] [[gnu::noinline]] void FailNesting(const Position& at) const {
    Fail(at, "nesting deeper than " + std::to_string(kMaxNesting) +
                 " levels (blocks, brackets, templates or operators); flatten the expression");
  }

  std::string Describe() const {
    int c = Peek();
    if (c < 0) return "the end of the file";
    if (c == '\n') return "a new line";
    if (c >= 0x20 && c < 0x7F) return std::string("'") + static_cast<char>(c) + "'";
    if (c >= 0x80) {
      size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
      return "'" + std::string(src_.substr(pos_, len)) + "'";
    }
    static const char* kHex = "0123456789abcdef";
    return std::string("the control character 0x") + kHex[c >> 4] + kHex[c & 15];
  }

  void RecordComment(size_t start, Position at) {
    if (start < comments_end_) return;  // already seen
    comments_end_ = pos_;
    comments_->push_back(Comment{at, std::string(src_.substr(start, pos_ - start))});
  }

  // Skips blanks and comments; new lines too unless they end items here.
  void SkipSpace() {
    for (;;) {
      int c = Peek();
      if (IsBlank(c) || (c == '\n' && !newlines_)) {
        Advance();
      } else if (c == '#' || (c == '/' && Peek(1) == '/')) {
        size_t start = pos_;
        Position at = Here();
        while (!AtEnd() && Peek() != '\n') Advance();
        RecordComment(start, at);
      } else if (c == '/' && Peek(1) == '*') {
        size_t start = pos_;
        Position at = Here();
        size_t close = src_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) Fail(at, "unterminated comment: /* has no closing */");
        Advance(close + 2 - pos_);
        RecordComment(start, at);
      } else {
        return;
      }
    }
  }
  void SkipSpaceAll() {
    bool saved = newlines_;
    newlines_ = false;
    SkipSpace();
    newlines_ = saved;
  }

  std::string_view PeekIdent() const {
    if (!IsIdentStart(Peek())) return {};
    size_t end = pos_ + 1;
    while (end < src_.size() && IsIdentChar(static_cast<unsigned char>(src_[end]))) ++end;
    return src_.substr(pos_, end - pos_);
  }
  std::string ReadIdent() {
    std::string_view id = PeekIdent();
    Advance(id.size());
    return std::string(id);
  }
  // Messages are built out of line: see the note on expressions below.
  [[noreturn]] [[gnu::noinline]] void FailExpected(const char* what, const Position* open = nullptr) const {
    std::string message = what;
    if (open != nullptr) {
      message += " opened at line " + std::to_string(open->line) + ":" + std::to_string(open->column);
    }
    Fail(Here(), message + ", found " + Describe());
  }
  void Expect(char c, const char* what, const Position* open = nullptr) {
    if (Peek() != static_cast<unsigned char>(c)) FailExpected(what, open);
    Advance();
  }

  // --- nesting --------------------------------------------------------------
  class Nest {
   public:
    Nest(Parser* p, const Position& at) : p_(p) {
      if (++p_->depth_ > kMaxNesting) p_->FailNesting(at);
    }
    ~Nest() { --p_->depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser* p_;
  };
  class NewlineMode {
   public:
    NewlineMode(Parser* p, bool significant) : p_(p), saved_(p->newlines_) { p->newlines_ = significant; }
    ~NewlineMode() { p_->newlines_ = saved_; }
    NewlineMode(const NewlineMode&) = delete;
    NewlineMode& operator=(const NewlineMode&) = delete;

   private:
    Parser* p_;
    bool saved_;
  };

  // --- bodies ---------------------------------------------------------------
  void ParseBody(Body& body, bool top, const Position& open) {
    NewlineMode nl(this, true);
    std::unordered_map<std::string, size_t> seen;  // attribute name -> index, for long bodies
    for (;;) {
      SkipSpaceAll();
      if (AtEnd()) {
        if (top) return;
        Fail(Here(), "missing } to close the block opened at line " + std::to_string(open.line) + ":" +
                         std::to_string(open.column));
      }
      if (Peek() == '}') {
        if (top) Fail(Here(), "unexpected '}': no block is open here");
        return;
      }
      Position start = Here();
      if (!IsIdentStart(Peek())) {
        Fail(start, "expected an attribute name or a block type, found " + Describe());
      }
      std::string name = ReadIdent();
      SkipSpace();
      if (Peek() == '=' && Peek(1) != '=' && Peek(1) != '>') {
        Advance();
        SkipSpace();
        Attribute attr{name, start, ParseExpr()};
        // Bodies are mostly short: a scan, and a hash table past a few dozen.
        const Attribute* previous = nullptr;
        if (body.attributes.size() < 32) {
          for (const Attribute& a : body.attributes) {
            if (a.name == attr.name) previous = &a;
          }
        } else {
          if (seen.empty()) {
            for (size_t i = 0; i < body.attributes.size(); ++i) seen.emplace(body.attributes[i].name, i);
          }
          if (auto it = seen.find(attr.name); it != seen.end()) previous = &body.attributes[it->second];
          seen.emplace(attr.name, body.attributes.size());
        }
        if (previous != nullptr) {
          Fail(start, "attribute \"" + name + "\" is already defined at line " + std::to_string(previous->begin.line));
        }
        body.attributes.push_back(std::move(attr));
        ExpectItemEnd(top, "after the value of \"" + name + "\"");
        continue;
      }
      Block block;
      block.type = std::move(name);
      block.begin = start;
      for (;;) {
        if (Peek() == '"') {
          Position lp = Here();
          Expression label = ParseQuoted();
          if (label.items.size() > 1 || (label.items.size() == 1 && label.items[0].kind != ExprKind::kLiteral)) {
            Fail(lp, "a block label must be a literal string, without ${ } or %{ }");
          }
          block.labels.push_back(label.items.empty() ? std::string() : std::move(label.items[0].text));
        } else if (IsIdentStart(Peek())) {
          block.labels.push_back(ReadIdent());
        } else {
          break;
        }
        SkipSpace();
      }
      if (Peek() != '{') {
        Fail(Here(), "expected '=' or '{' after \"" + block.type + "\", found " + Describe());
      }
      Position brace = Here();
      Advance();
      {
        Nest nest(this, brace);
        ParseBody(block.body, /*top=*/false, brace);
      }
      block.end = Here();
      Advance();  // '}'
      body.blocks.push_back(std::move(block));
      ExpectItemEnd(top, "after the closing brace of a block");
    }
  }

  void ExpectItemEnd(bool top, const std::string& where) {
    SkipSpace();
    int c = Peek();
    if (c < 0) return;
    if (c == '\n') {
      Advance();
      return;
    }
    if (c == '}' && !top) return;
    Fail(Here(), "unexpected " + Describe() + " " + where + "; put each attribute and block on its own line");
  }

  // --- expressions ----------------------------------------------------------
  // The functions on the recursive path keep their frames small (rare cases
  // and messages out of line): kMaxNesting levels times their frames must fit
  // a thread's stack, also under AddressSanitizer.
  Expression ParseExpr() {
    Nest nest(this, Here());
    Expression cond = ParseBinary(0);
    SkipSpace();
    if (Peek() != '?') return cond;
    return ParseConditional(std::move(cond));
  }

  [[gnu::noinline]] Expression ParseConditional(Expression cond) {
    Advance();  // '?'
    SkipSpaceAll();
    Expression yes = ParseExpr();
    SkipSpaceAll();
    Expect(':', "expected ':' between the results of a conditional (cond ? a : b)");
    SkipSpaceAll();
    Expression no = ParseExpr();
    Expression e;
    e.kind = ExprKind::kConditional;
    e.begin = cond.begin;
    e.end = no.end;
    e.items.reserve(3);
    e.items.push_back(std::move(cond));
    e.items.push_back(std::move(yes));
    e.items.push_back(std::move(no));
    return e;
  }

  // The binary operator at the cursor and its precedence (1: ||, 2: &&,
  // 3: == !=, 4: comparisons, 5: + -, 6: * / %), or 0.
  int PeekBinaryOp(std::string_view* op) const {
    int c = Peek();
    int d = Peek(1);
    auto two = [&](int p) {
      *op = src_.substr(pos_, 2);
      return p;
    };
    auto one = [&](int p) {
      *op = src_.substr(pos_, 1);
      return p;
    };
    switch (c) {
      case '|': return d == '|' ? two(1) : 0;
      case '&': return d == '&' ? two(2) : 0;
      case '=': return d == '=' ? two(3) : 0;
      case '!': return d == '=' ? two(3) : 0;
      case '<': return d == '=' ? two(4) : d == '<' ? 0 : one(4);
      case '>': return d == '=' ? two(4) : one(4);
      case '+': return one(5);
      case '-': return one(5);
      case '*': return one(6);
      case '/': return one(6);
      case '%': return d == '{' ? 0 : one(6);
      default: return 0;
    }
  }

  Expression ParseBinary(int min_prec) {
    Expression left = ParseUnary();
    SkipSpace();
    std::string_view op;
    int prec = PeekBinaryOp(&op);
    if (prec == 0 || prec < min_prec) return left;
    return ParseBinaryChain(std::move(left), min_prec);
  }

  [[gnu::noinline]] Expression ParseBinaryChain(Expression left, int min_prec) {
    int chain = 0;
    for (;;) {
      SkipSpace();
      std::string_view op;
      int prec = PeekBinaryOp(&op);
      if (prec == 0 || prec < min_prec) break;
      Position at = Here();
      Advance(op.size());
      SkipSpaceAll();
      // Left-associative chains deepen the tree on the left: count them.
      ++chain;
      if (depth_ + chain > kMaxNesting) FailNesting(at);
      depth_ += chain;
      Expression right = ParseBinary(prec + 1);
      depth_ -= chain;
      Expression e;
      e.kind = ExprKind::kBinary;
      e.text = std::string(op);
      e.begin = left.begin;
      e.end = right.end;
      e.items.reserve(2);
      e.items.push_back(std::move(left));
      e.items.push_back(std::move(right));
      left = std::move(e);
    }
    return left;
  }

  Expression ParseUnary() {
    int c = Peek();
    if (c == '-' || (c == '!' && Peek(1) != '=')) return ParseUnaryOperator();
    return ParsePostfix();
  }

  [[gnu::noinline]] Expression ParseUnaryOperator() {
    Expression e;
    e.kind = ExprKind::kUnary;
    e.begin = Here();
    Nest nest(this, e.begin);
    e.text = std::string(1, static_cast<char>(Peek()));
    Advance();
    SkipSpace();
    e.items.push_back(ParseUnary());
    e.end = e.items[0].end;
    return e;
  }

  bool AtPostfix() const {
    return (Peek() == '.' && !LookingAt("...")) || Peek() == '[';  // `...` expands a call's last argument
  }

  Expression ParsePostfix() {
    Expression base = ParsePrimary();
    SkipSpace();
    if (!AtPostfix()) return base;
    return ParseTraversal(std::move(base));
  }

  [[gnu::noinline]] Expression ParseTraversal(Expression base) {
    Expression e;
    e.kind = ExprKind::kTraversal;
    e.begin = base.begin;
    e.items.push_back(std::move(base));
    for (;;) {
      SkipSpace();
      if (!AtPostfix()) break;
      Position at = Here();
      Expression step;
      step.begin = at;
      if (Peek() == '.' && IsDigit(Peek(1))) {  // legacy index: list.0
        Advance();
        Expression number;
        number.kind = ExprKind::kNumber;
        number.begin = Here();
        while (IsDigit(Peek())) Advance();
        number.end = pos_;
        number.text = std::string(src_.substr(number.begin.offset, number.end - number.begin.offset));
        step.kind = ExprKind::kIndex;
        step.items.push_back(std::move(number));
      } else if (Peek() == '.' && Peek(1) == '*') {
        Advance(2);
        step.kind = ExprKind::kSplat;
        step.text = ".*";
      } else if (Peek() == '.') {
        Advance();
        SkipSpace();
        if (!IsIdentStart(Peek())) FailExpected("expected an attribute name after '.'");
        step.kind = ExprKind::kGetAttr;
        step.text = ReadIdent();
      } else if (Peek(1) == '*' && Peek(2) == ']') {
        Advance(3);
        step.kind = ExprKind::kSplat;
        step.text = "[*]";
      } else {
        Nest nest(this, at);
        NewlineMode nl(this, false);
        Advance();
        SkipSpace();
        step.kind = ExprKind::kIndex;
        step.items.push_back(ParseExpr());
        SkipSpace();
        Expect(']', "expected ']' to close the index", &at);
      }
      step.end = pos_;
      e.items.push_back(std::move(step));
    }
    e.end = e.items.back().end;
    return e;
  }

  Expression ParsePrimary() {
    int c = Peek();
    if (IsDigit(c)) return ParseNumber();
    if (c == '"') return ParseQuoted();
    if (c == '<' && Peek(1) == '<') return ParseHeredoc();
    if (c == '[') return ParseTuple();
    if (c == '{') return ParseObject();
    if (c == '(') return ParseParen();
    if (IsIdentStart(c)) return ParseIdentifier();
    FailExpected("expected an expression");
  }

  [[gnu::noinline]] Expression ParseNumber() {
    Expression e;
    e.kind = ExprKind::kNumber;
    e.begin = Here();
    while (IsDigit(Peek())) Advance();
    if (Peek() == '.' && IsDigit(Peek(1))) {
      Advance();
      while (IsDigit(Peek())) Advance();
    }
    if ((Peek() == 'e' || Peek() == 'E') &&
        (IsDigit(Peek(1)) || ((Peek(1) == '+' || Peek(1) == '-') && IsDigit(Peek(2))))) {
      Advance(2);
      while (IsDigit(Peek())) Advance();
    }
    e.end = pos_;
    e.text = std::string(src_.substr(e.begin.offset, pos_ - e.begin.offset));
    return e;
  }

  [[gnu::noinline]] Expression ParseParen() {
    Expression e;
    e.kind = ExprKind::kParen;
    e.begin = Here();
    NewlineMode nl(this, false);
    Advance();
    SkipSpace();
    e.items.push_back(ParseExpr());
    SkipSpace();
    Expect(')', "expected ')' to close the parenthesis", &e.begin);
    e.end = pos_;
    return e;
  }

  [[gnu::noinline]] Expression ParseIdentifier() {
    Expression e;
    e.begin = Here();
    e.text = ReadIdent();
    e.end = pos_;
    if (e.text == "true" || e.text == "false") {
      e.kind = ExprKind::kBool;
      e.boolean = e.text == "true";
      e.text.clear();
      return e;
    }
    if (e.text == "null") {
      e.kind = ExprKind::kNull;
      e.text.clear();
      return e;
    }
    bool qualified = false;
    while (Peek() == ':' && Peek(1) == ':' && IsIdentStart(Peek(2))) {  // provider::aws::arn_parse
      Advance(2);
      e.text += "::" + ReadIdent();
      qualified = true;
    }
    size_t after_name = pos_;
    SkipSpace();
    if (Peek() == '(') return ParseCall(std::move(e));
    if (qualified) FailExpected("expected '(' after a provider function's name");
    e.kind = ExprKind::kVariable;
    e.end = after_name;
    return e;
  }

  [[gnu::noinline]] Expression ParseCall(Expression e) {
    NewlineMode nl(this, false);
    Position open = Here();
    Advance();  // '('
    e.kind = ExprKind::kCall;
    SkipSpace();
    while (Peek() != ')') {
      e.items.push_back(ParseExpr());
      SkipSpace();
      if (LookingAt("...")) {
        Advance(3);
        e.expand_final = true;
        SkipSpace();
        if (Peek() == ',') {
          Advance();
          SkipSpace();
        }
        if (Peek() != ')') FailExpected("expected ')' after '...', which may only follow the last argument");
        break;
      }
      if (Peek() == ',') {
        Advance();
        SkipSpace();
        continue;
      }
      if (Peek() != ')') FailExpected("expected ',' or ')' in the arguments of the function call", &open);
    }
    Advance();
    e.end = pos_;
    return e;
  }

  bool AtForKeyword() const {
    if (PeekIdent() != "for") return false;
    int next = Peek(3);
    return IsBlank(next) || next == '\n';
  }

  [[gnu::noinline]] Expression ParseTuple() {
    NewlineMode nl(this, false);
    Position open = Here();
    Advance();
    SkipSpace();
    if (AtForKeyword()) return ParseFor(open, /*object=*/false);
    Expression e;
    e.kind = ExprKind::kTuple;
    e.begin = open;
    while (Peek() != ']') {
      e.items.push_back(ParseExpr());
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        SkipSpace();
        continue;
      }
      if (Peek() != ']') FailExpected("expected ',' or ']' in the list", &open);
    }
    Advance();
    e.end = pos_;
    return e;
  }

  [[gnu::noinline]] Expression ParseObject() {
    NewlineMode nl(this, true);
    Position open = Here();
    Advance();
    SkipSpaceAll();
    if (AtForKeyword()) {
      NewlineMode inner(this, false);
      return ParseFor(open, /*object=*/true);
    }
    Expression e;
    e.kind = ExprKind::kObject;
    e.begin = open;
    for (;;) {
      SkipSpaceAll();
      if (Peek() == '}') break;
      if (AtEnd()) FailExpected("missing '}' to close the object", &open);
      e.items.push_back(ParseExpr());
      SkipSpace();
      if ((Peek() == '=' && Peek(1) != '=' && Peek(1) != '>') || Peek() == ':') {
        Advance();
      } else {
        FailExpected("expected '=' or ':' after the object key");
      }
      SkipSpace();
      e.items.push_back(ParseExpr());
      SkipSpace();
      if (Peek() == ',' || Peek() == '\n') {
        Advance();
      } else if (Peek() != '}') {
        FailExpected("expected ',', a new line or '}' after an object item");
      }
    }
    Advance();
    e.end = pos_;
    return e;
  }

  [[gnu::noinline]] Expression ParseFor(const Position& open, bool object) {
    Expression e;
    e.kind = ExprKind::kFor;
    e.begin = open;
    e.object = object;
    Advance(3);  // for
    SkipSpace();
    if (!IsIdentStart(Peek())) FailExpected("expected a variable name after 'for'");
    std::string first = ReadIdent();
    SkipSpace();
    if (Peek() == ',') {
      Advance();
      SkipSpace();
      if (!IsIdentStart(Peek())) FailExpected("expected a second variable name after ','");
      e.text = std::move(first);
      e.name2 = ReadIdent();
      SkipSpace();
    } else {
      e.name2 = std::move(first);
    }
    if (PeekIdent() != "in") FailExpected("expected 'in' in the for expression");
    Advance(2);
    SkipSpace();
    e.items.push_back(ParseExpr());
    SkipSpace();
    Expect(':', "expected ':' after the collection of a for expression");
    SkipSpace();
    if (object) {
      e.items.push_back(ParseExpr());
      SkipSpace();
      if (!LookingAt("=>")) FailExpected("expected '=>' between the key and the value of a for expression");
      Advance(2);
      SkipSpace();
    }
    e.items.push_back(ParseExpr());
    SkipSpace();
    if (object && LookingAt("...")) {
      Advance(3);
      e.grouping = true;
      SkipSpace();
    }
    if (PeekIdent() == "if") {
      Advance(2);
      SkipSpace();
      e.has_condition = true;
      e.items.push_back(ParseExpr());
      SkipSpace();
    }
    Expect(object ? '}' : ']', object ? "expected '}' to close the for expression" : "expected ']' to close the for expression", &open);
    e.end = pos_;
    return e;
  }

  // --- templates ------------------------------------------------------------
  [[gnu::noinline]] Expression ParseQuoted() {
    Expression t;
    t.kind = ExprKind::kTemplate;
    t.begin = Here();
    Advance();  // '"'
    ParseTemplateParts(t, nullptr);
    t.end = pos_;
    return t;
  }

  [[gnu::noinline]] Expression ParseHeredoc() {
    Heredoc h;
    h.begin = Here();
    Advance(2);
    if (Peek() == '-') {
      h.flush = true;
      Advance();
    }
    if (!IsIdentStart(Peek())) Fail(Here(), "expected a heredoc marker such as EOF after <<, found " + Describe());
    h.marker = PeekIdent();
    Advance(h.marker.size());
    while (IsBlank(Peek())) Advance();
    if (Peek() != '\n') {
      Fail(Here(), "expected a new line after the heredoc marker " + std::string(h.marker) + ", found " + Describe());
    }
    Advance();
    if (h.flush) h.indent = FlushIndent(h.marker);
    Expression t;
    t.kind = ExprKind::kTemplate;
    t.heredoc = true;
    t.begin = h.begin;
    ParseTemplateParts(t, &h);
    t.end = pos_;
    return t;
  }

  // Length of the marker line at `at` (leading blanks, the marker, trailing
  // blanks) when the line there closes the heredoc, else 0.
  size_t MarkerLineAt(size_t at, std::string_view marker) const {
    size_t i = at;
    while (i < src_.size() && (src_[i] == ' ' || src_[i] == '\t')) ++i;
    if (src_.substr(i, marker.size()) != marker) return 0;
    i += marker.size();
    while (i < src_.size() && IsBlank(static_cast<unsigned char>(src_[i]))) ++i;
    if (i < src_.size() && src_[i] != '\n') return 0;
    return i - at;
  }

  // The smallest indentation of a non-blank line before the closing marker.
  int FlushIndent(std::string_view marker) const {
    int best = -1;
    size_t i = pos_;
    while (i < src_.size()) {
      if (MarkerLineAt(i, marker) > 0) break;
      int n = 0;
      size_t j = i;
      while (j < src_.size() && (src_[j] == ' ' || src_[j] == '\t')) ++j, ++n;
      bool blank = j >= src_.size() || src_[j] == '\n' || src_[j] == '\r';
      if (!blank && (best < 0 || n < best)) best = n;
      size_t nl = src_.find('\n', j);
      if (nl == std::string_view::npos) break;
      i = nl + 1;
    }
    return std::max(best, 0);
  }

  void ParseTemplateParts(Expression& t, const Heredoc* h) {
    std::string lit;
    Position lit_begin = Here();
    bool strip_pending = false;  // a ~} strips the whitespace that follows
    bool line_start = true;
    std::vector<std::pair<std::string, Position>> open_directives;
    auto flush = [&](size_t end) {
      if (!lit.empty()) {
        Expression part;
        part.kind = ExprKind::kLiteral;
        part.begin = lit_begin;
        part.end = end;
        part.text = std::move(lit);
        t.items.push_back(std::move(part));
      }
      lit.clear();
    };
    for (;;) {
      if (h != nullptr && line_start) {
        line_start = false;
        if (size_t n = MarkerLineAt(pos_, h->marker); n > 0) {
          flush(pos_);
          Advance(n);
          break;
        }
        if (h->flush) {
          for (int k = 0; k < h->indent && (Peek() == ' ' || Peek() == '\t'); ++k) Advance();
        }
      }
      if (lit.empty()) lit_begin = Here();
      int c = Peek();
      if (c < 0) {
        if (h != nullptr) FailHeredoc(*h);
        Fail(t.begin, "unterminated string: the quoted string has no closing '\"'");
      }
      if (h == nullptr) {
        if (c == '"') {
          flush(pos_);
          Advance();
          break;
        }
        if (c == '\n') {
          Fail(t.begin,
               "unterminated string: a quoted string must close on the line where it opens "
               "(use \\n for a line break or a heredoc <<EOF for text over several lines)");
        }
        if (c == '\\') {
          ParseEscape(lit);
          strip_pending = false;
          continue;
        }
      }
      if ((c == '$' || c == '%') && Peek(1) == c && Peek(2) == '{') {  // $${ and %%{ escape
        lit += static_cast<char>(c);
        lit += '{';
        Advance(3);
        strip_pending = false;
        continue;
      }
      if ((c == '$' || c == '%') && Peek(1) == '{') {
        bool strip_left = Peek(2) == '~';
        if (strip_left) {
          while (!lit.empty() && (IsBlank(static_cast<unsigned char>(lit.back())) || lit.back() == '\n')) {
            lit.pop_back();
          }
        }
        flush(pos_);
        Expression part = c == '$' ? ParseInterpolation() : ParseDirective(open_directives);
        strip_pending = part.strip_right;
        t.items.push_back(std::move(part));
        continue;
      }
      Advance();
      if (c == '\n') line_start = true;
      if (strip_pending && (IsBlank(c) || c == '\n')) continue;
      strip_pending = false;
      lit += static_cast<char>(c);
    }
    if (!open_directives.empty()) {
      FailUnclosedDirective(open_directives.back().first, open_directives.back().second);
    }
  }

  [[noreturn]] [[gnu::noinline]] void FailUnclosedDirective(const std::string& keyword, const Position& at) const {
    Fail(at, "%{ " + keyword + " } has no matching %{ end" + keyword + " } in this template");
  }

  [[noreturn]] [[gnu::noinline]] void FailHeredoc(const Heredoc& h) const {
    Fail(h.begin, "heredoc <<" + std::string(h.marker) + " has no closing line " + std::string(h.marker));
  }

  [[gnu::noinline]] void ParseEscape(std::string& out) {
    Position at = Here();
    Advance();  // backslash
    int c = Peek();
    switch (c) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case 'u':
      case 'U': {
        int digits = c == 'u' ? 4 : 8;
        uint32_t cp = 0;
        for (int k = 1; k <= digits; ++k) {
          int d = Peek(k);
          int v = IsDigit(d) ? d - '0' : (d >= 'a' && d <= 'f') ? d - 'a' + 10 : (d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
          if (v < 0) {
            Fail(at, std::string("\\") + static_cast<char>(c) + " needs " + std::to_string(digits) + " hex digits");
          }
          cp = cp * 16 + static_cast<uint32_t>(v);
        }
        if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) Fail(at, "escape names an invalid Unicode code point");
        AppendUtf8(out, cp);
        Advance(static_cast<size_t>(digits));
        break;
      }
      default:
        Fail(at, "invalid escape sequence \\" + (c < 0 ? std::string() : Describe()) +
                     " in a quoted string (write \\\\ for a backslash)");
    }
    Advance();
  }

  [[gnu::noinline]] Expression ParseInterpolation() {
    Expression part;
    part.kind = ExprKind::kInterpolation;
    part.begin = Here();
    Nest nest(this, part.begin);
    NewlineMode nl(this, false);
    Advance(2);
    if (Peek() == '~') {
      part.strip_left = true;
      Advance();
    }
    SkipSpace();
    part.items.push_back(ParseExpr());
    SkipSpace();
    if (Peek() == '~') {
      part.strip_right = true;
      Advance();
    }
    Expect('}', "expected '}' to close the ${", &part.begin);
    part.end = pos_;
    return part;
  }

  [[gnu::noinline]] Expression ParseDirective(std::vector<std::pair<std::string, Position>>& open) {
    Expression part;
    part.kind = ExprKind::kDirective;
    part.begin = Here();
    Nest nest(this, part.begin);
    NewlineMode nl(this, false);
    Advance(2);
    if (Peek() == '~') {
      part.strip_left = true;
      Advance();
    }
    SkipSpace();
    Position kw_at = Here();
    std::string keyword = ReadIdent();
    auto close = [&](const char* opener) {
      if (open.empty() || open.back().first != opener) {
        Fail(kw_at, "%{ " + keyword + " } without a matching %{ " + opener + " }");
      }
    };
    if (keyword == "if") {
      SkipSpace();
      part.items.push_back(ParseExpr());
      open.emplace_back("if", part.begin);
    } else if (keyword == "for") {
      SkipSpace();
      if (!IsIdentStart(Peek())) Fail(Here(), "expected a variable name after %{ for, found " + Describe());
      ReadIdent();
      SkipSpace();
      if (Peek() == ',') {
        Advance();
        SkipSpace();
        if (!IsIdentStart(Peek())) Fail(Here(), "expected a variable name after ',', found " + Describe());
        ReadIdent();
        SkipSpace();
      }
      if (PeekIdent() != "in") Fail(Here(), "expected 'in' in %{ for }, found " + Describe());
      Advance(2);
      SkipSpace();
      part.items.push_back(ParseExpr());
      open.emplace_back("for", part.begin);
    } else if (keyword == "else") {
      close("if");
    } else if (keyword == "endif") {
      close("if");
      open.pop_back();
    } else if (keyword == "endfor") {
      close("for");
      open.pop_back();
    } else {
      Fail(kw_at, "expected if, else, endif, for or endfor after %{, found " +
                      (keyword.empty() ? Describe() : "'" + keyword + "'"));
    }
    SkipSpace();
    if (Peek() == '~') {
      part.strip_right = true;
      Advance();
    }
    Expect('}', "expected '}' to close the %{", &part.begin);
    part.text = std::move(keyword);
    part.end = pos_;
    return part;
  }

  const std::string& name_;
  std::string_view src_;
  std::vector<Comment>* comments_;
  size_t pos_ = 0;
  int line_ = 1;
  int col_ = 1;
  int depth_ = 0;
  bool newlines_ = true;
  size_t comments_end_ = 0;
};

}  // namespace

Result<File> Parse(const std::string& name, std::string_view content) {
  if (size_t bad = FindInvalidUtf8(content); bad != std::string_view::npos) {
    int line = 1;
    int col = 1;
    for (size_t i = 0; i < bad; ++i) {
      auto c = static_cast<unsigned char>(content[i]);
      if (c == '\n') {
        ++line;
        col = 1;
      } else if ((c & 0xC0) != 0x80) {
        ++col;
      }
    }
    static const char* kHex = "0123456789abcdef";
    auto b = static_cast<unsigned char>(content[bad]);
    return Error::Input(name + ":" + std::to_string(line) + ":" + std::to_string(col) +
                        ": invalid UTF-8 (byte 0x" + kHex[b >> 4] + kHex[b & 15] +
                        "); save the file as UTF-8");
  }
  File file;
  file.name = name;
  file.source = std::string(content);
  try {
    Parser parser(file.name, file.source, &file.comments);
    parser.ParseFile(file.body);
  } catch (const ParseFailure& failure) {
    return Error::Input(failure.message);
  } catch (const std::bad_alloc&) {
    return Error::Input(name + ": out of memory while reading the file");
  }
  return file;
}

}  // namespace custody::iac::hcl
