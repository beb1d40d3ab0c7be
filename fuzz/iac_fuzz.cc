// Fuzzes the infrastructure-as-code loaders other than Terraform HCL
// (CloudFormation/SAM, Terraform plan JSON, Kubernetes, Serverless): format
// detection and loading must never crash; a loaded template's lines lie in
// the input and every resource's value is an object; an error names the file.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "iac/resource.h"

using custody::fuzz::Check;
namespace iac = custody::iac;

namespace {

void CheckTemplate(const iac::Template& t, int lines) {
  for (const iac::Resource& r : t.resources) {
    Check(!r.type.empty() && !r.address.empty());
    Check(r.line >= 1 && r.line <= lines);
    Check(r.end_line >= r.line && r.end_line <= lines);
    Check(r.properties_line >= 1 && r.properties_line <= lines);
    Check(r.properties.is_object() && r.tags.is_object() && r.metadata.is_object());
    for (const auto& [path, line] : r.key_lines) Check(line >= 1 && line <= lines);
    for (const auto& [k, v] : r.tags.object()) Check(k.is_string() && v.is_string());
    int at = r.LineOf({"no", "such", "key"});
    Check(at >= 1 && at <= lines);
    if (!r.key_lines.empty()) {
      // The first recorded key's own line comes back.
      const auto& [path, line] = *r.key_lines.begin();
      std::vector<std::string> segments;
      size_t start = 0;
      for (size_t slash = path.find('/'); ; slash = path.find('/', start)) {
        segments.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
        if (slash == std::string::npos) break;
        start = slash + 1;
      }
      bool escaped = path.find('~') != std::string::npos;
      if (!escaped) Check(r.LineOf(segments) == line);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  int lines = 1;
  for (char c : text)
    if (c == '\n') ++lines;
  static const char* const kNames[] = {"template.yaml", "template.json", "serverless.yml", "plan.json",
                                       "deploy.yml"};
  for (const char* name : kNames) {
    std::string format = iac::DetectFormat(name, text);
    Check(format != iac::kTerraform);
  }
  static const char* const kFormats[] = {iac::kCloudFormation, iac::kTerraformPlan, iac::kKubernetes,
                                         iac::kServerless};
  for (const char* format : kFormats) {
    auto t = iac::LoadTemplate("fuzz.yaml", text, format);
    if (t.ok()) {
      Check(t->format == format && t->file == "fuzz.yaml");
      CheckTemplate(*t, lines);
    } else {
      Check(t.error().message().rfind("fuzz.yaml", 0) == 0);
    }
  }
  return 0;
}
