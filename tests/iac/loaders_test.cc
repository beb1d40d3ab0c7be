#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>

#include "core/json.h"
#include "iac/loaders.h"
#include "iac/resource.h"
#include "test_util.h"

namespace custody::iac {
namespace {

using rego::Value;

Template Load(const std::string& path, const std::string& content) {
  std::string format = DetectFormat(path, content);
  auto t = LoadTemplate(path, content, format);
  EXPECT_TRUE(t.ok()) << (t.ok() ? "" : t.error().message());
  return t.ok() ? std::move(t).value() : Template{};
}

std::string LoadError(const std::string& path, const std::string& content, const std::string& format) {
  auto t = LoadTemplate(path, content, format);
  EXPECT_FALSE(t.ok());
  return t.ok() ? "" : t.error().message();
}

const Resource* Find(const Template& t, const std::string& address) {
  for (const Resource& r : t.resources)
    if (r.address == address) return &r;
  return nullptr;
}

// The value at a path of object keys.
Value At(const Value& v, std::initializer_list<const char*> keys) {
  Value cur = v;
  for (const char* k : keys) {
    if (cur.is_array()) {
      size_t i = std::stoul(k);
      if (i >= cur.array().size()) return Value();
      cur = cur.array()[i];
      continue;
    }
    const Value* next = cur.FindKey(k);
    if (next == nullptr) return Value();
    cur = *next;
  }
  return cur;
}

Value Json(const std::string& text) {
  auto v = rego::ParseJsonValue(text, "expected");
  EXPECT_TRUE(v.ok()) << (v.ok() ? "" : v.error().message());
  return v.ok() ? *v : Value();
}

// ---- Paths and format detection ----

TEST(IacPath, EscapesLikeJsonPointer) {
  EXPECT_EQ(EscapePathSegment("a/b~c"), "a~1b~0c");
  EXPECT_EQ(JoinPath({"VpcConfig", "SecurityGroupIds", "0"}), "VpcConfig/SecurityGroupIds/0");
  EXPECT_EQ(JoinPath({"arn:aws/x", "~"}), "arn:aws~1x/~0");
  EXPECT_EQ(JoinPath({}), "");
}

TEST(IacDetect, ByNameAndContent) {
  EXPECT_EQ(DetectFormat("main.tf", ""), kTerraform);
  EXPECT_EQ(DetectFormat("dir/serverless.yml", "service: x\n"), kServerless);
  EXPECT_EQ(DetectFormat("serverless.yaml", "service: x\n"), kServerless);
  EXPECT_EQ(DetectFormat("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n"), kCloudFormation);
  EXPECT_EQ(DetectFormat("t.yml", "---\n# c\n'Resources':\n  A: {Type: X}\n"), kCloudFormation);
  EXPECT_EQ(DetectFormat("t.yaml", "Transform: AWS::Serverless-2016-10-31\nGlobals: {}\n"), kCloudFormation);
  EXPECT_EQ(DetectFormat("t.json", "{\"Resources\" : {}}"), kCloudFormation);
  EXPECT_EQ(DetectFormat("t.template", "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}"), kCloudFormation);
  EXPECT_EQ(DetectFormat("plan.json", "{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.0\"}"),
            kTerraformPlan);
  EXPECT_EQ(DetectFormat("p.json", "{\"planned_values\": {}}"), kTerraformPlan);
  EXPECT_EQ(DetectFormat("k.yaml", "apiVersion: apps/v1\nkind: Deployment\n"), kKubernetes);
  EXPECT_EQ(DetectFormat("k.yaml", "---\nfoo: 1\n---\napiVersion: v1\nkind: Service\n"), kKubernetes);
  // Not infrastructure-as-code, or keys only nested.
  EXPECT_EQ(DetectFormat("k.yaml", "apiVersion: v1\n"), "");
  EXPECT_EQ(DetectFormat("chart/templates/d.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: {{ .Values.n }}}\n"),
            "");
  EXPECT_EQ(DetectFormat("k.yaml", "apiVersion: v1\nkind: Secret\ndata: {a: '{{resolve:ssm:x}}'}\n"), kKubernetes);
  EXPECT_EQ(DetectFormat("c.yaml", "jobs:\n  Resources: 1\n"), "");
  EXPECT_EQ(DetectFormat("package.json", "{\"name\": \"Resources\"}"), "");
  EXPECT_EQ(DetectFormat("README.md", "Resources:\n"), "");
}

TEST(IacLoad, UnknownFormatIsAnError) {
  EXPECT_EQ(LoadError("x.yaml", "a: 1", "ansible"),
            "x.yaml: unknown infrastructure-as-code format 'ansible'; expected one of cloudformation, terraform, "
            "terraform-plan, kubernetes, serverless");
}

// ---- CloudFormation ----

const char kBucketYaml[] =
    "AWSTemplateFormatVersion: '2010-09-09'\n"  // 1
    "Parameters:\n"                              // 2
    "  Env: {Type: String}\n"                    // 3
    "Resources:\n"                               // 4
    "  Logs:\n"                                  // 5
    "    Type: AWS::S3::Bucket\n"                // 6
    "    Metadata:\n"                            // 7
    "      checkov:\n"                           // 8
    "        skip:\n"                            // 9
    "          - id: CKV_AWS_18\n"               // 10
    "            comment: this is the log bucket\n"  // 11
    "    Properties:\n"                          // 12
    "      BucketName: !Sub '${Env}-logs'\n"     // 13
    "      VersioningConfiguration:\n"           // 14
    "        Status: Enabled\n"                  // 15
    "      Tags:\n"                              // 16
    "        - Key: owner\n"                     // 17
    "          Value: ml-platform\n"             // 18
    "        - Key: cost\n"                      // 19
    "          Value: 12\n"                      // 20
    "\n"                                         // 21
    "  # the policy\n"                           // 22
    "  Policy:\n"                                // 23
    "    Type: AWS::S3::BucketPolicy\n"          // 24
    "    Properties:\n"                          // 25
    "      Bucket: !Ref Logs\n"                  // 26
    "      PolicyDocument:\n"                    // 27
    "        Statement:\n"                       // 28
    "          - Effect: Allow\n"                // 29
    "            Principal: '*'\n"               // 30
    "            Action: [s3:GetObject, 's3:List*']\n"  // 31
    "            Resource: !GetAtt Logs.Arn\n"   // 32
    "  NoProps:\n"                               // 33
    "    Type: AWS::SNS::Topic\n"                // 34
    "\n"                                         // 35
    "Outputs:\n"                                 // 36
    "  Name: {Value: !Ref Logs}\n";              // 37

TEST(CloudFormation, ResourcesPropertiesTagsAndLines) {
  Template t = Load("bucket.yaml", kBucketYaml);
  EXPECT_EQ(t.format, kCloudFormation);
  EXPECT_EQ(t.file, "bucket.yaml");
  ASSERT_EQ(t.resources.size(), 3u);
  EXPECT_TRUE(t.warnings.empty());

  const Resource& logs = t.resources[0];
  EXPECT_EQ(logs.type, "AWS::S3::Bucket");
  EXPECT_EQ(logs.name, "Logs");
  EXPECT_EQ(logs.address, "Logs");
  EXPECT_EQ(logs.line, 5);
  EXPECT_EQ(logs.end_line, 20);
  EXPECT_EQ(logs.properties_line, 12);
  EXPECT_EQ(At(logs.properties, {"BucketName"}), Json(R"({"Fn::Sub": "${Env}-logs"})"));
  EXPECT_EQ(At(logs.properties, {"VersioningConfiguration", "Status"}), Value::String("Enabled"));
  EXPECT_EQ(logs.tags, Json(R"({"owner": "ml-platform", "cost": "12"})"));
  EXPECT_EQ(At(logs.metadata, {"checkov", "skip", "0", "id"}), Value::String("CKV_AWS_18"));
  ASSERT_EQ(logs.suppressions.size(), 1u);
  EXPECT_EQ(logs.suppressions[0].id, "CKV_AWS_18");
  EXPECT_EQ(logs.suppressions[0].reason, "this is the log bucket");
  EXPECT_EQ(logs.suppressions[0].line, 10);

  EXPECT_EQ(logs.key_lines.at("BucketName"), 13);
  EXPECT_EQ(logs.key_lines.at("VersioningConfiguration/Status"), 15);
  EXPECT_EQ(logs.key_lines.at("Tags/1"), 19);
  EXPECT_EQ(logs.key_lines.at("Tags/1/Value"), 20);
  // KICS's convention: the key, else its deepest existing ancestor, else Properties.
  EXPECT_EQ(logs.LineOf({"VersioningConfiguration", "Status"}), 15);
  EXPECT_EQ(logs.LineOf({"VersioningConfiguration", "MFADelete"}), 14);
  EXPECT_EQ(logs.LineOf({"Tags", "1", "Key"}), 19);
  EXPECT_EQ(logs.LineOf({"BucketEncryption", "ServerSideEncryptionConfiguration"}), 12);
  EXPECT_EQ(logs.LineOf({}), 12);

  const Resource& policy = t.resources[1];
  EXPECT_EQ(policy.type, "AWS::S3::BucketPolicy");
  EXPECT_EQ(policy.line, 23);
  EXPECT_EQ(policy.end_line, 32);
  EXPECT_EQ(At(policy.properties, {"Bucket"}), Json(R"({"Ref": "Logs"})"));
  EXPECT_EQ(At(policy.properties, {"PolicyDocument", "Statement", "0", "Resource"}),
            Json(R"({"Fn::GetAtt": ["Logs", "Arn"]})"));
  EXPECT_EQ(At(policy.properties, {"PolicyDocument", "Statement", "0", "Action"}),
            Json(R"(["s3:GetObject", "s3:List*"])"));
  EXPECT_EQ(policy.LineOf({"PolicyDocument", "Statement", "0", "Principal"}), 30);
  EXPECT_EQ(policy.LineOf({"PolicyDocument", "Statement", "0", "Action", "1"}), 31);
  EXPECT_EQ(policy.LineOf({"PolicyDocument", "Statement", "0", "Condition"}), 29);
  EXPECT_EQ(policy.tags, Value::EmptyObject());

  const Resource& topic = t.resources[2];
  EXPECT_EQ(topic.line, 33);
  EXPECT_EQ(topic.end_line, 34);
  EXPECT_EQ(topic.properties_line, 33);
  EXPECT_EQ(topic.properties, Value::EmptyObject());
  EXPECT_EQ(topic.LineOf({"TopicName"}), 33);

  // The whole template is kept, intrinsics in their long form.
  EXPECT_EQ(At(t.document, {"Parameters", "Env", "Type"}), Value::String("String"));
  EXPECT_EQ(At(t.document, {"Outputs", "Name", "Value"}), Json(R"({"Ref": "Logs"})"));
  EXPECT_EQ(At(t.document, {"Resources", "Logs", "Type"}), Value::String("AWS::S3::Bucket"));
  EXPECT_EQ(At(t.document, {"Resources", "Logs", "Properties", "BucketName"}), Json(R"({"Fn::Sub": "${Env}-logs"})"));
  EXPECT_EQ(At(t.document, {"Resources", "Logs", "Metadata", "checkov", "skip", "0", "comment"}),
            Value::String("this is the log bucket"));
}

TEST(CloudFormation, JsonKeepsLinesAndTypes) {
  const char json[] =
      "{\n"                                            // 1
      "  \"Resources\": {\n"                           // 2
      "    \"Queue\": {\n"                             // 3
      "      \"Type\": \"AWS::SQS::Queue\",\n"         // 4
      "      \"Properties\": {\n"                      // 5
      "        \"DelaySeconds\": 5,\n"                 // 6
      "        \"FifoQueue\": true,\n"                 // 7
      "        \"QueueName\": \"007\",\n"              // 8
      "        \"KmsMasterKeyId\": null,\n"            // 9
      "        \"RedrivePolicy\": {\"maxReceiveCount\": 1.5, \"deadLetterTargetArn\": {\"Fn::GetAtt\": [\"Dlq\", \"Arn\"]}}\n"  // 10
      "      }\n"                                      // 11
      "    }\n"                                        // 12
      "  }\n"                                          // 13
      "}\n";                                           // 14
  Template t = Load("q.json", json);
  ASSERT_EQ(t.resources.size(), 1u);
  const Resource& q = t.resources[0];
  EXPECT_EQ(q.line, 3);
  EXPECT_EQ(q.end_line, 12);
  EXPECT_EQ(q.properties_line, 5);
  EXPECT_EQ(q.properties, Json(R"({"DelaySeconds": 5, "FifoQueue": true, "QueueName": "007", "KmsMasterKeyId": null,
      "RedrivePolicy": {"maxReceiveCount": 1.5, "deadLetterTargetArn": {"Fn::GetAtt": ["Dlq", "Arn"]}}})"));
  EXPECT_EQ(q.LineOf({"FifoQueue"}), 7);
  EXPECT_EQ(q.LineOf({"RedrivePolicy", "deadLetterTargetArn", "Fn::GetAtt", "1"}), 10);
  EXPECT_EQ(q.LineOf({"SqsManagedSseEnabled"}), 5);
}

TEST(CloudFormation, CoreSchemaScalars) {
  Template t = Load("s.yaml",
                    "Resources:\n  R:\n    Type: X::Y::Z\n    Properties:\n"
                    "      a: yes\n      b: True\n      c: 0o17\n      d: 0x1F\n      e: 012\n      f: -3.5e2\n"
                    "      g: ~\n      h: '5'\n      i: .inf\n      j: 1.0\n      k: 99999999999999999999\n"
                    "      l: !!str 10\n      m: |\n        text\n      n:\n");
  ASSERT_EQ(t.resources.size(), 1u);
  EXPECT_EQ(t.resources[0].properties,
            Json(R"({"a": "yes", "b": true, "c": 15, "d": 31, "e": 12, "f": -350, "g": null, "h": "5",
                     "i": ".inf", "j": 1, "k": 99999999999999999999, "l": "10", "m": "text\n", "n": null})"));
}

TEST(CloudFormation, ShortFormTagsReadAsLongForms) {
  Template t = Load("tags.yaml",
                    "Resources:\n  R:\n    Type: X::Y::Z\n    Properties:\n"
                    "      A: !Ref Env\n"
                    "      B: !GetAtt Db.Endpoint.Address\n"
                    "      C: !GetAtt [Db, Arn]\n"
                    "      D: !If [IsProd, !Ref Big, !Ref 'AWS::NoValue']\n"
                    "      E: !Join ['-', [!Ref 'AWS::StackName', x]]\n"
                    "      F: !Select [0, !GetAZs '']\n"
                    "      G: !Split [',', !ImportValue Shared]\n"
                    "      H: !FindInMap [M, !Ref 'AWS::Region', Ami]\n"
                    "      I: !Base64 {'Fn::Sub': 'x'}\n"
                    "      J: !Cidr [10.0.0.0/16, 4, 8]\n"
                    "      K: !Equals [!Ref Env, prod]\n"
                    "      L: !And [!Not [!Condition C1], !Or [!Condition C2, !Condition C3]]\n"
                    "      M: !Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}\n"
                    "      N: !Sub\n        - '${A}'\n        - A: 1\n");
  ASSERT_EQ(t.resources.size(), 1u);
  const Resource& r = t.resources[0];
  EXPECT_EQ(r.properties, Json(R"({
    "A": {"Ref": "Env"},
    "B": {"Fn::GetAtt": ["Db", "Endpoint.Address"]},
    "C": {"Fn::GetAtt": ["Db", "Arn"]},
    "D": {"Fn::If": ["IsProd", {"Ref": "Big"}, {"Ref": "AWS::NoValue"}]},
    "E": {"Fn::Join": ["-", [{"Ref": "AWS::StackName"}, "x"]]},
    "F": {"Fn::Select": [0, {"Fn::GetAZs": ""}]},
    "G": {"Fn::Split": [",", {"Fn::ImportValue": "Shared"}]},
    "H": {"Fn::FindInMap": ["M", {"Ref": "AWS::Region"}, "Ami"]},
    "I": {"Fn::Base64": {"Fn::Sub": "x"}},
    "J": {"Fn::Cidr": ["10.0.0.0/16", 4, 8]},
    "K": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
    "L": {"Fn::And": [{"Fn::Not": [{"Condition": "C1"}]}, {"Fn::Or": [{"Condition": "C2"}, {"Condition": "C3"}]}]},
    "M": {"Fn::Transform": {"Name": "AWS::Include", "Parameters": {"Location": "s3://b/k"}}},
    "N": {"Fn::Sub": ["${A}", {"A": 1}]}})"));
  EXPECT_EQ(r.LineOf({"D", "Fn::If", "1"}), 8);
  EXPECT_EQ(r.LineOf({"N", "Fn::Sub", "1", "A"}), 20);
  EXPECT_EQ(r.LineOf({"N", "Fn::Sub", "0"}), 19);
}

TEST(CloudFormation, FlowCollectionsIndentedLikeTheirKey) {
  // go-yaml and PyYAML read this; so must the loader, with the same lines.
  Template t = Load("f.yaml",
                    "Resources:\n"                              // 1
                    "  U:\n"                                    // 2
                    "    Type: AWS::IAM::User\n"                // 3
                    "    Properties:\n"                         // 4
                    "      ManagedPolicyArns: [\n"              // 5
                    "        \"arn:a\",\n"                    // 6
                    "        \"arn:b\"\n"                     // 7
                    "      ]\n"                                 // 8
                    "      Path: {\n"                           // 9
                    "      a: 1}\n"                             // 10
                    "      Groups: [g]\n");                     // 11
  ASSERT_EQ(t.resources.size(), 1u);
  const Resource& u = t.resources[0];
  EXPECT_EQ(u.properties, Json(R"({"ManagedPolicyArns": ["arn:a", "arn:b"], "Path": {"a": 1}, "Groups": ["g"]})"));
  EXPECT_EQ(u.LineOf({"ManagedPolicyArns", "1"}), 7);
  EXPECT_EQ(u.LineOf({"Path", "a"}), 10);
  EXPECT_EQ(u.LineOf({"Groups"}), 11);
  EXPECT_EQ(u.end_line, 11);
}

TEST(CloudFormation, SamGlobalsApplyAsSamDoes) {
  const char sam[] =
      "Transform: AWS::Serverless-2016-10-31\n"   // 1
      "Globals:\n"                                 // 2
      "  Function:\n"                              // 3
      "    Runtime: python3.12\n"                  // 4
      "    Tracing: Active\n"                      // 5
      "    Timeout: 30\n"                          // 6
      "    Layers: [arn:layer:1]\n"                // 7
      "    Environment:\n"                         // 8
      "      Variables: {STAGE: prod, LOG: info}\n"  // 9
      "    VpcConfig: !If [InVpc, {SubnetIds: [a]}, !Ref 'AWS::NoValue']\n"  // 10
      "    Tags: {team: ml}\n"                     // 11
      "  Api:\n"                                   // 12
      "    TracingEnabled: true\n"                 // 13
      "Resources:\n"                               // 14
      "  Fn:\n"                                    // 15
      "    Type: AWS::Serverless::Function\n"      // 16
      "    Properties:\n"                          // 17
      "      Handler: app.handler\n"               // 18
      "      Timeout: 5\n"                         // 19
      "      Layers: [arn:layer:2]\n"              // 20
      "      Environment:\n"                       // 21
      "        Variables: {LOG: debug}\n"          // 22
      "      VpcConfig: {SubnetIds: [b]}\n"        // 23
      "      Tags: {owner: alice}\n"               // 24
      "  Bare:\n"                                  // 25
      "    Type: AWS::Serverless::Function\n"      // 26
      "  Plain:\n"                                 // 27
      "    Type: AWS::Lambda::Function\n"          // 28
      "    Properties: {Runtime: nodejs20.x}\n"    // 29
      "  Api:\n"                                   // 30
      "    Type: AWS::Serverless::Api\n"           // 31
      "    Properties: {StageName: v1}\n";         // 32
  Template t = Load("sam.yaml", sam);
  ASSERT_EQ(t.resources.size(), 4u);
  const Resource& fn = *Find(t, "Fn");
  EXPECT_EQ(fn.properties, Json(R"({
    "Runtime": "python3.12", "Tracing": "Active", "Timeout": 5, "Handler": "app.handler",
    "Layers": ["arn:layer:1", "arn:layer:2"],
    "Environment": {"Variables": {"STAGE": "prod", "LOG": "debug"}},
    "VpcConfig": {"SubnetIds": ["b"]},
    "Tags": {"team": "ml", "owner": "alice"}})"));
  EXPECT_EQ(fn.tags, Json(R"({"team": "ml", "owner": "alice"})"));
  // Inherited keys point into Globals; the resource's own keys at themselves.
  EXPECT_EQ(fn.LineOf({"Tracing"}), 5);
  EXPECT_EQ(fn.LineOf({"Timeout"}), 19);
  EXPECT_EQ(fn.LineOf({"Layers", "0"}), 7);
  EXPECT_EQ(fn.LineOf({"Layers", "1"}), 20);
  EXPECT_EQ(fn.LineOf({"Environment", "Variables", "STAGE"}), 9);
  EXPECT_EQ(fn.LineOf({"Environment", "Variables", "LOG"}), 22);

  const Resource& bare = *Find(t, "Bare");
  EXPECT_EQ(At(bare.properties, {"Runtime"}), Value::String("python3.12"));
  EXPECT_EQ(At(bare.properties, {"VpcConfig"}),
            Json(R"({"Fn::If": ["InVpc", {"SubnetIds": ["a"]}, {"Ref": "AWS::NoValue"}]})"));
  EXPECT_EQ(bare.properties_line, 25);
  EXPECT_EQ(bare.LineOf({"Runtime"}), 4);

  // The document keeps the template as written.
  EXPECT_EQ(At(t.document, {"Resources", "Fn", "Properties", "Layers"}), Json(R"(["arn:layer:2"])"));
  EXPECT_EQ(At(t.document, {"Resources", "Bare", "Properties"}), Value());
  EXPECT_EQ(Find(t, "Plain")->properties, Json(R"({"Runtime": "nodejs20.x"})"));
  EXPECT_EQ(Find(t, "Api")->properties, Json(R"({"StageName": "v1", "TracingEnabled": true})"));
}

TEST(CloudFormation, SuppressionsFromEveryTool) {
  Template t = Load("s.yaml",
                    "Resources:\n"
                    "  B:\n"
                    "    Type: AWS::S3::Bucket\n"
                    "    Metadata:\n"
                    "      custody:\n"
                    "        skip:\n"
                    "          - CUSTODY_S3_VERSIONING\n"
                    "          - {id: CUSTODY_S3_LOGGING, reason: access logs go elsewhere}\n"
                    "      guard:\n"
                    "        SuppressedRules: [S3_BUCKET_LOGGING_ENABLED]\n"
                    "      cfn_nag:\n"
                    "        rules_to_suppress:\n"
                    "          - id: W35\n"
                    "            reason: no logs\n"
                    "      checkov:\n"
                    "        skip:\n"
                    "          - id: CKV_AWS_18\n"
                    "            comment: a log bucket\n");
  ASSERT_EQ(t.resources.size(), 1u);
  const auto& s = t.resources[0].suppressions;
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].id, "CUSTODY_S3_VERSIONING");
  EXPECT_EQ(s[0].reason, "");
  EXPECT_EQ(s[0].line, 7);
  EXPECT_EQ(s[1].id, "CUSTODY_S3_LOGGING");
  EXPECT_EQ(s[1].reason, "access logs go elsewhere");
  EXPECT_EQ(s[1].line, 8);
  EXPECT_EQ(s[2].id, "S3_BUCKET_LOGGING_ENABLED");
  EXPECT_EQ(s[2].line, 10);
  EXPECT_EQ(s[3].id, "W35");
  EXPECT_EQ(s[3].reason, "no logs");
  EXPECT_EQ(s[4].id, "CKV_AWS_18");
  EXPECT_EQ(s[4].reason, "a log bucket");
  EXPECT_EQ(s[4].line, 17);
}

TEST(CloudFormation, GuardSuppressionAsRuleNameToReason) {
  Template t = Load("g.yaml",
                    "Resources:\n"
                    "  P:\n"
                    "    Type: AWS::SQS::QueuePolicy\n"
                    "    Metadata:\n"
                    "      guard:\n"
                    "        SuppressedRules:\n"
                    "          - SQS_QUEUEPOLICY_NO_WILDCARD_ACTION: reviewed\n");
  ASSERT_EQ(t.resources.size(), 1u);
  const auto& s = t.resources[0].suppressions;
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].id, "SQS_QUEUEPOLICY_NO_WILDCARD_ACTION");
  EXPECT_EQ(s[0].reason, "reviewed");
  EXPECT_EQ(s[0].line, 7);
}

TEST(CloudFormation, SeveralDocumentsAreReadEach) {
  Template t = Load("m.yaml",
                    "Resources:\n"                    // 1
                    "  B:\n"                          // 2
                    "    Type: AWS::S3::Bucket\n"     // 3
                    "    Properties:\n"               // 4
                    "---\n"                           // 5
                    "# again\n"                       // 6
                    "Resources:\n"                    // 7
                    "  B:\n"                          // 8
                    "    Type: AWS::S3::Bucket\n"     // 9
                    "    Properties:\n"               // 10
                    "      BucketName: x\n"           // 11
                    "\n");
  ASSERT_EQ(t.resources.size(), 2u);
  EXPECT_EQ(t.resources[0].address, "B");
  EXPECT_EQ(t.resources[0].line, 2);
  EXPECT_EQ(t.resources[0].end_line, 4);
  EXPECT_EQ(t.resources[0].properties, Value::EmptyObject());
  EXPECT_EQ(t.resources[1].address, "B#2");
  EXPECT_EQ(t.resources[1].name, "B");
  EXPECT_EQ(t.resources[1].line, 8);
  EXPECT_EQ(t.resources[1].end_line, 11);
  EXPECT_EQ(t.resources[1].LineOf({"BucketName"}), 11);
  ASSERT_TRUE(t.document.is_array());
  EXPECT_EQ(t.document.size(), 2u);
}

TEST(CloudFormation, UnreadableResourcesAreWarnings) {
  Template t = Load("w.yaml",
                    "Resources:\n"
                    "  NoType:\n"
                    "    Properties: {A: 1}\n"
                    "  Scalar: hello\n"
                    "  Good:\n"
                    "    Type: AWS::SNS::Topic\n"
                    "    Properties: [1, 2]\n");
  ASSERT_EQ(t.resources.size(), 1u);
  EXPECT_EQ(t.resources[0].name, "Good");
  EXPECT_EQ(t.resources[0].properties, Value::EmptyObject());
  ASSERT_EQ(t.warnings.size(), 3u);
  EXPECT_EQ(t.warnings[0], "2: resource NoType has no Type; skipped");
  EXPECT_EQ(t.warnings[1], "4: resource Scalar is a scalar, not a mapping with Type and Properties; skipped");
  EXPECT_EQ(t.warnings[2], "7: resource Good: Properties is a sequence, not a mapping; ignored");
}

TEST(CloudFormation, MalformedInputIsAClearError) {
  EXPECT_EQ(LoadError("bad.yaml", "Resources:\n  A: [1, 2\n", kCloudFormation).rfind("bad.yaml:", 0), 0u);
  EXPECT_EQ(LoadError("r.yaml", "Resources:\n  - A\n  - B\n", kCloudFormation),
            "r.yaml:2:3: Resources must be a mapping of logical ids to resources (LogicalId: {Type: ..., "
            "Properties: ...}), not a sequence");
  EXPECT_EQ(LoadError("l.yaml", "- Resources\n", kCloudFormation),
            "l.yaml:1:1: a CloudFormation template is a mapping (Resources:, Parameters:, ...) at the top, not a "
            "sequence");
  EXPECT_EQ(LoadError("e.yaml", "# nothing\n", kCloudFormation),
            "e.yaml: the file is empty; a CloudFormation template is a mapping with a Resources section");
  EXPECT_EQ(LoadError("m.yaml", "Resources: {}\n---\n- x\n", kCloudFormation),
            "m.yaml:3:1: a CloudFormation template is a mapping (Resources:, Parameters:, ...) at the top, not a "
            "sequence");
  EXPECT_EQ(LoadError("k.yaml", "Resources:\n  A:\n    Type: X\n    Properties:\n      ? [a]\n      : 1\n",
                      kCloudFormation),
            "k.yaml:5:9: a mapping key must be a scalar, not a sequence; write the key as plain text");

  // An alias bomb and absurd nesting are refused quickly.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'k'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" +
            prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n";
  }
  bomb += "Resources: {}\n";
  auto start = std::chrono::steady_clock::now();
  EXPECT_NE(LoadError("bomb.yaml", bomb, kCloudFormation).find("alias bomb"), std::string::npos);
  std::string deep = "Resources:\n  A:\n    Type: X\n    Properties:\n      P: " + std::string(10000, '[') +
                     std::string(10000, ']') + "\n";
  std::string deep_error = LoadError("deep.yaml", deep, kCloudFormation);
  EXPECT_EQ(deep_error.rfind("deep.yaml:", 0), 0u) << deep_error;
  EXPECT_NE(deep_error.find("nested deeper than"), std::string::npos) << deep_error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}


// ---- Kubernetes ----

TEST(Kubernetes, OneResourcePerDocumentLinesAcrossDocuments) {
  const char k8s[] =
      "# web tier\n"                              // 1
      "apiVersion: apps/v1\n"                     // 2
      "kind: Deployment\n"                        // 3
      "metadata:\n"                               // 4
      "  name: web\n"                             // 5
      "  labels: {app: web, tier: \"1\"}\n"       // 6
      "spec:\n"                                   // 7
      "  template:\n"                             // 8
      "    spec:\n"                               // 9
      "      containers:\n"                       // 10
      "        - name: app\n"                     // 11
      "          image: nginx:1.27\n"             // 12
      "          securityContext:\n"              // 13
      "            privileged: true\n"            // 14
      "---\n"                                     // 15
      "apiVersion: serving.knative.dev/v1\n"      // 16
      "kind: Service\n"                           // 17
      "metadata:\n"                               // 18
      "  name: api\n"                             // 19
      "  namespace: prod\n"                       // 20
      "spec:\n"                                   // 21
      "  template:\n"                             // 22
      "    spec:\n"                               // 23
      "      containers: [{image: gcr.io/x/api}]\n"  // 24
      "---\n"                                     // 25
      "---\n"                                     // 26
      "apiVersion: v1\n"                          // 27
      "kind: List\n"                              // 28
      "items:\n"                                  // 29
      "  - apiVersion: v1\n"                      // 30
      "    kind: Service\n"                       // 31
      "    metadata: {name: web}\n"               // 32
      "  - apiVersion: v1\n"                      // 33
      "    kind: ConfigMap\n"                     // 34
      "    metadata: {name: cfg}\n";              // 35
  Template t = Load("app.yaml", k8s);
  EXPECT_EQ(t.format, kKubernetes);
  ASSERT_EQ(t.resources.size(), 4u);
  const Resource& web = t.resources[0];
  EXPECT_EQ(web.type, "Deployment");
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.address, "Deployment/default/web");
  EXPECT_EQ(web.line, 2);
  EXPECT_EQ(web.end_line, 14);
  EXPECT_EQ(web.tags, Json(R"({"app": "web", "tier": "1"})"));
  EXPECT_EQ(At(web.properties, {"spec", "template", "spec", "containers", "0", "securityContext", "privileged"}),
            Value::Bool(true));
  EXPECT_EQ(web.LineOf({"spec", "template", "spec", "containers", "0", "securityContext", "privileged"}), 14);
  EXPECT_EQ(web.LineOf({"spec", "template", "spec", "containers", "0", "resources", "limits"}), 11);
  EXPECT_EQ(web.LineOf({"metadata", "labels"}), 6);

  const Resource& api = t.resources[1];
  EXPECT_EQ(api.type, "serving.knative.dev/Service");
  EXPECT_EQ(api.address, "serving.knative.dev/Service/prod/api");
  EXPECT_EQ(api.line, 16);
  EXPECT_EQ(api.end_line, 24);
  EXPECT_EQ(api.tags, Value::EmptyObject());
  EXPECT_EQ(api.LineOf({"spec", "template", "spec", "containers", "0", "image"}), 24);
  EXPECT_EQ(api.LineOf({"spec", "template", "spec", "containers", "0", "securityContext"}), 24);

  EXPECT_EQ(t.resources[2].address, "Service/default/web");
  EXPECT_EQ(t.resources[2].line, 30);
  EXPECT_EQ(t.resources[2].end_line, 32);
  EXPECT_EQ(t.resources[3].address, "ConfigMap/default/cfg");
  EXPECT_EQ(t.resources[3].line, 33);
  EXPECT_TRUE(t.warnings.empty());
  ASSERT_TRUE(t.document.is_array());
  EXPECT_EQ(t.document.size(), 3u);
}

TEST(Kubernetes, CheckovSkipAnnotations) {
  Template t = Load("p.yaml",
                    "apiVersion: v1\n"
                    "kind: Pod\n"
                    "metadata:\n"
                    "  name: p\n"
                    "  annotations:\n"
                    "    checkov.io/skip1: CKV_K8S_20=runs as root on purpose\n"
                    "    checkov.io/skip2: CKV_K8S_8\n"
                    "    other: x\n");
  ASSERT_EQ(t.resources.size(), 1u);
  const auto& s = t.resources[0].suppressions;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].id, "CKV_K8S_20");
  EXPECT_EQ(s[0].reason, "runs as root on purpose");
  EXPECT_EQ(s[0].line, 6);
  EXPECT_EQ(s[1].id, "CKV_K8S_8");
  EXPECT_EQ(s[1].reason, "");
}

TEST(Kubernetes, DocumentsWithoutKindAreWarnings) {
  Template t = Load("k.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nfoo: 1\n---\n- x\n");
  ASSERT_EQ(t.resources.size(), 1u);
  ASSERT_EQ(t.warnings.size(), 2u);
  EXPECT_EQ(t.warnings[0], "5: document 2 has no kind; skipped");
  EXPECT_EQ(t.warnings[1], "7: document 3 is a sequence, not a Kubernetes object; skipped");
  EXPECT_EQ(LoadError("k.yaml", "kind: Pod\n---\nkind: [\n", kKubernetes).rfind("k.yaml:", 0), 0u);
}

// ---- Serverless Framework ----

TEST(Serverless, FunctionsInheritProviderSettings) {
  const char sls[] =
      "service: shop\n"                           // 1
      "provider:\n"                               // 2
      "  name: aws\n"                             // 3
      "  runtime: python3.12\n"                   // 4
      "  memorySize: 512\n"                       // 5
      "  tracing:\n"                              // 6
      "    lambda: true\n"                        // 7
      "  environment:\n"                          // 8
      "    STAGE: prod\n"                         // 9
      "    LOG: info\n"                           // 10
      "  iam:\n"                                  // 11
      "    role: arn:aws:iam::1:role/shared\n"    // 12
      "  vpc:\n"                                  // 13
      "    securityGroupIds: [sg-1]\n"            // 14
      "  tags: {team: shop}\n"                    // 15
      "functions:\n"                              // 16
      "  checkout:\n"                             // 17
      "    handler: checkout.main\n"              // 18
      "    memorySize: 1024\n"                    // 19
      "    environment:\n"                        // 20
      "      LOG: debug\n"                        // 21
      "    tags: {owner: bob}\n"                  // 22
      "  ping:\n"                                 // 23
      "    handler: ping.main\n"                  // 24
      "    role: arn:aws:iam::1:role/ping\n"      // 25
      "    tracing: PassThrough\n"                // 26
      "resources:\n"                              // 27
      "  Resources:\n"                            // 28
      "    Orders:\n"                             // 29
      "      Type: AWS::DynamoDB::Table\n"        // 30
      "      Properties:\n"                       // 31
      "        SSESpecification: {SSEEnabled: false}\n"  // 32
      "  Outputs: {}\n";                          // 33
  Template t = Load("svc/serverless.yml", sls);
  EXPECT_EQ(t.format, kServerless);
  ASSERT_EQ(t.resources.size(), 3u);
  const Resource& checkout = t.resources[0];
  EXPECT_EQ(checkout.type, "serverless:function");
  EXPECT_EQ(checkout.name, "checkout");
  EXPECT_EQ(checkout.line, 17);
  EXPECT_EQ(checkout.end_line, 22);
  EXPECT_EQ(checkout.properties, Json(R"({
    "handler": "checkout.main", "memorySize": 1024, "runtime": "python3.12", "tracing": true,
    "environment": {"STAGE": "prod", "LOG": "debug"},
    "iam": {"role": "arn:aws:iam::1:role/shared"}, "role": "arn:aws:iam::1:role/shared",
    "vpc": {"securityGroupIds": ["sg-1"]}, "tags": {"team": "shop", "owner": "bob"}})"));
  EXPECT_EQ(checkout.tags, Json(R"({"team": "shop", "owner": "bob"})"));
  EXPECT_EQ(checkout.LineOf({"memorySize"}), 19);
  EXPECT_EQ(checkout.LineOf({"runtime"}), 4);
  EXPECT_EQ(checkout.LineOf({"tracing"}), 7);
  EXPECT_EQ(checkout.LineOf({"environment", "LOG"}), 21);
  EXPECT_EQ(checkout.LineOf({"environment", "STAGE"}), 9);
  EXPECT_EQ(checkout.LineOf({"timeout"}), 17);

  const Resource& ping = t.resources[1];
  EXPECT_EQ(At(ping.properties, {"role"}), Value::String("arn:aws:iam::1:role/ping"));
  EXPECT_EQ(At(ping.properties, {"tracing"}), Value::String("PassThrough"));
  EXPECT_EQ(At(ping.properties, {"memorySize"}), Value::Int(512));
  EXPECT_EQ(ping.end_line, 26);

  const Resource& table = t.resources[2];
  EXPECT_EQ(table.type, "AWS::DynamoDB::Table");
  EXPECT_EQ(table.address, "Orders");
  EXPECT_EQ(table.line, 29);
  EXPECT_EQ(table.end_line, 32);
  EXPECT_EQ(table.LineOf({"SSESpecification", "SSEEnabled"}), 32);
}

TEST(Serverless, MalformedFileIsAnError) {
  EXPECT_EQ(LoadError("serverless.yml", "- a\n", kServerless),
            "serverless.yml:1:1: serverless.yml is a mapping (service:, provider:, functions:) at the top, not a "
            "sequence");
  EXPECT_EQ(LoadError("serverless.yml", "functions:\n  a: {handler: x\n", kServerless).rfind("serverless.yml:", 0),
            0u);
}

// ---- Terraform plan JSON ----

TEST(TerraformPlan, RootAndChildModules) {
  const char plan[] = R"({
  "format_version": "1.2",
  "terraform_version": "1.9.5",
  "planned_values": {
    "root_module": {
      "resources": [
        {
          "address": "aws_s3_bucket.logs",
          "mode": "managed",
          "type": "aws_s3_bucket",
          "name": "logs",
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "values": {
            "bucket": "logs",
            "force_destroy": false,
            "tags": {"owner": "ml"}
          }
        },
        {"address": "data.aws_caller_identity.me", "mode": "data", "type": "aws_caller_identity", "name": "me", "values": {}}
      ],
      "child_modules": [
        {
          "address": "module.net",
          "resources": [
            {"address": "module.net.aws_security_group.web[0]", "mode": "managed", "type": "aws_security_group",
             "name": "web", "index": 0,
             "values": {"ingress": [{"cidr_blocks": ["0.0.0.0/0"], "from_port": 22}], "tags": null}}
          ],
          "child_modules": [
            {"address": "module.net.module.inner",
             "resources": [{"address": "module.net.module.inner.aws_kms_key.k", "mode": "managed",
                            "type": "aws_kms_key", "name": "k", "values": {"enable_key_rotation": true}}]}
          ]
        }
      ]
    }
  }
}
)";
  Template t = Load("plan.json", plan);
  EXPECT_EQ(t.format, kTerraformPlan);
  ASSERT_EQ(t.resources.size(), 3u);
  const Resource& logs = t.resources[0];
  EXPECT_EQ(logs.type, "aws_s3_bucket");
  EXPECT_EQ(logs.name, "logs");
  EXPECT_EQ(logs.address, "aws_s3_bucket.logs");
  EXPECT_EQ(logs.line, 7);
  EXPECT_EQ(logs.end_line, 18);
  EXPECT_EQ(logs.properties_line, 13);
  EXPECT_EQ(logs.properties, Json(R"({"bucket": "logs", "force_destroy": false, "tags": {"owner": "ml"}})"));
  EXPECT_EQ(logs.tags, Json(R"({"owner": "ml"})"));
  EXPECT_EQ(logs.LineOf({"force_destroy"}), 15);
  EXPECT_EQ(logs.LineOf({"versioning"}), 13);
  EXPECT_EQ(At(logs.metadata, {"provider"}), Value::String("registry.terraform.io/hashicorp/aws"));

  const Resource& sg = t.resources[1];
  EXPECT_EQ(sg.address, "module.net.aws_security_group.web[0]");
  EXPECT_EQ(sg.type, "aws_security_group");
  EXPECT_EQ(sg.tags, Value::EmptyObject());
  EXPECT_EQ(sg.line, 25);
  EXPECT_EQ(sg.LineOf({"ingress", "0", "cidr_blocks", "0"}), 27);
  EXPECT_EQ(At(sg.metadata, {"index"}), Value::Int(0));

  EXPECT_EQ(t.resources[2].address, "module.net.module.inner.aws_kms_key.k");
  EXPECT_EQ(At(t.resources[2].properties, {"enable_key_rotation"}), Value::Bool(true));
  EXPECT_EQ(At(t.document, {"terraform_version"}), Value::String("1.9.5"));
}

TEST(TerraformPlan, NotAPlanIsAnError) {
  EXPECT_EQ(LoadError("p.json", "{\"format_version\": \"1.2\"}", kTerraformPlan),
            "p.json:1:1: no planned_values object; write the plan with `terraform plan -out PLANFILE` and convert "
            "it with `terraform show -json PLANFILE`");
  EXPECT_EQ(LoadError("p.json", "[1]", kTerraformPlan),
            "p.json:1:1: a Terraform plan is a JSON object (the output of `terraform show -json PLANFILE`)");
  EXPECT_EQ(LoadError("p.json", "{\"planned_values\": {\"root_module\": {\"resources\": 3}}}", kTerraformPlan),
            "p.json:1:50: resources must be an array of resource objects, not a scalar");
}

// ---- The shared corpus ----

std::optional<std::filesystem::path> Corpus() {
  std::filesystem::path p = std::filesystem::path(CUSTODY_SOURCE_DIR "/../shared") / "corpus";
  if (!std::filesystem::is_directory(p)) return std::nullopt;
  return p;
}

bool IsTemplateName(const std::filesystem::path& p) {
  std::string ext = p.extension().string();
  return ext == ".yaml" || ext == ".yml" || ext == ".json";
}

// Every file either loads or gives an Error; which files load is reported.
TEST(IacCorpus, EveryTemplateLoadsOrIsRefused) {
  auto corpus = Corpus();
  if (!corpus) GTEST_SKIP() << "no ../shared/corpus beside the source tree";
  size_t files = 0, loaded = 0, refused = 0, skipped = 0, resources = 0;
  auto visit = [&](const std::filesystem::path& dir, bool any_name) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file() || (!any_name && !IsTemplateName(e.path()))) continue;
      ++files;
      std::string content = testing::ReadAll(e.path());
      std::string format = DetectFormat(e.path().string(), content);
      if (format.empty() || format == kTerraform) {
        ++skipped;
        continue;
      }
      auto t = LoadTemplate(e.path().string(), content, format);
      if (t.ok()) {
        ++loaded;
        resources += t->resources.size();
      } else {
        ++refused;
        EXPECT_EQ(t.error().message().rfind(e.path().string() + ":", 0), 0u) << t.error().message();
      }
    }
  };
  visit(*corpus / "cfn-templates", true);
  visit(*corpus / "iac", false);
  std::printf("iac corpus: %zu files, %zu loaded (%zu resources), %zu refused, %zu not IaC or Terraform\n", files,
              loaded, resources, refused, skipped);
  EXPECT_GT(loaded, 300u);
}

// KICS's labels: every resource its expected.json names is found with that
// logical id, type and first line.
TEST(IacCorpus, KicsResourcesAtTheirLines) {
  auto corpus = Corpus();
  if (!corpus) GTEST_SKIP() << "no ../shared/corpus beside the source tree";
  size_t checked = 0, end_lines = 0, end_lines_equal = 0;
  for (const auto& dir : std::filesystem::directory_iterator(*corpus / "iac" / "kics")) {
    auto expected = ParseJson(testing::ReadAll(dir.path() / "expected.json"), "expected.json");
    ASSERT_TRUE(expected.ok());
    for (const auto& [name, file] : (*expected)["files"].items()) {
      std::filesystem::path path = dir.path() / name;
      std::string content = testing::ReadAll(path);
      std::string format = DetectFormat(path.string(), content);
      EXPECT_EQ(format, kCloudFormation) << path;
      auto t = LoadTemplate(path.string(), content, format);
      if (!file["parseError"].is_null()) {
        EXPECT_FALSE(t.ok()) << path;
        continue;
      }
      ASSERT_TRUE(t.ok()) << t.error().message();
      for (const auto& want : file["resources"]) {
        const Resource* r = Find(*t, want["logicalId"].get<std::string>());
        ASSERT_NE(r, nullptr) << path << " " << want.dump();
        EXPECT_EQ(r->type, want["type"].get<std::string>()) << path;
        EXPECT_EQ(r->line, want["startLine"].get<int>()) << path << " " << r->name;
        if (want.contains("endLine")) {
          ++end_lines;
          if (r->end_line == want["endLine"].get<int>()) ++end_lines_equal;
        }
        ++checked;
      }
    }
  }
  std::printf("kics labels: %zu resources found at their lines; end lines agree for %zu of %zu\n", checked,
              end_lines_equal, end_lines);
  EXPECT_GT(checked, 50u);
}

}  // namespace
}  // namespace custody::iac
