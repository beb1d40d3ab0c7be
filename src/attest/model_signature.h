// Model signatures in the OpenSSF model-signing v1.0 format: a manifest wrapped
// in an in-toto Statement, signed as a DSSE envelope, carried in a Sigstore
// bundle v0.3 whose public-key hint is the hex SHA-256 of the key's PEM text,
// or, for certificate signing, whose X.509 chain certifies the signing key.
//
// Stateless functions; safe from any thread.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "attest/bundle.h"
#include "attest/statement.h"
#include "crypto/certificate.h"
#include "crypto/key.h"
#include "manifest/manifest.h"

namespace custody {

// Hex SHA-256 of the public key's PEM text, as model_signing computes it.
std::string PublicKeyHint(const PublicKey& key);

// The in-toto Statement for a manifest: one subject named after the model,
// digest sha256 = Manifest::SubjectDigest(); predicate = model-signing v1.0.
Statement ModelStatement(const Manifest& manifest);

// Signs the statement of `manifest` into a bundle with exactly one signature
// whose keyid is the public-key hint of `key`. An empty manifest is an input
// error: there is nothing to sign. With `chain` (signing certificate first,
// then the certificates that lead to a trusted root), the bundle carries the
// chain instead of the hint; the first certificate must certify `key`.
Result<Bundle> SignManifest(const Manifest& manifest, const PrivateKey& key,
                            const std::vector<Certificate>& chain = {});

// The signer of a certificate-signed bundle: its signing certificate after
// checking that the bundle's chain leads to one of `trusted` and that the
// certificate may sign. Like model_signing, the chain is checked as of the
// signing certificate's notBefore, the earliest moment the signature can have
// been made (the bundle holds no trusted timestamp). A broken chain or a
// certificate not meant for signing is a kVerification error; a bundle without
// a chain is kInput.
struct CertifiedSigner {
  Certificate certificate;
  PublicKey key;
};
Result<CertifiedSigner> SignerFromChain(const Bundle& bundle, const std::vector<Certificate>& trusted);

// Checks the envelope's signature with `key`, then the statement's form and
// subject digest, and returns the manifest the signer saw. A bad signature or
// an inconsistent manifest is a kVerification error; a malformed payload is
// kInput.
Result<Manifest> VerifyBundle(const Bundle& bundle, const PublicKey& key);

struct ModelVerification {
  Manifest signed_manifest;  // as recorded in the bundle
  Manifest actual_manifest;  // freshly hashed with the recorded settings
  ManifestDiff diff;         // empty when the model matches
  std::vector<std::string> ignored;    // every ignore path in effect
  std::vector<std::string> unchecked;  // `ignored` less the git defaults and the signature file:
                                       // what the signer or the user chose to leave out
  bool ok() const { return diff.empty(); }
};

// Verifies the bundle, re-hashes `model` with the recorded serialization, and
// compares. `extra_ignores` (relative to the model) are added to the recorded
// ones, as is `signature_file` when it lies inside the model.
Result<ModelVerification> VerifyModel(const std::filesystem::path& model, const Bundle& bundle, const PublicKey& key,
                                      const std::filesystem::path& signature_file,
                                      const std::vector<std::string>& extra_ignores, const HashSettings& settings);

}  // namespace custody
