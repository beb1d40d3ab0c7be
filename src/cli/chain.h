// Pieces the attestation, registry and gate commands share: what a SUBJECT
// argument names, and writing to the transparency log.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "attest/bundle.h"
#include "attest/statement.h"
#include "core/error.h"
#include "core/json.h"
#include "crypto/key.h"
#include "tlog/log.h"

namespace CLI {
class App;
}

namespace custody::cli {

struct ResolvedSubject {
  std::string name;
  std::string digest;  // hex sha256
  std::string kind;    // "model" (a directory), "file", "digest", "registry"
  std::string path;    // the directory or file, when there is one
};

// SUBJECT is `sha256:HEX`, a model directory or file (hashed as `custody
// sign` hashes it: the digest is its manifest's subject digest), or
// NAME@VERSION registered in `store` (when `store` is given).
// `name` overrides the subject's name.
Result<ResolvedSubject> ResolveSubject(const std::string& subject, const std::string& name, const std::string& store,
                                       size_t threads, bool progress);

// The store's log, opened with its signing key when `writable`
// ($CUSTODY_HOME/log.key unless `key_path` names another). Every command
// that reads or appends to the log opens it here.
Result<std::unique_ptr<tlog::Log>> OpenStoreLog(const std::string& store, const std::string& key_path, bool writable);

struct LogReceipt {
  uint64_t index = 0;
  uint64_t tree_size = 0;
  std::string origin;  // "" for a remote log
};

// The parsed JSON answer of the `custody log serve` at `url` (http:// or
// https://) to POST /add of `entry`; `base` is the URL without trailing
// slashes, for messages. Errors: a URL of another scheme, an unreachable log,
// a status other than 200, an answer that is not JSON.
struct LogAnswer {
  Json body;
  std::string base;
};
Result<LogAnswer> PostToLog(const std::string& url, const std::string& entry, const std::string& content_type);

// Logs `entry` in the store's own log (`log` = "local") or by POST to a
// `custody log serve` at `log` (an http:// or https:// URL).
Result<LogReceipt> AppendToLog(const std::string& log, const std::string& store, const std::string& entry);

// The log entry custody writes for a signed claim: "sha256:HEX\n" of its bundle.
std::string ClaimEntry(const std::string& bundle_id);

// Where a command that signs a claim (attest, drift --attest, detect
// outliers --attest) puts it: a bundle file, the log, the store.
struct ClaimArgs {
  std::string key;      // private key PEM
  std::string subject;  // SUBJECT as ResolveSubject takes it
  std::string name;     // subject name override
  std::string out;      // bundle file ("-" = stdout)
  std::string log;      // "local" or a log URL
  std::string store;    // "" = the default store
  bool no_store = false;
  std::string StoreLocation() const;
};

// --key, --subject, --name, --attestation-out, --log, --store, --no-store,
// for commands whose main output is something else (drift, detect).
// `subject_help` says what the subject is when --subject is not given.
void AddClaimOptions(CLI::App* cmd, ClaimArgs* args, const std::string& subject_help);

struct SignedClaim {
  std::string id;  // registry::AttestationId of the bundle
  std::string predicate_type;
  ResolvedSubject subject;
  std::string keyid;
  std::string key_type;  // "ecdsa-p256", "ed25519", ...
  std::string bundle_text;  // pretty JSON, as written to `out`
  std::optional<LogReceipt> receipt;
  std::string store;  // where it was recorded, "" when not
};

// Signs an in-toto statement of `predicate_type` about `subject` with the
// key, checking the predicate first; writes the bundle to args.out (not to
// stdout: the caller prints it), logs it, records it in the store.
Result<SignedClaim> SignClaim(const ClaimArgs& args, const ResolvedSubject& subject,
                              const std::string& predicate_type, const Json& predicate);

// {"id", "predicateType", "type", "subject", "keyid", "out", "store", "logIndex"}.
Json SignedClaimJson(const SignedClaim& claim, const std::string& out);
// "attested NAME (TYPE)" and the id, subject, signer, bundle, store, log lines.
void PrintSignedClaim(std::ostream& os, const SignedClaim& claim, const std::string& out);

// The SHA-256 of a file's bytes (as sha256sum prints it), for naming data
// sets in predicates.
Result<std::string> FileSha256(const std::string& path);

// A data file as a subject: named by its file name and the SHA-256 of its
// bytes (not the model-signing manifest digest ResolveSubject gives a file),
// so that it matches the digest a provenance or dataset predicate lists.
Result<ResolvedSubject> DataFileSubject(const std::string& path, const std::string& name);

}  // namespace custody::cli
