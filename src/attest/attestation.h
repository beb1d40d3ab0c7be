// Attestations: an in-toto Statement signed as a DSSE envelope and carried in
// a Sigstore bundle v0.3 with the signer's key hint, as `custody attest`
// writes them and `custody gate` reads them. Stateless; safe from any thread.
#pragma once

#include <optional>
#include <string>

#include "attest/bundle.h"
#include "attest/statement.h"
#include "crypto/key.h"

namespace custody {

// Signs `statement` with `key` (after checking its predicate against its
// type, see attest/predicates.h).
Result<Bundle> SignStatement(const Statement& statement, const PrivateKey& key);

// The statement inside `bundle`, without checking any signature: for
// reading what a bundle claims before deciding which key to check it with.
Result<Statement> PeekStatement(const Bundle& bundle);

// Checks that some signature of the envelope verifies with `key`, that the
// payload is an in-toto statement, and that its predicate is well formed for
// its type. A bad signature is kVerification; malformed content kInput.
Result<Statement> VerifyStatement(const Bundle& bundle, const PublicKey& key);

// The public key a bundle carries in verificationMaterial.publicKey.rawBytes
// (PEM, as model_signing 1.0.x writes it, or DER), when it matches the
// bundle's key hint; nullopt otherwise. Whether to trust it is the caller's
// business.
std::optional<PublicKey> CarriedPublicKey(const Bundle& bundle);

}  // namespace custody
