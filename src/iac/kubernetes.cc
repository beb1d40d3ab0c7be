#include "iac/loaders.h"

namespace custody::iac {

Result<Template> LoadKubernetes(const std::string& path, std::string_view) {
  return Error::Input(path + ": Kubernetes manifests are not read yet");
}

}  // namespace custody::iac
