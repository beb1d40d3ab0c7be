// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterObjects(BuiltinTable&) {}

}  // namespace custody::rego
