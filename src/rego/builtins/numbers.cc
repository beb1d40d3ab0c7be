// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterNumbers(BuiltinTable&) {}

}  // namespace custody::rego
