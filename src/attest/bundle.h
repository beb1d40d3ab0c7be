// Sigstore bundle v0.3 (application/vnd.dev.sigstore.bundle.v0.3+json) in the
// forms used for signing with a key or a certificate of a private PKI: a
// public-key hint or an X.509 certificate chain as verification material, no
// transparency-log entries, and a DSSE envelope as content.
// Plain value; safe to share between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "attest/dsse.h"
#include "core/json.h"

namespace custody {

inline constexpr const char* kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

struct Bundle {
  std::string media_type = kBundleMediaTypeV03;
  std::string public_key_hint;               // verificationMaterial.publicKey.hint
  std::optional<std::string> public_key_raw;  // publicKey.rawBytes (model_signing 1.0.x), decoded
  // x509CertificateChain.certificates, DER, signing certificate first; when
  // set, it is written instead of the public-key hint.
  std::vector<std::string> certificate_chain;
  // verificationMaterial.certificate (DER): a Sigstore keyless signing
  // certificate. Read so that verify can say what it is; never written.
  std::optional<std::string> sigstore_certificate;
  Envelope envelope;

  Json ToJson() const;
  // Accepts bundle media types v0.1 to v0.3; `source` names the file in errors.
  static Result<Bundle> FromJson(const Json& j);
  static Result<Bundle> Parse(std::string_view text, const std::string& source);
};

}  // namespace custody
