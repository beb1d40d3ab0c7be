// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterConversions(BuiltinTable&) {}

}  // namespace custody::rego
