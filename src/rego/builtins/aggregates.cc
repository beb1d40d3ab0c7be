// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterAggregates(BuiltinTable&) {}

}  // namespace custody::rego
