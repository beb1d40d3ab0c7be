// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterGlob(BuiltinTable&) {}

}  // namespace custody::rego
