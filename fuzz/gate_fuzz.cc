// Fuzzes the gate's inputs: trust files (TrustPolicy::Parse, with an empty
// temporary directory as the base for key paths) and predicates of every
// known type (ValidatePredicate over the input read as JSON). Nothing may
// crash; the same input gives the same result twice; errors say where.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "attest/predicates.h"
#include "core/json.h"
#include "fuzz_check.h"
#include "gate/trust.h"

using custody::fuzz::Check;

namespace {

// Never freed, so the exit handler that removes the directory can still read
// its name.
const std::string& BaseDir() {
  static const std::string* dir = [] {
    std::string tmpl = (std::filesystem::temp_directory_path() / "custody-gate-fuzz-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
    return new std::string(tmpl);
  }();
  static const bool cleanup = [] {
    // It stays empty, so every relative key path is missing.
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(*dir, ec);
    });
    return true;
  }();
  (void)cleanup;
  return *dir;
}

std::string Summary(const custody::Result<custody::gate::TrustPolicy>& t) {
  if (!t.ok()) return "error: " + t.error().message();
  std::string s;
  for (const auto& k : t->keys()) {
    s += k.name + "|" + k.keyid + "|" + std::to_string(k.predicates.size()) + "|" + std::to_string(k.models.size()) +
         "|" + (k.valid_after_ns ? std::to_string(*k.valid_after_ns) : "-") + "|" +
         (k.valid_before_ns ? std::to_string(*k.valid_before_ns) : "-") + ";";
  }
  for (const auto& r : t->revoked()) s += r + ",";
  for (const auto& th : t->thresholds()) s += th.predicate + "=" + std::to_string(th.signers) + ",";
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto trust = custody::gate::TrustPolicy::Parse(text, "fuzz.yaml", BaseDir());
  Check(Summary(trust) == Summary(custody::gate::TrustPolicy::Parse(text, "fuzz.yaml", BaseDir())));
  if (trust.ok()) {
    Check(!trust->keys().empty());
    for (const auto& k : trust->keys()) {
      Check(!k.name.empty() && k.keyid.size() == 64 && !k.key.has_value() && k.line > 0);
      if (k.valid_after_ns && k.valid_before_ns) {
        Check(*k.valid_after_ns < *k.valid_before_ns);
        Check(k.ValidAt(*k.valid_after_ns) && !k.ValidAt(*k.valid_before_ns));
      }
      Check(trust->Find(k.keyid).size() >= 1);
    }
    for (const auto& th : trust->thresholds()) Check(th.signers >= 1 && th.signers <= 1000);
  } else {
    Check(trust.error().message().rfind("fuzz.yaml", 0) == 0);
  }

  auto json = custody::ParseJson(text, "fuzz");
  if (!json.ok()) return 0;
  for (const custody::PredicateTypeInfo& t : custody::KnownPredicateTypes()) {
    custody::Status first = custody::ValidatePredicate(t.uri, *json);
    custody::Status again = custody::ValidatePredicate(t.uri, *json);
    Check(first.ok() == again.ok());
    if (!first.ok()) {
      Check(first.error().message() == again.error().message());
      Check(first.error().message().rfind("predicate", 0) == 0);
    }
  }
  Check(custody::ValidatePredicate("https://example.com/unknown/v1", *json).ok());
  return 0;
}
