// The log as Sigstore sees it: Rekor v2 entry bodies, the log ID Rekor v2 and
// Sigstore trusted roots name a log by, and the trusted_root.json that makes
// Sigstore verifiers accept the log.
//
// A Rekor v2 entry is the canonicalized body itself: the leaf hash is
// SHA-256(0x00 || body), so the bytes appended to the log are exactly the body
// a bundle carries in canonicalizedBody. The body of a hashedrekord 0.0.2 entry
// is the RFC 8785 (JCS) form of
//   {"apiVersion": "0.0.2", "kind": "hashedrekord",
//    "spec": {"hashedRekordV002": {"data": {"algorithm", "digest"},
//             "signature": {"content", "verifier": {"keyDetails",
//                           "publicKey": {"rawBytes"} | "x509Certificate": {"rawBytes"}}}}}}
// with bytes in standard base64, as Rekor v2 writes it.
// Stateless functions over values; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/error.h"
#include "core/json.h"
#include "crypto/key.h"
#include "tlog/note.h"

namespace custody::tlog {

inline constexpr const char* kHashedRekordKind = "hashedrekord";
inline constexpr const char* kHashedRekordVersion = "0.0.2";
inline constexpr const char* kTrustedRootMediaType = "application/vnd.dev.sigstore.trustedroot+json;version=0.1";

struct HashedRekord {
  std::string digest_algorithm = "SHA2_256";  // data.algorithm (HashAlgorithm name)
  std::string digest;                         // data.digest, raw bytes
  std::string signature;                      // signature.content, raw bytes
  std::string key_details;                    // signature.verifier.keyDetails (PublicKeyDetails name)
  // Exactly one of the two: the signer's DER SubjectPublicKeyInfo, or its DER certificate.
  std::string public_key_der;
  std::string certificate_der;
};

// The canonicalized body of `entry` (the bytes to log).
std::string CanonicalizedBody(const HashedRekord& entry);
// Reads a hashedrekord 0.0.2 body. Errors name the JSON path inside the body.
Result<HashedRekord> ParseHashedRekord(std::string_view body);

// The PublicKeyDetails name of signatures custody makes with `type`:
// PKIX_ECDSA_P256_SHA_256, PKIX_ECDSA_P384_SHA_384, PKIX_ECDSA_P521_SHA_512, PKIX_ED25519.
const char* KeyDetailsName(KeyType type);

// The log ID of a log with this verifier, as Rekor v2 computes it for an
// Ed25519 log key: SHA-256(NAME || 0x0A || 0x01 || public key), all 32 bytes.
// Its first 4 bytes are the key ID in the log's checkpoint signatures, which
// is how Sigstore verifiers find the key of a checkpoint.
Result<std::string> LogId(const NoteVerifier& verifier);

// A Sigstore trusted root (kTrustedRootMediaType) naming one transparency log:
// this one, its key as DER SubjectPublicKeyInfo with keyDetails PKIX_ED25519,
// valid from `valid_from` (RFC 3339), its log ID, and `base_url`. No
// certificate authorities, CT logs or timestamp authorities.
// Sigstore verifiers match a checkpoint's signer name against the base URL,
// so `base_url` must contain the log's origin (its note name).
Result<Json> TrustedRoot(const NoteVerifier& verifier, const std::string& base_url, const std::string& valid_from);

}  // namespace custody::tlog
