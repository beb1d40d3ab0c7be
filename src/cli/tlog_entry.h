// A signature's entry in the transparency log, in the form Rekor v2 gives
// Sigstore bundles: `custody sign --log` appends it and puts it in the bundle
// with its inclusion proof and checkpoint; `custody verify --log-key` checks
// it offline.
//
// The entry is a hashedrekord 0.0.2 body (tlog/rekor.h) whose digest is the
// SHA-256 of the DSSE pre-authentication encoding, i.e. of the bytes the
// envelope's signature signs, as Rekor v2 logs DSSE envelopes.
// Functions of the main thread of a command.
#pragma once

#include <cstdint>
#include <string>

#include "attest/bundle.h"
#include "core/error.h"
#include "crypto/key.h"
#include "tlog/note.h"
#include "tlog/rekor.h"

namespace custody::cli {

// The hashedrekord entry of the bundle's signature: digest SHA-256(PAE), the
// signature, and as verifier the bundle's signing certificate when it carries
// a chain, else `signer` (DER SubjectPublicKeyInfo).
// REQUIRES: the envelope has exactly one signature.
Result<tlog::HashedRekord> HashedRekordOf(const Bundle& bundle, const PublicKey& signer);

// Appends the entry's canonicalized body to `log`: "local" is the log of
// `store` (signed with $CUSTODY_HOME/log.key), an http(s) URL is a
// `custody log serve` (POST /add). Returns the bundle's tlog entry with its
// inclusion proof and the checkpoint that first includes it.
Result<TlogEntry> LogSignature(const Bundle& bundle, const PublicKey& signer, const std::string& log,
                               const std::string& store);

struct TlogVerification {
  uint64_t log_index = 0;
  uint64_t tree_size = 0;
  std::string origin;
  size_t entries = 0;  // entries of this log in the bundle, all checked
};

// Offline: every entry of the log of `log_key` in the bundle must log this
// bundle's signature (body against signature, digest and signer), its
// inclusion proof must lead to its root hash, and its checkpoint must be
// signed by `log_key` and state that root and tree size. A bundle with no
// entry of that log is a kVerification error; a malformed entry is kInput.
Result<TlogVerification> VerifyTlogEntry(const Bundle& bundle, const PublicKey& signer,
                                         const tlog::NoteVerifier& log_key);

// --log-key: a verifier key string (NAME+HEX8+BASE64, as `custody log key`
// prints it) or the path of a file that holds one.
Result<tlog::NoteVerifier> ReadLogKey(const std::string& value);

}  // namespace custody::cli
