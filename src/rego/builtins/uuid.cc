// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterUuid(BuiltinTable&) {}

}  // namespace custody::rego
