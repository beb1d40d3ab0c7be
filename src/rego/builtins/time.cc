// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterTime(BuiltinTable&) {}

}  // namespace custody::rego
