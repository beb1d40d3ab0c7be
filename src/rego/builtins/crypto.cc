// Placeholder until this group is written.
#include "rego/builtins.h"

namespace custody::rego {

void RegisterCrypto(BuiltinTable&) {}

}  // namespace custody::rego
