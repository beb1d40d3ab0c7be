// The default built-in table: every group registered once.
#include "rego/builtins.h"

namespace custody::rego {

const BuiltinTable& DefaultBuiltins() {
  static const BuiltinTable table = [] {
    BuiltinTable t;
    RegisterAggregates(t);
    RegisterArrays(t);
    RegisterSets(t);
    RegisterObjects(t);
    RegisterStrings(t);
    RegisterRegex(t);
    RegisterGlob(t);
    RegisterEncoding(t);
    RegisterTime(t);
    RegisterUnits(t);
    RegisterNet(t);
    RegisterSemver(t);
    RegisterUuid(t);
    RegisterGraph(t);
    RegisterCrypto(t);
    RegisterTokens(t);
    RegisterTypes(t);
    RegisterNumbers(t);
    RegisterBits(t);
    RegisterConversions(t);
    RegisterGraphql(t);
    RegisterJsonSchema(t);
    RegisterProvidersAws(t);
    RegisterHttp(t);
    return t;
  }();
  return table;
}

}  // namespace custody::rego
