// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterArrays(BuiltinTable&) {}

}  // namespace custody::rego
