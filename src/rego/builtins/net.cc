// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterNet(BuiltinTable&) {}

}  // namespace custody::rego
