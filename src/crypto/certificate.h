// X.509 certificates for certificate-based signing (model_signing's
// "certificate" method: a private PKI instead of a bare public key): parsing,
// the certified public key, and chain verification against trusted
// certificates. Certificate objects are immutable; const methods may be called
// from several threads at once.
#pragma once

#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "crypto/key.h"

namespace custody {

class Certificate {
 public:
  // `source` names where the bytes came from, for error messages.
  static Result<Certificate> FromDer(std::string_view der, const std::string& source);
  // Every certificate of a PEM text, in order; an error if there is none.
  static Result<std::vector<Certificate>> AllFromPem(std::string_view pem, const std::string& source);

  std::string ToDer() const;
  std::string ToPem() const;
  // Distinguished names in RFC 2253 form, e.g. "CN=release signer,O=Example".
  std::string Subject() const;
  std::string Issuer() const;
  // Hex SHA-256 of the DER encoding (what `openssl x509 -fingerprint -sha256` shows).
  std::string Fingerprint() const;
  // Validity period, seconds since the epoch.
  int64_t NotBefore() const;
  int64_t NotAfter() const;
  // The certified public key; an input error for key types custody does not sign with.
  Result<PublicKey> Key() const;
  // Whether the certificate may sign: its key usage allows digitalSignature, or
  // its extended key usage names codeSigning. A certificate without a key usage
  // extension allows every usage (RFC 5280, 4.2.1.3).
  bool AllowsSigning() const;

 private:
  explicit Certificate(std::shared_ptr<X509> cert) : cert_(std::move(cert)) {}
  friend Status VerifyCertificateChain(const Certificate&, const std::vector<Certificate>&,
                                       const std::vector<Certificate>&, int64_t);
  std::shared_ptr<X509> cert_;
};

// Checks that `leaf` chains through `intermediates` to one of `trusted` as of
// `at` (seconds since the epoch): signatures, validity periods, CA basic
// constraints, as OpenSSL's X509_verify_cert does with default flags. A
// trusted certificate must be the root of the chain (self-signed); trusting an
// intermediate alone is not enough. A failure is a verification error that
// names the reason and the certificate where the chain broke.
Status VerifyCertificateChain(const Certificate& leaf, const std::vector<Certificate>& intermediates,
                              const std::vector<Certificate>& trusted, int64_t at);

}  // namespace custody
