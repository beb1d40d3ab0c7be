// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterTypes(BuiltinTable&) {}

}  // namespace custody::rego
