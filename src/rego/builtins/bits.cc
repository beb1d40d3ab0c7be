// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterBits(BuiltinTable&) {}

}  // namespace custody::rego
