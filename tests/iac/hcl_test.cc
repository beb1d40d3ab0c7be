#include "iac/hcl.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace custody::iac::hcl {
namespace {

File ParseOk(const std::string& text) {
  auto r = Parse("main.tf", text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? std::move(r).value() : File();
}

std::string ErrorOf(const std::string& text) {
  auto r = Parse("main.tf", text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error().message();
}

const Attribute& Attr(const Body& body, const std::string& name) {
  for (const auto& a : body.attributes) {
    if (a.name == name) return a;
  }
  ADD_FAILURE() << "no attribute " << name;
  static Attribute none;
  return none;
}

// The single expression of `x = ...`.
Expression ExprOf(const std::string& text) {
  File f = ParseOk("x = " + text + "\n");
  if (f.body.attributes.size() != 1) return {};
  return f.body.attributes[0].expr;
}

TEST(HclTest, AttributesAndBlocksWithLabelsAndPositions) {
  File f = ParseOk(
      "# header\n"
      "region = \"eu-west-1\"\n"
      "resource \"aws_s3_bucket\" \"logs\" {\n"
      "  bucket = \"logs\"\n"
      "  versioning {\n"
      "    enabled = true\n"
      "  }\n"
      "}\n"
      "terraform {}\n"
      "locals { a = 1 }\n");
  ASSERT_EQ(f.body.attributes.size(), 1u);
  EXPECT_EQ(f.body.attributes[0].name, "region");
  EXPECT_EQ(f.body.attributes[0].begin.line, 2);
  EXPECT_EQ(f.body.attributes[0].begin.column, 1);
  ASSERT_EQ(f.body.blocks.size(), 3u);
  const Block& r = f.body.blocks[0];
  EXPECT_EQ(r.type, "resource");
  ASSERT_EQ(r.labels.size(), 2u);
  EXPECT_EQ(r.labels[0], "aws_s3_bucket");
  EXPECT_EQ(r.labels[1], "logs");
  EXPECT_EQ(r.begin.line, 3);
  EXPECT_EQ(r.end.line, 8);
  ASSERT_EQ(r.body.blocks.size(), 1u);
  EXPECT_EQ(r.body.blocks[0].type, "versioning");
  EXPECT_EQ(r.body.blocks[0].begin.line, 5);
  EXPECT_EQ(r.body.blocks[0].begin.column, 3);
  const Expression& enabled = Attr(r.body.blocks[0].body, "enabled").expr;
  EXPECT_EQ(enabled.kind, ExprKind::kBool);
  EXPECT_TRUE(enabled.boolean);
  EXPECT_EQ(enabled.begin.line, 6);
  EXPECT_EQ(enabled.begin.column, 15);
  EXPECT_TRUE(f.body.blocks[1].body.attributes.empty());
  EXPECT_EQ(Attr(f.body.blocks[2].body, "a").expr.text, "1");
  ASSERT_EQ(f.comments.size(), 1u);
  EXPECT_EQ(f.comments[0].text, "# header");
}

TEST(HclTest, NumbersAndStringEscapes) {
  EXPECT_EQ(ExprOf("1.5e3").text, "1.5e3");
  Expression s = ExprOf(R"("a\tb\n\"q\" \\ \u00e9 \U0001F600 $${x} %%{y}")");
  ASSERT_EQ(s.kind, ExprKind::kTemplate);
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].text, "a\tb\n\"q\" \\ \xC3\xA9 \xF0\x9F\x98\x80 ${x} %{y}");
}

TEST(HclTest, TemplatesKeepInterpolationsAndDirectives) {
  File f = ParseOk("x = \"arn:${var.partition}:s3:::${aws_s3_bucket.b.id}/*\"\n");
  const Expression& t = f.body.attributes[0].expr;
  ASSERT_EQ(t.kind, ExprKind::kTemplate);
  ASSERT_EQ(t.items.size(), 5u);
  EXPECT_EQ(t.items[0].text, "arn:");
  EXPECT_EQ(t.items[1].kind, ExprKind::kInterpolation);
  EXPECT_EQ(f.Text(t.items[1]), "${var.partition}");
  EXPECT_EQ(f.Text(t.items[1].items[0]), "var.partition");
  EXPECT_EQ(t.items[2].text, ":s3:::");
  EXPECT_EQ(f.Text(t.items[3]), "${aws_s3_bucket.b.id}");
  EXPECT_EQ(t.items[4].text, "/*");

  File d = ParseOk("x = \"%{ if var.on }yes%{ else }no%{ endif } ${~ \"}\" ~}  z\"\n");
  const Expression& dt = d.body.attributes[0].expr;
  ASSERT_EQ(dt.items.size(), 7u);
  EXPECT_EQ(dt.items[0].kind, ExprKind::kDirective);
  EXPECT_EQ(dt.items[0].text, "if");
  EXPECT_EQ(d.Text(dt.items[0]), "%{ if var.on }");
  EXPECT_EQ(dt.items[1].text, "yes");
  EXPECT_EQ(dt.items[3].text, "no");
  // `${~` strips the space before it and `~}` the spaces after it.
  EXPECT_EQ(dt.items[5].kind, ExprKind::kInterpolation);
  EXPECT_TRUE(dt.items[5].strip_left);
  EXPECT_TRUE(dt.items[5].strip_right);
  EXPECT_EQ(dt.items[6].text, "z");

  EXPECT_NE(ErrorOf("x = \"%{ if true }a\"\n").find("main.tf:1:6: %{ if } has no matching %{ endif }"),
            std::string::npos);
  EXPECT_NE(ErrorOf("x = \"a%{ endfor }\"\n").find("main.tf:1:10: %{ endfor } without a matching %{ for }"),
            std::string::npos);
}

TEST(HclTest, Heredocs) {
  File f = ParseOk(
      "a = <<EOF\n"
      "  {\"k\": \"${var.v}\"}\n"
      "EOF\n"
      "b = <<-EOT\n"
      "    one\n"
      "      two\n"
      "\n"
      "    three\n"
      "    EOT\n"
      "c = 1\n"
      "d = <<X\n"
      "  NOT X\n"
      "  X\n");
  const Expression& a = Attr(f.body, "a").expr;
  ASSERT_TRUE(a.heredoc);
  ASSERT_EQ(a.items.size(), 3u);
  EXPECT_EQ(a.items[0].text, "  {\"k\": \"");
  EXPECT_EQ(f.Text(a.items[1]), "${var.v}");
  EXPECT_EQ(a.items[2].text, "\"}\n");
  EXPECT_EQ(f.Text(a), "<<EOF\n  {\"k\": \"${var.v}\"}\nEOF");
  const Expression& b = Attr(f.body, "b").expr;
  ASSERT_EQ(b.items.size(), 1u);
  EXPECT_EQ(b.items[0].text, "one\n  two\n\nthree\n");
  EXPECT_EQ(Attr(f.body, "c").begin.line, 10);
  EXPECT_EQ(Attr(f.body, "d").expr.items[0].text, "  NOT X\n");
}

TEST(HclTest, CollectionsReferencesCallsAndOperators) {
  File f = ParseOk(
      "x = [1, \"two\",\n"
      "  {a = 1, \"b\" : 2, (var.k) = 3}, ]\n"
      "y = {\n"
      "  k1 = aws_instance.web[0].private_ip\n"
      "  k2 = aws_instance.web.*.id\n"
      "  k3 = aws_instance.web[*].tags[\"Name\"]\n"
      "  k4 = list.0\n"
      "}\n"
      "z = merge(local.a, { b = 1 }, var.rest...)\n"
      "w = provider::aws::arn_parse(\"arn\")\n");
  const Expression& x = Attr(f.body, "x").expr;
  ASSERT_EQ(x.kind, ExprKind::kTuple);
  ASSERT_EQ(x.items.size(), 3u);
  const Expression& obj = x.items[2];
  ASSERT_EQ(obj.kind, ExprKind::kObject);
  ASSERT_EQ(obj.items.size(), 6u);
  EXPECT_EQ(obj.items[0].kind, ExprKind::kVariable);
  EXPECT_EQ(obj.items[2].kind, ExprKind::kTemplate);
  EXPECT_EQ(obj.items[4].kind, ExprKind::kParen);
  EXPECT_EQ(obj.begin.line, 2);

  const Expression& y = Attr(f.body, "y").expr;
  ASSERT_EQ(y.items.size(), 8u);
  const Expression& k1 = y.items[1];
  ASSERT_EQ(k1.kind, ExprKind::kTraversal);
  ASSERT_EQ(k1.items.size(), 4u);
  EXPECT_EQ(k1.items[0].text, "aws_instance");
  EXPECT_EQ(k1.items[1].text, "web");
  EXPECT_EQ(k1.items[2].kind, ExprKind::kIndex);
  EXPECT_EQ(k1.items[3].text, "private_ip");
  EXPECT_EQ(f.Text(k1), "aws_instance.web[0].private_ip");
  EXPECT_EQ(y.items[3].items[2].kind, ExprKind::kSplat);
  EXPECT_EQ(y.items[3].items[2].text, ".*");
  EXPECT_EQ(y.items[5].items[2].text, "[*]");
  EXPECT_EQ(f.Text(y.items[5]), "aws_instance.web[*].tags[\"Name\"]");
  EXPECT_EQ(y.items[7].items[1].kind, ExprKind::kIndex);

  const Expression& z = Attr(f.body, "z").expr;
  ASSERT_EQ(z.kind, ExprKind::kCall);
  EXPECT_EQ(z.text, "merge");
  EXPECT_EQ(z.items.size(), 3u);
  EXPECT_TRUE(z.expand_final);
  EXPECT_EQ(Attr(f.body, "w").expr.text, "provider::aws::arn_parse");
}

TEST(HclTest, OperatorPrecedence) {
  // a || b && c == d + e * -f  parses as  a || (b && (c == (d + (e * (-f)))))
  Expression e = ExprOf("a || b && c == d + e * -f");
  ASSERT_EQ(e.kind, ExprKind::kBinary);
  EXPECT_EQ(e.text, "||");
  const Expression& and_ = e.items[1];
  EXPECT_EQ(and_.text, "&&");
  const Expression& eq = and_.items[1];
  EXPECT_EQ(eq.text, "==");
  const Expression& plus = eq.items[1];
  EXPECT_EQ(plus.text, "+");
  const Expression& times = plus.items[1];
  EXPECT_EQ(times.text, "*");
  EXPECT_EQ(times.items[1].kind, ExprKind::kUnary);
  // Left associative: 1 - 2 - 3 is (1 - 2) - 3.
  Expression m = ExprOf("1 - 2 - 3");
  EXPECT_EQ(m.items[0].kind, ExprKind::kBinary);
  EXPECT_EQ(m.items[1].text, "3");
  Expression c = ExprOf("var.a > 1 ? \"x\" : var.b < 2 ? \"y\" : \"z\"");
  ASSERT_EQ(c.kind, ExprKind::kConditional);
  EXPECT_EQ(c.items[0].text, ">");
  EXPECT_EQ(c.items[2].kind, ExprKind::kConditional);
}

TEST(HclTest, ForExpressions) {
  File f = ParseOk(
      "a = [for s in var.list : upper(s) if s != \"\"]\n"
      "b = {for k, v in var.map : k => v...}\n"
      "c = {\n"
      "  for i, v in local.xs :\n"
      "  v.name => i\n"
      "}\n");
  const Expression& a = Attr(f.body, "a").expr;
  ASSERT_EQ(a.kind, ExprKind::kFor);
  EXPECT_FALSE(a.object);
  EXPECT_EQ(a.text, "");
  EXPECT_EQ(a.name2, "s");
  EXPECT_TRUE(a.has_condition);
  EXPECT_EQ(a.items.size(), 3u);
  const Expression& b = Attr(f.body, "b").expr;
  EXPECT_TRUE(b.object);
  EXPECT_TRUE(b.grouping);
  EXPECT_EQ(b.text, "k");
  EXPECT_EQ(b.name2, "v");
  EXPECT_EQ(Attr(f.body, "c").expr.kind, ExprKind::kFor);
}

TEST(HclTest, CommentsOfEveryKind) {
  File f = ParseOk(
      "a = 1 # one\n"
      "// two\n"
      "b = /* inline */ 2\n"
      "/* several\n"
      "   lines */\n"
      "c = [\n"
      "  1, # inside\n"
      "  2,\n"
      "]\n");
  ASSERT_EQ(f.comments.size(), 5u);
  EXPECT_EQ(f.comments[0].text, "# one");
  EXPECT_EQ(f.comments[1].text, "// two");
  EXPECT_EQ(f.comments[2].text, "/* inline */");
  EXPECT_EQ(f.comments[3].begin.line, 4);
  EXPECT_EQ(f.comments[4].text, "# inside");
  EXPECT_EQ(f.comments[4].begin.line, 7);
  EXPECT_EQ(Attr(f.body, "c").expr.items.size(), 2u);
}

TEST(HclTest, ExpressionTextIsExactlyAsWritten) {
  File f = ParseOk(
      "policy = jsonencode({\n"
      "  Statement = [{ Effect = \"Allow\" }] # why\n"
      "})\n"
      "n = !var.enabled\n");
  EXPECT_EQ(f.Text(Attr(f.body, "policy").expr),
            "jsonencode({\n  Statement = [{ Effect = \"Allow\" }] # why\n})");
  EXPECT_EQ(f.Text(Attr(f.body, "n").expr), "!var.enabled");
}

TEST(HclTest, ColumnsCountCharactersNotBytes) {
  EXPECT_EQ(ErrorOf("a = \"\xC3\xA9\xC3\xA9\" @\n").substr(0, 14), "main.tf:1:10: ");
  File f = ParseOk("m = { \"\xE2\x82\xAC\" = 1, k = 2 }\n");
  EXPECT_EQ(f.body.attributes[0].expr.items[2].begin.column, 16);
}

TEST(HclTest, MalformedInputNamesTheProblemAndItsPosition) {
  EXPECT_EQ(ErrorOf("a = \"abc\nb = 1\n"),
            "main.tf:1:5: unterminated string: a quoted string must close on the line where it opens "
            "(use \\n for a line break or a heredoc <<EOF for text over several lines)");
  EXPECT_EQ(ErrorOf("a = \"abc"), "main.tf:1:5: unterminated string: the quoted string has no closing '\"'");
  EXPECT_EQ(ErrorOf("\n  p = <<EOF\nline\nEOT\n"), "main.tf:2:7: heredoc <<EOF has no closing line EOF");
  EXPECT_EQ(ErrorOf("resource \"a\" \"b\" {\n  x = 1\n"),
            "main.tf:3:1: missing } to close the block opened at line 1:18");
  EXPECT_EQ(ErrorOf("a = 1\n}\n"), "main.tf:2:1: unexpected '}': no block is open here");
  EXPECT_EQ(ErrorOf("a = [1, 2\nb = 3\n"), "main.tf:2:1: expected ',' or ']' in the list opened at line 1:5, found 'b'");
  EXPECT_EQ(ErrorOf("a = 1 2\n"),
            "main.tf:1:7: unexpected '2' after the value of \"a\"; put each attribute and block on its own line");
  EXPECT_EQ(ErrorOf("a = \"\\q\"\n"),
            "main.tf:1:6: invalid escape sequence \\'q' in a quoted string (write \\\\ for a backslash)");
  EXPECT_EQ(ErrorOf("a = 1\na = 2\n"), "main.tf:2:1: attribute \"a\" is already defined at line 1");
  std::string many;
  for (int i = 0; i < 100; ++i) many += "k" + std::to_string(i) + " = 1\n";
  EXPECT_EQ(ErrorOf(many + "k7 = 2\n"), "main.tf:101:1: attribute \"k7\" is already defined at line 8");
  EXPECT_EQ(ErrorOf("a = @\n"), "main.tf:1:5: expected an expression, found '@'");
  EXPECT_EQ(ErrorOf("a = 1 /* open\n"), "main.tf:1:7: unterminated comment: /* has no closing */");
  EXPECT_EQ(ErrorOf("b \"${x}\" {}\n"), "main.tf:1:3: a block label must be a literal string, without ${ } or %{ }");
  EXPECT_EQ(ErrorOf("x = {a = 1 b = 2}\n"), "main.tf:1:12: expected ',', a new line or '}' after an object item, found 'b'");
}

TEST(HclTest, InvalidUtf8IsRefusedWithItsPosition) {
  EXPECT_EQ(ErrorOf("a = \"ok\"\nb = \"\xC3\xA9\xFF\"\n"),
            "main.tf:2:7: invalid UTF-8 (byte 0xff); save the file as UTF-8");
  EXPECT_NE(ErrorOf("a = \"\xED\xA0\x80\"\n").find("invalid UTF-8"), std::string::npos);  // a surrogate
  EXPECT_NE(ErrorOf("a = \"\xC0\xAF\"\n").find("invalid UTF-8"), std::string::npos);      // overlong
}

TEST(HclTest, DeepNestingIsRefusedQuickly) {
  auto start = std::chrono::steady_clock::now();
  for (const auto& [open, close] : {std::pair{"[", "]"}, {"{a=", "}"}, {"(", ")"}, {"\"${", "}\""}, {"-", ""}}) {
    std::string deep = "x = ";
    for (int i = 0; i < 100000; ++i) deep += open;
    deep += "1";
    for (int i = 0; i < 100000; ++i) deep += close;
    std::string error = ErrorOf(deep + "\n");
    EXPECT_NE(error.find("nesting deeper than 1000 levels"), std::string::npos) << open << ": " << error;
    EXPECT_EQ(error.rfind("main.tf:1:", 0), 0u) << error;
  }
  std::string chain = "x = 1";
  for (int i = 0; i < 100000; ++i) chain += " + 1";
  EXPECT_NE(ErrorOf(chain + "\n").find("nesting deeper"), std::string::npos);
  std::string blocks;
  for (int i = 0; i < 100000; ++i) blocks += "b {\n";
  EXPECT_NE(ErrorOf(blocks).find("nesting deeper"), std::string::npos);
  // 1000 levels are fine.
  std::string ok = "x = ";
  for (int i = 0; i < 900; ++i) ok += "[";
  for (int i = 0; i < 900; ++i) ok += "]";
  ParseOk(ok + "\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(HclTest, LongFlatInputsAreLinear) {
  // 200,000 list items and a 2 MB string: no quadratic step or deep recursion.
  std::string big = "x = [";
  for (int i = 0; i < 200000; ++i) big += "1,";
  big += "]\ny = \"" + std::string(2'000'000, 'a') + "\"\nz = a";
  for (int i = 0; i < 100000; ++i) big += ".b";
  big += "\n";
  auto start = std::chrono::steady_clock::now();
  File f = ParseOk(big);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(Attr(f.body, "x").expr.items.size(), 200000u);
  EXPECT_EQ(Attr(f.body, "z").expr.items.size(), 100001u);
}

}  // namespace
}  // namespace custody::iac::hcl
