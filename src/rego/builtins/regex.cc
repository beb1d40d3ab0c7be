// The "regex" built-in group. OPA uses Go's regexp package, whose syntax is
// RE2's; we use RE2 itself, which is also linear in time. Differences from Go
// that we paper over: Go (1.22+) accepts (?<name>re), this RE2 only
// (?P<name>re), so the pattern is rewritten; RE2 accepts \C (any byte), Go
// refuses it, so do we; error messages are Go's ("error parsing regexp:
// missing closing ]: `[`"), mapped from RE2's error codes. Go's iteration
// rules (FindAll, Split, ReplaceAll: empty matches next to a previous match
// are skipped) are re-implemented over RE2::Match.
//
// Compiled expressions live in BuiltinContext::cache under "re:" + pattern, so
// a pattern used in a loop is compiled once per evaluation. Patterns longer
// than kMaxPatternBytes are refused and each expression gets RE2's default
// memory budget.
#include <re2/re2.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rego/builtins.h"
#include "rego/builtins/strings_internal.h"

namespace custody::rego {

namespace {

using strings_internal::DecodeRune;

constexpr size_t kMaxPatternBytes = 64 * 1024;
constexpr int64_t kRe2MaxMem = 8 << 20;
// Beyond this many entries in the evaluation's cache, new expressions are
// compiled for the call and dropped, so a loop over distinct patterns does not
// keep them all.
constexpr size_t kMaxCacheEntries = 4096;

struct Compiled {
  std::unique_ptr<RE2> re;
  std::string error;  // Go's wording; empty when `re` is usable
};

std::string GoErrorText(RE2::ErrorCode code) {
  switch (code) {
    case RE2::ErrorBadEscape: return "invalid escape sequence";
    case RE2::ErrorBadCharClass: return "invalid character class";
    case RE2::ErrorBadCharRange: return "invalid character class range";
    case RE2::ErrorMissingBracket: return "missing closing ]";
    case RE2::ErrorMissingParen: return "missing closing )";
    case RE2::ErrorUnexpectedParen: return "unexpected )";
    case RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
    case RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
    case RE2::ErrorRepeatSize: return "invalid repeat count";
    case RE2::ErrorRepeatOp: return "invalid nested repetition operator";
    case RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
    case RE2::ErrorBadUTF8: return "invalid UTF-8";
    case RE2::ErrorBadNamedCapture: return "invalid named capture";
    case RE2::ErrorPatternTooLarge: return "expression too large";
    default: return "regexp/syntax: internal error";
  }
}

std::string ParseError(std::string_view what, std::string_view expr) {
  return "error parsing regexp: " + std::string(what) + ": `" + std::string(expr) + "`";
}

// Rewrites Go-only syntax into RE2's; sets *error for what Go refuses.
std::string ToRe2Syntax(std::string_view pattern, std::string* error) {
  std::string out;
  out.reserve(pattern.size() + 8);
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      char e = pattern[i + 1];
      if (e == 'C') {
        *error = ParseError("invalid escape sequence", "\\C");
        return "";
      }
      if (e == 'Q' && !in_class) {
        // \Q...\E is literal text: copy it untouched.
        size_t end = pattern.find("\\E", i + 2);
        size_t stop = end == std::string_view::npos ? pattern.size() : end + 2;
        out.append(pattern.substr(i, stop - i));
        i = stop - 1;
        continue;
      }
      out.push_back(c);
      out.push_back(e);
      ++i;
      continue;
    }
    if (in_class) {
      if (c == '[' && pattern.substr(i).starts_with("[:")) {
        size_t end = pattern.find(":]", i + 2);
        if (end != std::string_view::npos) {
          out.append(pattern.substr(i, end + 2 - i));
          i = end + 1;
          continue;
        }
      }
      if (c == ']') in_class = false;
      out.push_back(c);
      continue;
    }
    if (c == '[') {
      in_class = true;
      out.push_back(c);
      // A ']' (after an optional '^') right after '[' is a literal.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
      continue;
    }
    if (c == '(' && pattern.substr(i).starts_with("(?<") && i + 3 < pattern.size() && pattern[i + 3] != '=' &&
        pattern[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::shared_ptr<Compiled> CompileUncached(std::string_view pattern) {
  auto c = std::make_shared<Compiled>();
  std::string error;
  std::string re2_pattern = ToRe2Syntax(pattern, &error);
  if (!error.empty()) {
    c->error = std::move(error);
    return c;
  }
  RE2::Options opts;
  opts.set_log_errors(false);
  opts.set_max_mem(kRe2MaxMem);
  auto re = std::make_unique<RE2>(re2_pattern, opts);
  if (!re->ok()) {
    std::string arg = re->error_arg();
    // The rewritten named group shows as Go's spelling.
    if (re->error_code() == RE2::ErrorBadNamedCapture && pattern.find("(?<") != std::string_view::npos &&
        arg.starts_with("(?P<") && pattern.find(arg) == std::string_view::npos)
      arg = "(?<" + arg.substr(4);
    c->error = ParseError(GoErrorText(re->error_code()),
                          re->error_code() == RE2::ErrorPatternTooLarge ? std::string(pattern) : arg);
    return c;
  }
  c->re = std::move(re);
  return c;
}

// The compiled expression for `pattern`, or an eval_builtin_error for NAME.
Result<std::shared_ptr<Compiled>> GetRegex(std::string_view name, std::string_view pattern,
                                           BuiltinContext& ctx, std::string_view prefix = "re:") {
  if (pattern.size() > kMaxPatternBytes)
    return BuiltinError(name, "regular expression is " + std::to_string(pattern.size()) +
                                  " bytes long, more than the " + std::to_string(kMaxPatternBytes) +
                                  " allowed");
  std::string key = std::string(prefix) + std::string(pattern);
  std::shared_ptr<Compiled> c;
  auto it = ctx.cache.find(key);
  if (it != ctx.cache.end()) {
    c = std::static_pointer_cast<Compiled>(it->second);
  } else {
    c = CompileUncached(pattern);
    if (ctx.cache.size() < kMaxCacheEntries) ctx.cache.emplace(std::move(key), c);
  }
  if (!c->error.empty()) return BuiltinError(name, c->error);
  return c;
}

// Go's regexp iteration (allMatches): every match with its groups, leftmost
// first; an empty match right after the previous match is skipped; at most
// `n` matches (n < 0: all).
struct Match {
  std::vector<re2::StringPiece> groups;  // [0] is the whole match
};

std::vector<Match> FindAll(const RE2& re, std::string_view text, int64_t n, int ngroups) {
  std::vector<Match> out;
  if (n < 0) n = static_cast<int64_t>(text.size()) + 1;
  re2::StringPiece input(text.data(), text.size());
  size_t pos = 0;
  int64_t prev_end = -1;
  std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups));
  while (static_cast<int64_t>(out.size()) < n && pos <= text.size()) {
    if (!re.Match(input, pos, text.size(), RE2::UNANCHORED, groups.data(), ngroups)) break;
    size_t start = static_cast<size_t>(groups[0].data() - text.data());
    size_t end = start + groups[0].size();
    bool accept = true;
    if (end == pos) {
      // An empty match: not right after the previous one; step one rune on.
      if (static_cast<int64_t>(start) == prev_end) accept = false;
      size_t width = pos < text.size() ? DecodeRune(text.substr(pos)).size : 0;
      pos = width > 0 ? pos + width : text.size() + 1;
    } else {
      pos = end;
    }
    prev_end = static_cast<int64_t>(end);
    if (accept) out.push_back(Match{groups});
  }
  return out;
}

std::string_view GroupText(const re2::StringPiece& g) {
  return g.data() == nullptr ? std::string_view() : std::string_view(g.data(), g.size());
}

Result<Value> RegexMatch(std::string_view name, std::span<const Value> args, BuiltinContext& ctx) {
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg(name, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(name, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Compiled> c, GetRegex(name, pattern, ctx));
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *c->re));
}

Result<Value> Match(std::span<const Value> args, BuiltinContext& ctx) {
  return RegexMatch("regex.match", args, ctx);
}
Result<Value> ReMatch(std::span<const Value> args, BuiltinContext& ctx) {
  return RegexMatch("re_match", args, ctx);
}

Result<Value> IsValid(std::span<const Value> args, BuiltinContext& ctx) {
  // Anything but a string is simply not a valid expression.
  if (!args[0].is_string()) return Value::Bool(false);
  auto c = GetRegex("regex.is_valid", args[0].as_string(), ctx);
  return Value::Bool(c.ok());
}

Result<Value> Split(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "regex.split";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Compiled> c, GetRegex(kName, pattern, ctx));
  // Go's Regexp.Split(s, -1).
  if (!pattern.empty() && value.empty()) return Value::Array({Value::String("")});
  ValueVector out;
  size_t beg = 0, end = 0;
  for (const auto& m : FindAll(*c->re, value, -1, 1)) {
    size_t start = static_cast<size_t>(m.groups[0].data() - value.data());
    end = start;
    if (start + m.groups[0].size() != 0) out.push_back(Value::String(value.substr(beg, end - beg)));
    beg = start + m.groups[0].size();
  }
  if (end != value.size()) out.push_back(Value::String(value.substr(beg)));
  return Value::Array(std::move(out));
}

Result<Value> FindN(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "regex.find_n";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(int64_t n, IntArg(kName, args, 3));
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Compiled> c, GetRegex(kName, pattern, ctx));
  ValueVector out;
  for (const auto& m : FindAll(*c->re, value, n, 1)) out.push_back(Value::String(GroupText(m.groups[0])));
  return Value::Array(std::move(out));
}

Result<Value> FindAllStringSubmatch(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "regex.find_all_string_submatch_n";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(int64_t n, IntArg(kName, args, 3));
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Compiled> c, GetRegex(kName, pattern, ctx));
  int ngroups = c->re->NumberOfCapturingGroups() + 1;
  ValueVector out;
  size_t total = 0;
  for (const auto& m : FindAll(*c->re, value, n, ngroups)) {
    ValueVector groups;
    for (const auto& g : m.groups) {
      groups.push_back(Value::String(GroupText(g)));
      total += g.size();
    }
    if (total > strings_internal::kMaxResultBytes)
      return BuiltinError(kName, "result would be longer than " +
                                     std::to_string(strings_internal::kMaxResultBytes) + " bytes");
    out.push_back(Value::Array(std::move(groups)));
  }
  return Value::Array(std::move(out));
}

// Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$. A name is the longest run
// of letters, digits and underscores; a number names a group by index. An
// unknown or unmatched group expands to nothing; a '$' not followed by a name
// is kept.
void Expand(std::string& out, std::string_view tmpl, const std::vector<re2::StringPiece>& groups,
            const std::map<std::string, int>& names) {
  // Letters beyond ASCII count as letters, as Go's unicode.IsLetter mostly does.
  auto is_name = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           static_cast<unsigned char>(c) >= 0x80;
  };
  for (size_t i = 0; i < tmpl.size();) {
    size_t dollar = tmpl.find('$', i);
    if (dollar == std::string_view::npos) {
      out.append(tmpl.substr(i));
      return;
    }
    out.append(tmpl.substr(i, dollar - i));
    std::string_view rest = tmpl.substr(dollar + 1);
    if (!rest.empty() && rest[0] == '$') {
      out.push_back('$');
      i = dollar + 2;
      continue;
    }
    std::string_view name;
    size_t consumed = 0;
    if (!rest.empty() && rest[0] == '{') {
      size_t k = 1;
      while (k < rest.size() && is_name(rest[k])) ++k;
      if (k > 1 && k < rest.size() && rest[k] == '}') {
        name = rest.substr(1, k - 1);
        consumed = k + 1;
      }
    } else {
      size_t k = 0;
      while (k < rest.size() && is_name(rest[k])) ++k;
      if (k > 0) {
        name = rest.substr(0, k);
        consumed = k;
      }
    }
    if (consumed == 0) {  // malformed: keep the '$'
      out.push_back('$');
      i = dollar + 1;
      continue;
    }
    i = dollar + 1 + consumed;
    int index = -1;
    bool numeric = !(name[0] == '0' && name.size() > 1);  // no leading zeros
    int64_t num = 0;
    for (char c : name) {
      if (c < '0' || c > '9' || num >= 100000000) {
        numeric = false;
        break;
      }
      num = num * 10 + (c - '0');
    }
    if (numeric) {
      index = static_cast<int>(num);
    } else {
      auto it = names.find(std::string(name));
      if (it != names.end()) index = it->second;
    }
    if (index >= 0 && static_cast<size_t>(index) < groups.size()) out.append(GroupText(groups[index]));
  }
}

Result<Value> Replace(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "regex.replace";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view base, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view pattern, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view repl, StringArg(kName, args, 3));
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Compiled> c, GetRegex(kName, pattern, ctx));
  const RE2& re = *c->re;
  int ngroups = re.NumberOfCapturingGroups() + 1;
  std::map<std::string, int> names(re.NamedCapturingGroups().begin(), re.NamedCapturingGroups().end());
  // Go's Regexp.ReplaceAllString.
  std::string out;
  re2::StringPiece input(base.data(), base.size());
  std::vector<re2::StringPiece> groups(static_cast<size_t>(ngroups));
  size_t last_end = 0, pos = 0;
  while (pos <= base.size()) {
    if (!re.Match(input, pos, base.size(), RE2::UNANCHORED, groups.data(), ngroups)) break;
    size_t start = static_cast<size_t>(groups[0].data() - base.data());
    size_t end = start + groups[0].size();
    out.append(base.substr(last_end, start - last_end));
    // No replacement for an empty match right after the previous match.
    if (end > last_end || start == 0) Expand(out, repl, groups, names);
    if (out.size() > strings_internal::kMaxResultBytes)
      return BuiltinError(kName, "result would be longer than " +
                                     std::to_string(strings_internal::kMaxResultBytes) + " bytes");
    last_end = end;
    size_t width = pos < base.size() ? DecodeRune(base.substr(pos)).size : 0;
    if (pos + width > end) {
      pos += width;
    } else if (pos + 1 > end) {
      ++pos;
    } else {
      pos = end;
    }
  }
  out.append(base.substr(std::min(last_end, base.size())));
  if (out == base) return args[0];
  return Value::String(std::move(out));
}

// Go's regexp.QuoteMeta.
std::string QuoteMeta(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\.+*?()|[]{}^$").find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

// regex.template_match: literal text with regular expressions between the
// delimiters (gorilla/mux's templates, as OPA forked them).
Result<Value> TemplateMatch(std::span<const Value> args, BuiltinContext& ctx) {
  constexpr std::string_view kName = "regex.template_match";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view tmpl, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view value, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view start, StringArg(kName, args, 3));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view end, StringArg(kName, args, 4));
  if (start.size() != 1)
    return BuiltinError(kName, "start delimiter has to be exactly one character long but is " +
                                   std::to_string(start.size()) + " long");
  // OPA reports the start delimiter's length here too.
  if (end.size() != 1)
    return BuiltinError(kName, "end delimiter has to be exactly one character long but is " +
                                   std::to_string(start.size()) + " long");
  // The first-level delimited sections.
  std::vector<size_t> idxs;
  int level = 0;
  size_t idx = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == start[0]) {
      if (++level == 1) idx = i;
    } else if (tmpl[i] == end[0]) {
      if (--level == 0) {
        idxs.push_back(idx);
        idxs.push_back(i + 1);
      } else if (level < 0) {
        break;
      }
    }
  }
  if (level != 0) return BuiltinError(kName, "unbalanced braces in " + strings_internal::GoQuote(tmpl));
  std::string pattern = "^";
  size_t last = 0;
  for (size_t i = 0; i < idxs.size(); i += 2) {
    std::string_view raw = tmpl.substr(last, idxs[i] - last);
    last = idxs[i + 1];
    std::string_view part = tmpl.substr(idxs[i] + 1, last - idxs[i] - 2);
    pattern += QuoteMeta(raw) + "(" + std::string(part) + ")";
    // Each section must be a valid expression on its own.
    CUSTODY_ASSIGN_OR_RETURN(auto section, GetRegex(kName, "^" + std::string(part) + "$", ctx));
    (void)section;
  }
  pattern += QuoteMeta(tmpl.substr(last)) + "$";
  CUSTODY_ASSIGN_OR_RETURN(std::shared_ptr<Compiled> c, GetRegex(kName, pattern, ctx));
  return Value::Bool(RE2::PartialMatch(re2::StringPiece(value.data(), value.size()), *c->re));
}

// ---- regex.globs_match ----
//
// Whether two glob-like patterns (characters, '.', [sets], each optionally
// followed by '+' or '*'; '\' escapes) match a common non-empty string: the
// algorithm of github.com/yashtewari/glob-intersection, which OPA calls, with
// its error messages. Its recursion is memoized so it stays polynomial.

struct GlobToken {
  enum class K { kChar, kDot, kSet };
  K k = K::kChar;
  char32_t r = 0;
  std::vector<std::pair<char32_t, char32_t>> set;  // sorted, merged ranges
  enum class Flag { kNone, kPlus, kStar };
  Flag flag = Flag::kNone;
};

// Longer patterns are refused: the memoized search is cubic in the length.
constexpr size_t kMaxGlobRunes = 500;

Error GlobInputError(const std::vector<char32_t>& input, size_t index, const std::string& message) {
  std::string text;
  for (char32_t r : input) strings_internal::AppendRune(text, r);
  return BuiltinError("regex.globs_match", "input:" + text + ", pos:" + std::to_string(index) + ", " +
                                               message + ": the input provided is invalid");
}

std::string RuneText(char32_t r) {
  std::string s;
  strings_internal::AppendRune(s, r);
  return s;
}

Result<std::vector<GlobToken>> TokenizeGlob(std::string_view text) {
  std::vector<char32_t> in = strings_internal::Runes(text);
  if (in.size() > kMaxGlobRunes)
    return BuiltinError("regex.globs_match",
                        "pattern longer than " + std::to_string(kMaxGlobRunes) + " characters");
  std::vector<GlobToken> out;
  // nextRune: one rune, '\' escaping the next.
  struct R {
    size_t next;
    char32_t r;
    bool escaped;
  };
  auto next_rune = [&](size_t i) -> Result<R> {
    if (in[i] == '\\') {
      if (i + 1 < in.size()) return R{i + 2, in[i + 1], true};
      return GlobInputError(in, i, "input ends with a \\ (escape) character");
    }
    return R{i + 1, in[i], false};
  };
  size_t i = 0;
  while (i < in.size()) {
    CUSTODY_ASSIGN_OR_RETURN(R r, next_rune(i));
    i = r.next;
    GlobToken t;
    if (!r.escaped && r.r == '.') {
      t.k = GlobToken::K::kDot;
    } else if (!r.escaped && r.r == ']') {
      return GlobInputError(in, i, "set-close ']' with no preceding '['");
    } else if (!r.escaped && r.r == '[') {
      t.k = GlobToken::K::kSet;
      std::vector<std::pair<char32_t, char32_t>> ranges;
      char32_t prev = 0;
      bool prev_exists = false, complete = false;
      while (i < in.size()) {
        CUSTODY_ASSIGN_OR_RETURN(R s, next_rune(i));
        i = s.next;
        if (!s.escaped && s.r == '-') {
          if (!prev_exists)
            return GlobInputError(in, i, "range character '-' must be preceded by a Unicode character");
          if (i >= in.size() - 1)
            return GlobInputError(in, i, "range character '-' must be followed by a Unicode character");
          CUSTODY_ASSIGN_OR_RETURN(R hi, next_rune(i));
          i = hi.next;
          if (!hi.escaped && (hi.r == ']' || hi.r == '-'))
            return GlobInputError(in, i, "range character '-' cannot be followed by a special symbol");
          if (hi.r < prev)
            return GlobInputError(in, i,
                                  "range is out of order: '" + RuneText(hi.r) + "' comes before '" +
                                      RuneText(prev) + "' in Unicode");
          ranges.emplace_back(prev, hi.r);
          prev_exists = false;
        } else if (!s.escaped && s.r == ']') {
          complete = true;
          break;
        } else {
          ranges.emplace_back(s.r, s.r);
          prev = s.r;
          prev_exists = true;
        }
      }
      if (!complete) return GlobInputError(in, i, "found [ without matching ]");
      std::sort(ranges.begin(), ranges.end());
      for (const auto& rg : ranges) {
        if (!t.set.empty() && rg.first <= t.set.back().second + 1) {
          t.set.back().second = std::max(t.set.back().second, rg.second);
        } else {
          t.set.push_back(rg);
        }
      }
    } else if (!r.escaped && (r.r == '+' || r.r == '*')) {
      return GlobInputError(
          in, i, std::string("flag '") + static_cast<char>(r.r) + "' must be preceded by a non-flag");
    } else {
      t.r = r.r;
    }
    // An optional flag after the token.
    if (i < in.size()) {
      CUSTODY_ASSIGN_OR_RETURN(R f, next_rune(i));
      if (!f.escaped && (f.r == '+' || f.r == '*')) {
        t.flag = f.r == '+' ? GlobToken::Flag::kPlus : GlobToken::Flag::kStar;
        i = f.next;
      }
    }
    out.push_back(std::move(t));
  }
  // Simplify: merge runs of equal flagged tokens (t*t+ == t+).
  std::vector<GlobToken> simple;
  for (auto& t : out) {
    if (!simple.empty() && t.flag != GlobToken::Flag::kNone && simple.back().flag != GlobToken::Flag::kNone &&
        t.k == simple.back().k && t.r == simple.back().r && t.set == simple.back().set) {
      if (t.flag == GlobToken::Flag::kPlus) simple.back().flag = GlobToken::Flag::kPlus;
      continue;
    }
    simple.push_back(std::move(t));
  }
  return simple;
}

bool TokensMatch(const GlobToken& a, const GlobToken& b) {
  if (a.k == GlobToken::K::kDot || b.k == GlobToken::K::kDot) return true;
  auto in_set = [](char32_t r, const GlobToken& s) {
    for (const auto& rg : s.set)
      if (r >= rg.first && r <= rg.second) return true;
    return false;
  };
  if (a.k == GlobToken::K::kChar && b.k == GlobToken::K::kChar) return a.r == b.r;
  if (a.k == GlobToken::K::kChar) return in_set(a.r, b);
  if (b.k == GlobToken::K::kChar) return in_set(b.r, a);
  for (const auto& x : a.set)
    for (const auto& y : b.set)
      if (x.first <= y.second && y.first <= x.second) return true;
  return false;
}

// The intersection search over suffixes g[0][i:] and g[1][j:]; `swap` says
// which glob plays the first role. Results are memoized per (function, swap,
// i, j).
class GlobIntersector {
 public:
  GlobIntersector(const std::vector<GlobToken>& a, const std::vector<GlobToken>& b) : g_{&a, &b} {}

  bool Run() {
    size_t n1 = g_[0]->size(), n2 = g_[1]->size();
    // trimGlobs: strip matching unflagged prefixes and suffixes, leaving one
    // token of each so neither glob becomes empty.
    size_t l = 0;
    for (; l < n1 && l < n2 && Flag(0, l) == GlobToken::Flag::kNone && Flag(1, l) == GlobToken::Flag::kNone;
         ++l)
      if (!TokensMatch(Tok(0, l), Tok(1, l))) return false;
    if (l > 0) --l;
    int64_t r1 = static_cast<int64_t>(n1) - 1, r2 = static_cast<int64_t>(n2) - 1;
    for (; r1 >= 0 && r1 >= static_cast<int64_t>(l) && r2 >= 0 && r2 >= static_cast<int64_t>(l) &&
           Flag(0, static_cast<size_t>(r1)) == GlobToken::Flag::kNone &&
           Flag(1, static_cast<size_t>(r2)) == GlobToken::Flag::kNone;
         --r1, --r2)
      if (!TokensMatch(Tok(0, static_cast<size_t>(r1)), Tok(1, static_cast<size_t>(r2)))) return false;
    if (r1 < static_cast<int64_t>(n1) - 1) {
      ++r1;
      ++r2;
    }
    end_[0] = static_cast<size_t>(r1 + 1);
    end_[1] = static_cast<size_t>(r2 + 1);
    // The slices g1[l:r1+1] and g2[l:r2+1].
    return Normal(0, l, l);
  }

 private:
  const GlobToken& Tok(int g, size_t i) const { return (*g_[g])[i]; }
  GlobToken::Flag Flag(int g, size_t i) const { return Tok(g, i).flag; }
  size_t Len(int g, size_t i) const { return i < end_[g] ? end_[g] - i : 0; }

  // f: 0 normal, 1 special, 2 plus, 3 star. `first` is the glob in the first
  // argument position; i indexes it, j the other.
  bool Memo(int f, int first, size_t i, size_t j) {
    // i indexes glob `first`, j the other one.
    size_t n0 = g_[0]->size() + 1, n1 = g_[1]->size() + 1;
    size_t gi = first == 0 ? i : j, gj = first == 0 ? j : i;
    size_t key = ((static_cast<size_t>(f) * 2 + static_cast<size_t>(first)) * n0 + gi) * n1 + gj;
    if (memo_.empty()) memo_.assign(4 * 2 * n0 * n1, -1);
    if (memo_[key] >= 0) return memo_[key] != 0;
    bool r = false;
    switch (f) {
      case 0: r = NormalImpl(first, i, j); break;
      case 2: r = PlusImpl(first, i, j); break;
      default: r = StarImpl(first, i, j); break;
    }
    memo_[key] = r ? 1 : 0;
    return r;
  }
  bool Normal(int first, size_t i, size_t j) { return Memo(0, first, i, j); }
  bool Plus(int first, size_t i, size_t j) { return Memo(2, first, i, j); }
  bool Star(int first, size_t i, size_t j) { return Memo(3, first, i, j); }

  bool NormalImpl(int a, size_t i, size_t j) {
    int b = 1 - a;
    while (Len(a, i) > 0 && Len(b, j) > 0) {
      if (Flag(a, i) == GlobToken::Flag::kNone && Flag(b, j) == GlobToken::Flag::kNone) {
        if (!TokensMatch(Tok(a, i), Tok(b, j))) return false;
        ++i;
        ++j;
        continue;
      }
      return Special(a, i, j);
    }
    return Len(a, i) == 0 && Len(b, j) == 0;
  }

  bool Special(int a, size_t i, size_t j) {
    int b = 1 - a;
    if (Flag(a, i) != GlobToken::Flag::kNone) {
      return Flag(a, i) == GlobToken::Flag::kPlus ? Plus(a, i, j) : Star(a, i, j);
    }
    return Flag(b, j) == GlobToken::Flag::kPlus ? Plus(b, j, i) : Star(b, j, i);
  }

  // plussed = glob a from i, other = glob b from j.
  bool PlusImpl(int a, size_t i, size_t j) {
    int b = 1 - a;
    if (Len(b, j) == 0) return false;  // Go indexes other[0] here; an empty glob never matches
    if (!TokensMatch(Tok(a, i), Tok(b, j))) return false;
    if (Star(a, i, j + 1)) return true;
    return Flag(b, j) != GlobToken::Flag::kNone && Normal(a, i + 1, j);
  }

  bool StarImpl(int a, size_t i, size_t j) {
    int b = 1 - a;
    const GlobToken& star = Tok(a, i);
    bool has_next = Len(a, i) > 1;
    for (size_t k = j; Len(b, k) > 0; ++k) {
      const GlobToken& t = Tok(b, k);
      if (has_next && TokensMatch(t, Tok(a, i + 1))) {
        if (Normal(a, i + 1, k)) return true;
        if (!TokensMatch(t, star)) return false;
      } else if (!TokensMatch(t, star)) {
        return false;
      }
    }
    return !has_next;
  }

  const std::vector<GlobToken>* g_[2];
  size_t end_[2] = {0, 0};
  std::vector<int8_t> memo_;
};

Result<Value> GlobsMatch(std::span<const Value> args, BuiltinContext&) {
  constexpr std::string_view kName = "regex.globs_match";
  CUSTODY_ASSIGN_OR_RETURN(std::string_view a, StringArg(kName, args, 1));
  CUSTODY_ASSIGN_OR_RETURN(std::string_view b, StringArg(kName, args, 2));
  CUSTODY_ASSIGN_OR_RETURN(std::vector<GlobToken> g1, TokenizeGlob(a));
  CUSTODY_ASSIGN_OR_RETURN(std::vector<GlobToken> g2, TokenizeGlob(b));
  GlobIntersector x(g1, g2);
  return Value::Bool(x.Run());
}

}  // namespace

void RegisterRegex(BuiltinTable& t) {
  t.Add({"regex.match", 2, Match});
  t.Add({"re_match", 2, ReMatch});
  t.Add({"regex.is_valid", 1, IsValid});
  t.Add({"regex.split", 2, Split});
  t.Add({"regex.find_n", 3, FindN});
  t.Add({"regex.find_all_string_submatch_n", 3, FindAllStringSubmatch});
  t.Add({"regex.replace", 3, Replace});
  t.Add({"regex.template_match", 4, TemplateMatch});
  t.Add({"regex.globs_match", 2, GlobsMatch});
}

}  // namespace custody::rego
