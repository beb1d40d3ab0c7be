// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterProvidersAws(BuiltinTable&) {}

}  // namespace custody::rego
