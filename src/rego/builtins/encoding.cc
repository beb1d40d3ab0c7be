// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterEncoding(BuiltinTable&) {}

}  // namespace custody::rego
