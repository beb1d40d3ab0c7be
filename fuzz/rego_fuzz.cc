// Fuzzes the Rego front end and evaluator: arbitrary text is lexed and parsed
// as a v1 and as a v0 module; whatever compiles is evaluated (its whole
// package document) with a small input, under a tight recursion bound. Bad
// policies must give errors, never crashes or hangs.
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "rego/compiler.h"
#include "rego/eval.h"

using custody::fuzz::Check;
namespace rego = custody::rego;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  std::string text(reinterpret_cast<const char*>(data), size);
  for (auto version : {rego::RegoVersion::kV1, rego::RegoVersion::kV0}) {
    rego::CompileOptions co;
    co.version = version;
    co.v0_fallback = false;
    auto policy = rego::Compile({{"fuzz.rego", text}}, rego::Value::EmptyObject(), co);
    if (!policy.ok()) {
      Check(!policy.error().message().empty());
      continue;
    }
    auto q = (*policy)->CompileQuery("x := data", version);
    Check(q.ok());
    rego::EvalOptions eo;
    eo.input = rego::Value::Object({{rego::Value::String("a"), rego::Value::Int(1)}});
    eo.max_depth = 64;
    eo.now_ns = 1;
    auto rows = rego::Evaluate(**policy, *q, eo);
    if (rows.ok()) {
      for (const auto& r : *rows)
        for (const auto& [name, v] : r.bindings) Check(!v.ToJson().empty());
    }
  }
  // A query on its own.
  auto empty = rego::Compile({}, rego::Value::EmptyObject(), {});
  Check(empty.ok());
  auto q = (*empty)->CompileQuery(text, rego::RegoVersion::kV1);
  if (q.ok()) {
    rego::EvalOptions eo;
    eo.max_depth = 64;
    eo.now_ns = 1;
    (void)rego::Evaluate(**empty, *q, eo);
  }
  return 0;
}
