// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterSets(BuiltinTable&) {}

}  // namespace custody::rego
