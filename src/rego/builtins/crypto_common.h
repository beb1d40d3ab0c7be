// Pieces the crypto and tokens built-in groups share: Go's base64 and PEM
// decoding (OPA's error texts come from them), keys from certificates, PEM
// public keys and JWKs, and the JWS signature algorithms. Internal to
// src/rego/builtins; everything here is a pure function of its arguments and
// safe to call from any thread.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace custody::rego::crypto_common {

// ---- Base64 as Go's encoding/base64 decodes it ----

enum class Base64Variant { kStd, kRawStd, kUrl, kRawUrl };

// Decodes like Go's Encoding.DecodeString: '\r' and '\n' are skipped, the
// padded variants require padding. The error message is Go's:
// "illegal base64 data at input byte N".
Result<std::string> GoBase64Decode(std::string_view text, Base64Variant variant);
// OPA's base64url.decode: pads a text without '=' to a multiple of four, then
// decodes with the padded URL alphabet.
Result<std::string> OpaBase64UrlDecode(std::string_view text);
// How the JWK library decodes key parameters: the alphabet and padding are
// guessed from the text.
Result<std::string> LenientBase64Decode(std::string_view text);
std::string Base64UrlNoPad(std::string_view data);

// ---- PEM as Go's encoding/pem decodes it ----

struct PemBlock {
  std::string type;
  std::string bytes;
};
// The first well-formed block of `data` (malformed ones are skipped, as Go
// does) and in `*rest` the text after it. nullopt, with `*rest` = `data`,
// when there is none.
std::optional<PemBlock> PemDecode(std::string_view data, std::string_view* rest);

// ---- OpenSSL objects ----

using PkeyPtr = std::shared_ptr<EVP_PKEY>;
using X509Ptr = std::shared_ptr<X509>;
PkeyPtr WrapPkey(EVP_PKEY* key);
X509Ptr WrapX509(X509* cert);

// Reads the DER element at the start of `in`: false when it is cut short or
// malformed, else its header length and total length.
bool DerElement(std::string_view in, size_t* header_len, size_t* total_len);
// One DER certificate that must fill `der`; the error is worded as Go's
// crypto/x509 words it ("x509: malformed certificate").
Result<X509Ptr> ParseCertificateDer(std::string_view der);
// DER SubjectPublicKeyInfo; an error worded as Go's x509.ParsePKIXPublicKey.
Result<PkeyPtr> ParsePublicKeyDer(std::string_view der);

// "P-256", "P-384", "P-521" (or "P-224") for a NIST curve key, else "".
std::string CurveName(EVP_PKEY* key);
// Byte length of a coordinate (and of r and s) for an EC key.
int CurveByteSize(EVP_PKEY* key);

// ---- Keys for JWS ----

struct JoseKey {
  PkeyPtr pkey;        // RSA, EC or Ed25519; null for a symmetric key
  std::string secret;  // "oct" keys
  bool symmetric = false;
  bool is_private = false;
  std::string alg;  // the JWK "alg", or "" (certificates, PEM keys)
  std::string kid;
};

// A JWK or a JWK set ({"keys": [...]}). Every key must parse.
Result<std::vector<JoseKey>> ParseJwks(std::string_view text);

// The digest of a JWS algorithm ("RS256" -> SHA-256); nullptr for EdDSA and
// for unknown names.
const EVP_MD* JwsDigest(std::string_view alg);
bool IsJwsAlgorithm(std::string_view alg);

// Verifies `signature` over `input` with the algorithm the JWS spec names
// `alg` (RFC 7518): false for any mismatch of key and algorithm.
bool JwsVerify(const JoseKey& key, std::string_view alg, std::string_view input, std::string_view signature);
// Signs `input` with `alg`; ECDSA signatures are r || s.
Result<std::string> JwsSign(const JoseKey& key, std::string_view alg, std::string_view input);

// Lower-level checks OPA's io.jwt.verify_* built-ins use.
// PSS signatures with any salt length (Go's rsa.VerifyPSS without options);
// JwsVerify wants the salt as long as the hash, as the JOSE library does.
bool VerifyRsa(EVP_PKEY* key, const EVP_MD* md, bool pss, std::string_view input, std::string_view signature,
               bool any_salt_length = true);
// `signature` is split in two halves, r and s, whatever the curve.
bool VerifyEcdsaRaw(EVP_PKEY* key, const EVP_MD* md, std::string_view input, std::string_view signature);
bool VerifyEd25519(EVP_PKEY* key, std::string_view input, std::string_view signature);
std::string Hmac(const EVP_MD* md, std::string_view key, std::string_view data);
std::string Digest(const EVP_MD* md, std::string_view data);
// Equal length and contents, in time independent of the contents.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// The raw big-endian bytes of a BIGNUM parameter of `key`, or "" if absent.
std::string KeyBnBytes(EVP_PKEY* key, const char* param);
// The decimal digits of a BIGNUM parameter of `key`, or "" if absent.
std::string KeyBnDecimal(EVP_PKEY* key, const char* param);

}  // namespace custody::rego::crypto_common
