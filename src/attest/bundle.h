// Sigstore bundle v0.3 (application/vnd.dev.sigstore.bundle.v0.3+json) in the
// forms used for signing with a key or a certificate of a private PKI: a
// public-key hint or an X.509 certificate chain as verification material,
// transparency-log entries (protobuf-specs TransparencyLogEntry, as Rekor v2
// returns them), and a DSSE envelope as content.
// Plain value; safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "attest/dsse.h"
#include "core/json.h"

namespace custody {

inline constexpr const char* kBundleMediaTypeV03 = "application/vnd.dev.sigstore.bundle.v0.3+json";

// verificationMaterial.tlogEntries[].inclusionProof. Hashes are raw bytes.
struct TlogInclusionProof {
  uint64_t log_index = 0;
  std::string root_hash;
  uint64_t tree_size = 0;
  std::vector<std::string> hashes;  // from the leaf up
  std::string checkpoint;           // checkpoint.envelope: the signed note
};

// One verificationMaterial.tlogEntries[] element. Integers are written as
// decimal strings (protobuf's JSON mapping of int64) and read from strings or
// numbers; bytes are base64 in JSON and raw here.
struct TlogEntry {
  uint64_t log_index = 0;
  std::string log_id;  // logId.keyId
  std::string kind;    // kindVersion.kind, e.g. "hashedrekord"
  std::string version; // kindVersion.version, e.g. "0.0.2"
  int64_t integrated_time = 0;  // 0: none (Rekor v2 entries carry no timestamp)
  // inclusionPromise.signedEntryTimestamp (Rekor v1); read and written back, never checked.
  std::optional<std::string> inclusion_promise;
  std::optional<TlogInclusionProof> inclusion_proof;
  std::string canonicalized_body;

  Json ToJson() const;
  // `path` is the JSON pointer of `j`, used in error messages.
  static Result<TlogEntry> FromJson(const Json& j, const std::string& path);
};

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
  std::vector<TlogEntry> tlog_entries;  // verificationMaterial.tlogEntries
  Envelope envelope;

  Json ToJson() const;
  // Accepts bundle media types v0.1 to v0.3; `source` names the file in errors.
  static Result<Bundle> FromJson(const Json& j);
  static Result<Bundle> Parse(std::string_view text, const std::string& source);
};

}  // namespace custody
