// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterTokens(BuiltinTable&) {}

}  // namespace custody::rego
