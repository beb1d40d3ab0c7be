// The "glob" built-in group: glob.match and glob.quote_meta with the syntax
// and errors of github.com/gobwas/glob (v0.2.3), which OPA uses. A pattern is
// parsed as gobwas parses it and translated into an RE2 expression matched
// against the whole string, so matching is linear in time:
//   *      any run of characters that are not delimiters
//   **     any run of characters
//   ?      one character that is not a delimiter
//   [abc] [a-z] [!abc] [!a-z]   one character in (not in) the list or range
//   {a,b}  one of the alternatives (which may hold patterns themselves)
//   \x     x itself
// Quirks kept: a NUL character is dropped inside text and ends the pattern
// elsewhere (gobwas reads it as the end of input); U+FFFD or invalid UTF-8 in
// the pattern is an error ("could not read rune"); an unclosed '{' is closed
// at the end; '}' and ',' outside braces are plain text; a trailing '\' is
// dropped.
#include <re2/re2.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/strings_internal.h"

namespace custody::rego {

namespace {

using namespace std::literals;
using strings_internal::AppendRune;
using strings_internal::DecodeRune;

constexpr size_t kMaxPatternBytes = 64 * 1024;
constexpr int64_t kRe2MaxMem = 8 << 20;
constexpr size_t kMaxCacheEntries = 4096;
// Deeper {alternatives} are refused: the parse tree and RE2 are recursive.
constexpr int kMaxNesting = 500;

// ---- gobwas/glob's lexer ----

struct GlobToken {
  enum class K {
    kEOF,
    kError,
    kText,
    kAny,
    kSuper,
    kSingle,
    kRangeOpen,
    kRangeClose,
    kNot,
    kRangeLo,
    kRangeBetween,
    kRangeHi,
    kTermsOpen,
    kTermsClose,
    kSeparator
  };
  K k;
  std::u32string text;
};

class Lexer {
 public:
  explicit Lexer(std::string_view data) : data_(data) {}

  // The next token; the error token once an error occurred.
  GlobToken Next(std::string* error) {
    while (true) {
      if (!err_.empty()) {
        *error = err_;
        return {GlobToken::K::kError, {}};
      }
      if (head_ < tokens_.size()) return tokens_[head_++];
      FetchItem();
    }
  }

 private:
  static constexpr char32_t kEof = 0;

  void Push(GlobToken::K k, std::u32string text = {}) { tokens_.push_back({k, std::move(text)}); }

  std::pair<char32_t, size_t> Peek() {
    if (pos_ >= data_.size()) return {kEof, 0};
    auto d = DecodeRune(data_.substr(pos_));
    if (d.rune == strings_internal::kRuneError) {
      err_ = "could not read rune";
      return {kEof, 0};
    }
    return {d.rune, d.size};
  }

  char32_t Read() {
    if (has_rune_) {
      has_rune_ = false;
      pos_ += last_size_;
      return last_rune_;
    }
    auto [r, s] = Peek();
    pos_ += s;
    last_rune_ = r;
    last_size_ = s;
    return r;
  }

  void Unread() {
    if (has_rune_) {
      err_ = "could not unread rune";
      return;
    }
    pos_ -= last_size_;
    has_rune_ = true;
  }

  void FetchItem() {
    char32_t r = Read();
    if (r == kEof) {
      Push(GlobToken::K::kEOF);
    } else if (r == '{') {
      ++terms_level_;
      Push(GlobToken::K::kTermsOpen);
    } else if (r == ',' && terms_level_ > 0) {
      Push(GlobToken::K::kSeparator);
    } else if (r == '}' && terms_level_ > 0) {
      Push(GlobToken::K::kTermsClose);
      --terms_level_;
    } else if (r == '[') {
      Push(GlobToken::K::kRangeOpen);
      FetchRange();
    } else if (r == '?') {
      Push(GlobToken::K::kSingle);
    } else if (r == '*') {
      if (Read() == '*') {
        Push(GlobToken::K::kSuper);
      } else {
        Unread();
        Push(GlobToken::K::kAny);
      }
    } else {
      Unread();
      FetchText(terms_level_ > 0 ? U"?*[{},"sv : U"?*[{"sv);
    }
  }

  void FetchRange() {
    bool want_hi = false, want_close = false, seen_not = false;
    while (true) {
      char32_t r = Read();
      if (r == kEof) {
        err_ = "unexpected end of input";
        return;
      }
      if (want_close) {
        if (r != ']') {
          err_ = "expected close range character";
        } else {
          Push(GlobToken::K::kRangeClose);
        }
        return;
      }
      if (want_hi) {
        Push(GlobToken::K::kRangeHi, std::u32string(1, r));
        want_close = true;
        continue;
      }
      if (!seen_not && r == '!') {
        Push(GlobToken::K::kNot);
        seen_not = true;
        continue;
      }
      auto [n, w] = Peek();
      if (n == '-') {
        pos_ += w;
        Push(GlobToken::K::kRangeLo, std::u32string(1, r));
        Push(GlobToken::K::kRangeBetween);
        want_hi = true;
        continue;
      }
      Unread();
      FetchText(U"]"sv);
      want_close = true;
    }
  }

  void FetchText(std::u32string_view breakers) {
    std::u32string data;
    bool escaped = false;
    while (true) {
      char32_t r = Read();
      if (r == kEof) break;
      if (!escaped) {
        if (r == '\\') {
          escaped = true;
          continue;
        }
        if (breakers.find(r) != std::u32string_view::npos) {
          Unread();
          break;
        }
      }
      escaped = false;
      data.push_back(r);
    }
    if (!data.empty()) Push(GlobToken::K::kText, std::move(data));
  }

  std::string_view data_;
  size_t pos_ = 0;
  std::string err_;
  std::vector<GlobToken> tokens_;
  size_t head_ = 0;
  int terms_level_ = 0;
  char32_t last_rune_ = 0;
  size_t last_size_ = 0;
  bool has_rune_ = false;
};

// ---- gobwas/glob's parser, emitting RE2 syntax ----

struct Node {
  enum class K { kPattern, kAnyOf, kText, kAny, kSuper, kSingle, kList, kRange };
  K k = K::kPattern;
  std::u32string text;  // kText; kList: the characters
  char32_t lo = 0, hi = 0;
  bool negated = false;
  Node* parent = nullptr;
  std::vector<std::unique_ptr<Node>> children;
};

Node* Insert(Node* parent, std::unique_ptr<Node> child) {
  child->parent = parent;
  parent->children.push_back(std::move(child));
  return parent->children.back().get();
}

std::unique_ptr<Node> MakeNode(Node::K k) {
  auto n = std::make_unique<Node>();
  n->k = k;
  return n;
}

// Parses `pattern`; on error returns nullptr and sets *error.
std::unique_ptr<Node> ParseGlob(std::string_view pattern, std::string* error) {
  Lexer lex(pattern);
  auto root = MakeNode(Node::K::kPattern);
  Node* tree = root.get();
  int depth = 0;
  while (true) {
    GlobToken t = lex.Next(error);
    switch (t.k) {
      case GlobToken::K::kEOF: return root;
      case GlobToken::K::kError: return nullptr;
      case GlobToken::K::kText: Insert(tree, MakeNode(Node::K::kText))->text = t.text; break;
      case GlobToken::K::kAny: Insert(tree, MakeNode(Node::K::kAny)); break;
      case GlobToken::K::kSuper: Insert(tree, MakeNode(Node::K::kSuper)); break;
      case GlobToken::K::kSingle: Insert(tree, MakeNode(Node::K::kSingle)); break;
      case GlobToken::K::kTermsOpen: {
        if (++depth > kMaxNesting) {
          *error = "pattern nested too deeply";
          return nullptr;
        }
        Node* any_of = Insert(tree, MakeNode(Node::K::kAnyOf));
        tree = Insert(any_of, MakeNode(Node::K::kPattern));
        break;
      }
      case GlobToken::K::kSeparator:
      case GlobToken::K::kTermsClose:
        // The lexer sends these only inside braces, where `tree` is an
        // alternative of an AnyOf.
        if (tree->parent == nullptr || tree->parent->parent == nullptr) {
          *error = "unexpected token";
          return nullptr;
        }
        if (t.k == GlobToken::K::kSeparator) {
          tree = Insert(tree->parent, MakeNode(Node::K::kPattern));
        } else {
          tree = tree->parent->parent;
          --depth;
        }
        break;
      case GlobToken::K::kRangeOpen: {
        bool negated = false;
        char32_t lo = 0, hi = 0;
        std::u32string chars;
        bool closed = false;
        while (!closed) {
          GlobToken r = lex.Next(error);
          switch (r.k) {
            case GlobToken::K::kEOF: *error = "unexpected end"; return nullptr;
            case GlobToken::K::kError: return nullptr;
            case GlobToken::K::kNot: negated = true; break;
            case GlobToken::K::kRangeLo: lo = r.text[0]; break;
            case GlobToken::K::kRangeBetween: break;
            case GlobToken::K::kRangeHi: {
              hi = r.text[0];
              if (hi < lo) {
                std::string h, l;
                AppendRune(h, hi);
                AppendRune(l, lo);
                *error = "hi character '" + h + "' should be greater than lo '" + l + "'";
                return nullptr;
              }
              break;
            }
            case GlobToken::K::kText: chars = r.text; break;
            case GlobToken::K::kRangeClose: {
              bool is_range = lo != 0 && hi != 0;
              bool is_chars = !chars.empty();
              if (is_chars == is_range) {
                *error = "could not parse range";
                return nullptr;
              }
              Node* n = Insert(tree, MakeNode(is_range ? Node::K::kRange : Node::K::kList));
              n->lo = lo;
              n->hi = hi;
              n->text = chars;
              n->negated = negated;
              closed = true;
              break;
            }
            default: *error = "unexpected token"; return nullptr;
          }
        }
        break;
      }
      default: *error = "unexpected token"; return nullptr;
    }
  }
}

void AppendClassRune(std::string& out, char32_t r) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(r));
  out += buf;
}

void Emit(const Node& n, const std::string& not_delim, std::string& out) {
  switch (n.k) {
    case Node::K::kPattern:
      for (const auto& c : n.children) Emit(*c, not_delim, out);
      return;
    case Node::K::kAnyOf: {
      out += "(?:";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i > 0) out.push_back('|');
        Emit(*n.children[i], not_delim, out);
      }
      out.push_back(')');
      return;
    }
    case Node::K::kText: {
      std::string utf8;
      for (char32_t r : n.text) AppendRune(utf8, r);
      out += RE2::QuoteMeta(utf8);
      return;
    }
    case Node::K::kAny: out += not_delim.empty() ? "(?s:.*)" : not_delim + "*"; return;
    case Node::K::kSuper: out += "(?s:.*)"; return;
    case Node::K::kSingle: out += not_delim.empty() ? "(?s:.)" : not_delim; return;
    case Node::K::kList:
    case Node::K::kRange: {
      out += n.negated ? "[^" : "[";
      if (n.k == Node::K::kList) {
        for (char32_t r : n.text) AppendClassRune(out, r);
      } else {
        AppendClassRune(out, n.lo);
        out.push_back('-');
        AppendClassRune(out, n.hi);
      }
      out.push_back(']');
      return;
    }
  }
}

struct CompiledGlob {
  std::unique_ptr<RE2> re;
  std::string error;
};

std::shared_ptr<CompiledGlob> CompileGlob(std::string_view pattern, const std::u32string& delimiters) {
  auto c = std::make_shared<CompiledGlob>();
  std::unique_ptr<Node> root = ParseGlob(pattern, &c->error);
  if (!root) return c;
  std::string not_delim;
  if (!delimiters.empty()) {
    not_delim = "[^";
    for (char32_t d : delimiters) AppendClassRune(not_delim, d);
    not_delim += "]";
  }
  std::string re;
  Emit(*root, not_delim, re);
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(kRe2MaxMem);
  opts.set_dot_nl(true);
  c->re = std::make_unique<RE2>(re, opts);
  if (!c->re->ok()) {
    c->error = "pattern too complex";
    c->re.reset();
  }
  return c;
}

Result<Value> Match(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "glob.match";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg(kName, args, 1));
  const Value& delims = args[1];
  std::u32string delimiters;
  if (delims.is_array()) {
    for (const Value& d : delims.array()) {
      if (!d.is_string())
        return OperandError(kName, 2,
                            std::string("must be array of strings but got array containing ") + d.TypeName());
      std::vector<char32_t> runes = strings_internal::Runes(d.as_string());
      if (runes.size() != 1)
        return OperandError(kName, 2, "must be array of runes but got array containing string");
      delimiters.push_back(runes[0]);
    }
    // An empty list means the default, '.'.
    if (delimiters.empty()) delimiters = U".";
  } else if (!delims.is_null()) {
    return OperandTypeErrorOneOf(kName, 2, delims, {"array", "null"});
  }
  CUSTODY_ASSIGN_OR_RETURN(std::string_view match, StringArg(kName, args, 3));
  if (pattern.size() > kMaxPatternBytes)
    return BuiltinError(kName, "pattern is " + std::to_string(pattern.size()) +
                                   " bytes long, more than the " + std::to_string(kMaxPatternBytes) +
                                   " allowed");
  std::sort(delimiters.begin(), delimiters.end());
  delimiters.erase(std::unique(delimiters.begin(), delimiters.end()), delimiters.end());

  std::string key = "glob:" + std::to_string(pattern.size()) + ":" + std::string(pattern);
  for (char32_t d : delimiters) AppendRune(key, d);
  std::shared_ptr<CompiledGlob> c;
  auto it = ctx.cache.find(key);
  if (it != ctx.cache.end()) {
    c = std::static_pointer_cast<CompiledGlob>(it->second);
  } else {
    c = CompileGlob(pattern, delimiters);
    if (ctx.cache.size() < kMaxCacheEntries) ctx.cache.emplace(std::move(key), c);
  }
  if (!c->error.empty()) return BuiltinError(kName, c->error);
  return Value::Bool(RE2::FullMatch(re2::StringPiece(match.data(), match.size()), *c->re));
}

Result<Value> QuoteMeta(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg("glob.quote_meta", args, 1));
  std::string out;
  for (char c : pattern) {
    if (std::string_view("*?\\[]{}").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return Value::String(std::move(out));
}

}  // namespace

void RegisterGlob(BuiltinTable& t) {
  t.Add({"glob.match", 3, Match});
  t.Add({"glob.quote_meta", 1, QuoteMeta});
}

}  // namespace custody::rego
