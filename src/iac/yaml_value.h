// YAML (and JSON read as YAML) as the infrastructure-as-code loaders need it:
// a YamlNode turned into a rego::Value with YAML 1.2 core-schema typing, the
// line of every key and array item recorded on the way, and CloudFormation's
// short-form tags (!Ref, !GetAtt, !Sub...) read as their long forms. Also the
// small lookups the loaders share (a mapping's key, a resource's last line).
// Plain functions over immutable input; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.h"
#include "core/yaml.h"
#include "rego/value.h"

namespace custody::iac {

// Path (see Resource::key_lines) -> 1-based line.
using KeyLines = std::map<std::string, int, std::less<>>;

// The value of a scalar node under the YAML 1.2 core schema: plain `null`,
// `~` and empty are null, true/false (also capitalized or upper case) are
// booleans, decimal, 0o octal and 0x hex integers and decimal floats are
// numbers; quoted and block scalars, and everything else, are strings.
// Explicit tags: !!str (and the non-specific "!") force a string.
rego::Value ScalarValue(const YamlNode& node);

// The long form of a CloudFormation short-form tag ("!Ref" -> "Ref", "!Sub"
// -> "Fn::Sub", "!Condition" -> "Condition"); "" for any other tag.
std::string IntrinsicName(std::string_view tag);

// Converts `node`. When `lines` is given, the line of every mapping key and
// sequence item below `node` is recorded under `prefix` joined with the keys
// and indexes on the way (the node itself is not recorded). A mapping key
// that is not a scalar is an error naming `file`, line and column.
// Values already converted, by node, for ToValue to reuse instead of
// converting the subtree again (a template's document holds every
// resource's properties).
using KnownValues = std::unordered_map<const YamlNode*, rego::Value>;
Result<rego::Value> ToValue(const YamlNode& node, const std::string& file, KeyLines* lines = nullptr,
                            const std::string& prefix = "", const KnownValues* known = nullptr);

// Every document of a template file (core/yaml's ParseYamlDocuments), also
// when a line inside a flow collection ([...], {...}) is indented no deeper
// than the block around it: go-yaml and PyYAML (KICS, cfn-lint) accept that,
// and CloudFormation templates are written that way. Such lines are indented
// before parsing; lines keep their numbers.
Result<std::vector<YamlNode>> ParseTemplateYaml(std::string_view content, const std::string& file);

// The value of the last entry of mapping `node` whose key is the scalar
// `key`; nullptr when absent or when `node` is not a mapping.
const YamlNode* FindKey(const YamlNode& node, std::string_view key);
// The key node of that entry.
const YamlNode* FindKeyNode(const YamlNode& node, std::string_view key);

// A document with nothing in it (`---` followed by `---` or the end).
bool IsEmptyDocument(const YamlNode& node);

// "mapping", "sequence", "scalar", "nothing": for messages.
const char* NodeKindName(const YamlNode& node);

// "FILE:LINE:COLUMN" of a node.
std::string Where(const std::string& file, const YamlNode& node);

// Line starts of a text, to find the last line of a node (YamlNode keeps
// only where a node starts).
class SourceLines {
 public:
  explicit SourceLines(std::string_view text);
  int count() const { return static_cast<int>(starts_.size()); }
  // The text of 1-based `line`, without its line break.
  std::string_view Line(int line) const;
  // The last line of `node`, which lies before `limit_line` (the line where
  // whatever follows it starts; count()+1 at the end of the text). A flow
  // collection ends at its closing bracket; a block node on its last line
  // with content before `limit_line` (blank lines, comments and document
  // markers between them are not the node's).
  int EndLine(const YamlNode& node, int limit_line) const;

 private:
  std::string_view text_;
  std::vector<size_t> starts_;
};

// The greatest start line of any node in the tree.
int MaxLine(const YamlNode& node);

}  // namespace custody::iac
