// Fuzzes the Terraform loader (and through it the HCL reader) with arbitrary
// bytes: no crash or hang, every refusal carries "FILE:LINE:COL: ...", and
// loading the same bytes twice gives the same template (resources, values,
// lines, suppressions, document) or the same error.
#include <cstdint>
#include <string>

#include "fuzz_check.h"
#include "iac/hcl.h"
#include "iac/loaders.h"

using custody::fuzz::Check;

namespace {

bool SameTemplate(const custody::iac::Template& a, const custody::iac::Template& b) {
  if (a.resources.size() != b.resources.size() || a.warnings != b.warnings || a.document != b.document) return false;
  for (size_t i = 0; i < a.resources.size(); ++i) {
    const auto& x = a.resources[i];
    const auto& y = b.resources[i];
    if (x.type != y.type || x.name != y.name || x.address != y.address || x.line != y.line ||
        x.end_line != y.end_line || x.properties_line != y.properties_line || x.properties != y.properties ||
        x.tags != y.tags || x.metadata != y.metadata || x.key_lines != y.key_lines ||
        x.suppressions.size() != y.suppressions.size()) {
      return false;
    }
    for (size_t k = 0; k < x.suppressions.size(); ++k) {
      if (x.suppressions[k].id != y.suppressions[k].id || x.suppressions[k].reason != y.suppressions[k].reason ||
          x.suppressions[k].line != y.suppressions[k].line) {
        return false;
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = custody::iac::hcl::Parse("fuzz.tf", text);
  auto first = custody::iac::LoadTerraform("fuzz.tf", text);
  auto second = custody::iac::LoadTerraform("fuzz.tf", text);
  Check(first.ok() == second.ok());
  if (!first.ok()) {
    const std::string& m = first.error().message();
    Check(m.rfind("fuzz.tf:", 0) == 0);
    Check(m == second.error().message());
    return 0;
  }
  Check(parsed.ok());
  Check(SameTemplate(*first, *second));
  for (const auto& r : first->resources) {
    Check(r.line >= 1 && r.end_line >= r.line && r.properties_line == r.line);
    Check(r.properties.is_object() && r.tags.is_object() && r.metadata.is_object());
    for (const auto& [path, line] : r.key_lines) Check(line >= r.line && line <= r.end_line);
    for (const auto& s : r.suppressions) Check(!s.id.empty() && s.line >= r.line && s.line <= r.end_line);
    for (const auto& [k, v] : r.tags.object()) Check(k.is_string() && v.is_string());
  }
  return 0;
}
