// One loader per format; LoadTemplate (resource.h) dispatches to them. Each
// takes the file's path (for messages and Template::file) and its content.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "iac/resource.h"

namespace custody::iac {

// CloudFormation and SAM, YAML or JSON (JSON is read as YAML so every value
// keeps its line): short-form tags read as their long forms, SAM Globals
// applied to AWS::Serverless::* resources, Metadata suppressions collected.
Result<Template> LoadCloudFormation(const std::string& path, std::string_view content);

// Terraform HCL (.tf): resource and data blocks; variables with literal
// defaults and literal locals substituted; other expressions kept as text;
// `#checkov:skip=ID:reason` comments inside a block collected.
Result<Template> LoadTerraform(const std::string& path, std::string_view content);

// `terraform show -json` output: planned_values (root and child modules).
Result<Template> LoadTerraformPlan(const std::string& path, std::string_view content);

// Kubernetes manifests (multi-document YAML; Knative / Cloud Run Service).
Result<Template> LoadKubernetes(const std::string& path, std::string_view content);

// Serverless Framework serverless.yml: functions with provider settings.
Result<Template> LoadServerless(const std::string& path, std::string_view content);

}  // namespace custody::iac
