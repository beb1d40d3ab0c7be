#include "core/yaml.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace custody {
namespace {

YamlNode Parse(const std::string& text) {
  auto r = ParseYaml(text, "test.yaml");
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : YamlNode();
}

const YamlNode* Get(const YamlNode& map, const std::string& key) {
  for (const auto& [k, v] : map.entries)
    if (k.type == YamlNode::Type::kScalar && k.scalar == key) return &v;
  return nullptr;
}

std::string ErrorOf(const std::string& text) {
  auto r = ParseYamlDocuments(text, "test.yaml");
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error().message();
}

TEST(YamlTest, PositionsAreOneBased) {
  YamlNode doc = Parse("a: 1\nlist:\n  - x\n  - {k: v}\n");
  ASSERT_EQ(doc.type, YamlNode::Type::kMapping);
  EXPECT_EQ(doc.line, 1);
  EXPECT_EQ(doc.column, 1);
  ASSERT_EQ(doc.entries.size(), 2u);
  EXPECT_EQ(doc.entries[0].first.line, 1);
  EXPECT_EQ(doc.entries[0].first.column, 1);
  EXPECT_EQ(doc.entries[0].second.line, 1);
  EXPECT_EQ(doc.entries[0].second.column, 4);
  const YamlNode* list = Get(doc, "list");
  ASSERT_NE(list, nullptr);
  ASSERT_EQ(list->type, YamlNode::Type::kSequence);
  EXPECT_EQ(list->line, 3);
  EXPECT_EQ(list->column, 3);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[0].line, 3);
  EXPECT_EQ(list->items[0].column, 5);
  EXPECT_EQ(list->items[1].type, YamlNode::Type::kMapping);
  EXPECT_EQ(list->items[1].line, 4);
  EXPECT_EQ(list->items[1].column, 5);  // the '{'
}

TEST(YamlTest, PositionsOfQuotedBlockAnchoredAndMultibyte) {
  YamlNode doc = Parse("q: \"dq\"\ns: 'sq'\nlit: |\n  text\nanc: &a x\né: y\n");
  EXPECT_EQ(Get(doc, "q")->column, 4);  // the opening quote
  EXPECT_EQ(Get(doc, "s")->column, 4);
  EXPECT_EQ(Get(doc, "lit")->line, 3);  // the '|', not the content line
  EXPECT_EQ(Get(doc, "lit")->column, 6);
  EXPECT_EQ(Get(doc, "anc")->column, 6);  // the '&'
  const YamlNode* y = Get(doc, "é");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->column, 4);  // columns count characters, not bytes
}

TEST(YamlTest, CloudFormationTagsAreKept) {
  YamlNode doc = Parse(
      "Resources:\n"
      "  Bucket:\n"
      "    Properties:\n"
      "      Name: !Sub '${AWS::StackName}-data'\n"
      "      Arn: !GetAtt Role.Arn\n"
      "      Ref: !Ref Param\n"
      "      List: !Split [',', !Ref Csv]\n"
      "      Str: !!str 12\n"
      "      Verbatim: !<tag:example.com,2024:x> v\n"
      "      NonSpecific: ! 5\n");
  const YamlNode* props = Get(*Get(*Get(doc, "Resources"), "Bucket"), "Properties");
  ASSERT_NE(props, nullptr);
  EXPECT_EQ(Get(*props, "Name")->tag, "!Sub");
  EXPECT_EQ(Get(*props, "Name")->scalar, "${AWS::StackName}-data");
  EXPECT_FALSE(Get(*props, "Name")->plain);
  EXPECT_EQ(Get(*props, "Arn")->tag, "!GetAtt");
  EXPECT_EQ(Get(*props, "Arn")->scalar, "Role.Arn");
  EXPECT_EQ(Get(*props, "Ref")->tag, "!Ref");
  const YamlNode* list = Get(*props, "List");
  EXPECT_EQ(list->tag, "!Split");
  EXPECT_EQ(list->type, YamlNode::Type::kSequence);
  ASSERT_EQ(list->items.size(), 2u);
  EXPECT_EQ(list->items[1].tag, "!Ref");
  EXPECT_EQ(Get(*props, "Str")->tag, "tag:yaml.org,2002:str");
  EXPECT_EQ(Get(*props, "Verbatim")->tag, "tag:example.com,2024:x");
  EXPECT_EQ(Get(*props, "NonSpecific")->tag, "!");
  EXPECT_EQ(Get(*props, "Ref")->line, 6);
  EXPECT_EQ(Get(*props, "Ref")->column, 12);  // the tag starts the node
}

TEST(YamlTest, QuotedVersusPlain) {
  YamlNode doc =
      Parse("a: true\nb: 'true'\nc: \"1\"\nd:\ne: |\n  x\nf: >-\n  folded\n  text\ng: \"t\\tab\\u00e9\"\n");
  EXPECT_TRUE(Get(doc, "a")->plain);
  EXPECT_FALSE(Get(doc, "b")->plain);
  EXPECT_EQ(Get(doc, "b")->scalar, "true");
  EXPECT_FALSE(Get(doc, "c")->plain);
  EXPECT_TRUE(Get(doc, "d")->plain);  // empty value: a plain empty scalar
  EXPECT_EQ(Get(doc, "d")->scalar, "");
  EXPECT_EQ(Get(doc, "d")->type, YamlNode::Type::kScalar);
  EXPECT_FALSE(Get(doc, "e")->plain);
  EXPECT_EQ(Get(doc, "e")->scalar, "x\n");
  EXPECT_EQ(Get(doc, "f")->scalar, "folded text");
  EXPECT_EQ(Get(doc, "g")->scalar, "t\tab\xc3\xa9");
}

TEST(YamlTest, SingleQuotedEscapesAndFolding) {
  // libfyaml 0.7 gets two '' escapes in a row wrong; the tree does not.
  YamlNode doc = Parse("a: 'x''''y'\nb: 'it''s a ''''test'''\nc: 'multi  \n  line\n\n  para'\nd: ''\n");
  EXPECT_EQ(Get(doc, "a")->scalar, "x''y");
  EXPECT_EQ(Get(doc, "b")->scalar, "it's a ''test'");
  EXPECT_EQ(Get(doc, "c")->scalar, "multi line\npara");
  EXPECT_EQ(Get(doc, "d")->scalar, "");
  EXPECT_FALSE(Get(doc, "d")->plain);
}

TEST(YamlTest, MultipleDocuments) {
  auto docs = ParseYamlDocuments("a: 1\n---\nb: 2\n--- c\n...\n", "multi.yaml");
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 3u);
  EXPECT_EQ((*docs)[1].entries[0].first.scalar, "b");
  EXPECT_EQ((*docs)[1].line, 3);
  EXPECT_EQ((*docs)[2].scalar, "c");

  auto one = ParseYaml("a: 1\n---\nb: 2\n", "multi.yaml");
  ASSERT_FALSE(one.ok());
  EXPECT_EQ(one.error().message(), "multi.yaml:3:1: expected one YAML document, found 2");
}

TEST(YamlTest, EmptyInputIsNull) {
  EXPECT_TRUE(ParseYamlDocuments("", "e.yaml")->empty());
  EXPECT_TRUE(ParseYamlDocuments("# only a comment\n", "e.yaml")->empty());
  EXPECT_EQ(Parse("").type, YamlNode::Type::kNull);
  EXPECT_EQ(Parse("  \n# c\n").type, YamlNode::Type::kNull);
  // An explicit empty document is an empty plain scalar.
  YamlNode explicit_empty = Parse("---\n");
  EXPECT_EQ(explicit_empty.type, YamlNode::Type::kScalar);
  EXPECT_TRUE(explicit_empty.plain);
}

TEST(YamlTest, AnchorsAliasesAndMergeKeys) {
  YamlNode doc = Parse(
      "base: &base\n  x: 1\n  y: 2\n"
      "other: &other\n  y: 20\n  z: 30\n"
      "derived:\n  <<: *base\n  y: 3\n"
      "multi:\n  <<: [*other, *base]\n"
      "copy: *base\n"
      "list: &l [a, b]\n"
      "again: *l\n"
      "quoted:\n  '<<': *base\n");
  const YamlNode* derived = Get(doc, "derived");
  ASSERT_EQ(derived->entries.size(), 2u);
  EXPECT_EQ(derived->entries[0].first.scalar, "x");  // merged where << stood
  EXPECT_EQ(derived->entries[0].second.scalar, "1");
  EXPECT_EQ(derived->entries[1].first.scalar, "y");  // the explicit key wins
  EXPECT_EQ(derived->entries[1].second.scalar, "3");
  const YamlNode* multi = Get(doc, "multi");
  ASSERT_EQ(multi->entries.size(), 3u);
  EXPECT_EQ(Get(*multi, "y")->scalar, "20");  // earlier mappings win
  EXPECT_EQ(Get(*multi, "z")->scalar, "30");
  EXPECT_EQ(Get(*multi, "x")->scalar, "1");
  const YamlNode* copy = Get(doc, "copy");
  ASSERT_EQ(copy->type, YamlNode::Type::kMapping);
  EXPECT_EQ(copy->entries.size(), 2u);
  EXPECT_EQ(copy->line, 1);  // an alias keeps the anchored node's positions
  EXPECT_EQ(Get(doc, "again")->items.size(), 2u);
  // A quoted "<<" is an ordinary key.
  EXPECT_EQ(Get(doc, "quoted")->entries[0].first.scalar, "<<");
  EXPECT_EQ(Get(doc, "quoted")->entries[0].second.type, YamlNode::Type::kMapping);
}

TEST(YamlTest, BadMergeAndUnknownAlias) {
  EXPECT_EQ(ErrorOf("a:\n  <<: 5\n"),
            "test.yaml:2:7: merge key << needs a mapping or a sequence of mappings");
  EXPECT_EQ(ErrorOf("a: 1\nb: *nope\n"), "test.yaml:2:4: alias *nope names no anchor defined before it");
  // Anchors do not cross documents.
  EXPECT_EQ(ErrorOf("a: &x 1\n---\nb: *x\n"), "test.yaml:3:4: alias *x names no anchor defined before it");
}

TEST(YamlTest, AliasBombIsRefusedQuickly) {
  std::string bomb = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int j = 0; j < 9; ++j) bomb += (j ? ", *a" : "*a") + std::to_string(i - 1);
    bomb += "]\n";
  }
  auto start = std::chrono::steady_clock::now();
  std::string err = ErrorOf(bomb);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_NE(err.find("more than 1000000 nodes (an alias bomb?)"), std::string::npos) << err;
  EXPECT_EQ(err.rfind("test.yaml:7:", 0), 0u) << err;  // at the alias that crosses the bound
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count(), 2000);
}

TEST(YamlTest, MergeKeyBombIsRefused) {
  std::string bomb = "m0: &m0 {k0: 1, k1: 1, k2: 1, k3: 1, k4: 1, k5: 1, k6: 1, k7: 1, k8: 1, k9: 1}\n";
  for (int i = 1; i < 8; ++i) {
    std::string prev = "*m" + std::to_string(i - 1);
    bomb += "m" + std::to_string(i) + ": &m" + std::to_string(i) + " {a: " + prev + ", b: " + prev +
            ", c: " + prev + ", d: " + prev + ", e: " + prev + ", f: " + prev + ", g: " + prev +
            ", h: " + prev + "}\n";
  }
  EXPECT_NE(ErrorOf(bomb).find("alias bomb"), std::string::npos);
}

TEST(YamlTest, DeepNestingIsRefused) {
  std::string deep(kYamlMaxDepth + 1, '[');
  deep += std::string(kYamlMaxDepth + 1, ']');
  EXPECT_EQ(ErrorOf(deep), "test.yaml:1:10001: nested deeper than 10000 levels");
  std::string ok(200, '[');
  ok += std::string(200, ']');
  EXPECT_EQ(Parse(ok).type, YamlNode::Type::kSequence);
  // Aliases count the levels they add.
  std::string nest = "a: &a " + std::string(6000, '[') + std::string(6000, ']') +
                     "\nb: " + std::string(5000, '[') + "*a" + std::string(5000, ']') + "\n";
  EXPECT_NE(ErrorOf(nest).find("nests deeper than 10000 levels"), std::string::npos);
}

TEST(YamlTest, MalformedInputNamesTheLine) {
  EXPECT_EQ(ErrorOf("a: b: c\n"), "test.yaml:1:5: invalid nested block mapping on the same line");
  std::string unclosed = ErrorOf("a: 1\nb: [1, 2\nc: 3\n");
  EXPECT_EQ(unclosed.rfind("test.yaml:", 0), 0u);
  EXPECT_NE(unclosed.find("flow sequence without a closing bracket"), std::string::npos) << unclosed;
  EXPECT_EQ(ErrorOf("a: \"unterminated\n"), "test.yaml:1:5: double-quoted scalar without closing quote");
  EXPECT_NE(ErrorOf("a:\n  - b\n c: d\n").find("test.yaml:3:"), std::string::npos);

  YamlErrorDetail detail;
  auto r = ParseYaml("x: 1\ny: a: b\n", "d.yaml", &detail);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(detail.line, 2);
  EXPECT_FALSE(detail.message.empty());
  EXPECT_EQ(r.error().message().find(detail.message) + detail.message.size(), r.error().message().size());
}

TEST(YamlTest, InvalidUtf8AndControlCharacters) {
  EXPECT_EQ(ErrorOf("a: ok\nb: \xff\n"), "test.yaml:2:4: invalid UTF-8 (byte 0xff)");
  EXPECT_EQ(ErrorOf("- \xc3\x28\n"), "test.yaml:1:3: invalid UTF-8 (byte 0xc3)");
  EXPECT_EQ(ErrorOf("a: \xed\xa0\x80\n"), "test.yaml:1:4: invalid UTF-8 (byte 0xed)");  // a surrogate
  EXPECT_EQ(ErrorOf("a: \xc0\xaf\n"), "test.yaml:1:4: invalid UTF-8 (byte 0xc0)");      // overlong
  EXPECT_EQ(ErrorOf("a: x\x01y\n"), "test.yaml:1:5: control character U+0001 is not allowed in YAML");
  EXPECT_EQ(ErrorOf("a: \"\x7f\"\n"), "test.yaml:1:5: control character U+007F is not allowed in YAML");
  EXPECT_EQ(ErrorOf(std::string("a: \0\n", 5)),
            "test.yaml:1:4: control character U+0000 is not allowed in YAML");
  // Tabs, CR LF line ends, a BOM and non-ASCII text are fine.
  YamlNode doc = Parse(
      "\xef\xbb\xbf"
      "a:\t\"x\"\r\nb: \xe2\x82\xac\r\n");
  EXPECT_EQ(Get(doc, "a")->scalar, "x");
  EXPECT_EQ(Get(doc, "b")->scalar, "\xe2\x82\xac");
  EXPECT_EQ(Get(doc, "b")->line, 2);
}

TEST(YamlTest, DuplicateKeysAreKeptInOrder) {
  // The tree does not judge; callers decide what a repeated key means.
  YamlNode doc = Parse("a: 1\na: 2\n");
  ASSERT_EQ(doc.entries.size(), 2u);
  EXPECT_EQ(doc.entries[1].second.scalar, "2");
}

TEST(YamlTest, ComplexKeys) {
  YamlNode doc = Parse("? [a, b]\n: v\n? {k: 1}\n: w\n");
  ASSERT_EQ(doc.entries.size(), 2u);
  EXPECT_EQ(doc.entries[0].first.type, YamlNode::Type::kSequence);
  EXPECT_EQ(doc.entries[1].first.type, YamlNode::Type::kMapping);
  EXPECT_EQ(doc.entries[1].second.scalar, "w");
}

}  // namespace
}  // namespace custody
