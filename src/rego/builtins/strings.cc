// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterStrings(BuiltinTable&) {}

}  // namespace custody::rego
