// Infrastructure-as-code as the posture scanner sees it: every loader
// (CloudFormation YAML/JSON, SAM, Terraform HCL, Terraform plan JSON,
// Kubernetes manifests, Serverless Framework) turns a file into one Template
// of normalized Resources, each value keeping the line it came from so a
// finding can point at the offending key.
//
// A Resource becomes the Rego input of per-resource checks:
//   {"resource_type", "name", "address", "format", "file", "line",
//    "properties", "tags", "metadata"}
// and a Template the input of whole-template checks (joins such as a bucket
// and its policy): {"format", "file", "resources": [...], "document"}.
// Plain values; safe to share between threads once loaded.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "rego/value.h"

namespace custody::iac {

// The loaders, by the name that appears in `input.format` and in SARIF.
inline constexpr const char* kCloudFormation = "cloudformation";  // incl. SAM (AWS::Serverless::*)
inline constexpr const char* kTerraform = "terraform";            // .tf (HCL)
inline constexpr const char* kTerraformPlan = "terraform-plan";   // `terraform show -json`
inline constexpr const char* kKubernetes = "kubernetes";          // incl. Knative / Cloud Run Service
inline constexpr const char* kServerless = "serverless";          // serverless.yml

// A check turned off for one resource, as written in the template: a
// CloudFormation resource's Metadata (custody's own `custody.skip`,
// cfn-guard's `guard.SuppressedRules`, cfn_nag's `cfn_nag.rules_to_suppress`,
// checkov's `checkov.skip`), or an HCL `#checkov:skip=ID:reason` comment.
// `id` is the id as written (a custody rule id, a Checkov id such as
// CKV_AWS_45, a cfn-guard rule name or a cfn_nag id); the scanner matches it
// against every id a rule corresponds to.
struct Suppression {
  std::string id;
  std::string reason;  // "" when none was given
  int line = 0;
};

struct Resource {
  // CloudFormation/SAM type ("AWS::Lambda::Function"), Terraform resource
  // type ("aws_lambda_function"), Kubernetes kind ("Deployment",
  // "serving.knative.dev/Service" for Knative), Serverless Framework
  // "serverless:function".
  std::string type;
  // The logical id, the Terraform resource name, metadata.name, or the
  // function's key.
  std::string name;
  // Unique within its template: the logical id, "aws_s3_bucket.logs" (plan:
  // the full module address), "Deployment/default/web".
  std::string address;
  // CloudFormation Properties with SAM Globals applied; the attributes and
  // nested blocks of a Terraform resource (a repeated block is an array of
  // objects, a single block an object); the whole Kubernetes manifest.
  // Intrinsic functions are kept in their long form ({"Ref": "X"},
  // {"Fn::GetAtt": ["A", "Arn"]}); Terraform references that cannot be
  // resolved to a literal are kept as their text ("aws_kms_key.main.arn").
  rego::Value properties = rego::Value::EmptyObject();
  // Tags as an object of strings: CloudFormation's [{Key, Value}] lists and
  // maps, Terraform's `tags`, Kubernetes metadata.labels. Empty when none.
  rego::Value tags = rego::Value::EmptyObject();
  // CloudFormation Metadata; Terraform meta-arguments (count, for_each,
  // provider, depends_on) when present; otherwise empty.
  rego::Value metadata = rego::Value::EmptyObject();
  // 1-based lines: the resource's first line (its logical id or block
  // header), its last line, and the line of the key that holds the
  // properties ("Properties:" in CloudFormation; the header elsewhere).
  int line = 0;
  int end_line = 0;
  int properties_line = 0;
  // Line of every key and array item under `properties`, by path: the keys
  // and 0-based indexes from `properties` down, joined with '/' (object keys
  // containing '/' or '~' escaped as in JSON Pointer: "~1", "~0").
  // "VpcConfig" and "VpcConfig/SecurityGroupIds/0" for example.
  std::map<std::string, int, std::less<>> key_lines;
  std::vector<Suppression> suppressions;

  // The line to report for a finding about `path` (keys and decimal indexes
  // under `properties`): the line of the longest prefix of `path` that
  // exists, else properties_line, else line. This is KICS's convention: the
  // offending key where it exists, otherwise its deepest existing ancestor.
  int LineOf(const std::vector<std::string>& path) const;
};

struct Template {
  std::string file;    // as given to the loader
  std::string format;  // one of the k* names above
  std::vector<Resource> resources;
  // The whole file as a value (all documents as an array for multi-document
  // YAML), after the same normalization as `properties`.
  rego::Value document;
  // Problems that did not stop loading (a resource without Type, an
  // unresolvable Globals section): "LINE: what is wrong".
  std::vector<std::string> warnings;
};

// Which loader reads `path`, from its name and, for .yaml/.yml/.json, a
// look at its content: "" when the file is not infrastructure-as-code the
// scanner knows (a scan of a directory skips such files; a file named on the
// command line is then an error).
std::string DetectFormat(const std::string& path, std::string_view content);

// Loads one file whose content has been read. Errors say which file, line
// and column, and what is wrong. Parse limits of core/yaml apply (alias
// bombs and deep nesting are refused quickly).
Result<Template> LoadTemplate(const std::string& path, std::string_view content, std::string_view format);

// The JSON Pointer-style escaping used in Resource::key_lines.
std::string EscapePathSegment(std::string_view key);
std::string JoinPath(const std::vector<std::string>& path);

}  // namespace custody::iac
