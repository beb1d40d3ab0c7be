// YAML reading: a small document tree that keeps what policy checks need to
// point at (line and column of every node) and what CloudFormation-style YAML
// means (tags as written: !Ref, !Sub, !GetAtt). Built on libfyaml's event
// parser; aliases are expanded and merge keys (<<) applied here, under a bound
// on the expanded size, so an alias bomb is refused instead of exhausting
// memory. Plain functions over immutable input; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace custody {

struct YamlEntry;

struct YamlNode {
  // kNull only for an empty document (no node at all); an empty value such as
  // `key:` is a plain kScalar with empty text.
  enum class Type { kNull, kScalar, kSequence, kMapping };
  Type type = Type::kNull;
  // The tag as libfyaml resolves it, "" when there is none: local tags stay as
  // written ("!Ref", "!GetAtt"), the secondary handle expands ("!!str" becomes
  // "tag:yaml.org,2002:str"), verbatim tags lose their brackets ("!<x>" is
  // "x"), and the non-specific tag is "!".
  std::string tag;
  // Scalar text after unescaping and folding.
  std::string scalar;
  // Written unquoted (plain style). Only plain scalars may be typed as null,
  // boolean or number; quoted, literal (|) and folded (>) scalars are strings.
  bool plain = false;
  // 1-based start of the node: its anchor or tag when it has one, else its
  // value (the indicator of a block scalar, the bracket of a flow collection,
  // the opening quote). Columns count characters. Nodes an alias (or a merge
  // key) brings in keep the positions of the anchored original.
  int line = 0, column = 0;
  std::vector<YamlNode> items;  // kSequence
  // kMapping, in document order; a repeated key is kept (callers decide what
  // it means), merge keys are already applied.
  std::vector<YamlEntry> entries;
};

// One key and value of a mapping (a pair with the names of std::pair; a
// std::pair of an incomplete type is not allowed inside YamlNode itself).
struct YamlEntry {
  YamlEntry() = default;
  YamlEntry(YamlNode k, YamlNode v) : first(std::move(k)), second(std::move(v)) {}
  YamlNode first;
  YamlNode second;
};

// Where parsing failed, for callers that word errors their own way (Rego's
// yaml.unmarshal says "yaml: line N: ..." as Go's parser does).
struct YamlErrorDetail {
  int line = 0;  // 1-based; 0 when the problem has no position (too many nodes)
  int column = 0;
  std::string message;  // without source or position
};

// Refused inputs: deeper nesting than this (counting the levels aliases add)...
inline constexpr int kYamlMaxDepth = 10000;
// ...or more nodes than this after aliases and merge keys are expanded.
inline constexpr size_t kYamlMaxNodes = 1000000;

// Every document of a stream (none for empty input or comments only). The
// input must be UTF-8 holding only characters YAML allows (no control
// characters but tab and line breaks). Errors read "SOURCE:LINE:COLUMN: what
// is wrong"; `detail`, when given, receives the parts.
Result<std::vector<YamlNode>> ParseYamlDocuments(std::string_view text, const std::string& source,
                                                 YamlErrorDetail* detail = nullptr);

// Exactly one document; empty input gives a kNull node. More than one
// document is an error.
Result<YamlNode> ParseYaml(std::string_view text, const std::string& source,
                           YamlErrorDetail* detail = nullptr);

}  // namespace custody
