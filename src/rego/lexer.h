// Lexer: Rego source text to tokens. Newlines are not tokens; each token
// records whether a newline came before it (statements in a body end at a
// newline or ';'). Keywords are identifiers here; the parser decides which are
// keywords (it depends on the Rego version and the imports).
//
// Stateless between calls; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace custody::rego {

enum class Tok : uint8_t {
  kEof,
  kIdent,
  kNumber,
  kString,     // text holds the unescaped value
  kRawString,  // `...`; text holds the value
  kTemplate,   // $"..." or $`...`; text holds the raw inner text
  kDot,
  kComma,
  kSemicolon,
  kColon,
  kLParen,
  kRParen,
  kLBrack,
  kRBrack,
  kLBrace,
  kRBrace,
  kBar,     // |
  kAmp,     // &
  kUnify,   // =
  kAssign,  // :=
  kEq,      // ==
  kNeq,     // !=
  kLt,
  kGt,
  kLte,
  kGte,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
};

struct Token {
  Tok tok = Tok::kEof;
  std::string text;
  int line = 0;
  int col = 0;
  size_t offset = 0;
  bool newline_before = false;  // a newline separates this token from the previous one
  bool space_before = false;
};

struct Comment {
  int line = 0;
  int col = 0;
  std::string text;  // after the '#'
};

// Tokenizes `src`. Errors are rego_parse_error with file:line:col. When
// `comments` is given, every comment is appended to it (METADATA blocks).
Result<std::vector<Token>> Lex(std::string_view src, const std::string& file,
                               std::vector<Comment>* comments = nullptr);

const char* TokName(Tok t);

}  // namespace custody::rego
