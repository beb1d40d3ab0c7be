#include "rego/parser.h"

#include <cstdio>
#include <set>

#include "core/yaml.h"
#include "rego/lexer.h"
#include "rego/builtins/encoding_yaml.h"

namespace custody::rego {

std::string Location::Short() const { return (file ? *file : std::string("query")) + ":" + std::to_string(line); }
std::string Location::Full() const {
  return (file ? *file : std::string("query")) + ":" + std::to_string(line) + ":" + std::to_string(col);
}

bool Term::IsGround() const {
  switch (kind) {
    case TermKind::kScalar: return true;
    case TermKind::kArray:
    case TermKind::kSet:
    case TermKind::kObject:
      for (const Term& t : items)
        if (!t.IsGround()) return false;
      return true;
    default: return false;
  }
}

std::string Term::HeadName() const {
  if (kind == TermKind::kVar) return name;
  return kind == TermKind::kRef ? items[0].name : "";
}

std::string Term::RefText() const {
  if (kind == TermKind::kVar) return name;
  if (kind != TermKind::kRef || items.empty() || items[0].kind != TermKind::kVar) return "";
  std::string s = items[0].name;
  for (size_t i = 1; i < items.size(); ++i) {
    if (items[i].kind != TermKind::kScalar || !items[i].value.is_string()) return "";
    s += "." + items[i].value.as_string();
  }
  return s;
}

namespace {

// Nesting bound (brackets, parentheses, comprehension bodies, unary minus):
// deeper policies are refused instead of exhausting the stack. Real policies
// nest a few levels; each level costs several parser frames.
constexpr int kMaxDepth = 100;
// Expressions in one body (a rule body, a comprehension, a query).
constexpr size_t kMaxBodyExprs = 1000;

class Parser {
 public:
  Parser(std::vector<Token> toks, std::shared_ptr<const std::string> file, RegoVersion version)
      : toks_(std::move(toks)), file_(std::move(file)), v1_(version == RegoVersion::kV1) {
    if (v1_) EnableAllKeywords();
  }

  Result<std::unique_ptr<Module>> ParseModuleTokens() {
    auto m = std::make_unique<Module>();
    m->file = file_;
    m->v1 = v1_;
    if (!IsIdent("package")) return Fail(Cur(), "expected package");
    Next();
    CUSTODY_ASSIGN_OR_RETURN(Term pkg, ParseRefTerm());
    m->package = std::move(pkg);
    // Imports.
    while (IsIdent("import") && Cur().newline_before && !KeywordAsRef()) {
      Location loc = Loc(Cur());
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term path, ParseRefTerm());
      Import imp;
      imp.path = std::move(path);
      imp.loc = loc;
      if (IsIdent("as") && !Cur().newline_before) {
        Next();
        if (Cur().tok != Tok::kIdent) return Fail(Cur(), "expected ident");
        imp.alias = Cur().text;
        Next();
      }
      CUSTODY_RETURN_IF_ERROR(ApplyImport(imp));
      m->imports.push_back(std::move(imp));
    }
    // Rules.
    while (Cur().tok != Tok::kEof) {
      if (!Cur().newline_before && !m->rules.empty() && prev_end_line_ == Cur().line)
        return Fail(Cur(), "unexpected " + Describe(Cur()) + " token: expected end of line");
      if (IsIdent("import") && !KeywordAsRef()) return Fail(Cur(), "import must come before any rule");
      if (IsIdent("package") && !KeywordAsRef()) return Fail(Cur(), "unexpected package: only one package per module");
      CUSTODY_RETURN_IF_ERROR(ParseRule(*m));
      prev_end_line_ = toks_[pos_ > 0 ? pos_ - 1 : 0].line;
    }
    m->v1 = v1_;
    return m;
  }

  Result<std::shared_ptr<Body>> ParseQueryTokens() {
    auto body = std::make_shared<Body>();
    body->loc = Loc(Cur());
    CUSTODY_RETURN_IF_ERROR(ParseLiterals(*body, Tok::kEof));
    if (body->exprs.empty()) return Fail(Cur(), "empty query");
    return body;
  }

  void EnableAllKeywords() { kw_if_ = kw_contains_ = kw_in_ = kw_every_ = true; }

 private:
  // ---- tokens ----
  const Token& Cur() const { return toks_[pos_]; }
  const Token& Peek(size_t n = 1) const { return toks_[std::min(pos_ + n, toks_.size() - 1)]; }
  void Next() {
    if (pos_ + 1 < toks_.size()) ++pos_;
  }
  bool IsIdent(const char* s) const { return Cur().tok == Tok::kIdent && Cur().text == s; }
  bool Is(Tok t) const { return Cur().tok == t; }
  Location Loc(const Token& t) const { return Location{file_, t.line, t.col}; }

  static std::string Describe(const Token& t) {
    switch (t.tok) {
      case Tok::kEof: return "eof";
      case Tok::kIdent: return "ident";
      case Tok::kNumber: return "number";
      case Tok::kString:
      case Tok::kRawString: return "string";
      default: return t.text;
    }
  }

  Error Fail(const Token& t, const std::string& msg) const {
    return Error::Input((file_ ? *file_ : std::string("query")) + ":" + std::to_string(t.line) + ":" +
                        std::to_string(t.col) + ": rego_parse_error: " + msg);
  }
  Error Unexpected(const Token& t, const std::string& expected) const {
    return Fail(t, "unexpected " + Describe(t) + " token: expected " + expected);
  }
  Status Expect(Tok t, const char* what) {
    if (!Is(t)) return Unexpected(Cur(), what);
    Next();
    return OkStatus();
  }

  // A keyword written as the head of a reference (`true.foo`, `else.x`) is
  // a name, as in OPA.
  bool KeywordAsRef() const {
    const Token& n = Peek();
    return (n.tok == Tok::kDot || n.tok == Tok::kLBrack) && !n.space_before;
  }

  bool IsKeyword(const std::string& s) const {
    if (s == "if") return kw_if_;
    if (s == "contains") return kw_contains_;
    if (s == "in") return kw_in_;
    if (s == "every") return kw_every_;
    if (s == "and") return kw_and_;
    if (s == "or") return kw_or_;
    return false;
  }

  Status ApplyImport(const Import& imp) {
    std::string text = imp.path.RefText();
    if (text == "rego.v1") {
      EnableAllKeywords();
      strict_v1_ = true;
      return OkStatus();
    }
    if (text == "future.keywords") {
      EnableAllKeywords();
      return OkStatus();
    }
    if (text.rfind("future.keywords.", 0) == 0) {
      std::string kw = text.substr(16);
      if (kw == "if") {
        kw_if_ = true;
      } else if (kw == "contains") {
        kw_contains_ = true;
      } else if (kw == "in") {
        kw_in_ = true;
      } else if (kw == "every") {
        kw_every_ = true;
        kw_in_ = true;
      } else if (kw == "and") {
        kw_and_ = true;
      } else if (kw == "or") {
        kw_or_ = true;
      } else if (kw == "not") {
        kw_not_body_ = true;
      } else {
        return Fail(Token{Tok::kIdent, "", imp.loc.line, imp.loc.col}, "unexpected keyword, must be one of [contains every if in]");
      }
      return OkStatus();
    }
    if (text.rfind("future.", 0) == 0 && text != "future.keywords") {
      return Fail(Token{Tok::kIdent, "", imp.loc.line, imp.loc.col}, "invalid import " + text);
    }
    return OkStatus();
  }

  // ---- terms ----
  Term MakeVar(const std::string& name, const Location& loc) {
    Term t;
    t.kind = TermKind::kVar;
    t.name = name;
    t.loc = loc;
    return t;
  }
  Term MakeScalar(Value v, const Location& loc) {
    Term t;
    t.kind = TermKind::kScalar;
    t.value = std::move(v);
    t.loc = loc;
    return t;
  }
  Term MakeCall(const std::string& op, std::vector<Term> args, const Location& loc) {
    Term t;
    t.kind = TermKind::kCall;
    t.name = op;
    t.items = std::move(args);
    t.loc = loc;
    return t;
  }
  std::string FreshWildcard() { return "$" + std::to_string(wildcard_++); }

  // A ref made of an ident and .name / [term] operands (package, import, with target).
  Result<Term> ParseRefTerm() {
    if (!Is(Tok::kIdent)) return Unexpected(Cur(), "ident");
    Term head = MakeVar(Cur().text, Loc(Cur()));
    Next();
    return ParsePostfix(std::move(head), /*allow_call=*/false);
  }

  // Parses `.name`, `[term]` and (optionally) `(args)` after a primary term.
  Result<Term> ParsePostfix(Term t, bool allow_call) {
    while (true) {
      const Token& c = Cur();
      if (c.newline_before) break;
      if (c.tok == Tok::kDot && !c.space_before && Peek().tok == Tok::kIdent && !Peek().space_before) {
        Next();
        Term key = MakeScalar(Value::String(Cur().text), Loc(Cur()));
        Next();
        AppendRef(t, std::move(key));
      } else if (c.tok == Tok::kDot) {
        if (Peek().tok != Tok::kIdent) return Unexpected(Peek(), "ident");
        return Unexpected(Peek(), "ident");
      } else if (c.tok == Tok::kLBrack && !c.space_before) {
        Next();
        CUSTODY_ASSIGN_OR_RETURN(Term key, ParseTermIn());
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrack, "]"));
        AppendRef(t, std::move(key));
      } else if (c.tok == Tok::kLParen && !c.space_before && allow_call) {
        std::string name = t.RefText();
        if (name.empty()) return Fail(c, "invalid call: the operator must be a name");
        Location loc = t.loc;
        Next();
        std::vector<Term> args;
        if (!Is(Tok::kRParen)) {
          while (true) {
            CUSTODY_ASSIGN_OR_RETURN(Term a, ParseTermIn());
            args.push_back(std::move(a));
            if (Is(Tok::kComma)) {
              Next();
              if (Is(Tok::kRParen)) break;
              continue;
            }
            break;
          }
        }
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRParen, ")"));
        t = MakeCall(name, std::move(args), loc);
      } else {
        break;
      }
    }
    return t;
  }

  void AppendRef(Term& t, Term key) {
    if (t.kind != TermKind::kRef) {
      Term ref;
      ref.kind = TermKind::kRef;
      ref.loc = t.loc;
      ref.items.push_back(std::move(t));
      t = std::move(ref);
    }
    t.items.push_back(std::move(key));
  }

  struct DepthGuard {
    explicit DepthGuard(int& d) : d_(d) { ++d_; }
    ~DepthGuard() { --d_; }
    int& d_;
  };

  // term-in: relation { "in" relation }
  Result<Term> ParseTermIn(bool no_bar = false) {
    CUSTODY_ASSIGN_OR_RETURN(Term lhs, ParseRelation(no_bar));
    while (kw_in_ && IsIdent("in") && !Cur().newline_before) {
      Location loc = Loc(Cur());
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term rhs, ParseRelation(no_bar));
      std::vector<Term> args;
      args.push_back(std::move(lhs));
      args.push_back(std::move(rhs));
      lhs = MakeCall("internal.member_2", std::move(args), loc);
    }
    return lhs;
  }

  // After `key,` has been read: `value in xs { in ys }`, the key-value
  // membership test internal.member_3(key, value, xs), chained with `in`.
  Result<Term> ParseKeyValueIn(Term key) {
    Next();  // the comma
    CUSTODY_ASSIGN_OR_RETURN(Term val, ParseRelation(false));
    if (!IsIdent("in")) return Unexpected(Cur(), "in");
    Location loc = Loc(Cur());
    Next();
    CUSTODY_ASSIGN_OR_RETURN(Term coll, ParseRelation(false));
    std::vector<Term> args;
    args.push_back(std::move(key));
    args.push_back(std::move(val));
    args.push_back(std::move(coll));
    Term t = MakeCall("internal.member_3", std::move(args), loc);
    while (IsIdent("in") && !Cur().newline_before) {
      Location l2 = Loc(Cur());
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term rhs, ParseRelation(false));
      std::vector<Term> a2;
      a2.push_back(std::move(t));
      a2.push_back(std::move(rhs));
      t = MakeCall("internal.member_2", std::move(a2), l2);
    }
    return t;
  }

  static const char* RelOp(Tok t) {
    switch (t) {
      case Tok::kEq: return "equal";
      case Tok::kNeq: return "neq";
      case Tok::kLt: return "lt";
      case Tok::kGt: return "gt";
      case Tok::kLte: return "lte";
      case Tok::kGte: return "gte";
      default: return nullptr;
    }
  }

  // The binary operator levels, loosest first: relations, |, &, + -, * / %.
  // Each is left-associative; an operator must be on the line of its left
  // operand. Returns the built-in the current token stands for at `level`,
  // or nullptr.
  const char* BinaryOp(int level, bool no_bar) const {
    if (Cur().newline_before) return nullptr;
    switch (level) {
      case 0: return RelOp(Cur().tok);
      case 1: return !no_bar && Is(Tok::kBar) ? "or" : nullptr;
      case 2: return Is(Tok::kAmp) ? "and" : nullptr;
      case 3: return Is(Tok::kPlus) ? "plus" : Is(Tok::kMinus) ? "minus" : nullptr;
      case 4: return Is(Tok::kStar) ? "mul" : Is(Tok::kSlash) ? "div" : Is(Tok::kPercent) ? "rem" : nullptr;
      default: return nullptr;
    }
  }
  static constexpr int kBinaryLevels = 5;

  Result<Term> ParseBinary(int level, bool no_bar) {
    if (level == kBinaryLevels) return ParseUnary();
    // `|` is only for the top operands of a level's own chain.
    bool inner_no_bar = level == 0 ? no_bar : false;
    CUSTODY_ASSIGN_OR_RETURN(Term lhs, ParseBinary(level + 1, inner_no_bar));
    while (const char* op = BinaryOp(level, no_bar)) {
      Location loc = Loc(Cur());
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term rhs, ParseBinary(level + 1, inner_no_bar));
      std::vector<Term> args;
      args.push_back(std::move(lhs));
      args.push_back(std::move(rhs));
      lhs = MakeCall(op, std::move(args), loc);
    }
    return lhs;
  }

  Result<Term> ParseRelation(bool no_bar) { return ParseBinary(0, no_bar); }
  Result<Term> ParseOr(bool no_bar) { return ParseBinary(1, no_bar); }

  Result<Term> ParseUnary() {
    if (Is(Tok::kMinus)) {
      Location loc = Loc(Cur());
      if (Peek().tok == Tok::kNumber && !Peek().space_before) {
        Next();
        Value v = Value::Number("-" + Cur().text);
        if (v.is_undefined()) return Fail(Cur(), "illegal number format");
        Next();
        return ParsePostfix(MakeScalar(std::move(v), loc), true);
      }
      Next();
      DepthGuard guard(depth_);
      if (depth_ > kMaxDepth) return Fail(Cur(), "nesting too deep (more than 100 levels)");
      CUSTODY_ASSIGN_OR_RETURN(Term operand, ParseUnary());
      std::vector<Term> args;
      args.push_back(MakeScalar(Value::Int(0), loc));
      args.push_back(std::move(operand));
      return MakeCall("minus", std::move(args), loc);
    }
    return ParsePrimary();
  }

  Result<Term> ParsePrimary() {
    DepthGuard guard(depth_);
    if (depth_ > kMaxDepth) return Fail(Cur(), "nesting too deep (more than 100 levels)");
    const Token& c = Cur();
    Location loc = Loc(c);
    switch (c.tok) {
      case Tok::kNumber: {
        Value v = Value::Number(c.text);
        if (v.is_undefined()) return Fail(c, "illegal number format: " + c.text + " is out of range");
        Next();
        return ParsePostfix(MakeScalar(std::move(v), loc), true);
      }
      case Tok::kString:
      case Tok::kRawString: {
        Term t = MakeScalar(Value::String(c.text), loc);
        Next();
        return ParsePostfix(std::move(t), true);
      }
      case Tok::kTemplate: {
        CUSTODY_ASSIGN_OR_RETURN(Term t, ParseTemplate(c));
        Next();
        return t;
      }
      case Tok::kIdent: {
        if ((KeywordAsRef() || (Peek().tok == Tok::kLParen && !Peek().space_before && IsKeyword(c.text))) &&
            c.text != "_") {
          Term t = MakeVar(c.text, loc);
          Next();
          return ParsePostfix(std::move(t), true);
        }
        if (c.text == "true" || c.text == "false") {
          Term t = MakeScalar(Value::Bool(c.text == "true"), loc);
          Next();
          return ParsePostfix(std::move(t), true);
        }
        if (c.text == "null") {
          Next();
          return ParsePostfix(MakeScalar(Value::Null(), loc), true);
        }
        if (c.text == "set" && Peek().tok == Tok::kLParen && Peek(2).tok == Tok::kRParen && !Peek().space_before) {
          Next();
          Next();
          Next();
          Term t;
          t.kind = TermKind::kSet;
          t.loc = loc;
          return ParsePostfix(std::move(t), true);
        }
        if (IsKeywordReserved(c.text)) return Unexpected(c, "term");
        std::string name = c.text;
        if (name == "_") name = FreshWildcard();
        Term t = MakeVar(name, loc);
        Next();
        return ParsePostfix(std::move(t), true);
      }
      case Tok::kLBrack: return ParseArray();
      case Tok::kLBrace: return ParseBraces();
      case Tok::kLParen: {
        Next();
        CUSTODY_ASSIGN_OR_RETURN(Term t, ParseTermIn());
        if (Is(Tok::kComma) && kw_in_) {
          CUSTODY_ASSIGN_OR_RETURN(t, ParseKeyValueIn(std::move(t)));  // (k, v in xs)
        }
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRParen, ")"));
        return ParsePostfix(std::move(t), true);
      }
      default: return Unexpected(c, "term");
    }
  }

  bool IsKeywordReserved(const std::string& s) const {
    if (s == "not" || s == "with" || s == "else" || s == "some") return true;
    return IsKeyword(s);
  }

  Result<Term> ParseArray() {
    Location loc = Loc(Cur());
    Next();
    Term t;
    t.kind = TermKind::kArray;
    t.loc = loc;
    if (Is(Tok::kRBrack)) {
      Next();
      return ParsePostfix(std::move(t), true);
    }
    CUSTODY_ASSIGN_OR_RETURN(Term first, ParseTermIn(/*no_bar=*/true));
    if (Is(Tok::kBar)) {
      Next();
      auto body = std::make_shared<Body>();
      body->loc = Loc(Cur());
      CUSTODY_RETURN_IF_ERROR(ParseLiterals(*body, Tok::kRBrack));
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrack, "]"));
      t.kind = TermKind::kArrayCompr;
      t.items.push_back(std::move(first));
      t.body = std::move(body);
      return ParsePostfix(std::move(t), true);
    }
    t.items.push_back(std::move(first));
    while (Is(Tok::kComma)) {
      Next();
      if (Is(Tok::kRBrack)) break;
      CUSTODY_ASSIGN_OR_RETURN(Term e, ParseTermIn());
      t.items.push_back(std::move(e));
    }
    CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrack, "]"));
    return ParsePostfix(std::move(t), true);
  }

  Result<Term> ParseBraces() {
    Location loc = Loc(Cur());
    Next();
    Term t;
    t.loc = loc;
    if (Is(Tok::kRBrace)) {
      Next();
      t.kind = TermKind::kObject;
      return ParsePostfix(std::move(t), true);
    }
    CUSTODY_ASSIGN_OR_RETURN(Term first, ParseTermIn(/*no_bar=*/true));
    if (Is(Tok::kColon)) {
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term val, ParseTermIn(/*no_bar=*/true));
      if (Is(Tok::kBar)) {
        Next();
        auto body = std::make_shared<Body>();
        body->loc = Loc(Cur());
        CUSTODY_RETURN_IF_ERROR(ParseLiterals(*body, Tok::kRBrace));
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
        t.kind = TermKind::kObjectCompr;
        t.items.push_back(std::move(first));
        t.items.push_back(std::move(val));
        t.body = std::move(body);
        return ParsePostfix(std::move(t), true);
      }
      t.kind = TermKind::kObject;
      t.items.push_back(std::move(first));
      t.items.push_back(std::move(val));
      while (Is(Tok::kComma)) {
        Next();
        if (Is(Tok::kRBrace)) break;
        CUSTODY_ASSIGN_OR_RETURN(Term k, ParseTermIn());
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kColon, ":"));
        CUSTODY_ASSIGN_OR_RETURN(Term v, ParseTermIn());
        t.items.push_back(std::move(k));
        t.items.push_back(std::move(v));
      }
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      return ParsePostfix(std::move(t), true);
    }
    if (Is(Tok::kBar)) {
      Next();
      auto body = std::make_shared<Body>();
      body->loc = Loc(Cur());
      CUSTODY_RETURN_IF_ERROR(ParseLiterals(*body, Tok::kRBrace));
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      t.kind = TermKind::kSetCompr;
      t.items.push_back(std::move(first));
      t.body = std::move(body);
      return ParsePostfix(std::move(t), true);
    }
    t.kind = TermKind::kSet;
    t.items.push_back(std::move(first));
    while (Is(Tok::kComma)) {
      Next();
      if (Is(Tok::kRBrace)) break;
      CUSTODY_ASSIGN_OR_RETURN(Term e, ParseTermIn());
      t.items.push_back(std::move(e));
    }
    CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
    return ParsePostfix(std::move(t), true);
  }

  // $"a {x} b": literal parts and expressions, alternating.
  Result<Term> ParseTemplate(const Token& tok) {
    Term t;
    t.kind = TermKind::kTemplate;
    t.loc = Loc(tok);
    char quote = tok.text[0];
    std::string_view body = std::string_view(tok.text).substr(1);
    std::string lit;
    size_t i = 0;
    auto flush = [&]() {
      t.items.push_back(MakeScalar(Value::String(lit), t.loc));
      lit.clear();
    };
    while (i < body.size()) {
      char c = body[i];
      if (c == '\\' && i + 1 < body.size()) {
        char e = body[i + 1];
        if (e == '{' || e == '}') {
          lit.push_back(e);
          i += 2;
          continue;
        }
        if (quote == '"') {
          // Reuse the string lexer for the escape.
          size_t j = i + 2;
          if (e == 'u') j = i + 6;
          std::string piece = "\"" + std::string(body.substr(i, std::min(j, body.size()) - i)) + "\"";
          auto toks = Lex(piece, file_ ? *file_ : "query");
          if (!toks.ok() || toks->empty() || (*toks)[0].tok != Tok::kString)
            return Fail(tok, "illegal escape sequence in template string");
          lit += (*toks)[0].text;
          i = std::min(j, body.size());
          continue;
        }
        lit.push_back(c);
        ++i;
        continue;
      }
      if (c == '{') {
        // Find the matching brace (strings inside may hold braces).
        int depth = 1;
        size_t j = i + 1;
        while (j < body.size() && depth > 0) {
          if (body[j] == '"') {
            ++j;
            while (j < body.size() && body[j] != '"') {
              if (body[j] == '\\') ++j;
              ++j;
            }
          } else if (body[j] == '{') {
            ++depth;
          } else if (body[j] == '}') {
            --depth;
            if (depth == 0) break;
          }
          ++j;
        }
        if (depth != 0) return Fail(tok, "unterminated template expression");
        std::string_view expr_text = body.substr(i + 1, j - i - 1);
        auto toks = Lex(expr_text, file_ ? *file_ : "query");
        if (!toks.ok()) return toks.error();
        for (Token& x : *toks) {
          x.line += tok.line - 1;
          x.newline_before = false;
        }
        Parser sub(std::move(*toks), file_, v1_ ? RegoVersion::kV1 : RegoVersion::kV0);
        sub.EnableAllKeywords();
        sub.depth_ = depth_ + 1;  // templates inside templates count as nesting
        if (sub.depth_ > kMaxDepth) return Fail(tok, "nesting too deep (more than 100 levels)");
        sub.wildcard_ = wildcard_ + 1000;
        auto e = sub.ParseTermIn();
        if (!e.ok()) return e.error();
        if (!sub.Is(Tok::kEof)) return sub.Unexpected(sub.Cur(), "}");
        flush();
        t.items.push_back(std::move(*e));
        i = j + 1;
        continue;
      }
      lit.push_back(c);
      ++i;
    }
    flush();
    return t;
  }

  // ---- bodies ----

  // Literals until `end` (not consumed).
  Status ParseLiterals(Body& body, Tok end) {
    bool first = true;
    while (true) {
      if (Is(end) || Is(Tok::kEof)) {
        if (first && end != Tok::kEof) return Unexpected(Cur(), "query");
        return OkStatus();
      }
      if (!first) {
        // Statements are separated by ';' or a newline.
        if (Is(Tok::kSemicolon)) {
          Next();
          if (Is(end)) return OkStatus();
        } else if (!Cur().newline_before) {
          return Unexpected(Cur(), "end of line or ; or " + std::string(TokName(end)));
        }
      }
      first = false;
      // Evaluation recurses once per expression of a body: bound it.
      if (body.exprs.size() >= kMaxBodyExprs)
        return Fail(Cur(), "body has more than " + std::to_string(kMaxBodyExprs) +
                               " expressions: split it into rules or functions");
      CUSTODY_RETURN_IF_ERROR(ParseLiteralInto(body));
    }
  }

  bool LogicKeywords() const { return kw_and_ || kw_or_ || kw_not_body_; }

  // A literal, with the experimental `and` / `or` / `not { ... }` forms when
  // imported (future.keywords.and, .or, .not): `a and b` adds both
  // literals to the body; `a or b` is one expression whose branches are
  // bodies; `{ ... }` is a block that holds when its body has a solution.
  Status ParseLiteralInto(Body& body) {
    if (!LogicKeywords()) {
      Expr e;
      CUSTODY_RETURN_IF_ERROR(ParseLiteral(e));
      e.index = static_cast<int>(body.exprs.size());
      body.exprs.push_back(std::move(e));
      return OkStatus();
    }
    Location loc = Loc(Cur());
    std::vector<std::shared_ptr<Body>> branches;
    while (true) {
      auto branch = std::make_shared<Body>();
      branch->loc = Loc(Cur());
      while (true) {
        Expr e;
        CUSTODY_RETURN_IF_ERROR(ParseLogicOperand(e));
        e.index = static_cast<int>(branch->exprs.size());
        branch->exprs.push_back(std::move(e));
        if (kw_and_ && IsIdent("and") && !Cur().newline_before) {
          Next();
          continue;
        }
        break;
      }
      branches.push_back(std::move(branch));
      if (kw_or_ && IsIdent("or") && !Cur().newline_before) {
        Next();
        continue;
      }
      break;
    }
    if (branches.size() == 1) {
      for (Expr& e : branches[0]->exprs) {
        e.index = static_cast<int>(body.exprs.size());
        body.exprs.push_back(std::move(e));
      }
      return OkStatus();
    }
    Expr e;
    e.kind = ExprKind::kOr;
    e.loc = loc;
    e.branches = std::move(branches);
    e.index = static_cast<int>(body.exprs.size());
    body.exprs.push_back(std::move(e));
    return OkStatus();
  }

  Status ParseLogicOperand(Expr& e) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxDepth) return Fail(Cur(), "nesting too deep (more than 100 levels)");
    e.loc = Loc(Cur());
    bool negated = false;
    if (IsIdent("not") && !KeywordAsRef() && Peek().tok == Tok::kLBrace && kw_not_body_) {
      Next();
      negated = true;
    }
    if (Is(Tok::kLBrace)) {
      Next();
      auto b = std::make_shared<Body>();
      b->loc = Loc(Cur());
      CUSTODY_RETURN_IF_ERROR(ParseLiterals(*b, Tok::kRBrace));
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      e.kind = ExprKind::kBlock;
      e.negated = negated;
      e.body = std::move(b);
      return ParseWiths(e);
    }
    if (negated) return Unexpected(Cur(), "{");
    return ParseLiteral(e);
  }

  Status ParseLiteral(Expr& e) {
    DepthGuard guard(depth_);
    if (depth_ > kMaxDepth) return Fail(Cur(), "nesting too deep (more than 100 levels)");
    e.loc = Loc(Cur());
    if (IsIdent("some") && !KeywordAsRef()) {
      Next();
      return ParseSome(e);
    }
    if (kw_every_ && IsIdent("every") && !KeywordAsRef()) {
      Next();
      CUSTODY_RETURN_IF_ERROR(ParseEvery(e));
      return ParseWiths(e);
    }
    if (IsIdent("not") && !KeywordAsRef()) {
      Next();
      e.negated = true;
    }
    CUSTODY_ASSIGN_OR_RETURN(Term lhs, ParseTermIn());
    if (Is(Tok::kComma) && kw_in_ && !e.negated) {
      CUSTODY_ASSIGN_OR_RETURN(lhs, ParseKeyValueIn(std::move(lhs)));  // k, v in xs
    }
    if (Is(Tok::kUnify) || Is(Tok::kAssign)) {
      e.kind = Is(Tok::kUnify) ? ExprKind::kUnify : ExprKind::kAssign;
      if (e.negated && e.kind == ExprKind::kAssign) return Fail(Cur(), "cannot assign vars inside negated expression");
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term rhs, ParseTermIn());
      if (Is(Tok::kComma) && kw_in_) {
        CUSTODY_ASSIGN_OR_RETURN(rhs, ParseKeyValueIn(std::move(rhs)));  // x := k, v in xs
      }
      e.terms.push_back(std::move(lhs));
      e.terms.push_back(std::move(rhs));
    } else {
      e.kind = ExprKind::kTerm;
      e.terms.push_back(std::move(lhs));
    }
    return ParseWiths(e);
  }

  Status ParseWiths(Expr& e) {
    while (IsIdent("with") && !KeywordAsRef()) {  // may continue on the next line
      With w;
      w.loc = Loc(Cur());
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term target, ParseRefTerm());
      if (!IsIdent("as")) return Unexpected(Cur(), "as");
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term value, ParseTermIn());
      w.target = std::move(target);
      w.value = std::move(value);
      e.with.push_back(std::move(w));
    }
    return OkStatus();
  }

  Status ParseSome(Expr& e) {
    std::vector<Term> terms;
    CUSTODY_ASSIGN_OR_RETURN(Term first, ParseRelation(false));
    terms.push_back(std::move(first));
    if (Is(Tok::kComma) && !Cur().newline_before) {
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term second, ParseRelation(false));
      terms.push_back(std::move(second));
    }
    if (kw_in_ && IsIdent("in") && !Cur().newline_before) {
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term coll, ParseRelation(false));
      terms.push_back(std::move(coll));
      e.kind = ExprKind::kSomeIn;
      e.terms = std::move(terms);
      return ParseWiths(e);
    }
    while (Is(Tok::kComma) && !Cur().newline_before) {
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term t, ParseRelation(false));
      terms.push_back(std::move(t));
    }
    for (const Term& t : terms)
      if (t.kind != TermKind::kVar)
        return Fail(Token{Tok::kIdent, "", t.loc.line, t.loc.col}, "expected var in some declaration");
    e.kind = ExprKind::kSome;
    e.terms = std::move(terms);
    return OkStatus();
  }

  Status ParseEvery(Expr& e) {
    CUSTODY_ASSIGN_OR_RETURN(Term first, ParseOr(false));
    std::vector<Term> terms;
    terms.push_back(std::move(first));
    if (Is(Tok::kComma)) {
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term second, ParseOr(false));
      terms.push_back(std::move(second));
    }
    if (!IsIdent("in")) return Unexpected(Cur(), "in");
    Next();
    CUSTODY_ASSIGN_OR_RETURN(Term domain, ParseRelation(false));
    terms.push_back(std::move(domain));
    for (size_t i = 0; i + 1 < terms.size(); ++i)
      if (terms[i].kind != TermKind::kVar)
        return Fail(Token{Tok::kIdent, "", terms[i].loc.line, terms[i].loc.col}, "unexpected term: expected var in every");
    if (!Is(Tok::kLBrace)) return Unexpected(Cur(), "{");
    Next();
    auto body = std::make_shared<Body>();
    body->loc = Loc(Cur());
    CUSTODY_RETURN_IF_ERROR(ParseLiterals(*body, Tok::kRBrace));
    CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
    e.kind = ExprKind::kEvery;
    e.terms = std::move(terms);
    e.body = std::move(body);
    return OkStatus();
  }

  // ---- rules ----

  Status ParseRule(Module& m) {
    const Token& start = Cur();
    auto rule = std::make_unique<Rule>();
    rule->loc = Loc(start);
    if (IsIdent("default") && Peek().tok == Tok::kIdent && !Peek().newline_before) {
      rule->is_default = true;
      Next();
    }
    if (!Is(Tok::kIdent)) return Unexpected(Cur(), "ident");
    if (!KeywordAsRef() && (IsKeywordReserved(Cur().text) || Cur().text == "true" || Cur().text == "false" ||
                            Cur().text == "null"))
      return Unexpected(Cur(), "ident");
    // Head reference.
    CUSTODY_ASSIGN_OR_RETURN(Term head, ParseRefTerm());
    if (head.kind == TermKind::kVar) {
      rule->head.push_back(std::move(head));
    } else {
      rule->head = std::move(head.items);
    }
    bool has_value = false;
    // Function arguments.
    if (Is(Tok::kLParen) && !Cur().space_before) {
      Next();
      if (!Is(Tok::kRParen)) {
        while (true) {
          CUSTODY_ASSIGN_OR_RETURN(Term a, ParseTermIn());
          rule->args.push_back(std::move(a));
          if (Is(Tok::kComma)) {
            Next();
            continue;
          }
          break;
        }
      }
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRParen, ")"));
      rule->kind = RuleKind::kFunction;
    }
    if (kw_contains_ && IsIdent("contains") && !Cur().newline_before) {
      if (rule->kind == RuleKind::kFunction) return Fail(Cur(), "functions cannot use contains");
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term key, ParseTermIn());
      rule->key = std::move(key);
      rule->kind = RuleKind::kPartialSet;
    } else if ((Is(Tok::kUnify) || Is(Tok::kAssign)) && !Cur().newline_before) {
      rule->assign = Is(Tok::kAssign);
      Next();
      CUSTODY_ASSIGN_OR_RETURN(Term value, ParseTermIn());
      rule->value = std::move(value);
      has_value = true;
    }
    if (rule->is_default) {
      if (!has_value) return Fail(start, "default rule must have a value");
      if (rule->kind == RuleKind::kPartialSet) return Fail(start, "default rules cannot be multi-value");
    }
    // v0 partial set: p[x] with no value.
    bool v0_partial_set = false;
    if (rule->kind == RuleKind::kComplete && !has_value && rule->head.size() == 2 &&
        !(v1_ || strict_v1_)) {
      v0_partial_set = true;
    }
    // Body.
    bool has_if = false;
    if (kw_if_ && IsIdent("if") && !Cur().newline_before) {
      has_if = true;
      Next();
    }
    bool has_body = false;
    if (has_if) {
      if (Is(Tok::kLBrace)) {
        Next();
        CUSTODY_RETURN_IF_ERROR(ParseLiterals(rule->body, Tok::kRBrace));
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      } else {
        CUSTODY_RETURN_IF_ERROR(ParseLiteralInto(rule->body));
      }
      has_body = true;
    } else if (Is(Tok::kLBrace) && !Cur().newline_before) {
      if (v1_ || strict_v1_) return Fail(Cur(), "`if` keyword is required before rule body");
      Next();
      CUSTODY_RETURN_IF_ERROR(ParseLiterals(rule->body, Tok::kRBrace));
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      has_body = true;
    }
    if ((v1_ || strict_v1_) && rule->kind == RuleKind::kComplete && !has_value && rule->head.size() == 2 &&
        !has_body) {
      return Fail(start, "`contains` keyword is required for partial set rules");
    }
    if (v0_partial_set) {
      rule->kind = RuleKind::kPartialSet;
      rule->key = std::move(rule->head[1]);
      rule->head.pop_back();
    }
    if (!has_body && !has_value && rule->kind == RuleKind::kComplete && rule->head.size() == 1 && !rule->is_default) {
      if (!(v1_ || strict_v1_) || !has_if) return Fail(start, "rule must have a value or a body");
    }
    if (rule->body.exprs.empty()) {
      // A rule without a body: `p = 1` has the body `true`.
      Expr t;
      t.loc = rule->loc;
      t.terms.push_back(MakeScalar(Value::Bool(true), rule->loc));
      rule->body.exprs.push_back(std::move(t));
    }
    rule->body.loc = rule->loc;
    // Classify: any non-constant head operand after the name makes the rule
    // define entries of an object.
    if (rule->kind == RuleKind::kComplete) {
      for (size_t i = 1; i < rule->head.size(); ++i) {
        if (rule->head[i].kind != TermKind::kScalar) rule->kind = RuleKind::kPartialObject;
      }
      if (!(v1_ || strict_v1_) && rule->head.size() == 2 && has_value && rule->head[1].kind != TermKind::kScalar)
        rule->kind = RuleKind::kPartialObject;
    }
    // else chain.
    Rule* last = rule.get();
    while (IsIdent("else") && !KeywordAsRef()) {
      if (rule->kind != RuleKind::kComplete && rule->kind != RuleKind::kFunction)
        return Fail(Cur(), "else keyword cannot be used on multi-value rules");
      auto e = std::make_unique<Rule>();
      e->loc = Loc(Cur());
      e->kind = rule->kind;
      e->is_else = true;
      Next();
      for (const Term& h : rule->head) e->head.push_back(h);
      e->args = rule->args;
      if (Is(Tok::kUnify) || Is(Tok::kAssign)) {
        e->assign = Is(Tok::kAssign);
        Next();
        CUSTODY_ASSIGN_OR_RETURN(Term value, ParseTermIn());
        e->value = std::move(value);
      }
      bool else_if = false;
      if (kw_if_ && IsIdent("if")) {
        else_if = true;
        Next();
      }
      if (Is(Tok::kLBrace)) {
        if (!else_if && (v1_ || strict_v1_)) return Fail(Cur(), "`if` keyword is required before rule body");
        Next();
        CUSTODY_RETURN_IF_ERROR(ParseLiterals(e->body, Tok::kRBrace));
        CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      } else if (else_if) {
        CUSTODY_RETURN_IF_ERROR(ParseLiteralInto(e->body));
      }
      if (e->body.exprs.empty()) {
        Expr t;
        t.loc = e->loc;
        t.terms.push_back(MakeScalar(Value::Bool(true), e->loc));
        e->body.exprs.push_back(std::move(t));
      }
      e->body.loc = e->loc;
      last->else_rule = std::move(e);
      last = last->else_rule.get();
    }
    // v0: further bodies `p { a } { b }` are more definitions of the same rule.
    std::vector<std::unique_ptr<Rule>> extra;
    while (Is(Tok::kLBrace) && !(v1_ || strict_v1_)) {
      auto r = std::make_unique<Rule>();
      r->loc = Loc(Cur());
      r->kind = rule->kind;
      r->head = rule->head;
      r->key = rule->key;
      r->value = rule->value;
      r->args = rule->args;
      r->assign = rule->assign;
      Next();
      CUSTODY_RETURN_IF_ERROR(ParseLiterals(r->body, Tok::kRBrace));
      CUSTODY_RETURN_IF_ERROR(Expect(Tok::kRBrace, "}"));
      r->body.loc = r->loc;
      extra.push_back(std::move(r));
    }
    m.rules.push_back(std::move(rule));
    for (auto& r : extra) m.rules.push_back(std::move(r));
    return OkStatus();
  }


  std::vector<Token> toks_;
  size_t pos_ = 0;
  std::shared_ptr<const std::string> file_;
  bool v1_;
  bool strict_v1_ = false;
  bool kw_if_ = false, kw_contains_ = false, kw_in_ = false, kw_every_ = false;
  // Experimental (OPA's logic operators): only through explicit imports.
  bool kw_and_ = false, kw_or_ = false, kw_not_body_ = false;
  int depth_ = 0;
  int wildcard_ = 0;
  int prev_end_line_ = -1;
};

}  // namespace

namespace {

// "Name <email>" -> {"name": ..., "email": ...}, as OPA reads authors.
Value Author(const Value& v) {
  if (!v.is_string()) return v;
  std::string s = v.as_string();
  ObjectEntries e;
  size_t lt = s.find('<');
  size_t gt = s.rfind('>');
  if (lt != std::string::npos && gt != std::string::npos && gt > lt) {
    std::string name = s.substr(0, lt);
    while (!name.empty() && name.back() == ' ') name.pop_back();
    if (!name.empty()) e.emplace_back(Value::String("name"), Value::String(name));
    e.emplace_back(Value::String("email"), Value::String(s.substr(lt + 1, gt - lt - 1)));
  } else {
    e.emplace_back(Value::String("name"), Value::String(s));
  }
  return Value::Object(std::move(e));
}

// Parses the METADATA comment blocks and attaches each to the package or
// rule that follows it.
Status AttachAnnotations(Module& m, const std::vector<Comment>& comments, const std::string& file) {
  for (size_t i = 0; i < comments.size(); ++i) {
    std::string head = comments[i].text;
    while (!head.empty() && head.front() == ' ') head.erase(head.begin());
    while (!head.empty() && (head.back() == ' ' || head.back() == '\r')) head.pop_back();
    if (head != "METADATA") continue;
    int line = comments[i].line;
    std::string yaml;
    std::vector<std::pair<int, int>> at;  // per YAML line: its file line and the column of its first byte
    size_t j = i + 1;
    while (j < comments.size() && comments[j].line == line + 1) {
      std::string t = comments[j].text;
      const bool space = !t.empty() && t[0] == ' ';
      if (space) t.erase(t.begin());
      at.emplace_back(comments[j].line, comments[j].col + 1 + (space ? 1 : 0));
      yaml += t + "\n";
      line = comments[j].line;
      ++j;
    }
    i = j - 1;
    auto node = ParseYaml(yaml, "METADATA");
    if (!node.ok()) {
      // "METADATA:L:C: why" -> the file's line and column of YAML line L, column C.
      std::string why = node.error().message();
      int l = 0, c = 0, used = 0;
      if (std::sscanf(why.c_str(), "METADATA:%d:%d: %n", &l, &c, &used) == 2 && used > 0 && l >= 1 &&
          static_cast<size_t>(l) <= at.size()) {
        const auto& [fl, fc] = at[static_cast<size_t>(l - 1)];
        return Error::Input(file + ":" + std::to_string(fl) + ":" + std::to_string(fc + c - 1) +
                            ": rego_parse_error: invalid METADATA: " + why.substr(static_cast<size_t>(used)));
      }
      return Error::Input(file + ":" + std::to_string(line) + ": rego_parse_error: invalid METADATA: " + why);
    }
    auto typed = goyaml::FromNode(*node);
    if (!typed.ok())
      return Error::Input(file + ":" + std::to_string(line) + ": rego_parse_error: invalid METADATA: " +
                          typed.error().message());
    Value v = *typed;
    if (v.is_null()) v = Value::EmptyObject();
    if (!v.is_object())
      return Error::Input(file + ":" + std::to_string(line) + ": rego_parse_error: METADATA must be a YAML mapping");
    ObjectEntries e;
    bool has_scope = false;
    for (const auto& [k, x] : v.object()) {
      if (k.is_string() && k.as_string() == "authors" && x.is_array()) {
        ValueVector authors;
        for (const Value& a : x.array()) authors.push_back(Author(a));
        e.emplace_back(k, Value::Array(std::move(authors)));
        continue;
      }
      if (k.is_string() && k.as_string() == "scope") has_scope = true;
      e.emplace_back(k, x);
    }
    // The statement right after the block.
    Rule* target = nullptr;
    for (auto& r : m.rules)
      if (r->loc.line > line && (!target || r->loc.line < target->loc.line)) target = r.get();
    bool package_next = m.package.loc.line > line && (!target || m.package.loc.line < target->loc.line);
    if (!has_scope) e.emplace_back(Value::String("scope"), Value::String(package_next ? "package" : "rule"));
    Value ann = Value::Object(std::move(e));
    if (package_next) {
      m.annotations = ann;
    } else if (target) {
      target->annotations = ann;
    }
  }
  return OkStatus();
}

}  // namespace

Result<std::unique_ptr<Module>> ParseModule(std::string_view src, const std::string& file, RegoVersion version) {
  std::vector<Comment> comments;
  CUSTODY_ASSIGN_OR_RETURN(std::vector<Token> toks, Lex(src, file, &comments));
  Parser p(std::move(toks), std::make_shared<const std::string>(file), version);
  CUSTODY_ASSIGN_OR_RETURN(std::unique_ptr<Module> m, p.ParseModuleTokens());
  CUSTODY_RETURN_IF_ERROR(AttachAnnotations(*m, comments, file));
  return m;
}

Result<std::shared_ptr<Body>> ParseQuery(std::string_view src, const std::string& file, RegoVersion version) {
  CUSTODY_ASSIGN_OR_RETURN(std::vector<Token> toks, Lex(src, file));
  Parser p(std::move(toks), std::make_shared<const std::string>(file), version);
  p.EnableAllKeywords();
  return p.ParseQueryTokens();
}

}  // namespace custody::rego
