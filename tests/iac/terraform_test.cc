#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "iac/loaders.h"

namespace custody::iac {
namespace {

using rego::Value;

Template Load(const std::string& text) {
  auto r = LoadTerraform("main.tf", text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? std::move(r).value() : Template();
}

std::string ErrorOf(const std::string& text) {
  auto r = LoadTerraform("main.tf", text);
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error().message();
}

const Resource* Find(const Template& t, const std::string& address) {
  for (const auto& r : t.resources) {
    if (r.address == address) return &r;
  }
  ADD_FAILURE() << "no resource " << address;
  return nullptr;
}

// The JSON of properties at a '/'-separated path.
std::string At(const Value& v, const std::string& path) {
  const Value* cur = &v;
  std::stringstream in(path);
  std::string seg;
  while (cur != nullptr && std::getline(in, seg, '/')) {
    if (cur->is_array()) {
      cur = cur->Find(Value::Int(std::stoll(seg)));
    } else {
      cur = cur->FindKey(seg);
    }
  }
  return cur == nullptr ? "<absent>" : cur->ToJson();
}

int LineOf(const Resource& r, const std::string& path) {
  auto it = r.key_lines.find(path);
  return it == r.key_lines.end() ? -1 : it->second;
}

constexpr const char* kMain = R"(variable "region" {
  default = "eu-west-1"
}
variable "retention" { default = 30 }
variable "tags" {
  default = { team = "ml", tier = 2 }
}
variable "no_default" {}
locals {
  prefix = "${local.env}-data"
  env    = "prod"
  name   = "${local.prefix}-${var.region}"
  opaque = aws_s3_bucket.other.id
  ports  = [443, 8443]
  loop   = local.loop
}

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:the log bucket itself
  # checkov:skip=CKV_AWS_144
  bucket  = local.name
  kms     = aws_kms_key.main.arn
  days    = var.retention
  missing = var.no_default
  opaque  = local.opaque
  port    = local.ports[1]
  team    = var.tags.team
  loop    = local.loop
  policy  = <<-EOF
    {"Resource": "${aws_s3_bucket.other.arn}/*", "Region": "${var.region}"}
  EOF
  neg     = -5
  call    = jsonencode({ a = 1 })
  cond    = var.retention > 10 ? "long" : "short"
  mixed   = ["a", var.region, aws_iam_role.r.arn]
  object  = {
    plain = "x"
    "quoted key" = 2
  }

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "aws:kms"
      }
    }
  }
  ingress {
    from_port = 443
  }
  ingress {
    from_port = 80
  }
  dynamic "logging" {
    for_each = var.log_targets
    content {
      target_bucket = logging.value
    }
  }
  provisioner "local-exec" {
    command = "echo hi"
  }

  count      = 2
  depends_on = [aws_kms_key.main]
  lifecycle {
    prevent_destroy = true
  }
  tags = {
    Name  = "logs-${var.region}"
    Owner = var.owner
    Cost  = 12
  }
}

data "aws_iam_policy_document" "p" {
  statement {
    actions = ["s3:*"]
  }
}

output "arn" { value = aws_s3_bucket.logs.arn }
module "vpc" {
  source = "./vpc"
}
provider "aws" { region = var.region }
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
)";

TEST(TerraformTest, ResourcesAndTheirLines) {
  Template t = Load(kMain);
  EXPECT_EQ(t.format, "terraform");
  EXPECT_EQ(t.file, "main.tf");
  ASSERT_EQ(t.resources.size(), 2u);
  const Resource& r = t.resources[0];
  EXPECT_EQ(r.type, "aws_s3_bucket");
  EXPECT_EQ(r.name, "logs");
  EXPECT_EQ(r.address, "aws_s3_bucket.logs");
  EXPECT_EQ(r.line, 18);
  EXPECT_EQ(r.end_line, 74);
  EXPECT_EQ(r.properties_line, 18);
  const Resource& d = *Find(t, "data.aws_iam_policy_document.p");
  EXPECT_EQ(d.type, "data.aws_iam_policy_document");
  EXPECT_EQ(d.address, "data.aws_iam_policy_document.p");
  EXPECT_EQ(d.line, 76);
  EXPECT_EQ(At(d.properties, "statement/actions"), R"(["s3:*"])");
}

TEST(TerraformTest, LiteralsVariablesAndLocalsResolve) {
  Template t = Load(kMain);
  const Resource& r = t.resources[0];
  EXPECT_EQ(At(r.properties, "bucket"), R"("prod-data-eu-west-1")");
  EXPECT_EQ(At(r.properties, "days"), "30");
  EXPECT_EQ(At(r.properties, "port"), "8443");
  EXPECT_EQ(At(r.properties, "team"), R"("ml")");
  EXPECT_EQ(At(r.properties, "neg"), "-5");
  EXPECT_EQ(At(r.properties, "object"), R"({"plain":"x","quoted key":2})");
}

TEST(TerraformTest, WhatCannotBeResolvedIsKeptAsWritten) {
  Template t = Load(kMain);
  const Resource& r = t.resources[0];
  EXPECT_EQ(At(r.properties, "kms"), R"("aws_kms_key.main.arn")");
  EXPECT_EQ(At(r.properties, "missing"), R"("var.no_default")");
  EXPECT_EQ(At(r.properties, "opaque"), R"("local.opaque")");
  EXPECT_EQ(At(r.properties, "loop"), R"("local.loop")");
  EXPECT_EQ(At(r.properties, "call"), R"x("jsonencode({ a = 1 })")x");
  EXPECT_EQ(At(r.properties, "cond"), R"("var.retention \u003e 10 ? \"long\" : \"short\"")");
  EXPECT_EQ(At(r.properties, "mixed"), R"(["a","eu-west-1","aws_iam_role.r.arn"])");
  // "${ref}" alone is the reference: its text without the ${ }.
  Template old = Load("resource \"a\" \"b\" {\n  kms = \"${aws_kms_key.k.arn}\"\n  v = \"${var.x}\"\n}\n");
  EXPECT_EQ(At(old.resources[0].properties, "kms"), R"("aws_kms_key.k.arn")");
  EXPECT_EQ(At(old.resources[0].properties, "v"), R"("var.x")");
  // A heredoc keeps what it cannot resolve as ${...}, resolves the rest.
  EXPECT_EQ(At(r.properties, "policy"),
            R"("{\"Resource\": \"${aws_s3_bucket.other.arn}/*\", \"Region\": \"eu-west-1\"}\n")");
}

TEST(TerraformTest, NestedRepeatedDynamicAndLabelledBlocks) {
  Template t = Load(kMain);
  const Resource& r = t.resources[0];
  EXPECT_EQ(At(r.properties, "server_side_encryption_configuration/rule/apply_server_side_encryption_by_default/"
                             "sse_algorithm"),
            R"("aws:kms")");
  EXPECT_EQ(At(r.properties, "ingress"), R"([{"from_port":443},{"from_port":80}])");
  EXPECT_EQ(At(r.properties, "logging"),
            R"({"content":{"target_bucket":"logging.value"},"for_each":"var.log_targets"})");
  EXPECT_EQ(At(r.properties, "provisioner"), R"({"local-exec":{"command":"echo hi"}})");
}

TEST(TerraformTest, MetaArgumentsGoToMetadata) {
  Template t = Load(kMain);
  const Resource& r = t.resources[0];
  EXPECT_EQ(r.metadata.ToJson(), R"({"count":2,"depends_on":["aws_kms_key.main"],"lifecycle":{"prevent_destroy":true}})");
  EXPECT_EQ(At(r.properties, "count"), "<absent>");
  EXPECT_EQ(At(r.properties, "lifecycle"), "<absent>");
  EXPECT_EQ(LineOf(r, "count"), -1);
}

TEST(TerraformTest, TagsAreStrings) {
  Template t = Load(kMain);
  EXPECT_EQ(t.resources[0].tags.ToJson(), R"({"Cost":"12","Name":"logs-eu-west-1","Owner":"var.owner"})");
  EXPECT_EQ(t.resources[1].tags.ToJson(), "{}");
  Template v = Load("variable \"tags\" {\n  default = { team = \"ml\", tier = 2 }\n}\n"
                    "resource \"a\" \"b\" {\n  tags = var.tags\n}\n"
                    "resource \"a\" \"c\" {\n  tags = merge(var.tags, {x = 1})\n}\n");
  EXPECT_EQ(v.resources[0].tags.ToJson(), R"({"team":"ml","tier":"2"})");
  EXPECT_EQ(v.resources[1].tags.ToJson(), "{}");
}

TEST(TerraformTest, KeyLinesForAttributesBlocksAndItems) {
  Template t = Load(kMain);
  const Resource& r = t.resources[0];
  EXPECT_EQ(LineOf(r, "bucket"), 21);
  EXPECT_EQ(LineOf(r, "policy"), 29);
  EXPECT_EQ(LineOf(r, "mixed"), 35);
  EXPECT_EQ(LineOf(r, "mixed/2"), 35);
  EXPECT_EQ(LineOf(r, "object/plain"), 37);
  EXPECT_EQ(LineOf(r, "object/quoted key"), 38);
  EXPECT_EQ(LineOf(r, "server_side_encryption_configuration"), 41);
  EXPECT_EQ(LineOf(r, "server_side_encryption_configuration/rule/apply_server_side_encryption_by_default/sse_algorithm"),
            44);
  EXPECT_EQ(LineOf(r, "ingress"), 48);
  EXPECT_EQ(LineOf(r, "ingress/0"), 48);
  EXPECT_EQ(LineOf(r, "ingress/1"), 51);
  EXPECT_EQ(LineOf(r, "ingress/1/from_port"), 52);
  EXPECT_EQ(LineOf(r, "logging"), 54);
  EXPECT_EQ(LineOf(r, "logging/content/target_bucket"), 57);
  EXPECT_EQ(LineOf(r, "provisioner/local-exec/command"), 61);
  EXPECT_EQ(LineOf(r, "tags/Owner"), 71);
  EXPECT_EQ(r.LineOf({"ingress", "1", "to_port"}), 51);
  // Every recorded path exists in the properties.
  for (const auto& [path, line] : r.key_lines) EXPECT_NE(At(r.properties, path), "<absent>") << path;
}

TEST(TerraformTest, KeyLinesEscapeSlashes) {
  Template t = Load("resource \"a\" \"b\" {\n  m = {\n    \"x/y\" = 1\n  }\n}\n");
  EXPECT_EQ(LineOf(t.resources[0], "m/x~1y"), 3);
}

TEST(TerraformTest, CheckovSkipCommentsBecomeSuppressions) {
  Template t = Load(kMain);
  const auto& s = t.resources[0].suppressions;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].id, "CKV_AWS_18");
  EXPECT_EQ(s[0].reason, "the log bucket itself");
  EXPECT_EQ(s[0].line, 19);
  EXPECT_EQ(s[1].id, "CKV_AWS_144");
  EXPECT_EQ(s[1].reason, "");
  EXPECT_EQ(s[1].line, 20);
  EXPECT_TRUE(t.resources[1].suppressions.empty());
  // A comment outside the block is not the block's.
  Template u = Load("#checkov:skip=CKV_AWS_1:outside\nresource \"a\" \"b\" {\n}\n");
  EXPECT_TRUE(u.resources[0].suppressions.empty());
}

TEST(TerraformTest, DocumentHoldsEveryBlockKind) {
  Template t = Load(kMain);
  const Value& doc = t.document;
  EXPECT_EQ(At(doc, "resources/aws_s3_bucket/logs/days"), "30");
  EXPECT_EQ(At(doc, "data/aws_iam_policy_document/p/statement/actions/0"), R"("s3:*")");
  EXPECT_EQ(At(doc, "variables/region/default"), R"("eu-west-1")");
  EXPECT_EQ(At(doc, "locals/name"), R"("prod-data-eu-west-1")");
  EXPECT_EQ(At(doc, "locals/opaque"), R"("aws_s3_bucket.other.id")");
  EXPECT_EQ(At(doc, "outputs/arn/value"), R"("aws_s3_bucket.logs.arn")");
  EXPECT_EQ(At(doc, "modules/vpc/source"), R"("./vpc")");
  EXPECT_EQ(At(doc, "providers/aws/0/region"), R"("eu-west-1")");
  EXPECT_EQ(At(doc, "providers/aws/1/alias"), R"("us")");
}

TEST(TerraformTest, DuplicatesAndBadLabels) {
  Template t = Load("resource \"a\" \"b\" {\n  x = 1\n}\nresource \"a\" \"b\" {\n  x = 2\n}\n");
  ASSERT_EQ(t.resources.size(), 1u);
  EXPECT_EQ(At(t.resources[0].properties, "x"), "1");
  ASSERT_EQ(t.warnings.size(), 1u);
  EXPECT_EQ(t.warnings[0], "4: a.b is defined again (first at line 1); the later block is ignored");
  EXPECT_EQ(ErrorOf("\nresource \"aws_s3_bucket\" {\n}\n"),
            "main.tf:2:1: a resource block needs two labels, its type and its name, as in resource "
            "\"aws_s3_bucket\" \"logs\" { ... }");
}

TEST(TerraformTest, MalformedFilesAreErrorsWithPositions) {
  EXPECT_EQ(ErrorOf("resource \"a\" \"b\" {\n  x = \"open\n}\n").rfind("main.tf:2:7: unterminated string", 0), 0u);
  EXPECT_EQ(ErrorOf("resource \"a\" \"b\" {\n  x = <<EOF\nno end\n}\n"),
            "main.tf:2:7: heredoc <<EOF has no closing line EOF");
  EXPECT_EQ(ErrorOf("resource \"a\" \"b\" {\n  x {\n    y = 1\n}\n"),
            "main.tf:5:1: missing } to close the block opened at line 1:18");
  EXPECT_EQ(ErrorOf("resource \"a\" \"b\" {\n}\n}\n"), "main.tf:3:1: unexpected '}': no block is open here");
  std::string deep = "resource \"a\" \"b\" {\n  x = " + std::string(100000, '[') + "\n}\n";
  EXPECT_NE(ErrorOf(deep).find("main.tf:2:"), std::string::npos);
  EXPECT_EQ(ErrorOf("a = \"\xFF\"\n"), "main.tf:1:6: invalid UTF-8 (byte 0xff); save the file as UTF-8");
}

TEST(TerraformTest, LocalsChainsAndCyclesTerminate) {
  std::string text = "locals {\n  l0 = \"v\"\n";
  for (int i = 1; i < 2000; ++i) text += "  l" + std::to_string(i) + " = local.l" + std::to_string(i - 1) + "\n";
  text += "  c1 = local.c2\n  c2 = local.c1\n}\nresource \"a\" \"b\" {\n  near = local.l50\n  far = local.l1999\n"
          "  cyc = local.c1\n}\n";
  Template t = Load(text);
  EXPECT_EQ(At(t.resources[0].properties, "near"), R"("v")");
  EXPECT_EQ(At(t.resources[0].properties, "cyc"), R"("local.c1")");
  EXPECT_TRUE(t.resources[0].properties.FindKey("far")->is_string());
}

TEST(TerraformTest, SharedCorpusLoadsOrFailsCleanly) {
  std::filesystem::path root = std::filesystem::path(CUSTODY_SOURCE_DIR) / "../shared/corpus/iac";
  if (!std::filesystem::is_directory(root)) GTEST_SKIP() << "no shared corpus at " << root;
  int loaded = 0;
  int failed = 0;
  int resources = 0;
  std::string failures;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".tf") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto r = LoadTerraform(entry.path().string(), content);
    if (r.ok()) {
      ++loaded;
      resources += static_cast<int>(r->resources.size());
      for (const auto& res : r->resources) {
        EXPECT_GE(res.end_line, res.line) << res.address;
        for (const auto& [path, line] : res.key_lines) {
          EXPECT_GE(line, res.line) << entry.path() << " " << path;
          EXPECT_LE(line, res.end_line) << entry.path() << " " << path;
        }
      }
    } else {
      ++failed;
      const std::string& m = r.error().message();
      EXPECT_EQ(m.rfind(entry.path().string() + ":", 0), 0u) << m;
      failures += "  " + m + "\n";
    }
  }
  std::cout << "[ corpus  ] " << loaded << " .tf files loaded (" << resources << " resources), " << failed
            << " refused\n"
            << failures;
  EXPECT_GT(loaded, 0);
}

}  // namespace
}  // namespace custody::iac
