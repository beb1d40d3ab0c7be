// The objects OPA's crypto.x509.* built-ins return: Go's x509.Certificate,
// x509.CertificateRequest and key types as encoding/json writes them (field
// names as Go spells them, []byte as standard base64, big.Int as numbers).
// Internal to src/rego/builtins.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <string_view>

#include "core/error.h"
#include "rego/value.h"

namespace custody::rego::crypto_x509 {

// A parsed certificate as Go marshals it. With `uri_strings`, also OPA's
// extra "URIStrings" field (the subject alternative name URIs as text).
Value CertificateJson(X509* cert, bool uri_strings);
// A DER PKCS#10 request as Go marshals it; the error is worded as Go's
// ("asn1: structure error: ...").
Result<Value> CertificateRequestJson(std::string_view der);
// Go's JSON of a public key (*rsa.PublicKey, *ecdsa.PublicKey,
// ed25519.PublicKey, ...) and its x509.PublicKeyAlgorithm number.
Value PublicKeyJson(EVP_PKEY* key, int* algorithm);
// Go's JSON of a private key (*rsa.PrivateKey, *ecdsa.PrivateKey,
// ed25519.PrivateKey).
Value PrivateKeyJson(EVP_PKEY* key);

}  // namespace custody::rego::crypto_x509
