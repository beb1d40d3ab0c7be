// strings.render_template: OPA renders the template with Go's text/template
// and the variables object decoded as Go JSON (numbers are json.Number, that
// is strings; sets are arrays). This is a subset of text/template, enough for
// the templates policies write:
//   text, {{pipeline}}, {{/* comments */}}, trim markers {{- and -}};
//   {{if}} / {{else if}} / {{else}} / {{end}}, {{with}} (with {{else with}}),
//   {{range}} over arrays, objects (sorted keys) and integers, with
//   {{range $i, $v := ...}}, {{else}}, {{break}} and {{continue}};
//   $ and $variables ({{$x := ...}}, {{$x = ...}}), .field chains, (pipelines),
//   pipes "|", literals (strings, raw strings, characters, numbers, true,
//   false, nil);
//   functions and, or, not, len, index, eq, ne, lt, le, gt, ge, print,
//   printf, println, html, js and urlquery.
// Not supported: define, template, block, slice and call (a parse error says
// so). A missing key prints "<undefined>" (Go's "<no value>", which OPA
// replaces). Error texts follow Go's "template: template:LINE:COL: ..." form
// but are not guaranteed word for word.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/strings_internal.h"

namespace custody::rego::strings_internal {

namespace {

constexpr std::string_view kName = "strings.render_template";
// Loop iterations and node evaluations per rendering: nested ranges can
// otherwise spin without producing output.
constexpr int64_t kMaxSteps = 2'000'000;
constexpr int kMaxDepth = 200;

// ---- Values ----

// A Go value as text/template sees it after OPA's JSON decoding.
struct TValue {
  enum class K { kMissing, kNil, kBool, kInt, kFloat, kString, kNumber, kArray, kMap };
  K k = K::kMissing;  // kMissing: Go's invalid reflect.Value ("<no value>")
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string s;  // kString, kNumber (json.Number text)
  Value data;     // kArray, kMap: the Rego array, set or object

  static TValue Bool(bool v) {
    TValue t;
    t.k = K::kBool;
    t.b = v;
    return t;
  }
  static TValue Int(int64_t v) {
    TValue t;
    t.k = K::kInt;
    t.i = v;
    return t;
  }
  static TValue Str(std::string v) {
    TValue t;
    t.k = K::kString;
    t.s = std::move(v);
    return t;
  }
};

TValue FromData(const Value& v) {
  TValue t;
  switch (v.kind()) {
    case Kind::kUndefined: break;
    case Kind::kNull: t.k = TValue::K::kNil; break;
    case Kind::kBool: t = TValue::Bool(v.as_bool()); break;
    case Kind::kNumber:
      t.k = TValue::K::kNumber;
      t.s = v.NumberText();
      break;
    case Kind::kString: t = TValue::Str(v.as_string()); break;
    case Kind::kArray:
    case Kind::kSet:
      t.k = TValue::K::kArray;
      t.data = v;
      break;
    case Kind::kObject:
      t.k = TValue::K::kMap;
      t.data = v;
      break;
  }
  return t;
}

const ValueVector& ArrayItems(const TValue& t) { return t.data.is_array() ? t.data.array() : t.data.set(); }

std::string KeyText(const Value& k) { return k.is_string() ? k.as_string() : k.ToJson(); }

// A map's entries by their string keys, sorted as Go's fmt and range sort them.
std::vector<std::pair<std::string, const Value*>> MapEntries(const TValue& t) {
  std::vector<std::pair<std::string, const Value*>> out;
  for (const auto& [k, v] : t.data.object()) out.emplace_back(KeyText(k), &v);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

std::string GoTypeName(const TValue& t) {
  switch (t.k) {
    case TValue::K::kMissing:
    case TValue::K::kNil: return "<nil>";
    case TValue::K::kBool: return "bool";
    case TValue::K::kInt: return "int";
    case TValue::K::kFloat: return "float64";
    case TValue::K::kString: return "string";
    case TValue::K::kNumber: return "json.Number";
    case TValue::K::kArray: return "[]interface {}";
    case TValue::K::kMap: return "map[string]interface {}";
  }
  return "";
}

// fmt's %v of a value inside a composite.
void AppendGoText(std::string& out, const TValue& t) {
  switch (t.k) {
    case TValue::K::kMissing:
    case TValue::K::kNil: out += "<nil>"; return;
    case TValue::K::kBool: out += t.b ? "true" : "false"; return;
    case TValue::K::kInt: out += std::to_string(t.i); return;
    case TValue::K::kFloat: out += FormatFloat(t.d, 'g', -1); return;
    case TValue::K::kString:
    case TValue::K::kNumber: out += t.s; return;
    case TValue::K::kArray: {
      out.push_back('[');
      bool first = true;
      for (const Value& e : ArrayItems(t)) {
        if (!first) out.push_back(' ');
        first = false;
        AppendGoText(out, FromData(e));
      }
      out.push_back(']');
      return;
    }
    case TValue::K::kMap: {
      out += "map[";
      bool first = true;
      for (const auto& [k, v] : MapEntries(t)) {
        if (!first) out.push_back(' ');
        first = false;
        out += k;
        out.push_back(':');
        AppendGoText(out, FromData(*v));
      }
      out.push_back(']');
      return;
    }
  }
}

// What {{pipeline}} prints: Go's "<no value>" for nothing (a missing key or
// a JSON null), fmt.Print otherwise.
std::string PrintText(const TValue& t) {
  if (t.k == TValue::K::kMissing || t.k == TValue::K::kNil) return "<no value>";
  std::string out;
  AppendGoText(out, t);
  return out;
}

bool Truth(const TValue& t) {
  switch (t.k) {
    case TValue::K::kMissing:
    case TValue::K::kNil: return false;
    case TValue::K::kBool: return t.b;
    case TValue::K::kInt: return t.i != 0;
    case TValue::K::kFloat: return t.d != 0;
    case TValue::K::kString:
    case TValue::K::kNumber: return !t.s.empty();
    case TValue::K::kArray:
    case TValue::K::kMap: return t.data.size() > 0;
  }
  return false;
}

FmtArg ToFmtArg(const TValue& t) {
  switch (t.k) {
    case TValue::K::kMissing:
    case TValue::K::kNil: return FmtArg::Nil();
    case TValue::K::kBool: return FmtArg::Bool(t.b);
    case TValue::K::kInt: return FmtArg::Int(t.i);
    case TValue::K::kFloat: return FmtArg::Float(t.d);
    case TValue::K::kString: return FmtArg::Str(t.s);
    case TValue::K::kNumber: return FmtArg::Str(t.s, "json.Number");
    case TValue::K::kArray:
    case TValue::K::kMap: {
      std::string text;
      AppendGoText(text, t);
      return FmtArg::Other(std::move(text), GoTypeName(t));
    }
  }
  return FmtArg::Nil();
}

// ---- Syntax ----

struct Pipe;

struct Operand {
  enum class K { kDot, kField, kVariable, kNil, kBool, kNumber, kString, kFunction, kPipe };
  K k = K::kDot;
  std::string name;                // variable or function name
  std::vector<std::string> chain;  // fields after it (.a.b)
  TValue constant;                 // kBool, kNumber, kString
  std::shared_ptr<Pipe> pipe;      // kPipe
  std::string text;                // source text, for error messages
};

struct Command {
  std::vector<Operand> args;
};

struct Pipe {
  std::vector<std::string> decl;  // declared or assigned variables
  bool is_assign = false;
  std::vector<Command> cmds;
  int line = 1, col = 1;
  std::string text;
};

struct Node;
using NodeList = std::vector<Node>;

struct Node {
  enum class K { kText, kAction, kIf, kRange, kWith, kBreak, kContinue };
  K k = K::kText;
  std::string text;
  std::shared_ptr<Pipe> pipe;
  std::shared_ptr<NodeList> list, else_list;
};

struct TemplateError {
  std::string message;
};

bool IsSpaceChar(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

struct Token {
  enum class K {
    kEnd,
    kIdent,
    kField,
    kDot,
    kVariable,
    kString,
    kChar,
    kNumber,
    kLParen,
    kRParen,
    kPipe,
    kComma,
    kDeclare,
    kAssign
  };
  K k = K::kEnd;
  std::string text;  // raw text; for kField the name, kVariable includes '$'
  bool space_before = false;
  int line = 1, col = 1;
};

// Go's strconv.Unquote for "...", `...` and '.'.
std::optional<std::string> Unquote(std::string_view q) {
  if (q.size() < 2) return std::nullopt;
  char quote = q[0];
  if (q.back() != quote) return std::nullopt;
  std::string_view body = q.substr(1, q.size() - 2);
  if (quote == '`') return std::string(body);
  std::string out;
  for (size_t i = 0; i < body.size();) {
    char c = body[i];
    if (c == quote || c == '\n') return std::nullopt;
    if (c != '\\') {
      out.push_back(c);
      ++i;
      continue;
    }
    if (++i >= body.size()) return std::nullopt;
    char e = body[i++];
    auto hex = [&](size_t n) -> std::optional<uint32_t> {
      if (i + n > body.size()) return std::nullopt;
      uint32_t v = 0;
      for (size_t k = 0; k < n; ++k) {
        char h = body[i + k];
        int d = h >= '0' && h <= '9'
                    ? h - '0'
                    : (h >= 'a' && h <= 'f' ? h - 'a' + 10 : (h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1));
        if (d < 0) return std::nullopt;
        v = v * 16 + static_cast<uint32_t>(d);
      }
      i += n;
      return v;
    };
    switch (e) {
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case '\\': out.push_back('\\'); break;
      case '"':
      case '\'':
        if (e != quote) return std::nullopt;
        out.push_back(e);
        break;
      case 'x': {
        auto v = hex(2);
        if (!v) return std::nullopt;
        out.push_back(static_cast<char>(*v));
        break;
      }
      case 'u':
      case 'U': {
        auto v = hex(e == 'u' ? 4 : 8);
        if (!v || *v > kMaxRune || (*v >= 0xD800 && *v <= 0xDFFF)) return std::nullopt;
        AppendRune(out, *v);
        break;
      }
      default:
        if (e >= '0' && e <= '7') {
          if (i + 2 > body.size()) return std::nullopt;
          uint32_t v = static_cast<uint32_t>(e - '0');
          for (int k = 0; k < 2; ++k) {
            char o = body[i++];
            if (o < '0' || o > '7') return std::nullopt;
            v = v * 8 + static_cast<uint32_t>(o - '0');
          }
          if (v > 255) return std::nullopt;
          out.push_back(static_cast<char>(v));
          break;
        }
        return std::nullopt;
    }
  }
  if (quote == '\'') {
    if (RuneCount(out) != 1) return std::nullopt;
  }
  return out;
}

// Go number literals as text/template reads them: an int when the text is an
// integer that fits, a float when it has a fraction or exponent.
std::optional<TValue> ParseNumber(std::string_view text) {
  std::string clean;
  for (char c : text)
    if (c != '_') clean.push_back(c);
  std::string_view t = clean;
  bool neg = false;
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) {
    neg = t[0] == '-';
    t.remove_prefix(1);
  }
  if (t.empty()) return std::nullopt;
  int base = 10;
  if (t.size() > 1 && t[0] == '0') {
    char p = static_cast<char>(t[1] | 0x20);
    if (p == 'x') base = 16;
    if (p == 'o') base = 8;
    if (p == 'b') base = 2;
    if (base != 10) t.remove_prefix(2);
  }
  bool is_float = base == 10 && t.find_first_of(".eE") != std::string_view::npos;
  if (is_float) {
    double d = 0;
    std::string s(t);
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end == nullptr || *end != '\0') return std::nullopt;
    TValue v;
    v.k = TValue::K::kFloat;
    v.d = neg ? -d : d;
    return v;
  }
  if (base == 10 && t.size() > 1 && t[0] == '0') base = 8;  // Go's legacy octal
  uint64_t u = 0;
  for (char c : t) {
    int d = c >= '0' && c <= '9' ? c - '0'
                                 : ((c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : 99);
    if (d >= base) return std::nullopt;
    if (u > (UINT64_MAX - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) return std::nullopt;
    u = u * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (u > static_cast<uint64_t>(INT64_MAX) + (neg ? 1 : 0)) return std::nullopt;
  return TValue::Int(neg ? static_cast<int64_t>(~u + 1) : static_cast<int64_t>(u));
}

class Parser {
 public:
  explicit Parser(std::string_view src) : src_(src) {}

  NodeList Parse() {
    NodeList root;
    std::string end = ParseList(root, 0);
    if (!end.empty()) Fail(line_, "unexpected {{" + end + "}}");
    return root;
  }

 private:
  [[noreturn]] void Fail(int line, const std::string& msg) {
    throw TemplateError{"template: template:" + std::to_string(line) + ": " + msg};
  }

  void Advance(size_t n) {
    for (size_t k = 0; k < n && pos_ < src_.size(); ++k) {
      if (src_[pos_] == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      }
      ++pos_;
    }
  }

  // Parses nodes until {{end}}, {{else ...}} or the end of input. Returns the
  // keyword that stopped it ("" at the end of input, "end", "else", or
  // "else if" / "else with" with the pipe left in pending_else_pipe_).
  std::string ParseList(NodeList& out, int depth) {
    if (depth > kMaxDepth) Fail(line_, "template nested too deeply");
    while (pos_ < src_.size()) {
      size_t open = src_.find("{{", pos_);
      std::string_view text =
          src_.substr(pos_, open == std::string_view::npos ? std::string_view::npos : open - pos_);
      bool trim_left = open != std::string_view::npos && open + 3 < src_.size() && src_[open + 2] == '-' &&
                       IsSpaceChar(src_[open + 3]);
      if (trim_left) {
        while (!text.empty() && IsSpaceChar(text.back())) text.remove_suffix(1);
      }
      if (trim_right_pending_) {
        while (!text.empty() && IsSpaceChar(text.front())) text.remove_prefix(1);
        trim_right_pending_ = false;
      }
      if (!text.empty()) out.push_back(Node{Node::K::kText, std::string(text), nullptr, nullptr, nullptr});
      if (open == std::string_view::npos) {
        Advance(src_.size() - pos_);
        break;
      }
      Advance(open - pos_ + 2 + (trim_left ? 2 : 0));
      // Comment.
      if (src_.substr(pos_).starts_with("/*")) {
        size_t close = src_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) Fail(line_, "unclosed comment");
        Advance(close + 2 - pos_);
        if (src_.substr(pos_).starts_with(" -}}")) {
          Advance(4);
          trim_right_pending_ = true;
        } else if (src_.substr(pos_).starts_with("}}")) {
          Advance(2);
        } else {
          Fail(line_, "comment ends before closing delimiter");
        }
        continue;
      }
      std::vector<Token> toks = LexAction();
      std::string stop;
      ParseAction(toks, out, depth, &stop);
      if (!stop.empty()) return stop;
    }
    return "";
  }

  std::vector<Token> LexAction() {
    std::vector<Token> toks;
    bool space = false;
    int start_line = line_;
    while (true) {
      if (pos_ >= src_.size()) Fail(start_line, "unclosed action");
      char c = src_[pos_];
      if (src_.substr(pos_).starts_with("}}")) {
        Advance(2);
        break;
      }
      if (IsSpaceChar(c)) {
        // " -}}" closes the action and trims the text after it.
        size_t j = pos_;
        while (j < src_.size() && IsSpaceChar(src_[j])) ++j;
        if (src_.substr(j).starts_with("-}}")) {
          Advance(j + 3 - pos_);
          trim_right_pending_ = true;
          break;
        }
        Advance(j - pos_);
        space = true;
        continue;
      }
      Token t;
      t.space_before = space;
      t.line = line_;
      t.col = static_cast<int>(pos_ - line_start_) + 1;
      space = false;
      size_t start = pos_;
      if (c == '"' || c == '`' || c == '\'') {
        size_t j = pos_ + 1;
        while (j < src_.size() && src_[j] != c) {
          if (c != '`' && src_[j] == '\\') ++j;
          if (c != '`' && j < src_.size() && src_[j] == '\n') Fail(line_, "unterminated quoted string");
          ++j;
        }
        if (j >= src_.size())
          Fail(line_, c == '`' ? "unterminated raw quoted string" : "unterminated quoted string");
        t.k = c == '\'' ? Token::K::kChar : Token::K::kString;
        t.text = std::string(src_.substr(start, j + 1 - start));
        Advance(j + 1 - pos_);
      } else if (c == '(' || c == ')' || c == '|' || c == ',') {
        t.k = c == '('   ? Token::K::kLParen
              : c == ')' ? Token::K::kRParen
              : c == '|' ? Token::K::kPipe
                         : Token::K::kComma;
        t.text = std::string(1, c);
        Advance(1);
      } else if (c == ':' && src_.substr(pos_).starts_with(":=")) {
        t.k = Token::K::kDeclare;
        t.text = ":=";
        Advance(2);
      } else if (c == '=') {
        t.k = Token::K::kAssign;
        t.text = "=";
        Advance(1);
      } else if (c == '$') {
        size_t j = pos_ + 1;
        while (j < src_.size() && IsAlnum(src_[j])) ++j;
        t.k = Token::K::kVariable;
        t.text = std::string(src_.substr(start, j - start));
        Advance(j - pos_);
      } else if (c == '.' && (pos_ + 1 >= src_.size() || !(src_[pos_ + 1] >= '0' && src_[pos_ + 1] <= '9'))) {
        size_t j = pos_ + 1;
        while (j < src_.size() && IsAlnum(src_[j])) ++j;
        if (j == pos_ + 1) {
          t.k = Token::K::kDot;
        } else {
          t.k = Token::K::kField;
          t.text = std::string(src_.substr(pos_ + 1, j - pos_ - 1));
        }
        Advance(j - pos_);
      } else if ((c >= '0' && c <= '9') || c == '.' ||
                 ((c == '+' || c == '-') && pos_ + 1 < src_.size() &&
                  ((src_[pos_ + 1] >= '0' && src_[pos_ + 1] <= '9') || src_[pos_ + 1] == '.'))) {
        size_t j = pos_ + 1;
        while (j < src_.size() && (IsAlnum(src_[j]) || src_[j] == '.' ||
                                   ((src_[j] == '+' || src_[j] == '-') && (src_[j - 1] | 0x20) == 'e')))
          ++j;
        t.k = Token::K::kNumber;
        t.text = std::string(src_.substr(start, j - start));
        Advance(j - pos_);
      } else if (IsAlnum(c)) {
        size_t j = pos_;
        while (j < src_.size() && IsAlnum(src_[j])) ++j;
        t.k = Token::K::kIdent;
        t.text = std::string(src_.substr(start, j - start));
        Advance(j - pos_);
      } else {
        Fail(line_, std::string("unexpected \"") + c + "\" in command");
      }
      toks.push_back(std::move(t));
    }
    return toks;
  }

  void ParseAction(const std::vector<Token>& toks, NodeList& out, int depth, std::string* stop) {
    if (toks.empty()) Fail(line_, "missing value for command");
    size_t i = 0;
    const Token& first = toks[0];
    if (first.k == Token::K::kIdent) {
      const std::string& w = first.text;
      if (w == "end" || w == "else") {
        if (w == "end" && toks.size() > 1) Fail(first.line, "unexpected " + toks[1].text + " in end");
        if (w == "else" && toks.size() > 1) {
          if (toks[1].k != Token::K::kIdent || (toks[1].text != "if" && toks[1].text != "with"))
            Fail(first.line, "unexpected " + toks[1].text + " in else");
          // {{else if ...}}: the rest of the action is the next branch.
          pending_else_ = std::vector<Token>(toks.begin() + 1, toks.end());
          *stop = "else " + toks[1].text;
          return;
        }
        *stop = w;
        return;
      }
      if (w == "if" || w == "with" || w == "range") {
        ParseControl(w, std::vector<Token>(toks.begin() + 1, toks.end()), out, depth);
        return;
      }
      if (w == "break" || w == "continue") {
        if (range_depth_ == 0) Fail(first.line, "{{" + w + "}} outside {{range}}");
        if (toks.size() > 1) Fail(first.line, "unexpected " + toks[1].text + " in " + w);
        out.push_back(
            Node{w == "break" ? Node::K::kBreak : Node::K::kContinue, "", nullptr, nullptr, nullptr});
        return;
      }
      if (w == "define" || w == "template" || w == "block")
        Fail(first.line, "{{" + w + "}} is not supported by strings.render_template");
    }
    Node n;
    n.k = Node::K::kAction;
    n.pipe = ParsePipe(toks, &i, true, depth);
    out.push_back(std::move(n));
  }

  void ParseControl(const std::string& word, const std::vector<Token>& toks, NodeList& out, int depth) {
    size_t i = 0;
    Node n;
    n.k = word == "if" ? Node::K::kIf : word == "with" ? Node::K::kWith : Node::K::kRange;
    if (toks.empty()) Fail(line_, "missing value for " + word);
    // Variables declared in the control's pipeline end with it.
    size_t mark = vars_.size();
    n.pipe = ParsePipe(toks, &i, true, depth, word == "range");
    n.list = std::make_shared<NodeList>();
    if (n.k == Node::K::kRange) ++range_depth_;
    std::string stop = ParseList(*n.list, depth + 1);
    if (n.k == Node::K::kRange) --range_depth_;
    vars_.resize(mark);
    if (stop.empty()) Fail(line_, "unexpected EOF");
    if (stop == "else") {
      n.else_list = std::make_shared<NodeList>();
      stop = ParseList(*n.else_list, depth + 1);
      vars_.resize(mark);
      if (stop != "end")
        Fail(line_, stop.empty() ? "unexpected EOF" : "expected end; found {{" + stop + "}}");
    } else if (stop == "else if" || stop == "else with") {
      if (n.k == Node::K::kRange) Fail(line_, "unexpected {{" + stop + "}} in range");
      // {{else if x}} ... is {{else}}{{if x}} ... {{end}}{{end}}, sharing one {{end}}.
      std::string next_word = pending_else_[0].text;
      std::vector<Token> rest(pending_else_.begin() + 1, pending_else_.end());
      n.else_list = std::make_shared<NodeList>();
      ParseControl(next_word, rest, *n.else_list, depth + 1);
      vars_.resize(mark);
    } else if (stop != "end") {
      Fail(line_, "unexpected {{" + stop + "}}");
    }
    out.push_back(std::move(n));
  }

  std::shared_ptr<Pipe> ParsePipe(const std::vector<Token>& toks, size_t* i, bool top, int depth,
                                  bool is_range = false) {
    if (depth > kMaxDepth) Fail(line_, "pipeline nested too deeply");
    auto pipe = std::make_shared<Pipe>();
    if (*i < toks.size()) {
      pipe->line = toks[*i].line;
      pipe->col = toks[*i].col;
    }
    // Declarations: $x := / $x = / $i, $v :=
    if (top && *i < toks.size() && toks[*i].k == Token::K::kVariable) {
      size_t j = *i;
      std::vector<std::string> names{toks[j].text};
      ++j;
      if (is_range && j + 1 < toks.size() && toks[j].k == Token::K::kComma &&
          toks[j + 1].k == Token::K::kVariable) {
        names.push_back(toks[j + 1].text);
        j += 2;
      }
      if (j < toks.size() && (toks[j].k == Token::K::kDeclare || toks[j].k == Token::K::kAssign)) {
        pipe->is_assign = toks[j].k == Token::K::kAssign;
        for (const std::string& name : names) {
          if (pipe->is_assign) {
            if (std::find(vars_.begin(), vars_.end(), name) == vars_.end())
              Fail(toks[*i].line, "undefined variable \"" + name + "\"");
          } else {
            vars_.push_back(name);
          }
        }
        pipe->decl = std::move(names);
        *i = j + 1;
      }
    }
    size_t text_start = *i;
    while (*i < toks.size()) {
      const Token& t = toks[*i];
      if (t.k == Token::K::kRParen) break;
      Command cmd;
      while (*i < toks.size() && toks[*i].k != Token::K::kPipe && toks[*i].k != Token::K::kRParen) {
        cmd.args.push_back(ParseOperand(toks, i, depth));
      }
      if (cmd.args.empty()) Fail(t.line, "missing value for command");
      pipe->cmds.push_back(std::move(cmd));
      if (*i < toks.size() && toks[*i].k == Token::K::kPipe) {
        ++*i;
        if (*i >= toks.size() || toks[*i].k == Token::K::kRParen) Fail(t.line, "missing command after |");
      }
    }
    for (size_t k = text_start; k < *i && k < toks.size(); ++k) {
      if (k > text_start && toks[k].space_before) pipe->text.push_back(' ');
      pipe->text += toks[k].k == Token::K::kField ? "." + toks[k].text : toks[k].text;
    }
    if (pipe->cmds.empty()) Fail(line_, "missing value for command");
    if (top && *i < toks.size()) Fail(toks[*i].line, "unexpected " + toks[*i].text + " in operand");
    return pipe;
  }

  Operand ParseOperand(const std::vector<Token>& toks, size_t* i, int depth) {
    const Token& t = toks[*i];
    Operand op;
    op.text = t.k == Token::K::kField ? "." + t.text : t.text;
    ++*i;
    switch (t.k) {
      case Token::K::kDot:
        op.k = Operand::K::kDot;
        op.text = ".";
        break;
      case Token::K::kField:
        op.k = Operand::K::kField;
        op.chain.push_back(t.text);
        break;
      case Token::K::kVariable:
        if (std::find(vars_.begin(), vars_.end(), t.text) == vars_.end() && t.text != "$")
          Fail(t.line, "undefined variable \"" + t.text + "\"");
        op.k = Operand::K::kVariable;
        op.name = t.text;
        break;
      case Token::K::kString:
      case Token::K::kChar: {
        auto s = Unquote(t.text);
        if (!s) Fail(t.line, "bad quoted string: " + t.text);
        if (t.k == Token::K::kString) {
          op.k = Operand::K::kString;
          op.constant = TValue::Str(*s);
        } else {
          op.k = Operand::K::kNumber;
          op.constant = TValue::Int(DecodeRune(*s).rune);
        }
        break;
      }
      case Token::K::kNumber: {
        auto n = ParseNumber(t.text);
        if (!n) Fail(t.line, "bad number syntax: \"" + t.text + "\"");
        op.k = Operand::K::kNumber;
        op.constant = *n;
        break;
      }
      case Token::K::kIdent: {
        const std::string& w = t.text;
        if (w == "true" || w == "false") {
          op.k = Operand::K::kBool;
          op.constant = TValue::Bool(w == "true");
        } else if (w == "nil") {
          op.k = Operand::K::kNil;
        } else {
          static const std::vector<std::string> kFunctions = {
              "and", "or", "not",   "len",    "index",   "eq",   "ne", "lt",      "le",
              "gt",  "ge", "print", "printf", "println", "html", "js", "urlquery"};
          if (std::find(kFunctions.begin(), kFunctions.end(), w) == kFunctions.end())
            Fail(t.line, "function \"" + w + "\" not defined");
          op.k = Operand::K::kFunction;
          op.name = w;
        }
        break;
      }
      case Token::K::kLParen: {
        op.k = Operand::K::kPipe;
        op.pipe = ParsePipe(toks, i, false, depth + 1);
        if (*i >= toks.size() || toks[*i].k != Token::K::kRParen) Fail(t.line, "unclosed left paren");
        ++*i;
        op.text = "(" + op.pipe->text + ")";
        break;
      }
      default: Fail(t.line, "unexpected \"" + t.text + "\" in operand");
    }
    // A field chain directly after the operand (no space): $x.a, (pipe).b.
    while (*i < toks.size() && toks[*i].k == Token::K::kField && !toks[*i].space_before &&
           op.k != Operand::K::kField) {
      if (op.k != Operand::K::kVariable && op.k != Operand::K::kPipe && op.k != Operand::K::kDot)
        Fail(toks[*i].line, "unexpected . after term \"" + op.text + "\"");
      op.chain.push_back(toks[*i].text);
      op.text += "." + toks[*i].text;
      ++*i;
    }
    while (op.k == Operand::K::kField && *i < toks.size() && toks[*i].k == Token::K::kField &&
           !toks[*i].space_before) {
      op.chain.push_back(toks[*i].text);
      op.text += "." + toks[*i].text;
      ++*i;
    }
    return op;
  }

  std::string_view src_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  bool trim_right_pending_ = false;
  int range_depth_ = 0;
  std::vector<std::string> vars_{"$"};
  std::vector<Token> pending_else_;
};

// ---- Execution ----

enum class Flow { kNormal, kBreak, kContinue };

class Executor {
 public:
  explicit Executor(const Value& data) : root_(FromData(data)) { vars_.push_back({"$", root_}); }

  void Run(const NodeList& nodes) { Walk(root_, nodes); }
  std::string out;

 private:
  [[noreturn]] void Fail(const Pipe& p, const std::string& msg) {
    throw TemplateError{"template: template:" + std::to_string(p.line) + ":" + std::to_string(p.col) +
                        ": executing \"template\" at <" + p.text + ">: " + msg};
  }

  void Step(const Pipe& p) {
    if (++steps_ > kMaxSteps) Fail(p, "too many steps");
  }

  Flow Walk(const TValue& dot, const NodeList& nodes) {
    for (const Node& n : nodes) {
      Flow f = WalkNode(dot, n);
      if (f != Flow::kNormal) return f;
    }
    return Flow::kNormal;
  }

  Flow WalkNode(const TValue& dot, const Node& n) {
    switch (n.k) {
      case Node::K::kText: Emit(n.text); return Flow::kNormal;
      case Node::K::kBreak: return Flow::kBreak;
      case Node::K::kContinue: return Flow::kContinue;
      case Node::K::kAction: {
        TValue v = EvalPipe(dot, *n.pipe);
        if (n.pipe->decl.empty()) Emit(PrintText(v));
        return Flow::kNormal;
      }
      case Node::K::kIf:
      case Node::K::kWith: {
        size_t mark = vars_.size();
        TValue v = EvalPipe(dot, *n.pipe);
        Flow f = Flow::kNormal;
        if (Truth(v)) {
          f = Walk(n.k == Node::K::kWith ? v : dot, *n.list);
        } else if (n.else_list) {
          f = Walk(dot, *n.else_list);
        }
        vars_.resize(mark);
        return f;
      }
      case Node::K::kRange: return WalkRange(dot, n);
    }
    return Flow::kNormal;
  }

  Flow WalkRange(const TValue& dot, const Node& n) {
    size_t mark = vars_.size();
    // The range pipeline's variables are set per element, not to its value.
    Pipe pipe = *n.pipe;
    std::vector<std::string> decl = std::move(pipe.decl);
    pipe.decl.clear();
    TValue v = EvalPipe(dot, pipe);
    for (const std::string& name : decl) vars_.push_back({name, TValue()});
    bool any = false;
    auto visit = [&](const TValue& key, const TValue& elem) -> bool {
      Step(*n.pipe);
      any = true;
      if (decl.size() == 1) vars_[mark].second = elem;
      if (decl.size() == 2) {
        vars_[mark].second = key;
        vars_[mark + 1].second = elem;
      }
      size_t inner = vars_.size();
      Flow f = Walk(elem, *n.list);
      vars_.resize(inner);
      return f != Flow::kBreak;
    };
    switch (v.k) {
      case TValue::K::kArray: {
        int64_t idx = 0;
        for (const Value& e : ArrayItems(v))
          if (!visit(TValue::Int(idx++), FromData(e))) break;
        break;
      }
      case TValue::K::kMap:
        for (const auto& [k, e] : MapEntries(v))
          if (!visit(TValue::Str(k), FromData(*e))) break;
        break;
      case TValue::K::kInt:
        if (decl.size() == 2)
          Fail(*n.pipe, "can't use " + std::to_string(v.i) + " to iterate over more than one variable");
        for (int64_t k = 0; k < v.i; ++k)
          if (!visit(TValue::Int(k), TValue::Int(k))) break;
        break;
      case TValue::K::kMissing:
      case TValue::K::kNil: break;
      default: Fail(*n.pipe, "range can't iterate over " + PrintText(v));
    }
    vars_.resize(mark);
    if (!any && n.else_list) return Walk(dot, *n.else_list);
    return Flow::kNormal;
  }

  void Emit(std::string_view s) {
    out.append(s);
    if (out.size() > kMaxResultBytes)
      throw TemplateError{"result would be longer than " + std::to_string(kMaxResultBytes) + " bytes"};
  }

  TValue EvalPipe(const TValue& dot, const Pipe& p) {
    Step(p);
    TValue value;
    bool have_final = false;
    for (const Command& cmd : p.cmds) {
      value = EvalCommand(dot, cmd, p, have_final ? &value : nullptr);
      have_final = true;
    }
    for (const std::string& name : p.decl) {
      if (p.is_assign) {
        for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
          if (it->first == name) {
            it->second = value;
            break;
          }
      } else {
        vars_.push_back({name, value});
      }
    }
    return value;
  }

  TValue Field(const Pipe& p, const TValue& receiver, const std::string& name) {
    switch (receiver.k) {
      case TValue::K::kMissing: return TValue();
      case TValue::K::kMap: {
        if (const Value* v = receiver.data.FindKey(name)) return FromData(*v);
        for (const auto& [k, v] : receiver.data.object())
          if (!k.is_string() && KeyText(k) == name) return FromData(v);
        return TValue();
      }
      case TValue::K::kNil: Fail(p, "nil pointer evaluating interface {}." + name);
      default: Fail(p, "can't evaluate field " + name + " in type " + GoTypeName(receiver));
    }
  }

  TValue Chain(const Pipe& p, TValue v, const std::vector<std::string>& chain) {
    for (const std::string& f : chain) v = Field(p, v, f);
    return v;
  }

  TValue Variable(const std::string& name) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
      if (it->first == name) return it->second;
    return TValue();
  }

  TValue EvalArg(const TValue& dot, const Operand& op, const Pipe& p) {
    switch (op.k) {
      case Operand::K::kDot: return Chain(p, dot, op.chain);
      case Operand::K::kField: return Chain(p, dot, op.chain);
      case Operand::K::kVariable: return Chain(p, Variable(op.name), op.chain);
      case Operand::K::kNil: {
        TValue nil;
        nil.k = TValue::K::kNil;
        return nil;
      }
      case Operand::K::kBool:
      case Operand::K::kNumber:
      case Operand::K::kString: return op.constant;
      case Operand::K::kPipe: return Chain(p, EvalPipe(dot, *op.pipe), op.chain);
      case Operand::K::kFunction: return CallFunction(dot, op.name, {}, nullptr, p);
    }
    return TValue();
  }

  TValue EvalCommand(const TValue& dot, const Command& cmd, const Pipe& p, const TValue* final) {
    const Operand& first = cmd.args[0];
    if (first.k == Operand::K::kFunction) {
      std::vector<const Operand*> rest;
      for (size_t k = 1; k < cmd.args.size(); ++k) rest.push_back(&cmd.args[k]);
      return CallFunction(dot, first.name, rest, final, p);
    }
    if (cmd.args.size() > 1 || final != nullptr) {
      if (first.k == Operand::K::kField || (first.k == Operand::K::kVariable && !first.chain.empty()))
        Fail(p, first.text + " has arguments but cannot be invoked as function");
      Fail(p, "can't give argument to non-function " + first.text);
    }
    if (first.k == Operand::K::kNil) Fail(p, "nil is not a command");
    return EvalArg(dot, first, p);
  }

  enum class BasicKind { kInvalid, kBool, kInt, kFloat, kString };
  static BasicKind Basic(const TValue& v) {
    switch (v.k) {
      case TValue::K::kBool: return BasicKind::kBool;
      case TValue::K::kInt: return BasicKind::kInt;
      case TValue::K::kFloat: return BasicKind::kFloat;
      case TValue::K::kString:
      case TValue::K::kNumber: return BasicKind::kString;
      default: return BasicKind::kInvalid;
    }
  }

  bool Eq(const Pipe& p, const TValue& a, const TValue& b) {
    BasicKind ka = Basic(a), kb = Basic(b);
    bool a_valid = a.k != TValue::K::kMissing && a.k != TValue::K::kNil;
    bool b_valid = b.k != TValue::K::kMissing && b.k != TValue::K::kNil;
    if (ka != kb) {
      if (a_valid && b_valid) Fail(p, "error calling eq: incompatible types for comparison");
      return false;
    }
    switch (ka) {
      case BasicKind::kBool: return a.b == b.b;
      case BasicKind::kInt: return a.i == b.i;
      case BasicKind::kFloat: return a.d == b.d;
      case BasicKind::kString: return a.s == b.s;
      case BasicKind::kInvalid:
        if (!a_valid || !b_valid) return a_valid == b_valid;
        Fail(p, "error calling eq: non-comparable type " + GoTypeName(a));
    }
    return false;
  }

  bool Less(const Pipe& p, const std::string& fn, const TValue& a, const TValue& b) {
    BasicKind ka = Basic(a), kb = Basic(b);
    if (ka == BasicKind::kInvalid || kb == BasicKind::kInvalid || ka == BasicKind::kBool)
      Fail(p, "error calling " + fn + ": invalid type for comparison");
    if (ka != kb) Fail(p, "error calling " + fn + ": incompatible types for comparison");
    switch (ka) {
      case BasicKind::kInt: return a.i < b.i;
      case BasicKind::kFloat: return a.d < b.d;
      default: return a.s < b.s;
    }
  }

  TValue CallFunction(const TValue& dot, const std::string& fn, const std::vector<const Operand*>& ops,
                      const TValue* final, const Pipe& p) {
    // and/or evaluate their operands lazily.
    if (fn == "and" || fn == "or") {
      size_t n = ops.size() + (final ? 1 : 0);
      if (n < 1) Fail(p, "wrong number of args for " + fn + ": want at least 1 got 0");
      TValue v;
      for (size_t k = 0; k < n; ++k) {
        v = k < ops.size() ? EvalArg(dot, *ops[k], p) : *final;
        if (Truth(v) != (fn == "and")) return v;
      }
      return v;
    }
    std::vector<TValue> args;
    for (const Operand* op : ops) args.push_back(EvalArg(dot, *op, p));
    if (final) args.push_back(*final);
    auto want = [&](size_t n) {
      if (args.size() != n)
        Fail(p, "wrong number of args for " + fn + ": want " + std::to_string(n) + " got " +
                    std::to_string(args.size()));
    };
    if (fn == "not") {
      want(1);
      return TValue::Bool(!Truth(args[0]));
    }
    if (fn == "len") {
      want(1);
      const TValue& a = args[0];
      if (a.k == TValue::K::kString || a.k == TValue::K::kNumber)
        return TValue::Int(static_cast<int64_t>(a.s.size()));
      if (a.k == TValue::K::kArray || a.k == TValue::K::kMap)
        return TValue::Int(static_cast<int64_t>(a.data.size()));
      Fail(p, "error calling len: len of type " + GoTypeName(a));
    }
    if (fn == "index") {
      if (args.empty()) Fail(p, "wrong number of args for index: want at least 1 got 0");
      TValue item = args[0];
      for (size_t k = 1; k < args.size(); ++k) {
        const TValue& idx = args[k];
        if (item.k == TValue::K::kMap) {
          if (idx.k != TValue::K::kString)
            Fail(p, "error calling index: value has type " + GoTypeName(idx) + "; should be string");
          item = Field(p, item, idx.s);
        } else if (item.k == TValue::K::kArray) {
          if (idx.k != TValue::K::kInt)
            Fail(p, "error calling index: cannot index slice/array with type " + GoTypeName(idx));
          const ValueVector& items = ArrayItems(item);
          if (idx.i < 0 || static_cast<uint64_t>(idx.i) >= items.size())
            Fail(p, "error calling index: index out of range: " + std::to_string(idx.i));
          item = FromData(items[static_cast<size_t>(idx.i)]);
        } else if (item.k == TValue::K::kMissing || item.k == TValue::K::kNil) {
          Fail(p, "error calling index: index of untyped nil");
        } else {
          Fail(p, "error calling index: can't index item of type " + GoTypeName(item));
        }
      }
      return item;
    }
    if (fn == "eq") {
      if (args.size() < 2) Fail(p, "error calling eq: missing argument for comparison");
      for (size_t k = 1; k < args.size(); ++k)
        if (Eq(p, args[0], args[k])) return TValue::Bool(true);
      return TValue::Bool(false);
    }
    if (fn == "ne") {
      want(2);
      return TValue::Bool(!Eq(p, args[0], args[1]));
    }
    if (fn == "lt" || fn == "le" || fn == "gt" || fn == "ge") {
      want(2);
      bool lt = Less(p, fn, args[0], args[1]);
      if (fn == "lt") return TValue::Bool(lt);
      if (fn == "ge") return TValue::Bool(!lt);
      bool eq = Eq(p, args[0], args[1]);
      return TValue::Bool(fn == "le" ? lt || eq : !lt && !eq);
    }
    std::vector<FmtArg> fargs;
    for (const TValue& a : args) fargs.push_back(ToFmtArg(a));
    if (fn == "printf") {
      if (fargs.empty() || args[0].k != TValue::K::kString)
        Fail(p, "wrong type for value; expected string; got " +
                    (args.empty() ? "nothing" : GoTypeName(args[0])));
      bool overflow = false;
      std::string s =
          GoSprintf(args[0].s, std::span<const FmtArg>(fargs).subspan(1), kMaxResultBytes, &overflow);
      if (overflow) Fail(p, "error calling printf: result too long");
      return TValue::Str(std::move(s));
    }
    std::string text = GoSprint(fargs, fn == "println");
    if (fn == "print" || fn == "println") return TValue::Str(std::move(text));
    // html, js and urlquery escape the Sprint of their operands (one string
    // operand is used as is).
    if (args.size() == 1 && args[0].k == TValue::K::kString) text = args[0].s;
    std::string out;
    if (fn == "html") {
      for (char c : text) {
        switch (c) {
          case '"': out += "&#34;"; break;
          case '\'': out += "&#39;"; break;
          case '&': out += "&amp;"; break;
          case '<': out += "&lt;"; break;
          case '>': out += "&gt;"; break;
          case '\0': out += "\xEF\xBF\xBD"; break;
          default: out.push_back(c);
        }
      }
    } else if (fn == "js") {
      for (size_t k = 0; k < text.size();) {
        DecodedRune d = DecodeRune(std::string_view(text).substr(k));
        char32_t r = d.rune;
        static const char* hex = "0123456789ABCDEF";
        if (r == '\\' || r == '\'' || r == '"') {
          out.push_back('\\');
          out.push_back(static_cast<char>(r));
        } else if (r == '<' || r == '>' || r == '&' || r == '=' || r < ' ') {
          out += "\\u00";
          out.push_back(hex[(r >> 4) & 0xF]);
          out.push_back(hex[r & 0xF]);
        } else if (r < 0x80 || IsPrint(r)) {
          out.append(text, k, d.size);
        } else {
          out += "\\u";
          for (int s = 12; s >= 0; s -= 4) out.push_back(hex[(r >> s) & 0xF]);
        }
        k += d.size;
      }
    } else {  // urlquery: url.QueryEscape
      static const char* hex = "0123456789ABCDEF";
      for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
            c == '_' || c == '.' || c == '~') {
          out.push_back(static_cast<char>(c));
        } else if (c == ' ') {
          out.push_back('+');
        } else {
          out.push_back('%');
          out.push_back(hex[c >> 4]);
          out.push_back(hex[c & 0xF]);
        }
      }
    }
    return TValue::Str(std::move(out));
  }

  TValue root_;
  std::vector<std::pair<std::string, TValue>> vars_;
  int64_t steps_ = 0;
};

}  // namespace

Result<Value> RenderTemplate(std::span<const Value> args, BuiltinContext&) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view source, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(const Value* vars, ObjectArg(kName, args, 2));
  std::string out;
  try {
    Parser parser(source);
    NodeList nodes = parser.Parse();
    Executor exec(*vars);
    exec.Run(nodes);
    out = std::move(exec.out);
  } catch (const TemplateError& e) {
    return BuiltinError(kName, e.message);
  } catch (const std::bad_alloc&) {
    return BuiltinError(kName, "out of memory");
  }
  // OPA replaces Go's marker for a missing value.
  std::string result;
  result.reserve(out.size());
  constexpr std::string_view kNoValue = "<no value>";
  for (size_t i = 0; i < out.size();) {
    if (std::string_view(out).substr(i).starts_with(kNoValue)) {
      result += "<undefined>";
      i += kNoValue.size();
    } else {
      result.push_back(out[i++]);
    }
  }
  return Value::String(std::move(result));
}

}  // namespace custody::rego::strings_internal
