// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterJsonSchema(BuiltinTable&) {}

}  // namespace custody::rego
