#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>

#include "core/yaml.h"
#include "iac/resource.h"
#include "scan/check.h"
#include "scan/fix.h"
#include "scan/report.h"
#include "scan/risk.h"
#include "scan/scanner.h"

namespace custody::scan {
namespace {

namespace fs = std::filesystem;
using rego::Value;

Value Obj(rego::ObjectEntries e) { return Value::Object(std::move(e)); }
Value S(const char* s) { return Value::String(s); }

std::string Fixed(const std::string& text, const std::string& id, const Value& fix) {
  auto r = ApplyFix(text, "t.yaml", id, fix);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message());
  return r.ok() ? *r : "";
}

TEST(FixTest, BlockYamlReplacesScalarKeepingComment) {
  std::string in =
      "Resources:\n"
      "  Fn:  # the function\n"
      "    Type: AWS::Lambda::Function\n"
      "    Properties:\n"
      "      TracingConfig:\n"
      "        Mode: PassThrough   # keep\n"
      "      Runtime: python3.12\n";
  std::string out = Fixed(in, "Fn", Obj({{S("set"), Obj({{S("TracingConfig"), Obj({{S("Mode"), S("Active")}})}})}}));
  EXPECT_EQ(out, "Resources:\n"
                 "  Fn:  # the function\n"
                 "    Type: AWS::Lambda::Function\n"
                 "    Properties:\n"
                 "      TracingConfig:\n"
                 "        Mode: Active   # keep\n"
                 "      Runtime: python3.12\n");
}

TEST(FixTest, BlockYamlInsertsMissingKeysAfterTheMapping) {
  std::string in =
      "Resources:\n"
      "  B:\n"
      "    Type: AWS::S3::Bucket\n"
      "    Properties:\n"
      "      BucketName: x\n"
      "      # trailing comment\n"
      "  Other:\n"
      "    Type: AWS::SNS::Topic\n";
  std::string out = Fixed(in, "B", Obj({{S("set"), Obj({{S("VersioningConfiguration"), Obj({{S("Status"), S("Enabled")}})}})}}));
  EXPECT_EQ(out, "Resources:\n"
                 "  B:\n"
                 "    Type: AWS::S3::Bucket\n"
                 "    Properties:\n"
                 "      BucketName: x\n"
                 "      VersioningConfiguration:\n"
                 "        Status: Enabled\n"
                 "      # trailing comment\n"
                 "  Other:\n"
                 "    Type: AWS::SNS::Topic\n");
}

TEST(FixTest, AddsPropertiesWhenAbsent) {
  std::string in = "Resources:\n  B:\n    Type: AWS::S3::Bucket\n";
  std::string out = Fixed(in, "B", Obj({{S("set"), Obj({{S("VersioningConfiguration"), Obj({{S("Status"), S("Enabled")}})}})}}));
  EXPECT_EQ(out, "Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      VersioningConfiguration:\n"
                 "        Status: Enabled\n");
}

TEST(FixTest, JsonStaysJson) {
  std::string in =
      "{\n"
      "  \"Resources\": {\n"
      "    \"Fn\": {\n"
      "      \"Type\": \"AWS::Lambda::Function\",\n"
      "      \"Properties\": {\n"
      "        \"Runtime\": \"python3.12\"\n"
      "      }\n"
      "    }\n"
      "  }\n"
      "}\n";
  std::string out = Fixed(in, "Fn", Obj({{S("set"), Obj({{S("TracingConfig"), Obj({{S("Mode"), S("Active")}})}})}}));
  auto parsed = Json::parse(out, nullptr, false);
  ASSERT_FALSE(parsed.is_discarded()) << out;
  EXPECT_EQ(parsed["Resources"]["Fn"]["Properties"]["TracingConfig"]["Mode"], "Active");
  EXPECT_EQ(parsed["Resources"]["Fn"]["Properties"]["Runtime"], "python3.12");
  EXPECT_NE(out.find("        \"Runtime\": \"python3.12\",\n"), std::string::npos) << out;
}

TEST(FixTest, TagsAppendedToListOnlyWhenMissing) {
  std::string in =
      "Resources:\n"
      "  Q:\n"
      "    Type: AWS::SQS::Queue\n"
      "    Properties:\n"
      "      Tags:\n"
      "        - Key: team\n"
      "          Value: ml\n";
  std::string out = Fixed(in, "Q", Obj({{S("tags"), Obj({{S("owner"), S("TODO")}, {S("team"), S("x")}})}}));
  EXPECT_EQ(out, in + "        - Key: owner\n          Value: TODO\n");
}

TEST(FixTest, ShapeMismatchIsAnError) {
  std::string in = "Resources:\n  Fn:\n    Type: X\n    Properties:\n      TracingConfig: !Ref Mode\n";
  auto r = ApplyFix(in, "t.yaml", "Fn", Obj({{S("set"), Obj({{S("TracingConfig"), Obj({{S("Mode"), S("Active")}})}})}}));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("TracingConfig"), std::string::npos);
}

TEST(DiffTest, UnifiedDiffHunk) {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n", b = "1\n2\n3\n4\nX\n5\n6\n7\n8\n";
  EXPECT_EQ(UnifiedDiff("f", a, b), "--- a/f\n+++ b/f\n@@ -2,6 +2,7 @@\n 2\n 3\n 4\n+X\n 5\n 6\n 7\n");
  EXPECT_EQ(UnifiedDiff("f", a, a), "");
}

TEST(RiskTest, ProductOfFactors) {
  Check c;
  RiskFactors r = RiskFor(c, Severity::kHigh, "AWS::IAM::Role");
  EXPECT_DOUBLE_EQ(r.severity, 7);
  EXPECT_DOUBLE_EQ(r.blast_radius, 2);
  EXPECT_DOUBLE_EQ(r.score(), 7 * r.exposure * r.data_sensitivity * 2);
  c.exposure = 3;
  EXPECT_DOUBLE_EQ(RiskFor(c, Severity::kLow, "AWS::S3::Bucket").exposure, 3);
  EXPECT_DOUBLE_EQ(RiskFor(c, Severity::kLow, "AWS::S3::Bucket").data_sensitivity, 1.5);
}

class ScannerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("custody-scan-test-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "p.rego") << R"(package t.bucket
import rego.v1
metadata := {"id": "T_BUCKET", "severity": "HIGH", "resource_types": ["AWS::S3::Bucket"], "checkov": ["CKV_AWS_99"]}
deny contains {"msg": sprintf("%s %s", [input.name, input.resource_type]), "path": ["Versioning", "Status"]} if true
)";
    std::ofstream(dir_ / "q.rego") << R"(package t.tags
import rego.v1
metadata := {"id": "T_TAGS", "scope": "template"}
deny contains {"msg": k, "resource": r.address} if {
  some r in input.resources
  some k in data.custody.scan.required_tags
  not r.tags[k]
}
)";
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ScannerTest, IndexesByTypeSuppressesAndPointsAtLines) {
  CheckSetOptions o;
  o.builtin = false;
  o.policy_dirs = {dir_.string()};
  o.scan_data = Obj({{S("required_tags"), Value::Array({S("owner")})}});
  auto set = CheckSet::Load(o);
  ASSERT_TRUE(set.ok()) << set.error().message();
  ASSERT_EQ((*set)->checks().size(), 2u);
  EXPECT_EQ((*set)->ResourceChecks("AWS::SNS::Topic").size(), 0u);
  EXPECT_EQ((*set)->ResourceChecks("AWS::S3::Bucket").size(), 1u);

  iac::Template t;
  t.file = "t.yaml";
  t.format = iac::kCloudFormation;
  iac::Resource a, b, c;
  a.type = b.type = "AWS::S3::Bucket";
  c.type = "AWS::SNS::Topic";
  a.name = a.address = "A";
  b.name = b.address = "B";
  c.name = c.address = "C";
  a.line = 3;
  a.properties_line = 5;
  a.key_lines["Versioning"] = 6;
  b.line = 10;
  b.suppressions.push_back({"ckv_aws_99", "", 11});
  c.line = 20;
  c.tags = Obj({{S("owner"), S("me")}});
  t.resources = {a, b, c};

  TemplateReport r = ScanTemplate(**set, t, "t.yaml", {});
  ASSERT_EQ(r.findings.size(), 4u);  // T_BUCKET on A and B; T_TAGS on A and B (C has the tag)
  int a_bucket_line = 0, suppressed = 0;
  std::string a_fp;
  for (const Finding& f : r.findings) {
    EXPECT_NE(f.resource, "C");
    if (f.rule_id == "T_BUCKET" && f.resource == "A") {
      a_bucket_line = f.line;
      a_fp = f.fingerprint;
    }
    if (f.suppressed) {
      ++suppressed;
      EXPECT_EQ(f.suppression_kind, "inSource");
      EXPECT_EQ(f.rule_id, "T_BUCKET");
    }
  }
  EXPECT_EQ(a_bucket_line, 6);  // deepest existing ancestor of Versioning/Status
  EXPECT_EQ(suppressed, 1);

  TemplateReport again = ScanTemplate(**set, t, "t.yaml", {a_fp});
  int external = 0;
  for (const Finding& f : again.findings) external += f.suppression_kind == "external";
  EXPECT_EQ(external, 1);
  EXPECT_LT(again.risk, r.risk);
}

TEST_F(ScannerTest, DuplicateIdsAndBadSeverityRefused) {
  std::ofstream(dir_ / "dup.rego") << "package t.dup\nmetadata := {\"id\": \"T_BUCKET\"}\ndeny contains \"x\" if true\n";
  CheckSetOptions o;
  o.builtin = false;
  o.policy_dirs = {dir_.string()};
  auto set = CheckSet::Load(o);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message().find("T_BUCKET"), std::string::npos);
  fs::remove(dir_ / "dup.rego");
  std::ofstream(dir_ / "sev.rego") << "package t.sev\nmetadata := {\"severity\": \"SEVERE\"}\ndeny contains \"x\" if true\n";
  set = CheckSet::Load(o);
  ASSERT_FALSE(set.ok());
  EXPECT_NE(set.error().message().find("SEVERE"), std::string::npos);
}

TEST_F(ScannerTest, BaselineFileErrors) {
  std::ofstream(dir_ / "b.json") << R"({"version": 2, "findings": []})";
  auto r = ReadBaseline((dir_ / "b.json").string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("version"), std::string::npos);
  std::ofstream(dir_ / "c.json") << R"({"version": 1, "findings": [{"fingerprint": ")" << std::string(64, 'a') << R"("}]})";
  auto ok = ReadBaseline((dir_ / "c.json").string());
  ASSERT_TRUE(ok.ok()) << ok.error().message();
  EXPECT_EQ(ok->count(std::string(64, 'a')), 1u);
}

}  // namespace
}  // namespace custody::scan
