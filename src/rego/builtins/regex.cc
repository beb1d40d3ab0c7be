// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterRegex(BuiltinTable&) {}

}  // namespace custody::rego
