// Fuzzes everything `custody verify` reads from a signature file: the bundle
// JSON, the DSSE envelope, the X.509 certificates of a certificate chain, the
// in-toto statement inside it and the model-signing predicate. Anything that parses must serialize and parse back
// to the same value.
#include <cstdint>
#include <string>
#include <string_view>

#include "attest/bundle.h"
#include "attest/statement.h"
#include "core/json.h"
#include "crypto/certificate.h"
#include "manifest/predicate.h"
#include "fuzz_check.h"

using custody::fuzz::Check;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto bundle = custody::Bundle::Parse(text, "fuzz.sig");
  if (!bundle.ok()) {
    Check(!bundle.error().message().empty());
    return 0;
  }
  auto again = custody::Bundle::FromJson(bundle->ToJson());
  Check(again.ok());
  Check(again->envelope.payload == bundle->envelope.payload);
  Check(again->public_key_hint == bundle->public_key_hint);
  Check(again->certificate_chain == bundle->certificate_chain);
  for (const auto& der : bundle->certificate_chain) {
    auto cert = custody::Certificate::FromDer(der, "/chain");
    if (!cert.ok()) continue;
    (void)cert->Subject();
    (void)cert->AllowsSigning();
    (void)cert->Key();
    Check(custody::Certificate::FromDer(cert->ToDer(), "/chain").ok());
  }

  auto payload = custody::ParseJson(bundle->envelope.payload, "fuzz.sig payload");
  if (!payload.ok()) return 0;
  auto statement = custody::Statement::FromJson(*payload, "/payload");
  if (!statement.ok()) return 0;
  auto manifest = custody::ManifestFromPredicate(statement->predicate, "/payload/predicate", "model");
  if (!manifest.ok()) return 0;
  auto round = custody::ManifestFromPredicate(custody::ManifestToPredicate(*manifest), "/predicate", "model");
  Check(round.ok());
  Check(round->SubjectDigest() == manifest->SubjectDigest());
  return 0;
}
