// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterHttp(BuiltinTable&) {}

}  // namespace custody::rego
