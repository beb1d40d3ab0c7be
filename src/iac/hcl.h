// HCL2 native syntax (the language of Terraform's .tf files) read into a
// syntax tree: a body of attributes and blocks, every expression kept with its
// kind, its position and its source span, so a caller can evaluate what is
// literal and show the rest exactly as written. Comments are collected with
// their lines (suppression comments live there).
//
// The reader follows hashicorp/hcl's hclsyntax specification. Input must be
// UTF-8; nesting deeper than kMaxNesting levels is refused before the stack
// is at risk; time is linear in the input. A File is a plain value: const
// access from several threads at once is safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace custody::iac::hcl {

// Blocks, brackets, templates and operators together may nest this deep.
inline constexpr int kMaxNesting = 1000;

struct Position {
  int line = 0;        // 1-based
  int column = 0;      // 1-based, in Unicode code points
  size_t offset = 0;   // byte offset in the source
};

enum class ExprKind {
  kNumber,         // text: the literal as written ("1.5e3")
  kBool,           // boolean
  kNull,
  kTemplate,       // items: kLiteral, kInterpolation and kDirective parts;
                   // heredoc: a <<EOF / <<-EOF template
  kLiteral,        // a template's literal text, escapes decoded (text)
  kInterpolation,  // ${ items[0] }; strip_left/strip_right: the ~ markers
  kDirective,      // %{ if ... } and friends, kept as written; text: the keyword
  kTuple,          // items: the elements
  kObject,         // items: key, value, key, value... A bare identifier key
                   // is a kVariable whose name is the key.
  kVariable,       // text: the root name ("var", "aws_s3_bucket")
  kTraversal,      // items[0]: what is traversed, items[1..]: kGetAttr,
                   // kIndex and kSplat steps in order
  kGetAttr,        // .text (a legacy index .0 is a kIndex)
  kIndex,          // [items[0]]
  kSplat,          // text: ".*" or "[*]"
  kCall,           // text: the function name (with any provider:: namespace);
                   // items: arguments; expand_final: `...` after the last
  kUnary,          // text: "-" or "!"; items[0]
  kBinary,         // text: the operator; items[0], items[1]
  kConditional,    // items: condition, true result, false result
  kFor,            // text: key variable ("" when only a value variable), name2:
                   // value variable; items: collection, [key expression when
                   // object], value expression, [condition when has_condition]
  kParen,          // ( items[0] )
};

struct Expression {
  ExprKind kind = ExprKind::kNull;
  Position begin;
  size_t end = 0;  // source span is [begin.offset, end)
  std::string text;
  std::string name2;
  bool boolean = false;
  bool heredoc = false;
  bool strip_left = false;
  bool strip_right = false;
  bool expand_final = false;
  bool object = false;         // kFor: {for ...}
  bool grouping = false;       // kFor: `...` after the value
  bool has_condition = false;  // kFor: `if`
  std::vector<Expression> items;
};

struct Attribute {
  std::string name;
  Position begin;  // of the name
  Expression expr;
};

struct Block;

struct Body {
  std::vector<Attribute> attributes;  // in source order, names unique
  std::vector<Block> blocks;          // in source order
};

struct Block {
  std::string type;
  std::vector<std::string> labels;
  Position begin;  // of the type name
  Position end;    // of the closing brace
  Body body;
};

struct Comment {
  Position begin;
  std::string text;  // as written, with its # // or /* */ markers
};

struct File {
  std::string name;
  std::string source;
  Body body;
  std::vector<Comment> comments;  // in source order

  // The source text of an expression, exactly as written.
  std::string_view Text(const Expression& expr) const {
    return std::string_view(source).substr(expr.begin.offset, expr.end - expr.begin.offset);
  }
};

// Reads `content`; `name` is used in messages ("NAME:LINE:COL: what is
// wrong") and kept as File::name.
Result<File> Parse(const std::string& name, std::string_view content);

}  // namespace custody::iac::hcl
