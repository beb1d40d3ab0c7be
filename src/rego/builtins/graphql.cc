// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterGraphql(BuiltinTable&) {}

}  // namespace custody::rego
