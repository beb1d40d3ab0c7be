// Sigstore bundle v0.3 (application/vnd.dev.sigstore.bundle.v0.3+json) in the
// form used for key-based signing: a public-key hint as verification material,
// no transparency-log entries, and a DSSE envelope as content.
// Plain value; safe to share between threads.
#pragma once

#include <optional>
#include <string>

#include "attest/dsse.h"
#include "core/json.h"

namespace custody {

inline constexpr const char* kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

struct Bundle {
  std::string media_type = kBundleMediaTypeV03;
  std::string public_key_hint;               // verificationMaterial.publicKey.hint
  std::optional<std::string> public_key_raw;  // publicKey.rawBytes (model_signing 1.0.x), decoded
  Envelope envelope;

  Json ToJson() const;
  // Accepts bundle media types v0.1 to v0.3; `source` names the file in errors.
  static Result<Bundle> FromJson(const Json& j);
  static Result<Bundle> Parse(std::string_view text, const std::string& source);
};

}  // namespace custody
