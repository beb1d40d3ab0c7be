#include "iac/loaders.h"

namespace custody::iac {

Result<Template> LoadServerless(const std::string& path, std::string_view) {
  return Error::Input(path + ": serverless.yml are not read yet");
}

}  // namespace custody::iac
