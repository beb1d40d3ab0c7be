// Fuzzes JSON and YAML to Rego values: whatever parses must print as JSON
// that parses back to an equal value (sets and non-string keys aside, which
// JSON text cannot hold and these readers never produce).
#include <cstdint>
#include <string>
#include <string_view>

#include "core/yaml.h"
#include "fuzz_check.h"
#include "rego/value.h"
#include "rego/builtins/encoding_yaml.h"

using custody::fuzz::Check;
namespace rego = custody::rego;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto v = rego::ParseJsonValue(text, "fuzz.json"); v.ok()) {
    std::string json = v->ToJson();
    auto back = rego::ParseJsonValue(json, "again.json");
    Check(back.ok());
    Check(rego::Compare(*v, *back) == 0);
    Check(!v->ToRego().empty());
  } else {
    Check(!v.error().message().empty());
  }
  if (auto y = custody::ParseYamlDocuments(text, "fuzz.yaml"); y.ok()) {
    for (const auto& doc : *y) {
      auto v = rego::goyaml::FromNode(doc);
      if (!v.ok()) continue;
      auto back = rego::ParseJsonValue(v->ToJson(), "yaml.json");
      Check(back.ok());
    }
  }
  return 0;
}
