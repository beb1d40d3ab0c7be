// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterUnits(BuiltinTable&) {}

}  // namespace custody::rego
