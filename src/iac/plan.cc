#include "iac/loaders.h"

namespace custody::iac {

Result<Template> LoadTerraformPlan(const std::string& path, std::string_view) {
  return Error::Input(path + ": Terraform plan JSON are not read yet");
}

}  // namespace custody::iac
