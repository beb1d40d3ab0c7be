// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterSemver(BuiltinTable&) {}

}  // namespace custody::rego
