// DSSE v1 (Dead Simple Signing Envelope): the pre-authentication encoding
// (PAE) that is actually signed, and the JSON envelope that carries payload
// and signatures. Plain values; safe to share between threads.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/json.h"

namespace custody {

inline constexpr const char* kInTotoPayloadType = "application/vnd.in-toto+json";

// "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in ASCII decimal.
std::string PreAuthEncoding(std::string_view payload_type, std::string_view payload);

// What model_signing 0.2 signed instead, through a bug: "DSSEV1" SP len(type)
// SP type SP len(body) SP repr(body), where repr is Python's bytes literal
// (b'...' with \n, \xNN and quote escapes). Still covers every payload byte;
// read only to verify bundles of that release.
std::string LegacyModelSigningPreAuthEncoding(std::string_view payload_type, std::string_view payload);

struct Signature {
  std::string keyid;
  std::string sig;  // raw bytes
};

struct Envelope {
  std::string payload_type;
  std::string payload;  // raw bytes
  std::vector<Signature> signatures;

  // {"payload": b64, "payloadType": ..., "signatures": [{"sig": b64, "keyid": ...}]}
  Json ToJson() const;
  // `path` is the JSON pointer of `j`, used in error messages.
  static Result<Envelope> FromJson(const Json& j, const std::string& path);
};

}  // namespace custody
