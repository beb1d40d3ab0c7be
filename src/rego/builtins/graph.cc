// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterGraph(BuiltinTable&) {}

}  // namespace custody::rego
